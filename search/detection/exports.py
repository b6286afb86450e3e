"""Warnings as JSON lines, one a line, for operators (``manage.py detection export``): the
model's key, the version that raised it, its fingerprint and state, its subjects (kind and
normalised value) and its evidence (each record's system code and external id)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from itertools import islice

from .models import Warning, WarningEvidence

CHUNK = 500


def warning_lines(model_key: str | None = None) -> Iterator[str]:
    """Each warning (of one model, or all) as one line of JSON, without its line break; by model
    key, then in the order they were raised."""
    warnings = Warning.objects.select_related("model", "version").order_by("model__key", "first_seen", "pk")
    if model_key is not None:
        warnings = warnings.filter(model__key=model_key)
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
            yield json.dumps({
                "model": warning.model.key,
                "version": warning.version.number,
                "fingerprint": warning.fingerprint,
                "state": warning.state,
                "subjects": [{"kind": kind, "value": value} for kind, value in warning.subjects],
                "evidence": evidence[warning.pk],
            }, ensure_ascii=False)
