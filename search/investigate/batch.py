"""Batch search: a list of names, credit codes or keywords against every system its owner reads.

The list comes as a file (.txt or .csv, one term per line; a CSV's first column) or pasted text,
in UTF-8 or GB18030 (what Excel on Chinese Windows saves). Each term becomes one query of the
query language's kind (a name is one of a record's names exactly, 名称:"张伟"; a code is
matched exactly; a keyword as a phrase) and ``index.count_by_system`` counts its hits per
system, a chunk of terms at a time, so the progress bar moves and a large list never makes one
huge request. The matrix is the ``BatchCell`` rows: one per term and system with hits (zero is
the absence of a row).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import index
from ..index.query import QuerySyntaxError, parse
from ..models import BatchCell, BatchKind, BatchSearch, JobState
from . import permissions
from .exports import owner_reader
from .stored_query import as_filters

MAX_TERMS = 2_000
MAX_TERM_LENGTH = 100
MAX_UPLOAD_BYTES = 1024 * 1024  # 2,000 lines of names or codes take a few tens of kilobytes
CHUNK = 50  # terms per count_by_system call: one progress step
QUERY_FIELDS = {BatchKind.NAMES: "名称", BatchKind.CREDIT_CODES: "代码"}  # the query language's fields
# Characters the query language reads as syntax; a term keeps none of them.
_SYNTAX = str.maketrans("", "", '"“”()（）')


class TermListError(ValueError):
    """A list that cannot be used; the message is for the user."""


def decode(data: bytes) -> str:
    """The text of an uploaded list: UTF-8 (with or without a BOM), else GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TermListError(_("The file is neither UTF-8 nor GB18030 text."))


def _rows(text: str) -> Iterator[list[str]]:
    try:
        yield from csv.reader(io.StringIO(text))
    except csv.Error as error:  # a line beyond the csv module's field limit (128 KB), for one
        raise TermListError(
            _("The list cannot be read as one term a line: a line is far too long.")
        ) from error


def _visible(text: str) -> str:
    """``text`` without control and format characters (NUL, zero-width spaces, a stray BOM): they
    cannot be typed, would never match, and PostgreSQL refuses NUL in text."""
    return "".join(char for char in text if unicodedata.category(char) not in ("Cc", "Cf"))


def read_terms(text: str, kind: str) -> list[str]:
    """The distinct terms of a list, in their first order: one a line, a CSV's first column."""
    terms: list[str] = []
    seen: set[str] = set()
    for row in _rows(text):
        if not row:
            continue
        term = " ".join(_visible(row[0]).translate(_SYNTAX).split())
        if not term or term in seen:
            continue
        if len(term) > MAX_TERM_LENGTH:
            raise TermListError(
                _("“%(term)s…” is too long: a term has at most %(limit)d characters.")
                % {"term": term[:20], "limit": MAX_TERM_LENGTH}
            )
        try:
            tree_for(kind, term)
        except QuerySyntaxError as error:
            raise TermListError(f"“{term}”: {error.message}") from error
        seen.add(term)
        terms.append(term)
    if not terms:
        raise TermListError(_("The list holds no terms: write one a line."))
    if len(terms) > MAX_TERMS:
        raise TermListError(
            _("The list holds %(count)d terms; at most %(limit)d are searched at once.")
            % {"count": len(terms), "limit": MAX_TERMS}
        )
    return terms


def query_text(kind: str, term: str) -> str:
    """The query one term stands for, as typed into the search box: a cell's drill-down link
    runs exactly the query that counted it."""
    if kind in QUERY_FIELDS:
        return f'{QUERY_FIELDS[kind]}:"{term}"'
    return f'"{term}"'


def tree_for(kind: str, term: str):
    return parse(query_text(kind, term))


# --- running -------------------------------------------------------------------------------------


def searched_accesses(batch: BatchSearch) -> dict[str, permissions.SystemAccess]:
    """The systems the batch's owner reads now, of those it was started on."""
    reader = owner_reader(batch)
    if reader is None:
        return {}
    readable = permissions.readable(reader)
    return {code: readable[code] for code in batch.systems if code in readable}


def run(batch_id: int) -> BatchSearch | None:
    """Fill the batch's matrix; resumes after the terms already done (a restarted worker)."""
    claimed = BatchSearch.objects.filter(pk=batch_id, state__in=[JobState.QUEUED, JobState.RUNNING]).update(
        state=JobState.RUNNING
    )
    if not claimed:
        return None
    batch = BatchSearch.objects.get(pk=batch_id)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            _count(batch)
    except Exception as error:
        BatchSearch.objects.filter(pk=batch.pk).update(
            state=JobState.FAILED, finished_at=timezone.now(), error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    return BatchSearch.objects.get(pk=batch_id)


def _count(batch: BatchSearch) -> None:
    accesses = searched_accesses(batch)
    filters = as_filters(
        {}, within_systems=accesses, identifiers_shown=permissions.identifiers_shown_in(accesses)
    )
    position = batch.terms_done
    while position < len(batch.terms):
        chunk = batch.terms[position : position + CHUNK]
        trees = [tree_for(batch.kind, term) for term in chunk]
        counts = index.count_by_system(trees, filters) if accesses else [{} for _tree in trees]
        cells = [
            BatchCell(batch=batch, position=position + offset, term=term, system=system, hits=hits)
            for offset, (term, by_system) in enumerate(zip(chunk, counts, strict=True))
            for system, hits in by_system.items()
            if hits and system in accesses
        ]
        position += len(chunk)
        with transaction.atomic():
            BatchCell.objects.bulk_create(cells, ignore_conflicts=True)
            BatchSearch.objects.filter(pk=batch.pk).update(terms_done=position)
    BatchSearch.objects.filter(pk=batch.pk).update(state=JobState.DONE, finished_at=timezone.now())


# --- the matrix ----------------------------------------------------------------------------------


@dataclass
class MatrixRow:
    position: int
    term: str
    query: str
    cells: list[int]  # hits per column, 0 for none
    total: int


def matrix(batch: BatchSearch, columns: list[str]) -> list[MatrixRow]:
    """One row per term (all of them, hits or not), cells in the order of ``columns``; terms with
    hits first, most hits first, then the list's own order."""
    found: dict[int, dict[str, int]] = {}
    for position, system, hits in batch.cells.filter(system__in=columns).values_list(
        "position", "system", "hits"
    ):
        found.setdefault(position, {})[system] = hits
    rows = []
    for position, term in enumerate(batch.terms):
        by_system = found.get(position, {})
        cells = [by_system.get(code, 0) for code in columns]
        rows.append(MatrixRow(position, term, query_text(batch.kind, term), cells, sum(cells)))
    rows.sort(key=lambda row: (-row.total, row.position))
    return rows
