"""What the warning model pages show, as their reader may see it: a backtest's sample masked by
the reader's own grants, the changes between two versions in words, a run's progress label."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..detection import patterns
from ..detection.backtest import Sampled
from ..detection.models import DetectionRun, RunState, Severity, WarningModelVersion
from ..detection.versions import Change
from ..harvest.clues import Evidence, shown_evidence
from ..investigate.permissions import Reader, readable, shows_identifiers
from ..masking import IDENTIFIER_KEY_KINDS, mask_identifier
from ..models import KeyKind, SourceSystem


@dataclass(frozen=True)
class ShownSample:
    """One warning a backtest would raise: its subjects and evidence as the reader may see them."""

    subjects: list[tuple[str, str]]  # (kind's label, value)
    records: list[Evidence]
    is_new: bool


def shown_sample(reader: Reader, version: WarningModelVersion, sample: list[Sampled]) -> list[ShownSample]:
    """The sample masked as the reader's grants say (not the owning agency's, whose models read
    more than any one member may): an ID or phone number among the subjects is shown only to a
    reader who sees identifiers in every system the version reads; each evidence record as the
    reader's access to its system shows it, or only its system's name."""
    accesses = readable(reader)
    identifiers = shows_identifiers(accesses, version.systems)
    shown = []
    for sampled in sample:
        subjects = [
            (_kind_label(kind),
             value if identifiers or kind not in IDENTIFIER_KEY_KINDS else mask_identifier(value))
            for kind, value in sampled.subjects
        ]
        shown.append(ShownSample(subjects, shown_evidence(reader, sampled.records), sampled.is_new))
    return shown


def _kind_label(kind: str) -> str:
    return KeyKind(kind).label if kind in KeyKind.values else kind


# --- versions compared -----------------------------------------------------------------------------
@dataclass(frozen=True)
class ShownChange:
    label: str
    before: str
    after: str


def shown_changes(before: WarningModelVersion, after: WarningModelVersion,
                  changes: list[Change]) -> list[ShownChange]:
    """Each change with its parameter's label (from the form of the version's template) and its
    values in words: systems by name, kinds and choices by their labels, lists joined; in the
    order of the form, after the template and the severity."""
    systems = dict(SourceSystem.objects.values_list("code", "name"))
    labels = {"template": _("Template"), "severity": _("Severity")}
    choices: dict[str, dict] = {"template": dict(patterns.CHOICES), "severity": dict(Severity.choices)}
    order = {name: place for place, name in enumerate(labels)}
    for version in (after, before):
        pattern = patterns.TEMPLATES.get(version.template)
        if pattern is None:
            continue
        for name, field in pattern.form_class.base_fields.items():
            labels.setdefault(name, str(field.label or name))
            order.setdefault(name, len(order))
            if getattr(field, "choices", None):
                choices.setdefault(name, {str(key): label for key, label in field.choices})
    return [
        ShownChange(labels.get(change.name, change.name),
                    _words(change.before, choices.get(change.name, {}), systems),
                    _words(change.after, choices.get(change.name, {}), systems))
        for change in sorted(changes, key=lambda change: order.get(change.name, len(order)))
    ]


def _words(value, choices: dict, systems: dict) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return "、".join(_words(item, choices, systems) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_words(item, choices, systems)}" for key, item in value.items())
    text = str(value)
    return str(choices.get(text) or systems.get(text) or text)


# --- runs --------------------------------------------------------------------------------------------
def run_label(run: DetectionRun | None) -> str:
    """A run of "run now" in words, for the progress panel."""
    if run is None:
        return _("Waiting for a worker…")
    if run.state == RunState.FAILED:
        return _("The run stopped: %(error)s") % {"error": run.error}
    if run.state == RunState.DONE:
        return ngettext("%(found)d warning found, %(new)d new.", "%(found)d warnings found, %(new)d new.",
                        run.warnings_found) % {"found": run.warnings_found, "new": run.new_warnings}
    if run.total is None:
        return _("Looking through the linked records…")
    return _("%(done)s of %(total)s warnings written…") % {"done": f"{run.done:,}", "total": f"{run.total:,}"}
