"""Masking cannot be bypassed, seen from the reader's side (DESIGN §7, issue 14 point 2).

Hypothesis writes records holding ID and phone numbers in many written forms and queries aimed at
their hidden digits (the hidden digits themselves, terms straddling shown and hidden ones, the
whole number, long texts whose excerpts are cut near a number), and a commission member who may
not see identifiers reads them: the search results, the record's page, a clue's page, and
exports in CSV and Excel. None of it may show a hidden digit in any written form
(tests/search/written_numbers.py). It runs on the embedded backend and, in the services run, on
Elasticsearch (the ``engine`` fixture).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from search import index
from search.harvest.actions import create_clue
from search.index.types import Filters
from search.investigate import actions, exports, permissions
from search.models import Record, Sensitivity, SourceSystem
from tests.factories import commission, member
from tests.search.written_numbers import FILLER, assert_hidden, queries, texts, written_numbers

PAGES = settings(
    max_examples=25, deadline=None, derandomize=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HITS_START = 'id="search-hits"'


@pytest.fixture
def reader(city):
    """A commission member: reads the hotline (internal), may export it, may not see identifiers."""
    agency = commission(city, code="mask-jw", name="测试纪委监委")
    user = member(agency, username="masked-reader")
    SourceSystem.objects.create(
        code="hotline", name="12345热线", sensitivity=Sensitivity.INTERNAL,
        field_mapping={"id_numbers": ["身份证号"], "phones": ["联系电话"]},
    )
    permissions.seed_default_grants()
    membership = user.memberships.get()
    return permissions.Reader.of(membership)


_numbers = itertools.count(1)


def _record(title: str, body: str, names: list[str], numbers) -> Record:
    system = SourceSystem.objects.get(code="hotline")
    record = Record.objects.create(
        system=system, external_id=f"P-{_shown_digits_only(next(_numbers))}",
        title=title, body=body, names=names,
        occurred_at=timezone.make_aware(dt.datetime(2024, 5, 6, 9, 0)),
        id_numbers=[number.text for number in numbers if len(number.digits) == 18],
        phones=[number.text for number in numbers if len(number.digits) != 18],
        raw={"身份证号": numbers[0].text, "联系电话": numbers[-1].text, "内容": body},
    )
    index.index([Record.objects.select_related("system", "region").get(pk=record.pk)])
    index.refresh()
    return record


def _region(html: str, start: str, end: str) -> str:
    """From the end of the tag holding ``start`` (whose attributes, such as the record's id, are
    no text a reader reads) to ``end``."""
    at = html.index(">", html.index(start)) + 1
    return html[at:html.index(end, at)]


def _shown_digits_only(count: int) -> str:
    """``count`` written with the digits 0-6 only (base 7): an external id that cannot look like
    hidden digits to ``assert_hidden``."""
    digits = ""
    while True:
        count, digit = divmod(count, 7)
        digits = str(digit) + digits
        if not count:
            return digits


def _export_text(reader, query: str, fmt: str) -> str:
    job = actions.start_export(reader=reader, query=query, filters=Filters(), sort="date", fmt=fmt)
    exports.run(job.pk)
    job.refresh_from_db()
    assert job.state == "done", job.error
    with job.file.open("rb") as stream:
        data = stream.read()
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    else:
        workbook = load_workbook(io.BytesIO(data), read_only=True)
        rows = [list(row) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)]
    # The last column links to the record's page: its id is no text of the record.
    return "\n".join("\t".join("" if cell is None else str(cell) for cell in row[:-1]) for row in rows)


@st.composite
def scenes(draw):
    numbers = draw(st.lists(written_numbers(), min_size=1, max_size=4))
    title = draw(texts(numbers[:1]))[:300]
    # Bodies long enough that excerpts are cut, sometimes right beside a number.
    padding = draw(st.integers(0, 150))
    body = draw(FILLER) * (padding // 12 + 1) + draw(texts(numbers)) + draw(FILLER) * (padding // 20)
    names = [draw(texts(numbers[-1:]))[:60] or "张伟"]
    query = draw(queries(numbers))
    return numbers, title, body, names, query


@given(scene=scenes())
@PAGES
def test_no_page_or_export_shows_a_hidden_digit(client, engine, reader, scene):
    numbers, title, body, names, query = scene
    record = _record(title, body, names, numbers)
    client.force_login(reader.user)

    results = client.get(reverse("search:search"), {"q": query, "size": 100})
    assert results.status_code == 200
    html = results.content.decode()
    if HITS_START in html:
        assert_hidden(_region(html, HITS_START, "</ol>"), numbers, f"results of {query!r}")

    page = client.get(reverse("search:record", args=[record.pk]))
    assert_hidden(_region(page.content.decode(), 'id="record"', "</article>"), numbers, "the record's page")

    clue = create_clue(acting_user=reader.user, agency=reader.agency, title="线索", summary="",
                               records=[record.pk])
    clue_page = client.get(reverse("search:clue", args=[clue.pk])).content.decode()
    assert_hidden(_region(clue_page, 'id="evidence"', "</ul>"), numbers, "the clue's page")

    for fmt in ("csv", "xlsx"):
        assert_hidden(_export_text(reader, "系统:hotline", fmt), numbers, f"the {fmt} export")
