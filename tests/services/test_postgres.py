"""The configured database really is PostgreSQL, in UTF-8, and Chinese text survives a round trip."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from portal.models import ServiceHeartbeat

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# Common ideographs, a full-width comma, and one outside the Basic Multilingual Plane (four bytes).
CHINESE = "监督一张网，对账销号𠮷"


def test_it_is_postgresql():
    assert connection.vendor == "postgresql"
    assert connection.pg_version >= 130000


def test_it_speaks_utf8():
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_encoding")
        assert cursor.fetchone()[0] == "UTF8"
        cursor.execute("SHOW client_encoding")
        assert cursor.fetchone()[0] == "UTF8"
        cursor.execute("SELECT datctype, datcollate FROM pg_database WHERE datname = current_database()")
        ctype, collate = cursor.fetchone()
    # A UTF-8 locale (C.UTF-8, zh_CN.UTF-8, …), so character classes and case rules know Chinese.
    assert ctype.lower().replace("-", "").endswith("utf8"), ctype
    assert collate.lower().replace("-", "").endswith("utf8"), collate


def test_chinese_text_round_trips():
    ServiceHeartbeat.objects.create(name=CHINESE, seen_at=timezone.now())
    assert ServiceHeartbeat.objects.get(name=CHINESE).name == CHINESE
    assert ServiceHeartbeat.objects.filter(name__contains="对账").count() == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, length(name), octet_length(name) FROM portal_serviceheartbeat")
        name, characters, octets = cursor.fetchone()
    assert name == CHINESE
    assert characters == len(CHINESE) == 11
    assert octets == len(CHINESE.encode("utf-8")) == 34
