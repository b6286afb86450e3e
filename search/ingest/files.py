"""Loading a linked system's export (CSV or JSONL) into its records (DESIGN §7).

``ingest_file(system, path)`` reads the file as a stream (memory stays flat for files of many
gigabytes), maps each row through the system's field mapping (``search.ingest.mapping``),
upserts the good rows by (system, external id) with their record keys (``upsert.store_keys``)
and quarantines the others as ``RejectedRow``s with their reasons. Every batch commits in one
transaction with its keys, its rejected rows and the run's ``rows_done``, so a run that stopped
(a crash, a kill, a failing indexer) resumes after its last committed batch when the same file
is loaded again: nothing twice, nothing lost. A file already loaded into the system (same
checksum) is not loaded again unless ``again=True``. Once the whole file is in, ingestion sends
``signals.records_loaded``: warning models run over what it added (search.detection listens).

The file:

- CSV: a header row, then one row per record; comma-separated, cells quoted as Excel and the
  ``csv`` module do. JSONL: one JSON object per line, its top-level keys being the columns;
  blank lines are ignored.
- Encoding: UTF-8 (with or without a byte order mark), else GB18030 (which includes GBK and
  GB2312, what Excel on a Chinese Windows writes). The whole file is checked before the first
  row is loaded, so a file that is neither fails at once instead of halfway.
- Row numbers (``RejectedRow.line``) are the file's line numbers, where the row starts: the
  CSV header is line 1, as in a text editor, and as in a spreadsheet unless a cell spans lines.
- A row holding a character no database can store (a NUL, an unpaired surrogate in JSON) is
  rejected; its text is kept with U+FFFD in place of the NUL.
- Rows with the same external id: the later row wins (a system that delivers a record again
  delivers its newer state). Each earlier one is kept aside as a ``RejectedRow`` whose
  ``replaced_by_line`` names the row that replaced it, in the same batch, a later batch or after
  a resumed run alike: each record remembers the run and line that last wrote it.
- Every row read is counted once, as loaded (a new record), updated (it replaced a record loaded
  before this run), duplicate (a later row replaced it) or rejected; the four add up to the rows.

The rejection reasons are written in the active language; a caller acting for a user activates
theirs first.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Region
from search import index as search_index
from search.ingest.mapping import Key, Mapping, MappingError, RowMapper, RowRejected, region_lookup
from search.ingest.signals import records_loaded
from search.ingest.upsert import analyse_tables, hold_system, store_keys, upsert
from search.models import IngestRun, IngestState, Record, RejectedRow, SourceSystem

BATCH_SIZE = 2_000
FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}
ENCODINGS = ("utf-8", "gb18030")
CHUNK = 1 << 20
CSV_FIELD_LIMIT = 16 << 20  # characters in one cell; the csv module's default is 128 KiB

_SURROGATE = re.compile("[\ud800-\udfff]")

csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))

Progress = Callable[[int, int | None], None]  # rows done, rows in the file (None: not known)
# The records just upserted and indexed, before their batch commits (an error rolls the batch
# back); their pk is set where the database returns it (PostgreSQL, SQLite), else their external
# ids name them.
OnBatch = Callable[[list[Record]], None]


class IngestError(Exception):
    """The file cannot be loaded; the message, for the uploader, says why."""


class RunTaken(IngestError):
    """Another process committed rows of this run meanwhile: it goes on, this one stops."""


@dataclass
class Outcome:
    run: IngestRun
    already_done: bool = False  # the file had been loaded before; nothing was done
    resumed_from: int = 0  # rows committed by an earlier attempt of this run
    unknown_regions: Counter[str] = field(default_factory=Counter)  # values naming no region


@dataclass(frozen=True)
class Survey:
    sha256: str
    lines: int
    encoding: str


class Row(NamedTuple):  # a tuple: made once per row, quicker than a frozen dataclass
    number: int  # 1 for the first row of data
    line: int  # the line of the file where it starts
    text: str  # as received
    data: dict | None = None
    problem: str = ""  # why the row could not even be read


def ingest_file(
    system: SourceSystem,
    path: str | Path,
    *,
    fmt: str | None = None,
    batch_size: int = BATCH_SIZE,
    again: bool = False,
    uploaded_by=None,
    progress: Progress | None = None,
    on_batch: OnBatch | None = None,
    index: bool = True,
) -> Outcome:
    """Load ``path`` into ``system``'s records; IngestError when the file cannot be loaded at all.

    Each batch is also written to the search index (``search.index.index``) before it commits,
    so a batch that cannot be indexed is not stored either and the run resumes there. With
    ``index=False`` only the database is loaded: for a bulk load followed by ``search_reindex``.
    """
    path = Path(path)
    fmt = fmt or guess_format(path)
    if fmt not in FORMATS.values():
        raise IngestError(_("Unknown format %(format)s: say csv or jsonl.") % {"format": fmt})
    if not system.is_active:
        raise IngestError(_("The linked system %(system)s is not active.") % {"system": system})
    try:
        mapping = Mapping.of(system)
    except MappingError as error:
        raise IngestError(str(error)) from error
    survey = survey_file(path)
    previous = _latest_run(system, survey.sha256)
    if previous is not None and previous.state == IngestState.DONE and not again:
        return Outcome(previous, already_done=True)
    with open_rows(path, fmt, survey.encoding, mapping) as read:
        if previous is not None and not again:
            run = _resume(previous)
        else:
            total = survey.lines - 1 if fmt == "csv" else survey.lines
            run = IngestRun.objects.create(
                system=system, file_name=path.name[-255:], file_sha256=survey.sha256,
                uploaded_by=uploaded_by, rows_total=max(total, 0),
            )
        outcome = Outcome(run, resumed_from=run.rows_done)
        mapper = RowMapper(system, mapping, region_lookup())
        try:
            rows = read(skip=run.rows_done)
            batches = Batches(run, mapper, rows, batch_size, index=index, on_batch=on_batch)
            try:
                _load(run, batches, progress)
            finally:
                batches.close()
        except RunTaken:
            raise
        except BaseException as error:
            with suppress(DatabaseError):  # the original error matters more than this note
                IngestRun.objects.filter(pk=run.pk).update(
                    state=IngestState.FAILED, error=str(error) or type(error).__name__
                )
            raise
    outcome.unknown_regions = mapper.unknown_regions
    run.refresh_from_db()
    return outcome


def guess_format(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise IngestError(
            _("Cannot tell the format of %(file)s from its name: say csv or jsonl.") % {"file": path.name}
        ) from None


def survey_file(path: Path) -> Survey:
    """The file's checksum, its number of lines and its encoding, in one pass (two if not UTF-8)."""
    digest, lines, last = hashlib.sha256(), 0, b"\n"
    utf8 = codecs.getincrementaldecoder("utf-8")()
    encoding = "utf-8"
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                lines += chunk.count(b"\n")
                last = chunk
                if encoding and not _decodes(utf8, chunk):
                    encoding = None
            if encoding and not _decodes(utf8, b"", final=True):
                encoding = None
            if encoding is None:
                stream.seek(0)
                encoding = "gb18030" if _decodes_all(stream, "gb18030") else None
    except OSError as error:
        raise IngestError(
            _("Cannot read %(file)s: %(error)s") % {"file": path.name, "error": error.strerror}
        ) from error
    if encoding is None:
        raise IngestError(_("%(file)s is neither UTF-8 nor GB18030 text.") % {"file": path.name})
    return Survey(digest.hexdigest(), lines + (not last.endswith(b"\n")), encoding)


def _decodes_all(stream, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    while chunk := stream.read(CHUNK):
        if not _decodes(decoder, chunk):
            return False
    return _decodes(decoder, b"", final=True)


def _decodes(decoder, chunk: bytes, final: bool = False) -> bool:
    try:
        decoder.decode(chunk, final)
    except UnicodeDecodeError:
        return False
    return True


@contextmanager
def open_rows(path: Path, fmt: str, encoding: str, mapping: Mapping):
    """A function ``read(skip)`` giving the file's rows, the first ``skip`` of them unparsed.

    Opening a CSV file reads its header and checks it names every column of the mapping.
    """
    with path.open(encoding=encoding, newline="") as stream:
        if fmt == "jsonl":
            yield lambda skip: _jsonl_rows(stream, skip)
        else:
            yield _csv_reader(stream, path, mapping)


class _Lines:
    """The stream's lines, keeping those read since the last ``take()``: the text of a CSV row."""

    def __init__(self, stream):
        self.stream, self.kept, self.count = stream, [], 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.stream)
        self.kept.append(line)
        self.count += 1
        return line

    def take(self) -> str:
        text = "".join(self.kept)
        self.kept.clear()
        return text


def _csv_reader(stream, path: Path, mapping: Mapping):
    lines = _Lines(stream)
    reader = csv.reader(lines)
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        raise IngestError(_("%(file)s is empty: a CSV file starts with a row of column names.")
                          % {"file": path.name}) from None
    header[0] = header[0].lstrip("\ufeff").strip()
    repeated = sorted(name for name, count in Counter(header).items() if count > 1)
    if repeated:
        raise IngestError(_("%(file)s names these columns more than once: %(columns)s.")
                          % {"file": path.name, "columns": "、".join(repeated)})
    missing = [column for column in mapping.columns() if column not in header]
    if missing:
        raise IngestError(_("%(file)s lacks these columns, which the linked system's mapping names: "
                            "%(columns)s.") % {"file": path.name, "columns": "、".join(missing)})
    lines.take()

    def read(skip: int) -> Iterator[Row]:
        number = 0
        while True:
            start = lines.count + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                number += 1
                text = lines.take()
                if number > skip:
                    yield Row(number, start, text, problem=_("The row cannot be read as CSV: %(error)s")
                              % {"error": error})
                continue
            text = lines.take()
            if not any(cell.strip() for cell in cells):
                continue  # a blank line, or a row of empty cells as spreadsheets leave at the end
            number += 1
            if number <= skip:
                continue
            if len(cells) != len(header):
                yield Row(number, start, text, problem=_(
                    "The row has %(found)d cells where the header names %(expected)d columns."
                ) % {"found": len(cells), "expected": len(header)})
            else:
                yield Row(number, start, text, dict(zip(header, cells, strict=True)))

    return read


def _jsonl_rows(stream, skip: int) -> Iterator[Row]:
    number = 0
    for line, text in enumerate(stream, 1):
        if line == 1:
            text = text.lstrip("\ufeff")
        if not text.strip():
            continue
        number += 1
        if number <= skip:
            continue
        try:
            data = json.loads(text)
        except ValueError as error:
            problem = _("The line is not valid JSON: %(error)s") % {"error": error}
            yield Row(number, line, text, problem=problem)
            continue
        if isinstance(data, dict):
            yield Row(number, line, text, data)
        else:
            yield Row(number, line, text, problem=_("The line is not a JSON object ({…})."))


def _latest_run(system: SourceSystem, sha256: str) -> IngestRun | None:
    return IngestRun.objects.filter(system=system, file_sha256=sha256).order_by("-started_at", "-pk").first()


def _resume(run: IngestRun) -> IngestRun:
    IngestRun.objects.filter(pk=run.pk).update(state=IngestState.RUNNING, error="", finished_at=None)
    run.refresh_from_db()
    return run


@dataclass
class Batch:
    """Rows read and mapped, not yet stored."""

    last: int  # the number of its last row: the run's rows_done once it commits
    records: list[Record]  # each with the line it was read from (ingest_line)
    keys: list[list[Key]]  # the record keys of each record's row
    texts: list[str]  # the records' rows as received, for one that a later row replaces
    rejected: list[RejectedRow]


@dataclass
class Settled:
    """A batch's records sorted out by external id, before they are stored."""

    stored: list[Record]  # one per external id: the last row of the file so far
    keys: dict[str, list[Key]]  # external id → the keys of the stored record
    replaced: list[RejectedRow]  # earlier rows with the same external id, this batch's or before
    present: set[str]  # external ids stored before this batch (by this run or another)
    loaded: int = 0  # new records
    updated: int = 0  # records loaded before this run, replaced


class Batches:
    """Maps and commits the batches of one run: records stored and indexed, rejections, progress.

    Indexing into Elasticsearch is a request that waits on another process: while it runs, the
    next batch is read and mapped (no database work), and the batch commits once both are done.
    The embedded backend writes through this thread's database connection, inside the batch's
    transaction, so it runs in turn. Either way the batch is stored only if it was indexed.
    """

    def __init__(self, run: IngestRun, mapper: RowMapper, rows: Iterator[Row], size: int, *,
                 index: bool, on_batch: OnBatch | None):
        self.run, self.mapper, self.rows, self.size = run, mapper, rows, size
        self.index, self.on_batch = index, on_batch
        # The indexed document names the record's region: one lookup here, not one per record.
        self.regions = Region.objects.in_bulk() if index else {}
        overlap = index and settings.SEARCH_BACKEND == "elasticsearch"
        self.indexer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest") if overlap else None

    def close(self) -> None:
        if self.indexer:
            self.indexer.shutdown()

    def read(self) -> Batch | None:
        """The next batch, mapped; None at the end of the file."""
        rows = list(islice(self.rows, self.size))
        if not rows:
            return None
        records, keys, texts, rejected = [], [], [], []
        for row in rows:
            try:
                record = _record(row, self.mapper)
            except RowRejected as error:
                rejected.append(RejectedRow(run=self.run, line=row.line, reason="; ".join(error.reasons),
                                            raw=_as_received(row.text)))
                continue
            record.ingest_run_id, record.ingest_line = self.run.pk, row.line
            records.append(record)
            keys.append(self.mapper.keys(row.data, record))
            texts.append(row.text)
        return Batch(rows[-1].number, records, keys, texts, rejected)

    def settle(self, batch: Batch) -> Settled:
        """Which records of ``batch`` are stored, and which rows later rows replace: those of this
        batch, and those of earlier batches of this run (their records name this run)."""
        last = {record.external_id: index for index, record in enumerate(batch.records)}
        settled = Settled(stored=[], keys={}, replaced=[], present=set())
        following: dict[str, int] = {}  # external id → its next row's line; in the end its first
        for index in reversed(range(len(batch.records))):
            record = batch.records[index]
            if record.external_id in following:
                settled.replaced.append(self._replaced(record.ingest_line, record.external_id,
                                                       following[record.external_id],
                                                       _as_received(batch.texts[index])))
            following[record.external_id] = record.ingest_line
        settled.stored = [
            record for index, record in enumerate(batch.records) if last[record.external_id] == index
        ]
        settled.keys = {external_id: batch.keys[index] for external_id, index in last.items()}
        present = {
            external_id: (run_id, line)
            for external_id, run_id, line in Record.objects.filter(
                system_id=self.run.system_id, external_id__in=list(last)
            ).values_list("external_id", "ingest_run_id", "ingest_line")
        }
        settled.present = set(present)
        ours = {external_id: line for external_id, (run_id, line) in present.items() if run_id == self.run.pk}
        earlier_rows = dict(
            Record.objects.filter(system_id=self.run.system_id, external_id__in=list(ours))
            .values_list("external_id", "raw")
        ) if ours else {}
        for record in settled.stored:
            if record.external_id in ours:
                text = json.dumps(earlier_rows[record.external_id], ensure_ascii=False)
                # Replaced by this batch's first row with the id (the rows after it, by each other).
                settled.replaced.append(self._replaced(ours[record.external_id], record.external_id,
                                                       following[record.external_id], text))
            elif record.external_id in present:
                settled.updated += 1
            else:
                settled.loaded += 1
        return settled

    def _replaced(self, line: int, external_id: str, later: int, text: str) -> RejectedRow:
        return RejectedRow(
            run=self.run, line=line, replaced_by_line=later, raw=text,
            reason=_("Duplicate of row %(later)s: external id %(id)s appears again there, and the later row "
                     "was loaded.") % {"later": f"{later:,}", "id": external_id},
        )

    def commit(self, done: int, batch: Batch) -> Batch | None:
        """``batch`` (the rows after row ``done``) all or nothing; returns the batch after it."""
        following = None
        with transaction.atomic():
            hold_system(self.run.system_id)  # the record keys backfill of the system waits meanwhile
            settled = self.settle(batch)
            stored = upsert(settled.stored)
            store_keys(
                stored, [settled.keys[record.external_id] for record in stored],
                stored_before=[record.pk for record in stored if record.external_id in settled.present],
            )
            RejectedRow.objects.bulk_create(batch.rejected + settled.replaced)
            moved = IngestRun.objects.filter(pk=self.run.pk, rows_done=done).update(
                rows_done=batch.last,
                rows_loaded=F("rows_loaded") + settled.loaded,
                rows_updated=F("rows_updated") + settled.updated,
                rows_duplicate=F("rows_duplicate") + len(settled.replaced),
                rows_rejected=F("rows_rejected") + len(batch.rejected),
            )
            if not moved:  # compare-and-set: someone else committed these rows first
                raise RunTaken(_("Another process is loading this file; this one stopped."))
            if self.index and stored:
                for record in stored:
                    record.region = self.regions.get(record.region_id)
                if self.indexer:
                    indexing = self.indexer.submit(search_index.index, stored)
                    try:
                        following = self.read()
                    finally:
                        indexing.result()  # waited for even when reading failed; its error rolls back
                else:
                    search_index.index(stored)
            if self.on_batch and stored:
                self.on_batch(stored)
        return following if self.indexer and stored else self.read()


def _load(run: IngestRun, batches: Batches, progress) -> None:
    done = run.rows_done
    if progress:
        progress(done, run.rows_total)
    batch = batches.read()
    while batch:
        following = batches.commit(done, batch)
        done = batch.last
        if progress:
            progress(done, run.rows_total)
        batch = following
    IngestRun.objects.filter(pk=run.pk).update(
        state=IngestState.DONE, rows_total=done, finished_at=timezone.now()
    )
    analyse_tables()
    records_loaded.send(sender=IngestRun, run=run)


def _as_received(text: str) -> str:
    return text.rstrip("\r\n").replace("\x00", "\ufffd")


def _record(row: Row, mapper: RowMapper) -> Record:
    if row.problem:
        raise RowRejected([row.problem])
    # Only a NUL or a JSON escape (\\u0000, \\ud800) can put an unstorable character in a row's
    # values: rows without either, nearly all of them, are not walked through.
    if ("\x00" in row.text or "\\u" in row.text) and not _storable(row.data):
        raise RowRejected([_("The row holds a character that cannot be stored (NUL or a lone surrogate).")])
    return mapper.map(row.data)


def _storable(value) -> bool:
    """False if a text in ``value`` holds a NUL or an unpaired surrogate (JSON's \\u0000, \\ud800)."""
    if isinstance(value, str):
        return "\x00" not in value and (value.isascii() or not _SURROGATE.search(value))
    if isinstance(value, dict):
        return all(_storable(key) and _storable(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_storable(item) for item in value)
    return True
