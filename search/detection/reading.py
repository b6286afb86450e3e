"""Warnings as the triage reads them (DESIGN §12): the agency's list and its counts, and one
warning with its subjects and evidence masked as the reader's grants say.

A warning is the owning agency's: the list holds only the warnings of its models, and the page
of any other answers 404 (``permissions.access_warning``). What a reader sees of a subject or an
evidence record is decided where search hits are (``search.masking`` with the reader's access,
``search.investigate.permissions.readable``): a subject's ID or phone number shows only to a
reader whose access shows identifiers in every system the model read.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count

from ..harvest.clues import Evidence, shown_evidence
from ..investigate import permissions as reading
from ..investigate.profiles import SLUGS as PROFILED
from ..masking import shown_key
from ..models import KeyKind
from .models import Warning, WarningEvent, WarningModel, WarningState


def warnings_of(reader: reading.Reader | None):
    """The warnings of the models the reader's agency owns, newest first (none without one)."""
    if reader is None:
        return Warning.objects.none()
    return (
        Warning.objects.filter(model__agency=reader.agency)
        .select_related("model__scenario", "version", "assigned_to")
        .order_by("-first_seen", "-id")
    )


def owns_models(reader: reading.Reader | None) -> bool:
    return reader is not None and WarningModel.objects.filter(agency=reader.agency).exists()


def members_of(agency):
    """Whom the agency's warnings may be assigned to: its active members, by name."""
    return get_user_model().objects.filter(
        memberships__agency=agency, is_active=True
    ).distinct().order_by("last_name", "first_name", "username")


def state_counts(warnings) -> list[tuple[str, str, int]]:
    """(state, label, how many) for every state, in the order of the states, zeros included."""
    counted = dict(warnings.order_by().values_list("state").annotate(n=Count("id")))
    return [(state, label, counted.get(state, 0)) for state, label in WarningState.choices]


@dataclass(frozen=True)
class Subject:
    kind: str
    kind_label: str
    value: str  # as the reader may see it
    # The stored value, for the profile link only: {% profile_link %} decides itself how much of
    # it the reader sees, and whether there is a profile to open.
    key: str

    @property
    def has_profile(self) -> bool:
        return self.kind in PROFILED


def shown_subjects(accesses: dict, warning: Warning) -> list[Subject]:
    identifiers = reading.shows_identifiers(accesses, warning.version.systems)
    labels = dict(KeyKind.choices)
    return [
        Subject(kind, str(labels.get(kind, kind)), shown_key(kind, value, identifiers=identifiers), value)
        for kind, value in warning.subjects
    ]


def with_subjects(reader: reading.Reader | None, warnings) -> list[Warning]:
    """The warnings, each with ``shown`` subjects as the reader may see them."""
    accesses = reading.readable(reader)
    warnings = list(warnings)
    for warning in warnings:
        warning.shown = shown_subjects(accesses, warning)
    return warnings


@dataclass(frozen=True)
class WarningPage:
    warning: Warning
    subjects: list[Subject]
    evidence: list[Evidence]
    history: list[WarningEvent]


def warning_page(reader: reading.Reader, warning: Warning) -> WarningPage:
    records = [
        item.record for item in warning.evidence.select_related("record__system", "record__region")
        .order_by("record__occurred_at", "pk")
    ]
    history = list(warning.events.select_related("assigned_to").order_by("at", "pk"))
    return WarningPage(
        warning=warning,
        subjects=shown_subjects(reading.readable(reader), warning),
        evidence=shown_evidence(reader, records),
        history=history,
    )
