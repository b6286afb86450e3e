"""Deadline policies by category and priority: the new-issue form proposes, the initiator decides."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from agencies import calendar
from issues.deadlines import policy as deadlines
from issues.forms import NewIssueForm
from issues.models import DeadlinePolicy

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2025, 3, 3)


def test_the_defaults_are_seeded():
    assert deadlines.policy_for("welfare", "normal").handle_within == 15
    assert deadlines.policy_for("welfare", "urgent").handle_within == 10
    assert deadlines.policy_for("welfare", "critical").handle_within == 5
    assert deadlines.policy_for("construction", "normal").handle_within == 30


def test_the_most_specific_policy_wins():
    DeadlinePolicy.objects.create(category="safety", priority="", handle_within=7)
    DeadlinePolicy.objects.create(category="safety", priority="critical", handle_within=2)
    assert deadlines.policy_for("safety", "normal").handle_within == 7  # category beats priority
    assert deadlines.policy_for("safety", "critical").handle_within == 2
    DeadlinePolicy.objects.filter(priority="normal").delete()
    assert deadlines.policy_for("welfare", "normal").handle_within == 15  # the catch-all


def test_no_policy_proposes_nothing():
    DeadlinePolicy.objects.all().delete()
    assert deadlines.proposed_deadline("welfare", "normal", MONDAY) is None


def test_the_deadline_counts_working_days_over_the_spring_festival():
    # 10 working days from Fri 2025-01-24: 26 (Sun), 27, then 5–7, 8 (Sat), 10–13 Feb.
    assert deadlines.proposed_deadline("welfare", "urgent", dt.date(2025, 1, 24)) == dt.date(2025, 2, 13)
    sign_deadline = DeadlinePolicy.objects.sign_deadline("welfare", "urgent", dt.date(2025, 1, 24))
    assert sign_deadline == dt.date(2025, 1, 26)


def test_natural_days_land_on_a_working_day():
    DeadlinePolicy.objects.filter(category="", priority="critical").update(unit="natural", handle_within=5)
    assert deadlines.proposed_deadline("welfare", "critical", dt.date(2025, 9, 26)) == dt.date(2025, 10, 9)


def form_data(agency, **changes):
    data = {"title": "标题", "description": "描述", "category": "welfare", "source": "hotline",
            "priority": "urgent", "deadline": "", "lead": agency.pk}
    data.update(changes)
    return data


def test_the_form_proposes_the_policys_deadline(city_commission, our_agency):
    from django.utils import timezone

    form = NewIssueForm(initiator=city_commission)
    today = timezone.localdate()
    assert form.fields["deadline"].initial == calendar.deadline_from(today, 30, "working")  # construction
    form = NewIssueForm(form_data(our_agency), initiator=city_commission)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["deadline"] == calendar.add_working_days(today, 10)


def test_the_initiator_may_override(city_commission, our_agency):
    own = dt.date.today() + dt.timedelta(days=100)
    form = NewIssueForm(form_data(our_agency, deadline=own.isoformat()), initiator=city_commission)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["deadline"] == own


def test_the_new_issue_page_pushes_with_the_policys_deadline(client, carol, city_commission, our_agency):
    from django.utils import timezone

    from issues.models import Issue

    client.force_login(carol)
    response = client.post(reverse("issues:new"), form_data(our_agency))
    assert response.status_code == 302, response.content.decode()[:2000]
    issue = Issue.objects.get()
    assert issue.deadline == calendar.add_working_days(timezone.localdate(), 10)
    assert issue.assignments.get().deadline == issue.deadline


def test_policies_are_edited_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:issues_deadlinepolicy_changelist")).status_code == 200


# --- lights count "due soon" in working days ----------------------------------------------------------


def test_due_soon_counts_working_days_across_national_day(settings):
    from issues.deadlines.lights import Light, date_light, due_soon_until

    friday = dt.date(2025, 9, 26)
    assert due_soon_until(friday) == dt.date(2025, 9, 30)  # Sun 28 (调休), Mon 29, Tue 30
    assert date_light(dt.date(2025, 9, 30), finished=False, today=friday) == Light.YELLOW
    assert date_light(dt.date(2025, 10, 9), finished=False, today=friday) == Light.BLUE
    settings.DUE_SOON_WORKING_DAYS = 4
    assert date_light(dt.date(2025, 10, 9), finished=False, today=friday) == Light.YELLOW


def test_the_board_condition_agrees_with_the_python_light(issue):
    from issues.deadlines.lights import Light, annotate_light
    from issues.models import Issue

    friday = dt.date(2025, 9, 26)
    for due, light in [(dt.date(2025, 9, 30), Light.YELLOW), (dt.date(2025, 10, 9), Light.BLUE),
                       (dt.date(2025, 9, 25), Light.RED)]:
        Issue.objects.filter(pk=issue.pk).update(due_date=due)
        assert annotate_light(Issue.objects.filter(pk=issue.pk), friday).get().light == light


def test_closed_late_is_red_and_says_so(closed, client, carol):
    from issues.deadlines.lights import Light, date_light

    assert date_light(dt.date(2025, 1, 2), finished=True, closed_on=dt.date(2025, 1, 3)) == Light.RED
    assert date_light(dt.date(2025, 1, 3), finished=True, closed_on=dt.date(2025, 1, 3)) == Light.GREEN
    from issues.models import Issue

    Issue.objects.filter(pk=closed.pk).update(deadline=dt.date(2020, 1, 2))
    client.force_login(carol)
    assert "issue-closed-late" in client.get(closed.get_absolute_url()).content.decode()
