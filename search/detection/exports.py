"""Warnings as JSON lines, one a line, for operators (``manage.py detection export``): the
model's key, the version that raised it, its fingerprint and state, its subjects (kind and
normalised value) and its evidence (each record's system code and external id).

An export leaves the portal, so it is masked as a reader without the right to identifiers sees
them (``mask_identifier`` on the ID and phone numbers among the subjects) unless the operator
names a reason for the full values; either way every export is on the search log, one entry per
model: when, which model, how many warnings, masked or not and the reason."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from ..masking import IDENTIFIER_KEY_KINDS, mask_identifier
from .models import Warning, WarningEvidence, WarningModel
from .permissions import log_warnings_exported

CHUNK = 500


@dataclass
class Exported:
    """How many warnings of each model went out, and the linked systems they name."""

    counts: dict[str, int] = field(default_factory=dict)
    systems: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def export_warnings(write: Callable[[str], None], model: WarningModel | None = None, *,
                    masked: bool = True, reason: str = "", operator_name: str = "") -> Exported:
    """Writes each warning (of ``model``, or all) as one line of JSON, without its line break,
    and puts the export on the search log, even when writing stops half-way (what went out is
    what is logged). An unmasked export needs a reason."""
    if not masked and not reason.strip():
        raise ValueError("An export with the identifiers in full needs a reason.")
    exported = Exported()
    if model is not None:
        exported.counts[model.key] = 0
    try:
        for warning, line in _lines(model, masked=masked):
            write(line)
            exported.counts[warning.model.key] = exported.counts.get(warning.model.key, 0) + 1
            exported.systems[warning.model.key].update(warning.version.systems)
    finally:
        models = {each.key: each for each in WarningModel.objects.filter(key__in=exported.counts)}
        for key, count in exported.counts.items():
            log_warnings_exported(models[key], count, systems=exported.systems[key], masked=masked,
                                  reason=reason, operator_name=operator_name)
    return exported


def _lines(model: WarningModel | None, *, masked: bool) -> Iterator[tuple[Warning, str]]:
    warnings = Warning.objects.select_related("model", "version").order_by("model__key", "first_seen", "pk")
    if model is not None:
        warnings = warnings.filter(model=model)
    stream = warnings.iterator(chunk_size=CHUNK)
    while chunk := list(islice(stream, CHUNK)):
        evidence = defaultdict(list)
        for warning_id, system, external_id in WarningEvidence.objects.filter(
            warning__in=[warning.pk for warning in chunk]
        ).order_by("warning", "record__system__code", "record__external_id").values_list(
            "warning_id", "record__system__code", "record__external_id"
        ):
            evidence[warning_id].append({"system": system, "external_id": external_id})
        for warning in chunk:
            yield warning, json.dumps({
                "model": warning.model.key,
                "version": warning.version.number,
                "fingerprint": warning.fingerprint,
                "state": warning.state,
                "subjects": [{"kind": kind, "value": _shown(kind, value, masked)}
                             for kind, value in warning.subjects],
                "evidence": evidence[warning.pk],
            }, ensure_ascii=False)


def _shown(kind: str, value: str, masked: bool) -> str:
    return mask_identifier(value) if masked and kind in IDENTIFIER_KEY_KINDS else value
