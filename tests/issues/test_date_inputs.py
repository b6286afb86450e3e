"""Every date input holds an ISO date whatever the language, and the new-issue form says what its
proposed deadline means in working days."""

from __future__ import annotations

import datetime as dt
import html as html_module
import json
import re

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation

from agencies import calendar
from issues import forms
from issues.deadlines import policy as deadlines
from issues.models import Category, DeadlinePolicy, Priority
from issues.reading.board_forms import BoardForm
from issues.views.ledgers import LedgerForm
from issues.workflow import forms as action_forms
from search.harvest.forms import PushClueForm
from search.investigate.forms import SearchForm, SearchLogForm

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 5)
ISO_VALUE = 'value="2026-12-05"'


def _action_form(form_class, name):
    return form_class(initial={name: DAY})


DATE_FIELDS = [
    (lambda: _action_form(action_forms.AssignForm, "deadline"), "deadline"),
    (lambda: _action_form(action_forms.UrgeForm, "due_date"), "due_date"),
    (lambda: _action_form(action_forms.ReopenForm, "deadline"), "deadline"),
    (lambda: _action_form(action_forms.ExtensionRequestForm, "deadline"), "deadline"),
    (lambda: _action_form(action_forms.GrantExtensionForm, "deadline"), "deadline"),
    (lambda: forms.NewIssueForm(initial={"deadline": DAY}), "deadline"),
    (lambda: PushClueForm(initial={"deadline": DAY}), "deadline"),
    (lambda: BoardForm({"due_from": "2026-12-05"}), "due_from"),
    (lambda: LedgerForm({"date_from": "2026-12-05"}), "date_from"),
    (lambda: SearchForm(QueryDict("date_from=2026-12-05"), accesses={}), "date_from"),
    (lambda: SearchLogForm({"date_from": "2026-12-05"}), "date_from"),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(("make", "name"), DATE_FIELDS)
def test_date_inputs_render_iso_dates_in_every_language(language, make, name):
    with translation.override(language):
        html = str(make()[name])
    assert 'type="date"' in html
    assert ISO_VALUE in html, html


def test_a_policy_says_its_working_days_in_chinese_and_english():
    # 10 working days from Fri 2025-01-24, over the Spring Festival.
    proposed = deadlines.suggestions(dt.date(2025, 1, 24))[Category.WELFARE, Priority.URGENT]
    assert proposed.deadline == dt.date(2025, 2, 13)
    with translation.override("zh-hans"):
        assert proposed.text == "10 个工作日，截至 2025年2月13日"
    with translation.override("en"):
        assert proposed.text == "10 working days, until Feb. 13, 2025"


def test_natural_days_say_so():
    DeadlinePolicy.objects.filter(category="", priority="critical").update(unit="natural", handle_within=5)
    proposed = deadlines.suggestions(dt.date(2025, 9, 26))[Category.WELFARE, Priority.CRITICAL]
    with translation.override("zh-hans"):
        assert proposed.text == "5 个自然日，截至 2025年10月9日"


def test_the_suggestions_agree_with_the_policy_of_each_pair():
    DeadlinePolicy.objects.create(category="safety", priority="", handle_within=7)
    DeadlinePolicy.objects.create(category="safety", priority="critical", handle_within=2)
    proposed = deadlines.suggestions(DAY)
    for category in Category.values:
        for priority in Priority.values:
            expected = deadlines.proposed_deadline(category, priority, DAY)
            assert proposed[category, priority].deadline == expected


def test_without_a_policy_nothing_is_proposed_and_the_form_says_so(city_commission):
    DeadlinePolicy.objects.all().delete()
    assert deadlines.suggestions(DAY) == {}
    with translation.override("zh-hans"):
        form = forms.NewIssueForm(initiator=city_commission)
        field = form["deadline"]
        assert field.initial is None
        assert "没有办件期限规则" in str(field.help_text)


def test_the_new_issue_page_carries_every_proposal_in_iso_form(client, carol):
    client.force_login(carol)
    html = client.get(reverse("issues:new")).content.decode()  # the default language, Chinese
    today = timezone.localdate()
    first = calendar.deadline_from(today, 30, "working")  # construction, normal
    assert f'value="{first.isoformat()}"' in html
    day = f"{first.year}年{first.month}月{first.day}日"
    assert f"30 个工作日，截至 {day}" in html
    match = re.search(r'data-deadline-suggestions="([^"]*)"', html)
    proposals = json.loads(html_module.unescape(match.group(1)))
    assert len(proposals) == len(Category.values) * len(Priority.values)
    urgent_welfare = proposals["welfare|urgent"]
    assert urgent_welfare["date"] == calendar.add_working_days(today, 10).isoformat()
    assert "10 个工作日，截至" in urgent_welfare["help"]
    assert 'data-deadline-from="category priority"' in html
    assert "issues/deadline-suggestion." in html


def test_a_returned_form_explains_the_category_and_priority_it_was_sent_with(client, carol):
    client.force_login(carol)
    response = client.post(reverse("issues:new"), {"category": "welfare", "priority": "critical"})
    assert response.status_code == 400
    help_text = str(response.context["form"]["deadline"].help_text)
    assert "5 个工作日" in help_text
