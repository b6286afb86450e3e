"""Linked systems and their records (DESIGN §7).

A ``SourceSystem`` is one of the city's linked government systems: who owns it, how sensitive
its data is, and how a row of its exports maps onto a ``Record``. Records are upserted by
(system, external id); the database holds them and the search index is rebuilt from it.
An ``IngestRun`` is one file being loaded, resumable from the last row it committed; a
``RejectedRow`` is a row of it that could not be used, kept with its reason for the uploader.

The field mapping (``SourceSystem.field_mapping``) names, for each field of a record, the
column(s) of the system's export it comes from::

    {
      "external_id": "业务编号",             # required: unique within the system
      "title": ["项目名称"],                 # joined with " · "
      "body": ["投诉内容", "处理结果"],       # joined with new lines
      "occurred_at": "受理时间",             # ISO 8601 date or date-time, local time
      "amount": "中标金额",                  # yuan, optional
      "region": "所属区县",                  # a region's name or code, optional
      "names": ["法定代表人", "投标人"],      # people and organisations named in the row
      "credit_codes": ["统一社会信用代码"],   # 18-character unified social credit codes
      "id_numbers": ["身份证号"],            # 18-character resident ID numbers
      "phones": ["联系电话"],
      "required": ["项目名称", "受理时间"]    # columns that must not be empty
    }

Every key but ``external_id`` and ``occurred_at`` is optional; a single column may be given as
a string or a one-element list.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Sensitivity(models.TextChoices):
    PUBLIC = "public", _("Public within government")
    INTERNAL = "internal", _("Internal")
    SENSITIVE = "sensitive", _("Sensitive: a stated purpose is required")
    SECRET = "secret", _("Restricted: named roles only")


class SourceSystem(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    owner = models.ForeignKey(
        "agencies.Agency", verbose_name=_("owner agency"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="source_systems",
    )
    # The owner's code, kept so that seeding can link the owner once the agency exists.
    owner_code = models.SlugField(_("owner agency code"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)
    sensitivity = models.CharField(
        _("sensitivity"), max_length=10, choices=Sensitivity.choices, default=Sensitivity.INTERNAL
    )
    field_mapping = models.JSONField(_("field mapping"), default=dict)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("linked system")
        verbose_name_plural = _("linked systems")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Record(models.Model):
    system = models.ForeignKey(
        SourceSystem, verbose_name=_("linked system"), on_delete=models.PROTECT, related_name="records"
    )
    external_id = models.CharField(_("external id"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    occurred_at = models.DateTimeField(_("occurred"), db_index=True)
    region = models.ForeignKey(
        "agencies.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True)
    names = models.JSONField(_("names"), default=list, blank=True)
    credit_codes = models.JSONField(_("unified social credit codes"), default=list, blank=True)
    id_numbers = models.JSONField(_("ID numbers"), default=list, blank=True)
    phones = models.JSONField(_("phone numbers"), default=list, blank=True)
    raw = models.JSONField(_("row as received"), default=dict)
    ingested_at = models.DateTimeField(_("ingested"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("record")
        verbose_name_plural = _("records")
        constraints = [
            models.UniqueConstraint(fields=["system", "external_id"], name="one_record_per_external_id"),
        ]

    def __str__(self) -> str:
        return f"{self.system_id}:{self.external_id} {self.title[:40]}"


class IngestState(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Stopped with an error")


class IngestRun(models.Model):
    """One file loaded into one system; ``rows_done`` is the last row committed, so a run that
    stopped halfway resumes after it (upserts make a repeated row harmless)."""

    system = models.ForeignKey(SourceSystem, verbose_name=_("linked system"), on_delete=models.PROTECT)
    file_name = models.CharField(_("file"), max_length=255)
    file_sha256 = models.CharField(_("file checksum"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=IngestState.choices, default=IngestState.RUNNING
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    rows_loaded = models.PositiveIntegerField(_("rows loaded"), default=0)
    rows_rejected = models.PositiveIntegerField(_("rows rejected"), default=0)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("ingest run")
        verbose_name_plural = _("ingest runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.system_id} · {self.file_name}"


class RejectedRow(models.Model):
    """A row that could not be loaded, quarantined with its reason (nothing dropped silently)."""

    run = models.ForeignKey(
        IngestRun, verbose_name=_("ingest run"), on_delete=models.CASCADE, related_name="rejected"
    )
    line = models.PositiveIntegerField(_("row number"))
    reason = models.TextField(_("reason"))
    raw = models.TextField(_("row as received"))

    class Meta:
        verbose_name = _("rejected row")
        verbose_name_plural = _("rejected rows")
        ordering = ["run", "line"]
        constraints = [models.UniqueConstraint(fields=["run", "line"], name="one_rejection_per_row")]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.line}"
