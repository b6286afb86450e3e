"""Saved searches tell their owner about new records: every new hit, once, in one notification
per run, linking to exactly those hits; within what the owner may read when the run happens."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification, NotificationKind
from search import index
from search.index.types import Filters
from search.investigate import actions, alerts, permissions, tasks
from search.models import AccessAction, AccessLog, Record, SavedSearch, SavedSearchHit, SystemGrant
from tests.search.work_scene import add_records, fresh_index, make_scene, upsert_records  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(request, our_agency, other_agency):
    request.getfixturevalue("fresh_index")
    return make_scene(our_agency, other_agency)


def reader_of(user, agency):
    return permissions.Reader.of(user.memberships.get(agency=agency))


def save(user, agency, query="路灯", filters=None, **fields) -> SavedSearch:
    filters = filters or Filters(systems=("hotline", "tender"))
    name = fields.pop("name", "城南路灯")
    reader = reader_of(user, agency)
    return actions.save_search(reader=reader, name=name, query=query, filters=filters, **fields)


def told(saved) -> set[str]:
    return set(saved.hits.filter(notified_at__isnull=False).values_list("record__external_id", flat=True))


def notes(user) -> list[Notification]:
    mine = Notification.objects.filter(recipient=user, kind=NotificationKind.SAVED_SEARCH)
    return list(mine.order_by("pk"))


def test_every_new_hit_is_told_once_over_several_rounds(engine, scene, alice, our_agency):
    add_records(scene.hotline, [{"external_id": "OLD", "title": "路灯 旧记录"}])  # there before it was saved
    saved = save(alice, our_agency)

    add_records(scene.hotline, [{"external_id": "H1", "title": "城南路灯不亮"},
                                {"external_id": "H2", "title": "井盖缺失"}])
    add_records(scene.tender, [{"external_id": "T1", "title": "路灯改造工程"}])
    assert alerts.run_saved_searches().told == {saved.pk: 2}
    assert told(saved) == {"H1", "T1"}

    add_records(scene.hotline, [{"external_id": "H3", "title": "路灯 又坏了"}])
    assert alerts.run_saved_searches().told == {saved.pk: 1}
    assert told(saved) == {"H1", "T1", "H3"}

    # H1 loaded again with changes: the same record, matched again, and not told again (decided).
    upsert_records(scene.hotline, [{"external_id": "H1", "title": "城南路灯不亮（已修复）"}])
    assert alerts.run_saved_searches().told == {saved.pk: 0}

    first, second = notes(alice)
    assert len(notes(alice)) == 2
    assert "2" in first.text and "1" in second.text
    assert SavedSearchHit.objects.filter(saved_search=saved).count() == 3


def test_two_runs_back_to_back_tell_nothing_twice(scene, alice, our_agency):
    saved = save(alice, our_agency)
    add_records(scene.hotline, [{"external_id": f"H{n}", "title": f"路灯{n}"} for n in range(5)])

    first, second = alerts.run_saved_searches(), alerts.run_saved_searches()

    assert first.told == {saved.pk: 5} and second.told == {saved.pk: 0}
    assert len(notes(alice)) == 1
    assert SavedSearchHit.objects.filter(saved_search=saved).count() == 5
    assert tasks.check_saved_searches.apply().get() == 0  # the beat's task: nothing new


def test_a_record_committed_after_a_run_started_is_told_by_the_next_run(scene, alice, our_agency):
    saved = save(alice, our_agency)
    run_started = timezone.now() + dt.timedelta(minutes=1)
    alerts.run_saved_searches(now=run_started)
    # Stamped before that run started, but committed (and indexed) only after it had looked.
    late = add_records(scene.hotline, [{"external_id": "LATE", "title": "路灯"}])
    Record.objects.filter(pk=late[0].pk).update(ingested_at=run_started - dt.timedelta(seconds=30))
    index.index(Record.objects.select_related("system", "region").filter(pk=late[0].pk))
    index.refresh()

    assert alerts.run_saved_searches(now=run_started + dt.timedelta(minutes=5)).told == {saved.pk: 1}
    assert alerts.run_saved_searches(now=run_started + dt.timedelta(minutes=10)).told == {saved.pk: 0}


def test_only_systems_the_owner_reads_when_it_runs(scene, alice, our_agency):
    saved = save(alice, our_agency, filters=Filters(), purpose="核查线索")
    SavedSearch.objects.filter(pk=saved.pk).update(purpose="")  # welfare needs a purpose: left out
    add_records(scene.tender, [{"external_id": "T1", "title": "路灯"}])
    add_records(scene.welfare, [{"external_id": "W1", "title": "路灯"}])
    add_records(scene.closed, [{"external_id": "C1", "title": "路灯"}])
    SystemGrant.objects.filter(system=scene.tender).delete()
    add_records(scene.hotline, [{"external_id": "H1", "title": "路灯"}])

    alerts.run_saved_searches()

    assert told(saved) == {"H1"}


def test_a_saved_search_over_a_sensitive_system_needs_a_purpose(scene, alice, our_agency):
    with pytest.raises(actions.WorkError):
        save(alice, our_agency, filters=Filters(systems=("welfare",)))
    saved = save(alice, our_agency, filters=Filters(systems=("welfare",)), purpose="核查低保线索")
    add_records(scene.welfare, [{"external_id": "W1", "title": "路灯"}])
    alerts.run_saved_searches()
    assert told(saved) == {"W1"}


def test_paused_searches_are_not_run_and_resume_from_then(scene, alice, our_agency):
    saved = save(alice, our_agency)
    actions.set_alerts(acting_user=alice, pk=saved.pk, active=False)
    add_records(scene.hotline, [{"external_id": "WHILE", "title": "路灯"}])
    assert alerts.run_saved_searches().told == {}
    actions.set_alerts(acting_user=alice, pk=saved.pk, active=True)
    add_records(scene.hotline, [{"external_id": "AFTER", "title": "路灯"}])
    alerts.run_saved_searches()
    assert told(saved) == {"AFTER"}


def test_each_run_with_hits_is_on_the_search_log(scene, alice, our_agency):
    saved = save(alice, our_agency)
    alerts.run_saved_searches()
    assert not AccessLog.objects.filter(action=AccessAction.SAVED).exists()  # nothing found, nothing read
    add_records(scene.tender, [{"external_id": "T1", "title": "路灯"}])
    alerts.run_saved_searches()
    entry = AccessLog.objects.get(action=AccessAction.SAVED)
    assert (entry.user, entry.agency, entry.query, entry.hits, entry.systems) == (
        alice, our_agency, saved.query, 1, ["tender"]
    )


def test_the_beat_runs_it_every_five_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["saved-searches"]
    assert entry == {"task": "search.tasks.check_saved_searches", "schedule": 300.0}
    assert tasks.check_saved_searches.name == entry["task"]


# --- the pages ------------------------------------------------------------------------------------


def test_the_notification_links_to_exactly_its_new_hits(client, scene, alice, bob, our_agency):
    saved = save(alice, our_agency)
    add_records(scene.hotline, [{"external_id": "H1", "title": "路灯一"}])
    alerts.run_saved_searches()
    add_records(scene.hotline, [{"external_id": "H2", "title": "路灯二"}])
    alerts.run_saved_searches()
    latest = notes(alice)[-1]

    client.force_login(alice)
    response = client.get(reverse("notifications:open", args=[latest.pk]), follow=True)
    assert [hit.record.external_id for hit in response.context["hits"]] == ["H2"]
    everything = client.get(reverse("search:saved", args=[saved.pk]))
    assert [hit.record.external_id for hit in everything.context["hits"]] == ["H2", "H1"]

    client.force_login(bob)
    assert client.get(latest.get_absolute_url()).status_code == 404


def test_saving_from_the_search_page(client, scene, alice, our_agency):
    client.force_login(alice)
    query = urlencode({"q": "路灯", "system": "tender", "date_from": "2024-01-01", "sort": "date"})
    response = client.post(f"{reverse('search:saved_new')}?{query}", {"name": "路灯工程", "alerts": "on"})
    assert response.status_code == 302 and response.url.startswith(reverse("search:search"))
    saved = SavedSearch.objects.get()
    assert (saved.owner, saved.agency, saved.name, saved.query, saved.is_active) == (
        alice, our_agency, "路灯工程", "路灯", True
    )
    assert saved.filters == {"systems": ["tender"], "occurred_from": "2024-01-01"}
    listed = client.get(reverse("search:saved_list")).context["rows"]
    assert [row["saved"] for row in listed] == [saved]
    assert "system=tender" in listed[0]["search"] and "date_from=2024-01-01" in listed[0]["search"]


def test_rename_pause_resume_and_delete_are_the_owners(client, scene, alice, bob, our_agency):
    saved = save(alice, our_agency)
    act = lambda action, **data: client.post(reverse("search:saved_act", args=[saved.pk, action]), data)  # noqa: E731

    client.force_login(bob)
    for action in ("rename", "pause", "delete"):
        assert act(action, name="x").status_code == 404
    assert client.get(reverse("search:saved", args=[saved.pk])).status_code == 404

    client.force_login(alice)
    assert act("rename", name="新名字").status_code == 302
    assert act("pause").status_code == 302
    saved.refresh_from_db()
    assert (saved.name, saved.is_active) == ("新名字", False)
    act("resume")
    saved.refresh_from_db()
    assert saved.is_active
    assert act("explode").status_code == 404
    act("delete")
    assert not SavedSearch.objects.exists()


def test_an_ingest_from_the_command_line_tells_saved_searches_at_once(scene, alice, our_agency, tmp_path,
                                                                      monkeypatch):
    """manage.py ingest queues the alert run when it has loaded rows (the beat would only come
    within five minutes)."""
    from django.core.management import call_command

    from portal.celery import app as celery_app

    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    scene.hotline.field_mapping = {"external_id": "工单号", "title": ["标题"], "occurred_at": "受理时间"}
    scene.hotline.save()
    saved = save(alice, our_agency)
    export = tmp_path / "hotline.csv"
    rows = ["工单号,标题,受理时间", "C1,城南路灯不亮,2025-03-14", "C2,井盖缺失,2025-03-15"]
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    call_command("ingest", "hotline", str(export), stdout=io.StringIO(), stderr=io.StringIO())
    assert told(saved) == {"C1"}
    assert len(notes(alice)) == 1
