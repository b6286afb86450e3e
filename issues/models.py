"""The shared board (DESIGN §5): issues, their handlers' assignments, parties and the issue record.

Only ``issues.workflow`` changes these rows; everything else reads them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from agencies import calendar


class IssueState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUSHED = "pushed", _("Pushed")
    IN_PROGRESS = "in_progress", _("In progress")
    REPORTED = "reported", _("Reported")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AssignmentState(models.TextChoices):
    PENDING = "pending", _("Waiting to be signed for")
    SIGNED = "signed", _("Being handled")
    AWAITING_APPROVAL = "awaiting_approval", _("Report awaiting the leader's approval")
    REPORTED = "reported", _("Reported")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    TRANSFERRED = "transferred", _("Transferred")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# An issue in one of these states is open: pushed and not yet closed or withdrawn.
OPEN_ISSUE_STATES = (IssueState.PUSHED, IssueState.IN_PROGRESS, IssueState.REPORTED)
# An assignment in one of these states still needs its handler (DESIGN: no close while open).
OPEN_ASSIGNMENT_STATES = (
    AssignmentState.PENDING,
    AssignmentState.SIGNED,
    AssignmentState.AWAITING_APPROVAL,
    AssignmentState.REPORTED,
)
# Finished without a result: kept on the issue record, no longer counted.
ENDED_ASSIGNMENT_STATES = (
    AssignmentState.DECLINED,
    AssignmentState.TRANSFERRED,
    AssignmentState.WITHDRAWN,
)


class HandlerRole(models.TextChoices):
    LEAD = "lead", _("Lead handler")
    CO_HANDLER = "co_handler", _("Co-handler")


class PartyRole(models.TextChoices):
    INITIATOR = "initiator", _("Initiator")
    LEAD = "lead", _("Lead handler")
    CO_HANDLER = "co_handler", _("Co-handler")
    COPIED = "copied", _("Copied")
    SUPERVISOR = "supervisor", _("Supervisor")
    CONSULTEE = "consultee", _("Consultee")
    FORMER_HANDLER = "former_handler", _("Former handler")
    # A stationed group none of whose departments handles the issue any more: it reads on.
    FORMER_SUPERVISOR = "former_supervisor", _("Former supervisor")


class Category(models.TextChoices):
    CONSTRUCTION = "construction", _("Construction and public works")
    MEDICAL_INSURANCE = "medical_insurance", _("Medical insurance funds")
    PUBLIC_SERVICE = "public_service", _("Public service complaints")
    WELFARE = "welfare", _("Welfare and social assistance")
    ENVIRONMENT = "environment", _("Ecology and environment")
    SAFETY = "safety", _("Work safety")
    PUBLIC_FUNDS = "public_funds", _("Public funds and assets")
    CONDUCT = "conduct", _("Conduct and discipline")
    BUSINESS_ENVIRONMENT = "business_environment", _("Business environment")
    OTHER = "other", _("Other")


class Source(models.TextChoices):
    SUPERVISION = "supervision", _("Found in supervision")
    HOTLINE = "hotline", _("12345 hotline")
    LETTERS = "letters", _("Letters and visits")
    AUDIT = "audit", _("Audit")
    MEDIA = "media", _("Media report")
    DATA = "data", _("Linked-system data")
    INSPECTION = "inspection", _("Inspection tour")
    OTHER = "other", _("Other")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    CRITICAL = "critical", _("Critical")


class Issue(models.Model):
    """办件: one problem on the board, from its push to its closure."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    initiator = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("initiator"),
        on_delete=models.PROTECT,
        related_name="initiated_issues",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # The earliest deadline among the open assignments, kept by every action: the issue's light
    # is its worst assignment's, and the board sorts and filters on it without a join.
    due_date = models.DateField(_("due"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=IssueState.choices, default=IssueState.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    pushed_at = models.DateTimeField(_("pushed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Hash of the issue's latest event: the chain must end here, so a dropped tail shows too.
    record_head = models.CharField(_("issue record head"), max_length=64, blank=True)
    event_count = models.PositiveIntegerField(_("events"), default=0)

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-updated_at", "-id"]
        default_permissions = ("view",)
        permissions = [
            ("handle_issue", _("Can handle the issue")),
            ("supervise_issue", _("Can supervise the issue")),
            ("manage_issue", _("Can manage the issue")),
        ]
        indexes = [
            models.Index(fields=["state", "-updated_at", "-id"], name="issue_state_updated"),
            # The board's deadline sort, issues without a due date last (board.FAR_FUTURE).
            models.Index(Coalesce("due_date", Value(dt.date(9999, 12, 31))), F("id"), name="issue_due_key"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("issues:detail", args=[self.pk])


class Assignment(models.Model):
    """One handler's share of an issue, with its own deadline and state."""

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.PROTECT, related_name="assignments"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("handler"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    role = models.CharField(_("role"), max_length=20, choices=HandlerRole.choices)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=AssignmentState.choices,
        default=AssignmentState.PENDING,
        db_index=True,
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # When it should be signed for, by the deadline policy (in working days from its creation).
    sign_deadline = models.DateField(_("sign by"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    transferred_from = models.ForeignKey(
        "self",
        verbose_name=_("transferred from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transferred_to",
    )
    # Set when the assignment ends without a result (declined, transferred): why, and to whom.
    end_reason = models.TextField(_("reason"), blank=True)
    suggested_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("suggested body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    report_text = models.TextField(_("report"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    # When the verifying agency (the initiator) first opened the issue with this report waiting:
    # from then on the handler can no longer withdraw the report.
    report_read_at = models.DateTimeField(_("report read"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["issue", "role", "id"]
        constraints = [
            # One live assignment per handler and issue; ended ones stay on the record.
            models.UniqueConstraint(
                fields=["issue", "agency"],
                condition=Q(state__in=["pending", "signed", "awaiting_approval", "reported", "accepted"]),
                name="one_live_assignment_per_handler",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "state"], name="assignment_agency_state"),
            # The initiator's "to verify" tab: reports and declines waiting, a small working set.
            models.Index(
                fields=["issue", "state", "id"],
                condition=Q(state__in=["reported", "declined"]),
                name="assignment_to_verify",
            ),
            # The reminder sweep: open assignments whose deadline makes a step due, in id order.
            models.Index(
                fields=["deadline", "id"],
                condition=Q(state__in=["pending", "signed", "awaiting_approval"]),
                name="assignment_open_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue.number} → {self.agency}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_ASSIGNMENT_STATES


class Participant(models.Model):
    """One row per (issue, agency, role): the single source of every access decision."""

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.PROTECT, related_name="participants"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(fields=["issue", "agency", "role"], name="one_party_row_per_role"),
        ]
        indexes = [models.Index(fields=["agency", "role", "issue"], name="participant_agency_role")]

    def __str__(self) -> str:
        return f"{self.issue_id} · {self.agency} · {self.get_role_display()}"


class Urge(models.Model):
    """督办: a supervisor's recorded push on a handler, with its own due date."""

    issue = models.ForeignKey(Issue, verbose_name=_("issue"), on_delete=models.PROTECT, related_name="urges")
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="urges"
    )
    by_agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("urged by"), on_delete=models.PROTECT, related_name="+"
    )
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("urged by (person)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("instructions"))
    due_date = models.DateField(_("due"))
    # Set when a deadline rule urged automatically, not a person.
    automation_rule = models.CharField(_("rule"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("urged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("urge")
        verbose_name_plural = _("urges")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.issue_id} · {self.by_agency_id} → {self.assignment_id} ({self.due_date})"



class DeadlineUnit(models.TextChoices):
    WORKING = "working", _("working days")
    NATURAL = "natural", _("natural days")


def most_specific_policy(candidates, category: str, priority: str) -> DeadlinePolicy | None:
    """Of ``candidates``, the policy for the pair: both given, then category only, priority
    only, neither."""
    matching = [
        p for p in candidates if p.category in ("", category) and p.priority in ("", priority)
    ]
    # A policy naming the category beats one naming the priority; both beat the catch-all.
    return max(matching, key=lambda p: (p.category != "", p.priority != ""), default=None)


class DeadlinePolicyQuerySet(models.QuerySet):
    def for_pair(self, category: str, priority: str) -> DeadlinePolicy | None:
        """The most specific policy for the pair (``most_specific_policy``), from one query."""
        candidates = self.filter(Q(category=category) | Q(category=""), Q(priority=priority) | Q(priority=""))
        return most_specific_policy(candidates, category, priority)

    def sign_deadline(self, category: str, priority: str, start: dt.date | None = None) -> dt.date | None:
        """The day by which a handler given the work on ``start`` (today) must sign for it.

        Here rather than with the rest of the policy (``issues.deadlines.policy``) because the
        actions read it, and the deadlines package's sweep calls the actions.
        """
        policy = self.for_pair(category, priority)
        if policy is None:
            return None
        return calendar.add_working_days(start or timezone.localdate(), policy.sign_within)


class DeadlinePolicy(models.Model):
    """How long a handler has, by category and priority: proposed on the new-issue form.

    An empty category or priority matches any; the most specific policy wins (category and
    priority, then category, then priority, then the catch-all).
    """

    category = models.CharField(_("category"), max_length=30, choices=Category.choices, blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)
    sign_within = models.PositiveSmallIntegerField(
        _("sign within (working days)"), default=1
    )
    handle_within = models.PositiveSmallIntegerField(_("handle within"))
    unit = models.CharField(
        _("unit"), max_length=10, choices=DeadlineUnit.choices, default=DeadlineUnit.WORKING
    )

    objects = DeadlinePolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        ordering = ["category", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["category", "priority"], name="one_policy_per_category_priority"),
        ]

    def __str__(self) -> str:
        category = self.get_category_display() if self.category else _("any category")
        priority = self.get_priority_display() if self.priority else _("any priority")
        return f"{category} · {priority}: {self.handle_within} {self.get_unit_display()}"


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("Waiting for the initiator")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class Extension(models.Model):
    """延期: a handler asks the initiator for a later deadline, with a reason and a date."""

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.PROTECT, related_name="extensions"
    )
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="extensions"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    old_deadline = models.DateField(_("deadline before"), null=True, blank=True)
    proposed_deadline = models.DateField(_("proposed deadline"))
    state = models.CharField(
        _("state"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    granted_deadline = models.DateField(_("granted deadline"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One question at a time: the initiator answers before the handler asks again.
            models.UniqueConstraint(
                fields=["assignment"], condition=Q(state="pending"), name="one_pending_extension"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} → {self.proposed_deadline} ({self.get_state_display()})"


class Comment(models.Model):
    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.PROTECT, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("for agency"), on_delete=models.PROTECT, related_name="+"
    )
    # The current text. Amending and withdrawing are actions (issues.workflow.corrections): the
    # issue record keeps every earlier text, and ``revision`` lets them compare-and-set.
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    amended_at = models.DateTimeField(_("amended"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.issue_id} · {self.author_id} · {self.created_at:%Y-%m-%d %H:%M}"


def attachment_path(instance, filename: str) -> str:
    return f"issues/{instance.issue_id}/{filename}"


class Attachment(models.Model):
    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.PROTECT, related_name="attachments"
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("report of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("for agency"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name


class IssueEvent(models.Model):
    """全程留痕: one row per action, append-only and hash-chained across the whole board.

    Shaped like NetBox's ObjectChange: actor and a copy of their name, the agency acted for,
    the related agency (for a transfer, the receiver), before and after snapshots.
    """

    issue = models.ForeignKey(Issue, verbose_name=_("issue"), on_delete=models.PROTECT, related_name="events")
    # Position in the issue's chain, from 1; with the unique constraint a gap or a duplicate shows.
    seq = models.PositiveIntegerField(_("number"))
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    action = models.CharField(_("action"), max_length=30, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("actor's name"), max_length=150)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    related_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("related agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    automation_rule = models.CharField(_("rule"), max_length=60, blank=True)
    request_id = models.CharField(_("request"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("time"), db_index=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["issue", "seq"]
        default_permissions = ("view",)
        constraints = [models.UniqueConstraint(fields=["issue", "seq"], name="one_event_per_seq")]

    def __str__(self) -> str:
        return f"{self.issue_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"


class LedgerLine(models.Model):
    """One row of the ledgers' (台账) facts: one per issue, and one per live handler assignment.

    The ledgers and scores count these narrow rows instead of joining issues, assignments,
    agencies and urges at query time: a commission's ledger over a million issues is one pass over
    this table and its permission rows (bench/RESULTS.md). Everything here is derived from the
    issue and its assignments by ``issues.ledger_lines.refresh``, which every action runs in its
    own transaction, so the lines never disagree with what they summarise. Durations are counted
    in working days when the lines are written.
    """

    issue = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="+", db_index=False)
    # Empty on the issue's own line; the handler's live assignment on a handler line.
    assignment = models.OneToOneField(
        Assignment, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_line"
    )
    handler = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        "agencies.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    initiator_class = models.CharField(max_length=20, blank=True)
    issue_state = models.CharField(max_length=20)
    assignment_state = models.CharField(max_length=20, blank=True)
    pushed_at = models.DateTimeField()
    pushed_month = models.DateField()  # the first day of the month pushed, local time
    # Issue line: the issue's deadline; handler line: the assignment's.
    deadline = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)  # the issue's earliest open deadline
    closed_late = models.BooleanField(null=True)  # closed after the deadline; empty while not closed
    close_working_days = models.IntegerField(null=True)  # pushed to closed
    sign_working_days = models.IntegerField(null=True)  # handler line: assigned to signed for
    # Issue line: the sum and number of its live handlers' signing times, so that the ledgers by
    # class or month average them from the issue lines alone.
    sign_working_days_total = models.IntegerField(default=0)
    handlers_signed = models.PositiveSmallIntegerField(default=0)
    signed_on_time = models.BooleanField(null=True)  # empty: not signed, or no sign deadline
    reported_on_time = models.BooleanField(null=True)  # accepted, reported by the deadline
    urges = models.PositiveIntegerField(default=0)  # received on this assignment

    class Meta:
        verbose_name = _("ledger line")
        verbose_name_plural = _("ledger lines")
        default_permissions = ()
        indexes = [models.Index(fields=["issue", "id"], name="ledger_line_issue")]

    def __str__(self) -> str:
        return f"{self.issue_id}/{self.assignment_id or '-'}"


class IssueUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Issue, on_delete=models.PROTECT)


class IssueGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Issue, on_delete=models.PROTECT)
