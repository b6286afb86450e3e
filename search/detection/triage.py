"""Every change the triage makes to warnings (DESIGN §12, triage and funnel): taking one into
triage, assigning it, and disposing of it (confirmed, explained, duplicate, false positive),
one by one or several at once; exempting one of its subjects, which explains it.

Each takes the acting user and the agency they act for keyword-only, answers a warning that is
not the agency's as if it did not exist, changes the data in one transaction (compare-and-set on
the warning's state, so two people disposing of it at once cannot both succeed), writes a step of
the warning's history (``WarningEvent``) and, for a disposition, the search log. A confirmed
warning goes on as a clue (``search.harvest.actions``) made of the evidence the user may read,
or added to a clue of the agency not yet pushed; the clue's own push puts it on the board.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Membership

from ..harvest import actions as harvest
from ..investigate import permissions as reading
from ..models import Clue
from . import actions as detection
from .models import OPEN_STATES, Exemption, TriageStep, Warning, WarningEvent, WarningState
from .permissions import log_warning_disposed, reader_of

REASON_MAX_LENGTH = 2000
# What ``dispose`` sets; a confirmation goes through ``confirm``, which makes or feeds a clue.
DISPOSED_WITHOUT_CLUE = (WarningState.EXPLAINED, WarningState.DUPLICATE, WarningState.FALSE_POSITIVE)


class TriageError(Exception):
    """The warning cannot be taken, assigned or disposed of; the message, for the user, says why."""


def _reader(acting_user, agency) -> reading.Reader:
    reader = reader_of(acting_user, agency) if acting_user is not None else None
    if reader is None:
        raise TriageError(_("You do not act for this agency."))
    return reader


def _locked(agency, ids: Iterable) -> list[Warning]:
    """The agency's warnings of ``ids``, locked, in the order given; every one open, or nothing."""
    try:
        wanted = list(dict.fromkeys(int(pk) for pk in ids))
    except (TypeError, ValueError):
        raise TriageError(_("Choose warnings from the list.")) from None
    if not wanted:
        raise TriageError(_("Choose at least one warning."))
    found = {
        warning.pk: warning for warning in Warning.objects.select_for_update(of=("self",))
        .select_related("model", "version").filter(pk__in=wanted, model__agency=agency)
    }
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise TriageError(_("Warning %(id)s does not exist.") % {"id": missing[0]})
    closed = [pk for pk in wanted if not found[pk].is_open]
    if closed:
        raise TriageError(
            _("Warning %(id)s has been disposed of already; nothing was changed.") % {"id": closed[0]}
        )
    return [found[pk] for pk in wanted]


def _reason(reason) -> str:
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if not reason:
        raise TriageError(_("Give the reason for the disposition."))
    if len(reason) > REASON_MAX_LENGTH:
        raise TriageError(
            _("The reason is too long: at most %(max)d characters.") % {"max": REASON_MAX_LENGTH}
        )
    return reason


def _member(agency, user) -> None:
    if user is None or not Membership.objects.filter(agency=agency, user=user, user__is_active=True).exists():
        raise TriageError(_("A warning can be assigned only to a member of the agency that owns it."))


def _step(warning: Warning, step: str, acting_user, *, reason: str = "") -> WarningEvent:
    return WarningEvent.objects.create(
        warning=warning, step=step, actor=acting_user,
        actor_name=acting_user.get_full_name() or acting_user.get_username(),
        assigned_to=warning.assigned_to, state=warning.state, reason=reason,
    )


def _move(warning: Warning, **changes) -> None:
    """Compare-and-set: the warning still open, as it was locked."""
    updated = Warning.objects.filter(pk=warning.pk, state__in=OPEN_STATES).update(**changes)
    if not updated:
        raise TriageError(
            _("Warning %(id)s has been disposed of already; nothing was changed.") % {"id": warning.pk}
        )
    for name, value in changes.items():
        setattr(warning, name, value)


# --- taking and assigning -----------------------------------------------------------------------------
def take(*, acting_user, agency, warning) -> Warning:
    """Take the warning into triage, assigned to the acting user unless it has someone already."""
    assign_many(acting_user=acting_user, agency=agency, warnings=[warning.pk], assignee=None)
    return Warning.objects.get(pk=warning.pk)


def assign(*, acting_user, agency, warning, assignee) -> Warning:
    assign_many(acting_user=acting_user, agency=agency, warnings=[warning.pk], assignee=assignee)
    return Warning.objects.get(pk=warning.pk)


def assign_many(*, acting_user, agency, warnings: Iterable, assignee) -> int:
    """Assign the open warnings (ids) to ``assignee``, a member of the agency, and so into triage;
    with no assignee, take them (each keeps whoever it was assigned to, else the acting user).
    All or none: a warning not open or not the agency's refuses the lot."""
    _reader(acting_user, agency)
    if assignee is not None:
        _member(agency, assignee)
    with transaction.atomic():
        chosen = _locked(agency, warnings)
        for warning in chosen:
            person = assignee or warning.assigned_to or acting_user
            _move(warning, state=WarningState.IN_TRIAGE, assigned_to=person)
            _step(warning, TriageStep.ASSIGNED if assignee else TriageStep.TAKEN, acting_user)
    return len(chosen)


# --- disposing ----------------------------------------------------------------------------------------
def _disposed(reader, warning: Warning, acting_user, state: str, reason: str, ip, **more) -> None:
    _move(warning, state=state, disposition_reason=reason, disposed_by=acting_user,
          disposed_at=timezone.now(), **more)
    _step(warning, TriageStep.DISPOSED, acting_user, reason=reason)
    log_warning_disposed(reader, warning, ip=ip)


def dispose(*, acting_user, agency, warning, state: str, reason: str, duplicate_of=None,
            ip: str | None = None) -> Warning:
    """Explained, duplicate (of ``duplicate_of``, a warning id, if named) or false positive."""
    dispose_many(acting_user=acting_user, agency=agency, warnings=[warning.pk], state=state, reason=reason,
                 duplicate_of=duplicate_of, ip=ip)
    return Warning.objects.get(pk=warning.pk)


def dispose_many(*, acting_user, agency, warnings: Iterable, state: str, reason: str, duplicate_of=None,
                 ip: str | None = None) -> int:
    """Dispose of the open warnings (ids) alike, in one transaction; all or none."""
    reader = _reader(acting_user, agency)
    if state not in DISPOSED_WITHOUT_CLUE:
        raise TriageError(_("Choose how the warning is disposed of."))
    reason = _reason(reason)
    with transaction.atomic():
        chosen = _locked(agency, warnings)
        original = _original(agency, duplicate_of, chosen) if state == WarningState.DUPLICATE else None
        for warning in chosen:
            _disposed(reader, warning, acting_user, state, reason, ip, duplicate_of=original)
    return len(chosen)


def _original(agency, pk, chosen: list[Warning]) -> Warning | None:
    """The warning the duplicates repeat: another of the agency's, not one of them."""
    if pk in (None, ""):
        return None
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise TriageError(_("Name the other warning by its number.")) from None
    original = Warning.objects.filter(pk=pk, model__agency=agency).first()
    if original is None:
        raise TriageError(_("Warning %(id)s does not exist.") % {"id": pk})
    if any(warning.pk == pk for warning in chosen):
        raise TriageError(_("A warning cannot be a duplicate of itself."))
    return original


def confirm(*, acting_user, agency, warning, reason: str, clue: Clue | None = None, title: str = "",
            ip: str | None = None) -> Clue:
    """Confirm the warning: its evidence that the user may read becomes a new clue (titled
    ``title``, else after the model), or is added to ``clue``, a clue of the agency not yet
    pushed; the warning then names its clue. Returns the clue."""
    reader = _reader(acting_user, agency)
    reason = _reason(reason)
    accesses = reading.readable(reader)
    with transaction.atomic():
        (warning,) = _locked(agency, [warning.pk])
        records = list(
            warning.evidence.filter(record__system__code__in=list(accesses))
            .values_list("record_id", flat=True)
        )
        if not records:
            raise TriageError(_("None of the warning's evidence records is in a system you may read."))
        query = _("Warning %(id)d of the model “%(model)s”") % {"id": warning.pk, "model": warning.model.name}
        try:
            if clue is None:
                clue = harvest.create_clue(
                    acting_user=acting_user, agency=agency, title=(title or "").strip() or query,
                    summary=reason, records=records, query=query, ip=ip,
                )
            else:
                harvest.add_evidence(acting_user=acting_user, agency=agency, clue=clue, records=records,
                                     query=query, ip=ip)
        except harvest.ClueError as error:
            raise TriageError(str(error)) from None
        _disposed(reader, warning, acting_user, WarningState.CONFIRMED, reason, ip, clue=clue)
    return clue


def exempt_subject(*, acting_user, agency, warning, subject: int, whole_agency: bool, reason: str,
                   expires_on, dispose: bool = True, ip: str | None = None) -> Exemption:
    """Exempt one of the warning's subjects (its index in ``warning.subjects``), for the warning's
    model or every model of the agency; the warning itself, when ``dispose`` and still open, is
    explained by the same reason in the same transaction, as the benign key it names explains it."""
    reader = _reader(acting_user, agency)
    try:
        kind, value = warning.subjects[int(subject)]
    except (IndexError, TypeError, ValueError):
        raise TriageError(_("Choose one of the warning's subjects.")) from None
    with transaction.atomic():
        try:
            exemption = detection.exempt(acting_user=acting_user, agency=agency, kind=kind, value=value,
                                         reason=reason, expires_on=expires_on,
                                         model=None if whole_agency else warning.model)
        except detection.DetectionError as error:
            raise TriageError(str(error)) from None
        if dispose and warning.state in OPEN_STATES:
            (locked,) = _locked(agency, [warning.pk])
            _disposed(reader, locked, acting_user, WarningState.EXPLAINED, _reason(reason), ip)
    return exemption
