"""Who may do what with warning models, and what they read (DESIGN §12, governance).

A model reads only the linked systems its owning agency may read (``readable_by_agency`` in
search.investigate.permissions, the one decision of who reads what): a version naming another
system is refused when it is saved, and a grant revoked since leaves that system out of the
next run. The members of the owning agency build, switch and run its models and see its
warnings; anyone else finds neither, as if they did not exist. Every model change, run, warning
viewed and disposed of is written to the search log, by the functions here.
"""

from __future__ import annotations

from django.http import Http404

from agencies.models import Membership

from ..investigate import permissions as reading
from ..models import AccessAction
from .models import Exemption, ScreeningList, Warning, WarningModel, WarningModelVersion


def readable_systems(agency) -> dict[str, int]:
    """The linked systems the agency's models may read now: code → id."""
    return {code: access.system.pk for code, access in reading.readable_by_agency(agency).items()}


def unreadable(agency, codes) -> list[str]:
    """Of the systems named, those the agency may not read, sorted."""
    readable = readable_systems(agency)
    return sorted(code for code in codes if code not in readable)


def reader_of(acting_user, agency) -> reading.Reader | None:
    """The user as they act for ``agency``, or None when they are no member of it."""
    membership = Membership.objects.filter(user=acting_user, agency=agency).select_related("agency").first()
    return reading.Reader.of(membership) if membership else None


def operator(agency) -> reading.Reader:
    """Who a run nobody started acts as (the nightly run, the one after an ingest, the command
    line): the owning agency itself, with no user."""
    return reading.Reader(user=None, agency=agency, role="")


def agency_models(agency):
    """The agency's warning models, by scenario and name."""
    return WarningModel.objects.filter(agency=agency).select_related("scenario", "active_version").order_by(
        "scenario", "name")


def models_of(reader: reading.Reader | None):
    """The warning models of the reader's agency; none for someone acting for no agency."""
    return WarningModel.objects.none() if reader is None else agency_models(reader.agency)


def access_model(reader: reading.Reader | None, pk) -> WarningModel:
    """The model, if it is one of the reader's agency's; 404 alike when missing or not theirs."""
    try:
        return models_of(reader).get(pk=int(pk))
    except (WarningModel.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def access_warning(reader: reading.Reader | None, pk) -> Warning:
    """The warning, if it is one of the reader's agency's; 404 alike when missing or not theirs."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    warning = (
        Warning.objects.select_related("model", "version").filter(pk=pk, model__agency=reader.agency).first()
        if reader else None
    )
    if warning is None:
        raise Http404
    return warning


# --- the search log -----------------------------------------------------------------------------------
def log_model_change(reader: reading.Reader, version: WarningModelVersion, what: str) -> None:
    reading.log(reader, AccessAction.MODEL_SAVED, systems=version.systems,
                query=f"{version.model.key} v{version.number}: {what}")


def log_exemption(reader: reading.Reader, exemption: Exemption) -> None:
    """An exemption changes what a model raises: on the search log, with its kind and expiry but
    not its value (an ID number written once, where it is needed)."""
    model = exemption.model
    key = model.key if model else "*"
    reading.log(reader, AccessAction.MODEL_SAVED,
                systems=model.active_version.systems if model and model.active_version else (),
                query=f"{key}: exempted {exemption.kind} until {exemption.expires_on}")


def log_exemption_ended(reader: reading.Reader, exemption: Exemption) -> None:
    model = exemption.model
    reading.log(reader, AccessAction.MODEL_SAVED,
                systems=model.active_version.systems if model and model.active_version else (),
                query=f"{model.key if model else '*'}: exemption #{exemption.pk} of {exemption.kind} ended")


def log_screening_list_change(reader: reading.Reader, screening_list: ScreeningList, what: str) -> None:
    """A list changes what the re-screen models raise, so its changes are model changes on the
    search log; the values added are not written there, only how many."""
    reading.log(reader, AccessAction.MODEL_SAVED, query=f"screening list {screening_list.code}: {what}")


def access_screening_list(reader: reading.Reader | None, pk) -> ScreeningList:
    """The list, if it is one of the reader's agency's; 404 alike when missing or not theirs."""
    if reader is None:
        raise Http404
    try:
        return ScreeningList.objects.get(pk=int(pk), agency=reader.agency)
    except (ScreeningList.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def access_exemption(reader: reading.Reader | None, pk) -> Exemption:
    if reader is None:
        raise Http404
    try:
        return Exemption.objects.select_related("model").get(pk=int(pk), agency=reader.agency)
    except (Exemption.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def log_run(reader: reading.Reader, model: WarningModel, version: WarningModelVersion, mode: str,
            systems, new_warnings: int | None) -> None:
    reading.log(reader, AccessAction.MODEL_RUN, systems=systems,
                query=f"{model.key} v{version.number}: {mode}", hits=new_warnings)


def log_warnings_exported(model: WarningModel, count: int, *, systems, masked: bool, reason: str = "",
                          operator_name: str = "") -> None:
    """An export of the model's warnings from the command line: the operator acts for the owning
    agency (no user signs in there), so the account they ran it under is named in the entry; an
    export with identifiers in full carries its reason as the stated purpose."""
    shown = "masked" if masked else "unmasked"
    by = f" by {operator_name}" if operator_name else ""
    reading.log(operator(model.agency), AccessAction.EXPORT, systems=systems,
                query=f"{model.key}: {count} warnings exported ({shown}){by}", purpose=reason, hits=count)


def log_warning_viewed(reader: reading.Reader, warning: Warning, *, ip: str | None = None) -> None:
    """What the warning page calls once it has the warning (``access_warning``)."""
    reading.log(reader, AccessAction.WARNING_VIEWED, systems=warning.version.systems,
                query=_warning_words(warning), ip=ip)


def log_warning_disposed(reader: reading.Reader, warning: Warning, *, ip: str | None = None) -> None:
    """What the triage's disposition action calls, in its transaction, once the state has moved."""
    reading.log(reader, AccessAction.WARNING_DISPOSED, systems=warning.version.systems,
                query=f"{_warning_words(warning)}: {warning.state}", ip=ip)


def _warning_words(warning: Warning) -> str:
    return f"{warning.model.key} #{warning.pk} {warning.fingerprint[:12]}"
