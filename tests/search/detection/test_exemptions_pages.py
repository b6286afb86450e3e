"""Exemptions in the portal: a warning's subject exempted from its page (for the model or every
model of the agency, with a reason and an expiry no more than two years on), the warning
explained at once if asked, the next run skipping the key; the agency's exemptions listed,
masked, and ended by hand; others find none (404); hostile input answered with a message."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from search.detection import actions, runs
from search.detection.models import Exemption, WarningState
from search.masking import mask_identifier
from search.models import AccessAction, AccessLog

from .test_triage_pages import signed_in


def in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def exempt(client, warning, **data):
    fields = {"subject": 0, "scope": "model", "reason": "本单位的福利账户", "expires_on": in_days(90),
              "dispose": "on"}
    fields.update(data)
    return client.post(reverse("search:warning_exempt", args=[warning.pk]),
                       {k: v for k, v in fields.items() if v is not None})


def test_exempting_a_subject_explains_the_warning_and_the_next_run_skips_it(client, alice, raised):
    warning = raised[0]
    signed_in(client, alice)
    assert 'id="exempt-form"' in client.get(reverse("search:warning", args=[warning.pk])).content.decode()
    response = exempt(client, warning)
    assert response.status_code == 302
    exemption = Exemption.objects.get()
    assert (exemption.model, exemption.kind, exemption.value, exemption.author) == (
        warning.model, *warning.subjects[0], alice)
    warning.refresh_from_db()
    assert warning.state == WarningState.EXPLAINED and warning.disposition_reason == "本单位的福利账户"
    assert AccessLog.objects.filter(user=alice, action=AccessAction.MODEL_SAVED,
                                    query__contains="exempted id_number").exists()
    # The next run finds the key still and leaves it out; ended, the key is found again.
    (kind, value), = warning.subjects
    found = runs.find(warning.model.active_version)
    assert found.exempted == 1 and [[kind, value]] not in [hit.subjects for hit in found.hits]
    assert actions.run_model(warning.model).exempted == 1
    actions.end_exemption(acting_user=alice, exemption=exemption)
    found = runs.find(warning.model.active_version)
    assert found.exempted == 0 and [[kind, value]] in [hit.subjects for hit in found.hits]

def test_exempting_for_every_model_without_disposing(client, alice, raised):
    warning = raised[1]
    signed_in(client, alice)
    assert exempt(client, warning, scope="all", dispose=None).status_code == 302
    assert Exemption.objects.get().model is None
    warning.refresh_from_db()
    assert warning.state == WarningState.NEW


@pytest.mark.parametrize(("data", "field"), [
    ({"reason": "  "}, "reason"),
    ({"expires_on": in_days(0)}, "expires_on"),
    ({"expires_on": in_days(-3)}, "expires_on"),
    ({"expires_on": in_days(800)}, "expires_on"),
    ({"expires_on": "not a date"}, "expires_on"),
    ({"subject": 7}, "subject"),
    ({"subject": "x"}, "subject"),
    ({"scope": "everyone"}, "scope"),
])
def test_hostile_exemptions_are_refused_with_a_message(client, alice, raised, data, field):
    signed_in(client, alice)
    response = exempt(client, raised[0], **data)
    assert response.status_code == 400
    assert response.context["exempt_form"].errors[field]
    assert not Exemption.objects.exists()


def test_others_can_neither_exempt_nor_see_exemptions(client, alice, bob, charlie, watcher, raised):
    kind, value = raised[0].subjects[0]
    mine = actions.exempt(acting_user=alice, agency=watcher, kind=kind, value=value, reason="福利账户",
                          expires_on=timezone.localdate() + datetime.timedelta(days=30))
    signed_in(client, bob)
    assert exempt(client, raised[0]).status_code == 404
    assert client.post(reverse("search:exemption_end", args=[mine.pk])).status_code == 404
    assert f'data-exemption="{mine.pk}"' not in client.get(reverse("search:exemptions")).content.decode()
    signed_in(client, charlie)
    assert client.get(reverse("search:exemptions")).status_code == 404
    assert Exemption.objects.get().expires_on == mine.expires_on


def test_the_exemptions_page_masks_and_ends_them(client, alice, dave, watcher, raised):
    kind, value = raised[0].subjects[0]
    exemption = actions.exempt(acting_user=alice, agency=watcher, kind=kind, value=value, reason="福利账户",
                               expires_on=timezone.localdate() + datetime.timedelta(days=30),
                               model=raised[0].model)
    signed_in(client, dave)  # reads the systems masked
    html = client.get(reverse("search:exemptions")).content.decode()
    assert value not in html and mask_identifier(value) in html and "福利账户" in html
    assert "exemption-in-force" in html
    response = client.post(reverse("search:exemption_end", args=[exemption.pk]), follow=True)
    assert response.status_code == 200
    exemption.refresh_from_db()
    assert exemption.expires_on == timezone.localdate() - datetime.timedelta(days=1)
    assert "exemption-expired" in response.content.decode()
    assert AccessLog.objects.filter(user=dave, query__contains=f"exemption #{exemption.pk}").exists()
    again = client.post(reverse("search:exemption_end", args=[exemption.pk]), follow=True)
    assert "ended already" in again.content.decode()
    assert client.post(reverse("search:exemption_end", args=[999999])).status_code == 404


def test_the_models_page_links_lists_and_exemptions(client, alice, raised):
    html = signed_in(client, alice).get(reverse("search:models")).content.decode()
    assert reverse("search:screening_lists") in html and reverse("search:exemptions") in html


def test_pages_are_chinese_first(client, alice, raised):
    signed_in(client, alice, language="zh-hans")
    html = client.get(reverse("search:warning", args=[raised[0].pk])).content.decode()
    assert "豁免" in html
    assert "Exempt a subject" not in html
