"""Amounts read with a comma every three digits on the pages, and stay numbers in the exports."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portal.templatetags.portal_tags import thousands
from search.index.types import Filters
from search.investigate import actions, permissions, tasks
from search.models import JobState
from tests.search.work_scene import add_records, fresh_index, make_scene  # noqa: F401 - fresh_index: a fixture

AMOUNT = Decimal("1234567.80")


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (0, None, "0"),
        (999, None, "999"),
        (1000, None, "1,000"),
        (12345678, None, "12,345,678"),
        (-4321, None, "-4,321"),
        (Decimal("1234567.8"), 2, "1,234,567.80"),
        (Decimal("1234567.80"), None, "1,234,567.80"),
        (1234.5, None, "1,234.5"),
        ("12345", None, "12,345"),
        (None, None, None),
        ("", None, ""),
        ("—", None, "—"),
    ],
)
def test_thousands(value, places, shown):
    assert thousands(value, places) == shown


@pytest.fixture
def scene(request, our_agency, other_agency):
    request.getfixturevalue("fresh_index")
    return make_scene(our_agency, other_agency)


@pytest.mark.django_db
def test_pages_group_the_digits(engine, client, scene, alice):
    [record] = add_records(scene.tender, [{"external_id": "T1", "title": "路灯 工程", "amount": AMOUNT}])
    client.force_login(alice)
    hits = client.get(reverse("search:search"), {"q": "路灯", "purpose": "核查路灯工程"}).content.decode()
    assert "¥1,234,567.80" in hits
    page = client.get(reverse("search:record", args=[record.pk])).content.decode()
    assert "¥1,234,567.80" in page


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_keep_amounts_numeric(engine, scene, alice, our_agency, fmt):
    add_records(scene.tender, [{"external_id": "T1", "title": "路灯 工程", "amount": AMOUNT}])
    reader = permissions.Reader.of(alice.memberships.get(agency=our_agency))
    job = actions.start_export(reader=reader, query="路灯", filters=Filters(), sort="date", fmt=fmt,
                               purpose="")
    tasks.export_records.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    with job.file.open("rb") as stream:
        data = stream.read()
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(data), read_only=True).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        amounts = [cell for cell in rows[-1] if isinstance(cell, (int, float, Decimal))]
        assert amounts and float(amounts[0]) == pytest.approx(1234567.8)  # a number Excel can sum
    else:
        text = data.decode("utf-8-sig")
        assert "1234567.80" in text and "1,234,567" not in text
