"""The triage's pages: who sees them (the owning agency only; anyone else 404), the list's filters
and counts, the warning page masked from the reader's side, the actions through the pages and
hostile input answered with a message, never a 500."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from search.detection import patterns, triage
from search.detection.models import Warning, WarningState
from search.masking import mask_identifier
from search.models import AccessAction, AccessLog, Clue


def signed_in(client, user, language="en"):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def page(client, name, *args, **query):
    return client.get(reverse(f"search:{name}", args=args), query)


def test_the_owning_agency_lists_its_warnings_newest_first(client, alice, raised):
    response = page(signed_in(client, alice), "warnings")
    assert response.status_code == 200
    html = response.content.decode()
    positions = [html.index(f'href="/records/warnings/{w.pk}/"') for w in reversed(raised)]
    assert positions == sorted(positions)
    assert 'data-live-stream="warnings.' in html
    assert reverse("search:warnings") in page(client, "clues").content.decode()  # the nav's link


def test_others_find_no_triage(client, bob, charlie, raised):
    signed_in(client, bob)  # another agency, with models of its own
    assert page(client, "warnings").status_code == 200
    assert f"/records/warnings/{raised[0].pk}/" not in page(client, "warnings").content.decode()
    for name in ("warning", "warning_take"):
        send = client.get if name == "warning" else client.post
        response = send(reverse(f"search:{name}", args=[raised[0].pk]))
        assert response.status_code == 404
    signed_in(client, charlie)  # in no agency
    for name in ("warnings", "warning_statistics"):
        assert page(client, name).status_code == 404
    assert page(client, "warning", raised[0].pk).status_code == 404
    assert reverse("search:warnings") not in client.get(reverse("search:clues")).content.decode()


def test_the_list_filters_and_counts(client, alice, dave, watcher, raised):
    triage.assign(acting_user=alice, agency=watcher, warning=raised[0], assignee=alice)
    triage.dispose(acting_user=alice, agency=watcher, warning=raised[1], state=WarningState.FALSE_POSITIVE,
                   reason="同名")
    signed_in(client, alice)
    listed = page(client, "warnings", assignee="mine").context["warnings"]
    assert [w.pk for w in listed] == [raised[0].pk]
    assert [w.pk for w in page(client, "warnings", assignee="none").context["warnings"]] == [
        raised[2].pk, raised[1].pk]
    disposed = page(client, "warnings", state="false_positive").context["warnings"]
    assert [w.pk for w in disposed] == [raised[1].pk]
    counts = {state: n for state, _label, n in page(client, "warnings").context["counts"]}
    assert (counts["new"], counts["in_triage"], counts["false_positive"], counts["confirmed"]) == (1, 1, 1, 0)
    hostile = page(client, "warnings", state="<script>", model="x", scenario="99999", page="-1")
    assert hostile.status_code == 200 and len(hostile.context["warnings"]) == 3


def test_the_warning_page_masks_subjects_and_evidence_for_a_staff_member(client, alice, dave, raised):
    number = raised[0].subjects[0][1]
    full = page(signed_in(client, alice), "warning", raised[0].pk).content.decode()
    assert number in full  # a leader's grants show identifiers
    shown = page(signed_in(client, dave), "warning", raised[0].pk)
    html = shown.content.decode()
    assert shown.status_code == 200 and number not in html and mask_identifier(number) in html
    assert number not in page(client, "warnings").content.decode()
    assert html.count('href="/records/') >= 2  # the evidence links to the linked record pages
    assert AccessLog.objects.filter(action=AccessAction.WARNING_VIEWED, user=dave).count() == 1
    # The person is a link to their profile, the number hidden in it as on the page.
    link = r'<a class="font-monospace profile-link" href="(/records/profiles/[^"]+)">([^<]+)</a>'
    profile = re.search(link, html)
    assert profile and number not in profile[1] and profile[2] == mask_identifier(number)


def test_confirming_through_the_page_and_pushing(client, alice, raised):
    signed_in(client, alice)
    response = client.post(reverse("search:warning_confirm", args=[raised[0].pk]),
                           {"reason": "死亡后领取", "then": "confirm_push"})
    clue = Clue.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/records/clues/{clue.pk}/#push-form"
    html = page(client, "warning", raised[0].pk).content.decode()
    assert f"/records/clues/{clue.pk}/" in html and 'id="warning-actions"' not in html
    assert "死亡后领取" in html and "艾丽" in page(client, "warning", raised[0].pk).content.decode()


@pytest.mark.parametrize("reason", ["", "   ", "长" * (triage.REASON_MAX_LENGTH + 1)])
def test_a_missing_or_huge_reason_is_a_message(client, alice, raised, reason):
    signed_in(client, alice)
    for action, data in (("warning_dispose", {"state": "false_positive"}), ("warning_confirm", {})):
        response = client.post(reverse(f"search:{action}", args=[raised[0].pk]), {**data, "reason": reason})
        assert response.status_code == 400
        assert 'class="invalid-feedback d-block"' in response.content.decode()
    assert Warning.objects.get(pk=raised[0].pk).state == WarningState.NEW


def test_bad_ids_are_404_or_a_message(client, alice, raised):
    signed_in(client, alice)
    for bad in ("999999", "0"):
        assert client.get(f"/records/warnings/{bad}/").status_code == 404
    assert client.get("/records/warnings/abc/").status_code == 404
    response = client.post(reverse("search:warning_dispose", args=[raised[0].pk]),
                           {"state": "duplicate", "reason": "重复", "duplicate_of": "99999999"})
    assert response.status_code == 400 and "does not exist" in response.content.decode()
    response = client.post(reverse("search:warning_assign", args=[raised[0].pk]), {"assignee": "abc"})
    assert response.status_code == 400
    response = client.post(reverse("search:warnings_bulk"), {
        "do": "dispose", "warning": ["x", "1e9"], "state": "explained", "reason": "批量"}, follow=True)
    assert response.status_code == 200 and "Choose warnings" in response.content.decode()


def test_bulk_through_the_list_refuses_the_lot(client, alice, dave, watcher, raised):
    triage.dispose(acting_user=alice, agency=watcher, warning=raised[2], state=WarningState.EXPLAINED,
                   reason="政策")
    signed_in(client, alice)
    response = client.post(reverse("search:warnings_bulk"), {
        "do": "dispose", "warning": [w.pk for w in raised], "state": "false_positive", "reason": "批量",
    }, follow=True)
    assert "nothing was changed" in response.content.decode()
    assert Warning.objects.filter(state=WarningState.FALSE_POSITIVE).count() == 0
    response = client.post(reverse("search:warnings_bulk"), {
        "do": "assign", "warning": [raised[0].pk, raised[1].pk], "assignee": dave.pk,
    }, follow=True)
    assert "2 warnings changed." in response.content.decode()
    assert Warning.objects.filter(assigned_to=dave).count() == 2


def test_assigning_to_oneself_and_taking_through_the_page(client, dave, raised):
    signed_in(client, dave)
    html = page(client, "warning", raised[0].pk).content.decode()
    assert 'id="take"' in html and 'id="assign-to-me"' in html
    client.post(reverse("search:warning_assign", args=[raised[0].pk]), {"assignee": dave.pk})
    client.post(reverse("search:warning_take", args=[raised[1].pk]))
    taken = Warning.objects.filter(assigned_to=dave, state=WarningState.IN_TRIAGE).order_by("pk")
    assert list(taken) == raised[:2]
    html = page(client, "warning", raised[0].pk).content.decode()
    assert 'id="take"' not in html and 'id="assign-to-me"' not in html and "戴维" in html


def test_the_pages_speak_chinese_first(client, alice, raised):
    signed_in(client, alice, language="zh-hans")
    listing = page(client, "warnings").content.decode()
    for words in ("预警", "模型统计", "批量处理所勾选的预警"):
        assert words in listing
    warning = page(client, "warning", raised[0].pk).content.decode()
    assert "确认并推送至工作台" in warning and "处置记录" in warning
    assert "准确率" in page(client, "warning_statistics").content.decode()


def test_a_models_and_its_scenarios_english_names_are_shown_in_english(client, alice, raised):
    model = raised[0].model
    model.name_en, model.scenario.name_en = "Paid after death", "Welfare"
    model.save(), model.scenario.save()
    chinese = (model.name, model.scenario.name)
    for language, words in (("en", ("Paid after death", "Welfare")), ("zh-hans", chinese)):
        signed_in(client, alice, language=language)
        for name, args in (("warnings", ()), ("warning", (raised[0].pk,)), ("warning_statistics", ())):
            html = page(client, name, *args).content.decode()
            assert all(word in html for word in words), (language, name)
    signed_in(client, alice, language="en")
    assert "Paid after death" in page(client, "model", model.pk).content.decode()
    template = raised[0].version.template
    assert f"v{raised[0].version.number} · {patterns.label(template)}</dd>" in page(
        client, "warning", raised[0].pk).content.decode() and patterns.label(template) != template


def test_the_state_buttons_keep_the_other_filters(client, alice, raised):
    html = page(signed_in(client, alice), "warnings", severity="high", state="new", page="2").content.decode()
    buttons = re.findall(r'href="(\?[^"]*)" data-live-key="count-([a-z_]+)"', html)
    assert len(buttons) == len(WarningState.choices)
    for href, state in buttons:
        assert href == f"?severity=high&amp;state={state}"
    bare = page(client, "warnings").content.decode()
    assert 'href="?state=new" data-live-key="count-new"' in bare
