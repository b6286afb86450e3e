"""The deadline reminder ladder's tables (DESIGN §5 Deadlines).

``ReminderStep`` rows are the ladder, editable in the admin; ``ReminderFiring`` proves a step
fired for an assignment (one row per pair, inserted before anything else is done, so duplicate
beat ticks, concurrent sweeps and restarted workers fire each step once).

The tables kept the names they had when the ladder lived in the notifications app: moving the
models changed no table (issues migration 0009, notifications migration 0006). The issues app
loads this module with its ``models`` (``IssuesConfig.import_models``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.models import NotificationKind


class StepKind(models.TextChoices):
    """What a step does; each step's notifications are of the kind of the same name."""

    REMIND = NotificationKind.REMIND.value, NotificationKind.REMIND.label
    ALERT = NotificationKind.ALERT.value, NotificationKind.ALERT.label
    URGE = NotificationKind.URGE.value, NotificationKind.URGE.label
    ESCALATE = NotificationKind.ESCALATE.value, NotificationKind.ESCALATE.label


class ReminderStep(models.Model):
    """One rung of the ladder: what happens ``offset_working_days`` from an assignment's deadline."""

    code = models.SlugField(
        _("rule"), max_length=60, unique=True,
        help_text=_("Shown on the issue record as the rule that acted, for example deadline-day."),
    )
    offset_working_days = models.SmallIntegerField(
        _("working days from the deadline"),
        help_text=_("Negative before the deadline, 0 on the deadline day, positive after it."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=StepKind.choices)
    to_handler = models.BooleanField(_("notify the handler's staff"), default=False)
    to_leader = models.BooleanField(_("notify the handler's leaders"), default=False)
    to_liaison = models.BooleanField(_("notify the stationed group's liaisons"), default=False)
    to_commission = models.BooleanField(_("notify the commission one level up"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        db_table = "notifications_reminderstep"
        verbose_name = _("reminder step")
        verbose_name_plural = _("reminder steps")
        ordering = ["offset_working_days", "code"]

    def __str__(self) -> str:
        return f"{self.code} (T{self.offset_working_days:+d})"


class ReminderFiring(models.Model):
    """A step fired for an assignment; the unique pair is what makes it fire only once."""

    assignment = models.ForeignKey(
        "issues.Assignment", verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="+"
    )
    step = models.ForeignKey(ReminderStep, verbose_name=_("step"), on_delete=models.PROTECT, related_name="+")
    fired_at = models.DateTimeField(_("fired"))
    # Why nothing was sent: a later step was already due, or the issue no longer allowed the urge.
    skipped = models.CharField(_("skipped because"), max_length=200, blank=True)

    class Meta:
        db_table = "notifications_reminderfiring"
        verbose_name = _("reminder fired")
        verbose_name_plural = _("reminders fired")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "step"], name="one_firing_per_step"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} · {self.step_id}"
