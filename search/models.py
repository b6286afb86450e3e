"""Linked systems and their linked records (DESIGN §7).

A ``SourceSystem`` is one of the city's linked government systems: who owns it, how sensitive
its data is, and how a row of its exports maps onto a ``Record``, a linked record. Linked
records are upserted by (system, external id); the database holds them and the search index is
rebuilt from it.
An ``IngestRun`` is one file being loaded, resumable from the last row it committed; a
``RejectedRow`` is a row of it that could not be used, kept with its reason for the uploader.

The field mapping (``SourceSystem.field_mapping``) names, for each field of a linked record, the
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
      "required": ["项目名称", "受理时间"],   # columns that must not be empty
      "keys": [{"column": "身份证号", "kind": "id_number", "role": "legal_representative"}]
    }

Every key but ``external_id`` and ``occurred_at`` is optional; a single column may be given as
a string or a one-element list. ``keys`` lists the record keys the row gives (``RecordKey``,
written beside the record; their format is in ``search.ingest.mapping``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import AgencyKind, Role, SupervisionClass


class Sensitivity(models.TextChoices):
    PUBLIC = "public", _("Public within government")
    INTERNAL = "internal", _("Internal")
    SENSITIVE = "sensitive", _("Sensitive: a stated purpose is required")
    SECRET = "secret", _("Restricted: named roles only")


class SourceSystem(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    # What investigators call it (城管, 医保, 12345热线): 系统: in a query accepts it too.
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    owner = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("owner agency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_systems",
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
        "agencies.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True)
    names = models.JSONField(_("names"), default=list, blank=True)
    credit_codes = models.JSONField(_("unified social credit codes"), default=list, blank=True)
    id_numbers = models.JSONField(_("ID numbers"), default=list, blank=True)
    phones = models.JSONField(_("phone numbers"), default=list, blank=True)
    raw = models.JSONField(_("row as received"), default=dict)
    ingested_at = models.DateTimeField(_("ingested"), auto_now=True, db_index=True)
    # The load and the line of its file that last wrote the linked record: a later row of the same file
    # with the same external id is then known as a duplicate, across batches and resumed runs.
    # No constraint or index: it is only ever compared with the run being loaded.
    ingest_run = models.ForeignKey(
        "IngestRun", verbose_name=_("ingest run"), null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, db_index=False, related_name="+",
    )
    ingest_line = models.PositiveIntegerField(_("line in the file"), null=True, blank=True)

    class Meta:
        verbose_name = _("linked record")
        verbose_name_plural = _("linked records")
        constraints = [
            models.UniqueConstraint(fields=["system", "external_id"], name="one_record_per_external_id"),
        ]

    def __str__(self) -> str:
        return f"{self.system_id}:{self.external_id} {self.title[:40]}"


class KeyKind(models.TextChoices):
    """What a record key's value is (search/ingest/keys.py normalises each kind)."""

    ID_NUMBER = "id_number", _("ID number")
    CREDIT_CODE = "credit_code", _("Unified social credit code")
    PHONE = "phone", _("Phone number")
    PLATE = "plate", _("Licence plate")
    ADDRESS = "address", _("Address")
    PROJECT = "project", _("Project code")
    # Government units are named in the rows without a code (an official's 工作单位, a tender's
    # 招标人, a payment's 预算单位): their name is the only key that joins them.
    ORGANISATION = "organisation", _("Organisation name")


class RecordKey(models.Model):
    """One person ID, credit code, phone, plate, address, project or unit named in a linked record,
    normalised, with the role it plays there (payee, bidder, deceased…): what warning models join
    on (DESIGN §12). Written by ingestion, as the system's field mapping declares
    (search/ingest/mapping.py), and replaced with the record's other fields."""

    record = models.ForeignKey(
        Record, verbose_name=_("linked record"), on_delete=models.CASCADE, related_name="record_keys"
    )
    # The record's system again, so that a model filters keys by system without joining records;
    # no index of its own: the (system, kind, role, value) index serves it.
    system = models.ForeignKey(
        SourceSystem, verbose_name=_("linked system"), on_delete=models.CASCADE, db_index=False,
        related_name="+",
    )
    role = models.CharField(_("role in the linked record"), max_length=40)
    kind = models.CharField(_("kind of key"), max_length=20, choices=KeyKind.choices)
    # Normalised (search.ingest.keys); indexed under (kind, value), as every join names the kind.
    value = models.CharField(_("normalised value"), max_length=200)
    # The record's date unless the key declares a column of its own; empty when that column is.
    date = models.DateField(_("date"), null=True, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("record key")
        verbose_name_plural = _("record keys")
        indexes = [
            models.Index(fields=["kind", "value"], name="record_key_kind_value"),
            models.Index(fields=["system", "kind", "role", "value"], name="record_key_system_role"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} {self.role} {self.kind}:{self.value}"


class MaskedText(models.Model):
    """A linked record's title, text and names masked, for those whose masking changes them, and
    the numbers read in them: what the embedded backend matches the words of a reader who may not
    see identifiers against (search/index/masked_text.py). Written only with the search index."""

    record = models.OneToOneField(Record, primary_key=True, on_delete=models.CASCADE, related_name="+")
    title = models.TextField()
    body = models.TextField()
    names = models.TextField()  # one a line
    numbers = models.TextField()  # each between two "#"

    class Meta:
        db_table = "search_record_masked"

    def __str__(self) -> str:
        return f"{self.record_id} {self.title[:40]}"


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
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=IngestState.choices, default=IngestState.RUNNING
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    # Every row read is counted once: loaded (a new linked record), updated (it replaced one loaded
    # before this run), duplicate (a later row of the file has the same external id and replaced
    # it) or rejected. The four add up to rows_done.
    rows_loaded = models.PositiveIntegerField(_("rows loaded"), default=0)
    rows_updated = models.PositiveIntegerField(_("rows updated"), default=0)
    rows_duplicate = models.PositiveIntegerField(_("duplicate rows"), default=0)
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
    """A row that could not be loaded, quarantined with its reason (nothing dropped silently), or
    one that a later row of the same file replaced (``replaced_by_line``: the later row wins)."""

    run = models.ForeignKey(
        IngestRun, verbose_name=_("ingest run"), on_delete=models.CASCADE, related_name="rejected"
    )
    line = models.PositiveIntegerField(_("row number"))
    reason = models.TextField(_("reason"))
    raw = models.TextField(_("row as received"))
    replaced_by_line = models.PositiveIntegerField(_("replaced by row"), null=True, blank=True)

    class Meta:
        verbose_name = _("rejected row")
        verbose_name_plural = _("rejected rows")
        ordering = ["run", "line"]
        constraints = [models.UniqueConstraint(fields=["run", "line"], name="one_rejection_per_row")]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.line}"


# --- permissions of linked systems -----------------------------------------------------------


class SystemGrant(models.Model):
    """Who may search one linked system (DESIGN §7, permissions).

    A grant matches the agency a user acts for and their role in it. Blank fields match
    anything: a grant with only a supervision class opens the system to every role of every
    body of that class. Without a matching grant a system does not exist for the user.
    """

    system = models.ForeignKey(
        SourceSystem, verbose_name=_("linked system"), on_delete=models.CASCADE, related_name="grants"
    )
    supervision_class = models.CharField(
        _("supervision class"), max_length=20, blank=True, choices=SupervisionClass.choices
    )
    agency_kind = models.CharField(_("agency kind"), max_length=20, blank=True, choices=AgencyKind.choices)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=20, blank=True, choices=Role.choices)
    may_see_identifiers = models.BooleanField(_("may see ID and phone numbers"), default=False)
    may_export = models.BooleanField(_("may export"), default=True)

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        ordering = ["system", "supervision_class", "agency_kind", "role"]

    def __str__(self) -> str:
        who = self.agency or self.get_supervision_class_display() or self.get_agency_kind_display() or "*"
        return f"{self.system_id} · {who} · {self.get_role_display() or '*'}"


class AccessAction(models.TextChoices):
    SEARCH = "search", _("Search")
    VIEW = "view", _("Linked record viewed")
    EXPORT = "export", _("Export")
    BATCH = "batch", _("Batch search")
    SAVED = "saved", _("Saved search")
    HARVEST = "harvest", _("Harvested into a clue")
    # Warning models (search.detection): every change of a model, every run, every warning read
    # and disposed of is on the search log too.
    MODEL_SAVED = "model", _("Warning model changed")
    MODEL_RUN = "model_run", _("Warning model run")
    WARNING_VIEWED = "warning", _("Warning viewed")
    WARNING_DISPOSED = "disposed", _("Warning disposed of")


class AccessLog(models.Model):
    """One entry of the search log: a search, linked record view or export, written once, never
    changed or deleted.

    ``save`` refuses an update and ``delete`` refuses; on PostgreSQL a trigger refuses
    UPDATE and DELETE as well, so not even raw SQL rewrites the search log.
    """

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("agency"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    systems = models.JSONField(_("linked systems"), default=list)
    query = models.TextField(_("query"), blank=True)
    purpose = models.TextField(_("stated purpose"), blank=True)
    record = models.ForeignKey(
        Record, verbose_name=_("linked record"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    hits = models.PositiveIntegerField(_("hits"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("search log entry")
        verbose_name_plural = _("search log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} · {self.user_id} · {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The search log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The search log is append-only.")


# --- investigators' work: saved searches, batch searches, exports ---------------------------


class JobState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Stopped with an error")


class SavedSearch(models.Model):
    """A query kept by its owner and run against newly ingested linked records; each new hit is told
    once."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="saved_searches",
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.TextField(_("query"))
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    purpose = models.TextField(_("stated purpose"), blank=True)
    is_active = models.BooleanField(_("alerts on"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Linked records ingested at or after this moment are the next run's new ones.
    checked_until = models.DateTimeField(_("checked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["owner", "name"]

    def __str__(self) -> str:
        return self.name


class SavedSearchHit(models.Model):
    """A linked record a saved search has matched; the unique pair is what makes "once" hold."""

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="hits")
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    found_at = models.DateTimeField(_("found"), auto_now_add=True)
    notified_at = models.DateTimeField(_("told"), null=True, blank=True)

    class Meta:
        verbose_name = _("saved-search hit")
        verbose_name_plural = _("saved-search hits")
        ordering = ["-found_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["saved_search", "record"], name="one_hit_per_saved_search_record"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.saved_search_id}:{self.record_id}"


class BatchKind(models.TextChoices):
    NAMES = "names", _("Names")
    CREDIT_CODES = "credit_codes", _("Unified social credit codes")
    KEYWORDS = "keywords", _("Keywords")


class BatchSearch(models.Model):
    """A list of terms searched against every system the owner may read, in the background."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="+"
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind of terms"), max_length=20, choices=BatchKind.choices)
    terms = models.JSONField(_("terms"), default=list)
    systems = models.JSONField(_("linked systems searched"), default=list)
    purpose = models.TextField(_("stated purpose"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    terms_done = models.PositiveIntegerField(_("terms searched"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("batch search")
        verbose_name_plural = _("batch searches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class BatchCell(models.Model):
    """One cell of a batch search's matrix: how many linked records of a system match one term."""

    batch = models.ForeignKey(BatchSearch, on_delete=models.CASCADE, related_name="cells")
    position = models.PositiveIntegerField(_("term number"))
    term = models.CharField(_("term"), max_length=200)
    system = models.CharField(_("linked system"), max_length=40)
    hits = models.PositiveIntegerField(_("hits"))

    class Meta:
        ordering = ["batch", "position", "system"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position", "system"], name="one_cell_per_term_system"),
        ]

    def __str__(self) -> str:
        return f"{self.term} · {self.system}: {self.hits}"


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel (.xlsx)"


class ExportJob(models.Model):
    """A whole result set written to a file in the background, for its owner only."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="+"
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    query = models.TextField(_("query"))
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    sort = models.CharField(_("sort"), max_length=10, default="date")
    format = models.CharField(_("format"), max_length=5, choices=ExportFormat.choices)
    purpose = models.TextField(_("stated purpose"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows to write"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.owner_id} · {self.query[:40]}"


# --- harvest: clues pushed to the board ------------------------------------------------------


class Clue(models.Model):
    """问题线索: hits an investigator judged worth pursuing, kept as evidence, pushed as an issue."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="clues"
    )
    query = models.TextField(_("query that found it"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    issue = models.OneToOneField(
        "issues.Issue",
        verbose_name=_("issue on the board"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clue",
    )
    pushed_at = models.DateTimeField(_("pushed"), null=True, blank=True)

    class Meta:
        verbose_name = _("clue")
        verbose_name_plural = _("clues")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class ClueEvidence(models.Model):
    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="evidence")
    record = models.ForeignKey(
        Record, verbose_name=_("linked record"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["clue", "added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["clue", "record"], name="one_evidence_per_record")]

    def __str__(self) -> str:
        return f"{self.clue_id}:{self.record_id}"


# --- the query language's synonyms ----------------------------------------------------------------


class SynonymGroup(models.Model):
    """Words that mean the same to an investigator (低保、最低生活保障): an unquoted search for any
    of them finds linked records holding any of them (search.investigate.interpret).
    Administrators keep the list."""

    MAX_WORDS = 8
    MAX_WORD_LENGTH = 30
    SEPARATORS = "、,，;；\n"

    words = models.CharField(
        _("words"),
        max_length=300,
        unique=True,
        help_text=_("Two to eight words or phrases that mean the same, separated by 、 or commas, "
                    "e.g. 低保、最低生活保障."),
    )

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")
        ordering = ["words"]

    def __str__(self) -> str:
        return self.words

    @classmethod
    def split(cls, text: str) -> list[str]:
        """The distinct words of ``text`` in their order, spaces inside a word kept single."""
        for separator in cls.SEPARATORS[1:]:
            text = text.replace(separator, cls.SEPARATORS[0])
        words: list[str] = []
        for word in text.split(cls.SEPARATORS[0]):
            word = " ".join(word.split())
            if word and word.casefold() not in {known.casefold() for known in words}:
                words.append(word)
        return words

    @property
    def word_list(self) -> list[str]:
        return self.split(self.words)

    def clean(self):
        words = self.split(self.words or "")
        if len(words) < 2:
            raise ValidationError({"words": _("Write at least two words that mean the same.")})
        if len(words) > self.MAX_WORDS:
            raise ValidationError(
                {"words": _("At most %(limit)d words in one group.") % {"limit": self.MAX_WORDS}}
            )
        for word in words:
            if len(word) > self.MAX_WORD_LENGTH or any(mark in word for mark in '"“”()（）:：'):
                raise ValidationError({"words": _(
                    "“%(word)s” cannot be searched for as one word: at most %(limit)d characters, "
                    "without quotation marks, parentheses or colons."
                ) % {"word": word[:40], "limit": self.MAX_WORD_LENGTH}})
        self.words = "、".join(words)
