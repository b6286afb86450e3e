"""Warning models and what they raise (DESIGN §12).

A ``WarningModel`` belongs to a ``Scenario`` and an owning agency; what it looks for is its
switched-on ``WarningModelVersion``: a template (``search.detection.patterns``) and its
parameters. Versions are never changed: every save of a model is a new version, so a warning
always names the exact parameters that raised it. A ``DetectionRun`` is one execution of a
version (full, incremental over what an ingest added, or a backtest that saves no warning).

A ``Warning`` is one set of subjects (the keys it is about: a person's ID number, a company's
credit code…), identified by a fingerprint of the model and those subjects, so that running again
finds it again instead of raising it twice; its ``WarningEvidence`` are the linked records that
show it. An ``Exemption`` is a key known to be benign, for one model or all models of its agency,
until it expires. A ``ScreeningList`` is a list of keys from outside (a partner's, an uploaded
one) that the re-screen template looks for in the linked records.

The app label stays ``search`` (``SearchConfig.import_models`` imports this module).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..models import KeyKind, Record, RecordKey


class ImmutableVersion(PermissionError):
    """A stored version of a warning model was about to be changed or deleted."""


class ImmutableHistory(PermissionError):
    """A step of a warning's triage history was about to be changed or deleted."""


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class NamedInTwoLanguages:
    """A name given in Chinese and, optionally, in English (``name_en``): the English one is
    shown to a reader of English, as linked systems' names are (search.views.display)."""

    @property
    def shown_name(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Scenario(NamedInTwoLanguages, models.Model):
    """应用场景: the field a group of models watches (tendering, subsidies and welfare…)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.shown_name


class WarningModel(NamedInTwoLanguages, models.Model):
    """预警模型: what it is called, whose it is, and which of its versions runs."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    scenario = models.ForeignKey(
        Scenario, verbose_name=_("scenario"), on_delete=models.PROTECT, related_name="models"
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("owning agency"), on_delete=models.PROTECT,
        related_name="warning_models",
    )
    severity = models.CharField(
        _("default severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    is_active = models.BooleanField(_("switched on"), default=False)
    active_version = models.ForeignKey(
        "WarningModelVersion", verbose_name=_("version switched on"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    # The lock that lets one run at a time execute the model: set by compare-and-set when a run
    # starts, cleared when it ends. A run that died holding it is taken over once it is stale.
    running_since = models.DateTimeField(_("running since"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("warning model")
        verbose_name_plural = _("warning models")
        ordering = ["scenario", "key"]

    def __str__(self) -> str:
        return self.shown_name


class WarningModelVersion(models.Model):
    """One saved state of a model; written once, never changed (``save`` and ``delete`` refuse,
    and on PostgreSQL a trigger refuses UPDATE and DELETE)."""

    model = models.ForeignKey(
        WarningModel, verbose_name=_("warning model"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    template = models.CharField(_("template"), max_length=40)
    parameters = models.JSONField(_("parameters"), default=dict)
    # The linked systems the parameters name, sorted: what governance checks against the owning
    # agency's grants when the version is saved and again at every run.
    systems = models.JSONField(_("linked systems"), default=list)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("warning model version")
        verbose_name_plural = _("warning model versions")
        ordering = ["model", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["model", "number"], name="one_version_number_per_model"),
        ]

    def __str__(self) -> str:
        return f"{self.model_id} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableVersion("A warning model's version is never changed: save a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableVersion("A warning model's version is never deleted.")


class RunMode(models.TextChoices):
    FULL = "full", _("Full")
    INCREMENTAL = "incremental", _("Incremental")
    BACKTEST = "backtest", _("Backtest")


class RunState(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Stopped with an error")


class DetectionRun(models.Model):
    """One execution of a version; ``done`` of ``total`` warnings written is its progress."""

    version = models.ForeignKey(
        WarningModelVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="runs"
    )
    mode = models.CharField(_("mode"), max_length=12, choices=RunMode.choices)
    # What an incremental run looked at: the ingest runs whose linked records it covered, or the
    # moment after which linked records were ingested.
    scope = models.JSONField(_("scope"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=RunState.choices, default=RunState.RUNNING)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    done = models.PositiveIntegerField(_("warnings written"), default=0)
    total = models.PositiveIntegerField(_("warnings to write"), null=True, blank=True)
    warnings_found = models.PositiveIntegerField(_("warnings found"), default=0)
    new_warnings = models.PositiveIntegerField(_("new warnings"), default=0)
    evidence_added = models.PositiveIntegerField(_("evidence added"), default=0)
    exempted = models.PositiveIntegerField(_("warnings exempted"), default=0)
    # Systems the version names that the owning agency could no longer read when the run started.
    systems_dropped = models.JSONField(_("linked systems left out"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("detection run")
        verbose_name_plural = _("detection runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.version} {self.mode} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class WarningState(models.TextChoices):
    NEW = "new", _("New")
    IN_TRIAGE = "in_triage", _("In triage")
    # The dispositions (DESIGN §12, triage): set by the triage actions, with a reason.
    CONFIRMED = "confirmed", _("Confirmed")
    EXPLAINED = "explained", _("Explained")
    DUPLICATE = "duplicate", _("Duplicate")
    FALSE_POSITIVE = "false_positive", _("False positive")


OPEN_STATES = (WarningState.NEW, WarningState.IN_TRIAGE)


# Named as the glossary names it (DESIGN §2), though it hides the builtin exception in this module.
class Warning(models.Model):
    """预警: one set of subjects a model found, with the linked records that show it."""

    model = models.ForeignKey(
        WarningModel, verbose_name=_("warning model"), on_delete=models.PROTECT, related_name="warnings"
    )
    version = models.ForeignKey(
        WarningModelVersion, verbose_name=_("raised by version"), on_delete=models.PROTECT, related_name="+"
    )
    # sha256 of the model's key and the sorted subjects (search.detection.runs.fingerprint).
    fingerprint = models.CharField(_("fingerprint"), max_length=64, unique=True)
    subjects = models.JSONField(_("subjects"), default=list)  # sorted [kind, value] pairs
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=WarningState.choices, default=WarningState.NEW
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned to"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)
    disposition_reason = models.TextField(_("reason for the disposition"), blank=True)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("disposed by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    disposed_at = models.DateTimeField(_("disposed"), null=True, blank=True)
    # A confirmed warning goes on as a clue (DESIGN §12: warnings → clues → issues), made of its
    # evidence or added to one the agency already had.
    clue = models.ForeignKey(
        "search.Clue", verbose_name=_("clue"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="warnings",
    )
    # The warning a duplicate repeats, when the person disposing of it named one.
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("duplicate of"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["-first_seen", "-id"]
        indexes = [models.Index(fields=["model", "state"], name="warning_model_state")]

    def __str__(self) -> str:
        return f"{self.model_id}:{self.fingerprint[:12]}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class TriageStep(models.TextChoices):
    TAKEN = "taken", _("Taken into triage")
    ASSIGNED = "assigned", _("Assigned")
    DISPOSED = "disposed", _("Disposed of")


class WarningEvent(models.Model):
    """One step of a warning's triage (taken, assigned, disposed of): its history, written by the
    triage actions and never changed. The actor's name is copied, so the history reads the same
    after an account is renamed."""

    warning = models.ForeignKey(
        Warning, verbose_name=_("warning"), on_delete=models.CASCADE, related_name="events"
    )
    step = models.CharField(_("step"), max_length=10, choices=TriageStep.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("by (name)"), max_length=150, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned to"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    state = models.CharField(_("state after"), max_length=20, choices=WarningState.choices)
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("warning triage step")
        verbose_name_plural = _("warning triage steps")
        ordering = ["warning", "at", "id"]

    def __str__(self) -> str:
        return f"{self.warning_id}:{self.step}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableHistory("A step of a warning's triage is never changed: add the next one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableHistory("A step of a warning's triage is never deleted.")


class WarningEvidence(models.Model):
    warning = models.ForeignKey(
        Warning, verbose_name=_("warning"), on_delete=models.CASCADE, related_name="evidence"
    )
    record = models.ForeignKey(
        Record, verbose_name=_("linked record"), on_delete=models.PROTECT, related_name="+"
    )
    run = models.ForeignKey(
        DetectionRun, verbose_name=_("added by run"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("warning evidence")
        verbose_name_plural = _("warning evidence")
        ordering = ["warning", "id"]
        constraints = [
            models.UniqueConstraint(fields=["warning", "record"], name="one_warning_evidence_per_record"),
        ]

    def __str__(self) -> str:
        return f"{self.warning_id}:{self.record_id}"


KIND_LENGTH = RecordKey._meta.get_field("kind").max_length
VALUE_LENGTH = RecordKey._meta.get_field("value").max_length


class Exemption(models.Model):
    """A key known to be benign (a welfare office's own account, a state-owned company that wins
    by law): no warning of the model, or of any model of the agency, names it until it expires."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    model = models.ForeignKey(
        WarningModel, verbose_name=_("warning model"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="exemptions", help_text=_("Empty: every model of the agency."),
    )
    kind = models.CharField(_("kind"), max_length=KIND_LENGTH, choices=KeyKind.choices)
    value = models.CharField(_("value"), max_length=VALUE_LENGTH)  # normalised (search.ingest.keys)
    reason = models.TextField(_("reason"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    expires_on = models.DateField(_("expires on"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "expires_on"], name="exemption_agency_expiry")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value} → {self.expires_on}"


class ScreeningList(models.Model):
    """A list of keys from outside the linked systems (a partner's warnings, a list of debtors the
    court published), screened against the linked records by the re-screen template."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=150)
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("source"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("screening list")
        verbose_name_plural = _("screening lists")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ScreeningEntry(models.Model):
    screening_list = models.ForeignKey(
        ScreeningList, verbose_name=_("screening list"), on_delete=models.CASCADE, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=KIND_LENGTH, choices=KeyKind.choices)
    value = models.CharField(_("value"), max_length=VALUE_LENGTH)  # normalised (search.ingest.keys)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("screening list entry")
        verbose_name_plural = _("screening list entries")
        ordering = ["screening_list", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["screening_list", "kind", "value"], name="one_screening_entry_per_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"
