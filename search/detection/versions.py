"""Two versions of a warning model side by side: what changed between them (DESIGN §12)."""

from __future__ import annotations

from dataclasses import dataclass

from .models import WarningModelVersion

MISSING = None


@dataclass(frozen=True)
class Change:
    """One difference: a parameter's name (or "template", "severity"), its value in each version
    (None where that version has no such parameter)."""

    name: str
    before: object
    after: object


def compare(before: WarningModelVersion, after: WarningModelVersion) -> list[Change]:
    """What differs from ``before`` to ``after``: the template, the severity, then each parameter
    by name."""
    changes = [
        Change(name, getattr(before, name), getattr(after, name))
        for name in ("template", "severity") if getattr(before, name) != getattr(after, name)
    ]
    names = sorted(set(before.parameters) | set(after.parameters))
    changes += [
        Change(name, before.parameters.get(name, MISSING), after.parameters.get(name, MISSING))
        for name in names if before.parameters.get(name, MISSING) != after.parameters.get(name, MISSING)
    ]
    return changes
