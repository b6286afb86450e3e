"""While `make run` loads the demo's records beside the portal, the search page says so and how
far the loading has got, in the reader's language, and its bar's status answer follows it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from demo.records import seed_records
from search.ingest.registry import SYSTEMS
from search.models import SourceSystem, SystemGrant
from tests.factories import AgencyFactory, member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_search_index")]

SEARCH = reverse("search:search")
STATUS = reverse("search:demo_loading_status")
PER_SYSTEM = 3
TOTAL = PER_SYSTEM * len(SYSTEMS)


@pytest.fixture
def alice(settings):
    """An investigator of a demo portal whose records have not started loading."""
    settings.DEMO = True
    settings.DEMO_RECORDS_PER_SYSTEM = PER_SYSTEM
    seed_records(per_system=0)  # the linked systems, as seed_demo --records-later leaves them
    office = AgencyFactory(code="audit-office", name="市审计局")
    SystemGrant.objects.create(system=SourceSystem.objects.get(code="hotline-12345"), agency=office)
    return member(office, username="alice")


def test_it_says_how_far_the_loading_has_got(client, alice):
    client.force_login(alice)
    html = client.get(SEARCH).content.decode()
    assert f"演示城市的 {TOTAL} 条关联系统记录仍在后台载入" in html
    assert f"已载入 0 / {TOTAL} 条记录（0%）" in html
    assert f'data-job-url="{STATUS}"' in html and "search/jobs." in html

    seed_records(per_system=PER_SYSTEM)
    html = client.get(SEARCH).content.decode()
    assert 'id="demo-records-loading"' not in html and "search/jobs." not in html


def test_it_speaks_english_too(client, alice):
    client.force_login(alice)
    client.cookies["django_language"] = "en"
    html = client.get(SEARCH).content.decode()
    assert f"The demo's {TOTAL} linked-system records are still loading in the background" in html
    assert f"0 of {TOTAL} records loaded (0%)" in html


def test_the_status_answer_follows_the_loading(client, alice):
    client.force_login(alice)
    status = client.get(STATUS).json()
    assert status == {"state": "running", "done": 0, "total": TOTAL, "percent": 0,
                      "label": f"已载入 0 / {TOTAL} 条记录（0%）"}
    seed_records(per_system=PER_SYSTEM)
    status = client.get(STATUS)
    assert status["Cache-Control"] == "no-store"
    assert status.json()["state"] == "done" and status.json()["percent"] == 100


def test_a_real_portal_never_says_it(client, alice, settings):
    settings.DEMO = False
    client.force_login(alice)
    assert 'id="demo-records-loading"' not in client.get(SEARCH).content.decode()
    assert client.get(STATUS).json()["state"] == "done"


def test_the_status_answer_is_missing_for_those_who_may_not_search(client, alice):
    assert client.get(STATUS).status_code == 302  # to the sign-in page
    client.force_login(member(AgencyFactory(code="elsewhere"), username="charlie"))
    assert client.get(STATUS).status_code == 404
    assert client.post(STATUS).status_code in (404, 405)
