"""No search finds a record through digits its reader may not see (DESIGN §7, issue 14 point 2).

Showing a masked record is not enough: if a search *found* records by their hidden digits, a
reader who may not see identifiers could type guesses of the hidden middle of a mobile number
and learn from which records match which guess is right. Hypothesis writes records holding ID
and phone numbers in many written forms (tests/search/written_numbers.py: hidden digits are 7, 8
and 9, nothing else in the record is) and queries made of parts of them, and two readers of the
same system search them on the search page: a commission member, who may not see identifiers,
and the commission's leader, who may. The member must find no record through a hidden digit,
and still find it by its words and by a number typed whole (README, "Who reads what"); the
leader finds what the text as stored holds. On the embedded backend and, in the services run,
on Elasticsearch (the ``engine`` fixture).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agencies.models import Role
from search import index, masking
from search.index import masked_text
from search.index.query import parse
from search.index.types import Filters
from search.investigate import actions, alerts, batch, exports, permissions
from search.models import BatchKind, BatchSearch, Record, Sensitivity, SourceSystem
from tests.factories import commission, member
from tests.search.written_numbers import FILLER, FILLER_ALPHABET, FULL_WIDTH, HIDDEN, texts, written_numbers

SEARCHES = settings(
    max_examples=20, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HITS_START = 'id="search-hits"'


@pytest.fixture
def readers(city):
    """(masked, full): a commission member and its leader, both reading the hotline (internal)."""
    agency = commission(city, code="find-jw", name="测试纪委监委")
    masked = member(agency, username="finds-masked")
    full = member(agency, username="finds-full", role=Role.LEADER)
    SourceSystem.objects.create(
        code="hotline", name="12345热线", sensitivity=Sensitivity.INTERNAL,
        field_mapping={"id_numbers": ["身份证号"], "phones": ["联系电话"]},
    )
    permissions.seed_default_grants()
    masked_reader = permissions.Reader.of(masked.memberships.get())
    full_reader = permissions.Reader.of(full.memberships.get())
    assert not permissions.readable(masked_reader)["hotline"].identifiers
    assert permissions.readable(full_reader)["hotline"].identifiers
    return masked_reader, full_reader


_numbers = itertools.count(1)


def _record(title: str, body: str, names: list[str]) -> Record:
    record = Record.objects.create(
        system=SourceSystem.objects.get(code="hotline"), external_id=f"F-{next(_numbers)}", title=title,
        body=body, names=names, occurred_at=timezone.make_aware(dt.datetime(2024, 5, 6, 9, 0)),
    )
    index.index([Record.objects.select_related("system", "region").get(pk=record.pk)])
    index.refresh()
    return record


def _finds(client, reader, query: str, record: Record) -> bool:
    """Whether ``reader``'s search for ``query`` lists ``record`` on the search page."""
    client.force_login(reader.user)
    page = client.get(reverse("search:search"), {"q": query, "size": 100})
    assert page.status_code == 200
    html = page.content.decode()
    if HITS_START not in html:
        return False
    at = html.index(HITS_START)
    hits = html[at : html.index("</ol>", at)]
    return f'href="{reverse("search:record", args=[record.pk])}?' in hits


def _alone(text: str, written: str) -> bool:
    """Whether ``written`` occurs in ``text`` with no digit near it (within the three separators
    that may join groups of one number): the number is not part of a longer run."""
    at = text.find(written)
    if at < 0:
        return False
    around = text[max(0, at - 4) : at] + text[at + len(written) : at + len(written) + 4]
    return not any(char.isdigit() for char in around)


HALF_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


@st.composite
def hidden_parts(draw, number) -> str:
    """Part of a number that holds at least one hidden digit and is not the whole number: the
    hidden digits, some of them, a stretch across shown and hidden ones, as written or in
    full-width digits, alone or beside a word."""
    cut = number.digits.index(number.hidden)
    end = cut + len(number.hidden)
    start = draw(st.integers(max(0, cut - 4), end - 1))
    stop = draw(st.integers(max(start + 1, cut + 1), min(len(number.digits), end + 4)))
    part = number.digits[start:stop]
    if part == number.digits:
        part = number.hidden
    if draw(st.booleans()):
        part = part.translate(FULL_WIDTH)
    return draw(st.sampled_from([part, f"路灯 {part}", f"({part} OR 不存在的词)"]))


@st.composite
def scenes(draw):
    numbers = draw(st.lists(written_numbers(), min_size=1, max_size=3))
    title = draw(texts(numbers[:1]))[:300]
    body = draw(FILLER) + "路灯" + draw(texts(numbers)) + draw(FILLER)
    names = [draw(FILLER) or "张伟"]
    number = draw(st.sampled_from(numbers))
    return numbers, title, body, names, number, draw(hidden_parts(number))


@given(scene=scenes())
@SEARCHES
def test_no_search_finds_a_record_by_digits_its_reader_may_not_see(client, engine, readers, scene):
    numbers, title, body, names, number, part = scene
    masked, full = readers
    record = _record(title, body, names)
    assert re.search(f"[{HIDDEN}]", part.translate(str.maketrans("７８９", "789")))

    # Unless the digits typed are also digits the reader sees (an 8 of a +86 country code):
    # finding the record by those tells nothing hidden.
    typed = re.search("[0-9]+", part.translate(HALF_WIDTH)).group(0)
    seen = "\n".join(masking.mask_text(text) for text in [title, body, *names]).translate(HALF_WIDTH)
    # Nor when the part is itself a whole number read in the text: a run of digits that is not
    # one number is read every way it can be (07777777700 inside 100000777777770000), and a
    # number typed whole is looked up, as the next test asserts (README, "Who reads what").
    read_whole = set().union(*(masking.numbers_in(text) for text in [title, body, *names]))
    if typed not in seen and masking.whole_number(part) not in read_whole:
        assert not _finds(client, masked, part, record), f"{part!r} found {number.text!r} for a masked reader"
    stored = "\n".join([title, body, *names]).lower()
    if engine == "embedded" and " " not in part and "(" not in part and part in stored:
        # The leader sees the digits, and finds the record by them as the text holds them.
        assert _finds(client, full, part, record)


@st.composite
def words_and_numbers(draw):
    numbers = draw(st.lists(written_numbers(), min_size=1, max_size=3))
    body = draw(FILLER) + "路灯" + draw(texts(numbers)) + draw(FILLER)
    number = draw(st.sampled_from(numbers))
    # A word of the text (one to four ideographs, the short-term index included).
    word_at = draw(st.integers(0, len(body) - 1))
    word = body[word_at : word_at + draw(st.integers(1, 4))]
    if not set(word) <= set(FILLER_ALPHABET):  # a word, not part of a number
        word = "路灯"
    typed = draw(st.sampled_from([number.digits, f'"{number.text.strip()}"']))
    return numbers, body, number, word, typed


@given(scene=words_and_numbers())
@SEARCHES
def test_a_masked_reader_still_finds_records_by_words_and_whole_numbers(client, engine, readers, scene):
    numbers, body, number, word, typed = scene
    masked, full = readers
    record = _record("市民来电", body, ["张伟"])

    assert _finds(client, masked, word, record), f"{word!r} in {body!r}"
    assert _finds(client, full, word, record)
    if _alone(body, number.text):
        # Looking up a number known whole is an investigator's work (README, "Who reads what").
        assert _finds(client, masked, typed, record), f"{typed!r} in {body!r}"
        # The same number with one digit changed is another number: not found through the text.
        changed = number.digits[:-2] + ("0" if number.digits[-2] != "0" else "1") + number.digits[-1]
        assert not _finds(client, masked, changed, record)


def test_the_hidden_middle_of_a_mobile_finds_nothing_for_a_masked_reader(client, engine, readers):
    """The case the rule is for, on both backends alike: Elasticsearch matches a group written
    apart (138-7788-5678) and the embedded backend any substring."""
    masked, full = readers
    apart = _record("来电反映路灯", "联系电话138-7788-5678", ["张伟"])
    together = _record("来电反映井盖", "身份证号110105197703081234，电话13877885678", ["李娜"])
    for query in ("7788", "138-7788", '"7788-5678"', "路灯 7788", "19770308"):
        assert not _finds(client, masked, query, apart), query
        assert not _finds(client, masked, query, together), query
    assert _finds(client, full, "7788", apart)
    assert _finds(client, full, "19770308", together) == (engine == "embedded")  # a token inside a run
    for query in ("13877885678", "138-7788-5678", "+8613877885678"):
        assert _finds(client, masked, query, apart), query
        assert _finds(client, masked, query, together), query
    assert _finds(client, masked, "110105197703081234", together)
    assert not _finds(client, masked, "110105197703081235", together)
    assert _finds(client, masked, "路灯 -7788", apart)  # what a hidden digit cannot match, NOT keeps


def test_exports_batches_and_saved_searches_find_nothing_by_hidden_digits(engine, readers):
    """The other ways a search runs for a reader: the export's count, the batch matrix and the
    alerts of a saved search take the same rule from the same filters."""
    masked, full = readers
    saved = {
        reader: actions.save_search(reader=reader, name="号码", query="7788", filters=Filters())
        for reader in (masked, full)
    }
    _record("来电反映路灯", "联系电话138-7788-5678", ["张伟"])
    told = alerts.run_saved_searches().told
    assert (told.get(saved[masked].pk, 0), told.get(saved[full].pk, 0)) == (0, 1)

    job = actions.start_export(reader=masked, query="7788", filters=Filters(), sort="date", fmt="csv")
    assert job.rows_total == 0
    exports.run(job.pk)
    job.refresh_from_db()
    assert (job.state, job.rows_done) == ("done", 0)
    assert actions.start_export(
        reader=full, query="7788", filters=Filters(), sort="date", fmt="csv"
    ).rows_total == 1

    for reader, expected in ((masked, {}), (full, {"hotline": 1})):
        started = BatchSearch.objects.create(
            owner=reader.user, agency=reader.agency, name="号码", kind=BatchKind.KEYWORDS, terms=["7788"],
            systems=["hotline"],
        )
        batch.run(started.pk)
        assert {cell.system: cell.hits for cell in started.cells.all()} == expected


@given(number=written_numbers())
@settings(max_examples=500, deadline=None)
def test_a_number_typed_whole_is_the_number_read_in_the_text(number):
    """However a number is written in the text and typed in the box (digits only, or as written),
    the number read in the text is the number typed: what the whole-number lookup relies on. A
    part is no number, except where the masking itself reads the digits more than one way (a
    landline of 8 local digits after a country code is one of 7 as well): such a reading is
    masked, and found only when typed whole, as any number."""
    read = masking.numbers_in(f"市民{number.text}来电")
    assert masking.whole_number(number.digits) in read
    assert masking.whole_number(number.text.strip()) in read
    for part in {number.hidden, number.digits[1:]}:
        assert masking.whole_number(part) not in read


def test_the_order_of_hits_tells_a_masked_reader_nothing_either(client, settings, own_search_index, readers):
    """The embedded backend ranks by the words the title holds: the title its reader sees, or a
    hidden digit typed beside a word would lift the record that holds it to the top."""
    settings.SEARCH_BACKEND = "embedded"
    masked, full = readers
    holding = _record("路灯 138-7788-5678", "", ["张伟"])
    newer = _record("路灯 不亮", "", ["李娜"])
    Record.objects.filter(pk=newer.pk).update(occurred_at=holding.occurred_at + dt.timedelta(days=1))

    def order(reader) -> list[int]:
        client.force_login(reader.user)
        page = client.get(reverse("search:search"), {"q": "路灯 OR 7788", "sort": "relevance"})
        return [hit.record.pk for hit in page.context["hits"]]

    assert order(masked) == [newer.pk, holding.pk]  # one word each, the newer first
    assert order(full) == [holding.pk, newer.pk]


def test_a_database_made_before_the_masked_text_gets_it_from_migration(settings, own_search_index, readers):
    """Migration 0009 fills the masked text of the records already stored (``masked_text.fill``):
    until it has, they would be searched as stored; after it, as any record indexed since."""
    settings.SEARCH_BACKEND = "embedded"
    masked, _full = readers
    records = [_record(f"来电{n}", f"联系电话138-7788-{5670 + n}", ["张伟"]) for n in range(5)]
    records.append(_record("来电", "无号码", ["李娜"]))
    accesses = permissions.readable(masked)
    shown = permissions.identifiers_shown_in(accesses)
    filters = Filters(within_systems=tuple(accesses), identifiers_shown=shown)

    def found(query: str) -> set[int]:
        return {hit.record_id for hit in index.search(parse(query), filters).hits}

    with connection.cursor() as cursor:
        masked_text.empty(cursor, full_text=connection.vendor == "sqlite")
        assert found("7788") == {record.pk for record in records[:5]}  # why the migration fills it
        assert masked_text.fill(cursor, full_text=connection.vendor == "sqlite", chunk=2) == 5
    assert found("7788") == set()
    assert found("来电") == {record.pk for record in records}
    assert found("13877885672") == {records[2].pk}
    assert found("电话") == {record.pk for record in records[:5]}  # a short word, in the masked twin


def test_a_run_that_is_not_one_number_is_looked_up_by_its_readings_only(client, engine, readers):
    """An 18-digit run without a birth date is no ID number: it is masked to its first three and
    last four digits, and read every way it can be. A masked reader finds it by a whole number
    read in it (the landline 0777-7777700), as by any number typed whole, but not by other parts
    of its hidden digits."""
    masked, _full = readers
    record = _record("市民来电", "来电人留下的号码100000777777770000请核实。", ["张伟"])
    assert masking.mask_text("100000777777770000") == "100***********0000"
    assert _finds(client, masked, "07777777700", record)
    for part in ("77777777", "0777777770", "000077777777"):
        assert not _finds(client, masked, part, record), part
