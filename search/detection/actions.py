"""Every change detection makes (DESIGN §3, §12): warning models and their versions, switching
them on and back, runs and the warnings they write, backtests on record, exemptions and
screening lists.

Each takes the acting user keyword-only (None: an operator at the command line, the nightly run,
the seed), checks that they act for the owning agency, changes the data in one transaction and
writes the search log (``permissions``). Views, tasks, the command line and tests call these
functions and nothing else.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..ingest.keys import NORMALISERS
from ..models import KeyKind
from . import live, patterns, runs, screening
from .backtest import Preview, preview
from .models import (
    OPEN_STATES,
    DetectionRun,
    Exemption,
    RunMode,
    RunState,
    Scenario,
    ScreeningEntry,
    ScreeningList,
    Warning,
    WarningEvidence,
    WarningModel,
    WarningModelVersion,
)
from .permissions import (
    log_exemption,
    log_exemption_ended,
    log_model_change,
    log_run,
    log_screening_list_change,
    operator,
    reader_of,
    unreadable,
)

# A lock older than this belongs to a run that died without releasing it (a killed worker): the
# next run takes it over. No run of a model is expected to take this long at 10M records.
STALE_LOCK = datetime.timedelta(hours=6)
CHUNK = 500  # warnings written, and looked up, at a time
Progress = Callable[[int, int], None]  # warnings written, warnings to write


class DetectionError(Exception):
    """The change cannot be made; the message, for the user, says why."""


class ModelBusy(DetectionError):
    """Another run of the model holds its lock."""


class VersionRefused(DetectionError):
    """The parameters are not valid, or name a linked system the owning agency may not read;
    ``errors`` are the form's, by field, for the page to show beside each one."""

    def __init__(self, message: str, errors: dict | None = None):
        super().__init__(message)
        self.errors = errors or {}


def _acting(acting_user, agency):
    if acting_user is None:
        return operator(agency)
    reader = reader_of(acting_user, agency)
    if reader is None:
        raise DetectionError(_("You do not act for the agency that owns this warning model."))
    return reader


# --- models and versions ------------------------------------------------------------------------------
def create_model(*, acting_user, key: str, name: str, scenario: Scenario, agency, template: str,
                 parameters: dict, severity: str, name_en: str = "", description: str = "",
                 note: str = "") -> WarningModelVersion:
    """A new warning model, switched off, and its version 1."""
    reader = _acting(acting_user, agency)
    cleaned, systems = _checked(agency, template, parameters)
    with transaction.atomic():
        try:
            with transaction.atomic():
                model = WarningModel.objects.create(
                    key=key, name=name, name_en=name_en, description=description, scenario=scenario,
                    agency=agency, severity=severity,
                )
        except IntegrityError:
            raise DetectionError(
                _("A warning model with the key %(key)s exists already.") % {"key": key}
            ) from None
        version = _add_version(model, acting_user, template, cleaned, systems, severity, note)
        log_model_change(reader, version, "created")
    return version


def save_version(*, acting_user, model: WarningModel, template: str, parameters: dict,
                 severity: str | None = None, note: str = "") -> WarningModelVersion:
    """Version n+1 of ``model``; the version switched on stays on until another is switched on."""
    reader = _acting(acting_user, model.agency)
    cleaned, systems = _checked(model.agency, template, parameters)
    with transaction.atomic():
        model = WarningModel.objects.select_for_update().get(pk=model.pk)
        severity = severity or model.severity
        version = _add_version(model, acting_user, template, cleaned, systems, severity, note)
        log_model_change(reader, version, "saved")
    return version


def _checked(agency, template: str, parameters) -> tuple[dict, list[str]]:
    """The parameters as the template's form cleans them, and the systems they name; refused
    when they are not valid or name a system the agency may not read."""
    try:
        pattern = patterns.template(template)
    except patterns.UnknownTemplate as error:
        raise VersionRefused(str(error)) from None
    form = pattern.form(parameters if isinstance(parameters, dict) else {})
    if not form.is_valid():
        problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        raise VersionRefused(_("The parameters are not valid (%(problems)s).") % {"problems": problems},
                             form.errors.get_json_data())
    cleaned = form.parameters()
    systems = sorted(pattern.systems(cleaned))
    refused = unreadable(agency, systems)
    if refused:
        raise VersionRefused(_("The owning agency may not read these linked systems: %(systems)s.")
                             % {"systems": "、".join(refused)})
    screened = cleaned.get("screening_list")
    if screened and not ScreeningList.objects.filter(code=screened, agency=agency).exists():
        raise VersionRefused(_("The screening list is not one of the owning agency's."))
    return cleaned, systems


def _add_version(model, author, template, parameters, systems, severity, note) -> WarningModelVersion:
    number = (model.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    return WarningModelVersion.objects.create(
        model=model, number=number, template=template, parameters=parameters, systems=systems,
        severity=severity, author=author, note=note,
    )


def backtest(*, acting_user, version: WarningModelVersion, sample_size: int = 20) -> Preview:
    """Run the version over the current records without writing a warning, and keep the run on
    record (what switching it on asks for): how many it would raise, a sample, how long it took."""
    model = version.model
    reader = _acting(acting_user, model.agency)
    started = timezone.now()
    result = preview(version, sample_size=sample_size)
    with transaction.atomic():
        DetectionRun.objects.create(
            version=version, mode=RunMode.BACKTEST, state=RunState.DONE, started_by=acting_user,
            started_at=started, finished_at=started + datetime.timedelta(seconds=result.seconds),
            total=result.warnings, done=result.warnings, warnings_found=result.warnings,
            new_warnings=result.new_warnings, exempted=result.exempted,
            systems_dropped=result.systems_dropped,
        )
        log_run(reader, model, version, RunMode.BACKTEST, result.systems_read, result.new_warnings)
    return result


def switch_on(*, acting_user, version: WarningModelVersion) -> WarningModel:
    """Make ``version`` the one that runs; it must have been backtested (DESIGN §12)."""
    reader = _acting(acting_user, version.model.agency)
    if not DetectionRun.objects.filter(version=version, mode=RunMode.BACKTEST, state=RunState.DONE).exists():
        raise DetectionError(
            _("Backtest version %(number)d before switching it on.") % {"number": version.number}
        )
    refused = unreadable(version.model.agency, version.systems)
    if refused:
        raise DetectionError(_("The owning agency may no longer read these linked systems: %(systems)s.")
                             % {"systems": "、".join(refused)})
    with transaction.atomic():
        WarningModel.objects.filter(pk=version.model_id).update(active_version=version, is_active=True)
        log_model_change(reader, version, "switched on")
    return WarningModel.objects.get(pk=version.model_id)


def switch_back(*, acting_user, model: WarningModel) -> WarningModel:
    """Switch on the latest version before the one that is on, among those backtested."""
    if model.active_version is None:
        raise DetectionError(_("No version of this model is switched on."))
    earlier = (
        model.versions.filter(number__lt=model.active_version.number, runs__mode=RunMode.BACKTEST,
                              runs__state=RunState.DONE)
        .order_by("-number").first()
    )
    if earlier is None:
        raise DetectionError(_("No earlier version of this model was backtested."))
    return switch_on(acting_user=acting_user, version=earlier)


def switch_off(*, acting_user, model: WarningModel) -> WarningModel:
    reader = _acting(acting_user, model.agency)
    with transaction.atomic():
        WarningModel.objects.filter(pk=model.pk).update(is_active=False)
        if model.active_version:
            log_model_change(reader, model.active_version, "switched off")
    return WarningModel.objects.get(pk=model.pk)


# --- runs ---------------------------------------------------------------------------------------------------
@dataclass
class Written:
    new_warnings: int = 0
    evidence_added: int = 0


def run_model(model: WarningModel, *, acting_user=None, scope: runs.Scope = runs.FULL,
              progress: Progress | None = None) -> DetectionRun:
    """Run the version switched on over ``scope``'s records and write what it finds: new warnings
    and the new evidence of open ones, all in one transaction. One run of a model at a time: a
    second start raises ModelBusy. The run's row is its progress and its outcome."""
    reader = _acting(acting_user, model.agency)
    model = WarningModel.objects.select_related("active_version", "agency").get(pk=model.pk)
    version = model.active_version
    if not model.is_active or version is None:
        raise DetectionError(_("The warning model %(key)s is not switched on.") % {"key": model.key})
    _lock(model)
    try:
        run = DetectionRun.objects.create(
            version=version, mode=RunMode.FULL if scope.is_full else RunMode.INCREMENTAL,
            scope=scope.as_json(), started_by=acting_user,
        )
        try:
            findings = runs.find(version, scope)
            DetectionRun.objects.filter(pk=run.pk).update(
                total=len(findings.hits), warnings_found=len(findings.hits), exempted=findings.exempted,
                systems_dropped=findings.systems_dropped,
            )
            with transaction.atomic():
                written = _write(run, model, version, findings.hits, progress)
                DetectionRun.objects.filter(pk=run.pk).update(
                    state=RunState.DONE, done=len(findings.hits), finished_at=timezone.now(),
                    new_warnings=written.new_warnings, evidence_added=written.evidence_added,
                )
                log_run(reader, model, version, run.mode, findings.systems_read, written.new_warnings)
                if written.new_warnings:
                    live.announce_raised(model, written.new_warnings)
        except Exception as error:
            DetectionRun.objects.filter(pk=run.pk).update(
                state=RunState.FAILED, error=str(error) or type(error).__name__, finished_at=timezone.now()
            )
            raise
    finally:
        WarningModel.objects.filter(pk=model.pk).update(running_since=None)
    run.refresh_from_db()
    return run


def _lock(model: WarningModel) -> None:
    """Compare-and-set on the model's lock; zero rows means another run holds it."""
    now = timezone.now()
    taken = WarningModel.objects.filter(
        Q(running_since__isnull=True) | Q(running_since__lt=now - STALE_LOCK), pk=model.pk
    ).update(running_since=now)
    if not taken:
        raise ModelBusy(
            _("The warning model %(key)s is running already; try again once that run has finished.")
            % {"key": model.key}
        )


def _write(run: DetectionRun, model: WarningModel, version: WarningModelVersion, hits: list[runs.Hit],
           progress: Progress | None) -> Written:
    """New warnings with all their evidence; for the open warnings found again, the evidence they
    lack and a new last-seen time. Disposed warnings are left as they were disposed of."""
    now, written = timezone.now(), Written()
    for start in range(0, len(hits), CHUNK):
        chunk = hits[start:start + CHUNK]
        known = {
            fingerprint: (pk, state) for pk, fingerprint, state in Warning.objects.filter(
                fingerprint__in=[hit.fingerprint for hit in chunk]
            ).values_list("pk", "fingerprint", "state")
        }
        fresh = [hit for hit in chunk if hit.fingerprint not in known]
        made = Warning.objects.bulk_create([
            Warning(model=model, version=version, fingerprint=hit.fingerprint, subjects=hit.subjects,
                    severity=version.severity, first_seen=now, last_seen=now)
            for hit in fresh
        ])
        targets = [(warning.pk, hit) for warning, hit in zip(made, fresh, strict=True)]
        still_open = [(known[hit.fingerprint][0], hit) for hit in chunk
                      if hit.fingerprint in known and known[hit.fingerprint][1] in OPEN_STATES]
        targets += still_open
        WarningEvidence.objects.bulk_create(
            [WarningEvidence(warning_id=pk, record_id=record, run=run)
             for pk, hit in targets for record in sorted(hit.records)],
            batch_size=2_000, ignore_conflicts=True,
        )
        Warning.objects.filter(pk__in=[pk for pk, _hit in still_open]).update(last_seen=now)
        written.new_warnings += len(made)
        done = start + len(chunk)
        DetectionRun.objects.filter(pk=run.pk).update(done=done)
        if progress:
            progress(done, len(hits))
    written.evidence_added = WarningEvidence.objects.filter(run=run).count()
    return written


def incremental_scope(model: WarningModel) -> runs.Scope:
    """The records ingested since the model's last finished run over all of them, or over all
    that were ingested since a moment, started (all records, if it never ran). A run over one
    ingest's records does not count: other loads may have come meanwhile."""
    last = (
        DetectionRun.objects.filter(version__model=model, state=RunState.DONE)
        .exclude(mode=RunMode.BACKTEST).exclude(scope__has_key="ingest_runs")
        .order_by("-started_at").first()
    )
    return runs.Scope(since=last.started_at) if last else runs.FULL


def active_models(system_code: str | None = None):
    """The models switched on, by key; with ``system_code``, those whose version reads that system."""
    models = WarningModel.objects.filter(is_active=True, active_version__isnull=False).select_related(
        "active_version", "agency").order_by("key")
    if system_code is None:
        return list(models)
    return [model for model in models if system_code in model.active_version.systems]


# --- exemptions and screening lists ---------------------------------------------------------------------
def normalised(kind: str, value: str) -> str | None:
    """A key's value as record keys store it, or None when it is no value of that kind."""
    if kind not in KeyKind.values or not isinstance(value, str):
        return None
    return NORMALISERS[kind](value)


def exempt(*, acting_user, agency, kind: str, value: str, reason: str, expires_on: datetime.date,
           model: WarningModel | None = None) -> Exemption:
    """Exempt a key (for ``model``, or every model of ``agency``) until ``expires_on``."""
    reader = _acting(acting_user, agency)
    if model is not None and model.agency_id != agency.pk:
        raise DetectionError(_("The warning model is not one of this agency's."))
    stored = normalised(kind, value)
    if stored is None:
        raise DetectionError(
            _("“%(value)s” is not a valid value of this kind of key.") % {"value": str(value)[:60]}
        )
    if not (reason or "").strip():
        raise DetectionError(_("Say why the key is benign."))
    if expires_on < timezone.localdate():
        raise DetectionError(_("An exemption cannot expire in the past."))
    with transaction.atomic():
        exemption = Exemption.objects.create(agency=agency, model=model, kind=kind, value=stored,
                                             reason=reason.strip(), author=acting_user, expires_on=expires_on)
        log_exemption(reader, exemption)
    return exemption


def end_exemption(*, acting_user, exemption: Exemption) -> Exemption:
    """End the exemption now: it expired yesterday, so the next run names its key again. The row
    stays, so the page still says who exempted what, why and until when."""
    reader = _acting(acting_user, exemption.agency)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    if exemption.expires_on <= yesterday:
        raise DetectionError(_("The exemption has ended already."))
    with transaction.atomic():
        exemption.expires_on = yesterday
        exemption.save(update_fields=["expires_on"])
        log_exemption_ended(reader, exemption)
    return exemption


def create_screening_list(*, acting_user, agency, code: str, name: str, source: str = "") -> ScreeningList:
    reader = _acting(acting_user, agency)
    try:
        with transaction.atomic():
            screening_list = ScreeningList.objects.create(code=code, name=name, agency=agency, source=source)
            log_screening_list_change(reader, screening_list, "created")
            return screening_list
    except IntegrityError:
        raise DetectionError(
            _("A screening list with the code %(code)s exists already.") % {"code": code}
        ) from None


def add_screening_entries(*, acting_user, screening_list: ScreeningList, kind: str,
                          values: Iterable[str], note: str = "") -> tuple[int, list[str]]:
    """Add values of one kind to the list, normalised; returns how many were new and the values
    that are no value of that kind (left out)."""
    _acting(acting_user, screening_list.agency)
    entries, refused = {}, []
    for value in values:
        stored = normalised(kind, value)
        if stored is None:
            refused.append(str(value)[:60])
        else:
            entries[stored] = ScreeningEntry(
                screening_list=screening_list, kind=kind, value=stored, note=note
            )
    before = screening_list.entries.count()
    ScreeningEntry.objects.bulk_create(list(entries.values()), ignore_conflicts=True)
    return screening_list.entries.count() - before, refused


def add_screening_rows(*, acting_user, screening_list: ScreeningList,
                       entries: Iterable[screening.Entry]) -> tuple[int, list[screening.Quarantined]]:
    """Add the entries read from a file (``screening.read_upload``) in one transaction; returns
    how many were added and the entries left out because the list has them already."""
    reader = _acting(acting_user, screening_list.agency)
    entries = list(entries)
    values = sorted({entry.value for entry in entries})
    with transaction.atomic():
        # Looked up a chunk at a time: a file of 100,000 values is past what one IN list may bind.
        present = set()
        for start in range(0, len(values), CHUNK):
            present.update(ScreeningEntry.objects.filter(
                screening_list=screening_list, value__in=values[start:start + CHUNK],
            ).values_list("kind", "value"))
        new = [entry for entry in entries if (entry.kind, entry.value) not in present]
        # An entry another upload added meanwhile is skipped by the unique constraint, not an error.
        ScreeningEntry.objects.bulk_create([
            ScreeningEntry(screening_list=screening_list, kind=entry.kind, value=entry.value, note=entry.note)
            for entry in new
        ], batch_size=CHUNK, ignore_conflicts=True)
        log_screening_list_change(reader, screening_list, f"{len(new)} entries added")
    already = [screening.Quarantined(entry.line, entry.kind, entry.value, _("Already in the list."))
               for entry in entries if (entry.kind, entry.value) in present]
    return len(new), already
