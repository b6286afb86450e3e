"""A backtest (DESIGN §12, like Elastic's rule preview): what a version would raise over the
current linked records, found as a run finds it but written nowhere. It counts the warnings,
how many of them would be new (the model's open and disposed warnings have the same
fingerprints), and keeps a sample with the evidence records, for the author to read (masked as
their grants say, by the page that shows them), and how long it took.

``actions.backtest`` puts it on record, which switching the version on asks for.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ..models import Record
from . import runs
from .models import Warning, WarningModelVersion

SAMPLE_SIZE = 20


@dataclass(frozen=True)
class Sampled:
    subjects: list[list[str]]
    fingerprint: str
    records: list[Record]
    is_new: bool


@dataclass
class Preview:
    warnings: int
    new_warnings: int
    seconds: float
    sample: list[Sampled] = field(default_factory=list)
    exempted: int = 0
    systems_read: list[str] = field(default_factory=list)
    systems_dropped: list[str] = field(default_factory=list)


def preview(version: WarningModelVersion, *, sample_size: int = SAMPLE_SIZE) -> Preview:
    """Executes the version's query only: nothing is written."""
    started = time.perf_counter()
    findings = runs.find(version, runs.FULL)
    known = set()
    fingerprints = [hit.fingerprint for hit in findings.hits]
    for start in range(0, len(fingerprints), 500):
        known.update(Warning.objects.filter(fingerprint__in=fingerprints[start:start + 500])
                     .values_list("fingerprint", flat=True))
    chosen = findings.hits[:sample_size]
    records = Record.objects.select_related("system").in_bulk({pk for hit in chosen for pk in hit.records})
    sample = [
        Sampled(hit.subjects, hit.fingerprint, [records[pk] for pk in sorted(hit.records) if pk in records],
                is_new=hit.fingerprint not in known)
        for hit in chosen
    ]
    return Preview(
        warnings=len(findings.hits), new_warnings=len(findings.hits) - len(known),
        seconds=time.perf_counter() - started, sample=sample, exempted=findings.exempted,
        systems_read=findings.systems_read, systems_dropped=findings.systems_dropped,
    )
