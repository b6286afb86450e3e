"""Which actions the user, acting for an agency, may take on an issue right now.

The issue page shows a button only for these: each is an action whose member role allows it and
whose rule passes (the catalogue's entry, the same rule the action runs again under the lock
when the button is pressed), so a button is never offered that would only answer "not
permitted".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Assignment, Issue
from ..permissions import VIEW
from .catalogue import SPECS, Target
from .rules import Context


def _on(target: Target) -> list:
    """The entries whose buttons act on ``target``, in the catalogue's order (read each time,
    so the catalogue stays the one place that says it)."""
    return [spec for spec in SPECS.values() if spec.target == target]


@dataclass
class Available:
    """Issue-wide actions, and per assignment the actions on that assignment."""

    issue_actions: list[str] = field(default_factory=list)
    by_assignment: dict[int, list[str]] = field(default_factory=dict)

    def allows(self, action: str, assignment: Assignment | None = None) -> bool:
        if assignment is None:
            return action in self.issue_actions
        return action in self.by_assignment.get(assignment.pk, [])

    def __bool__(self) -> bool:
        return bool(self.issue_actions or any(self.by_assignment.values()))


def available_actions(agency, role: str | None, issue: Issue, assignments: list[Assignment]) -> Available:
    """What ``role`` in ``agency`` may do on ``issue`` now; ``assignments`` are the issue's, all."""
    result = Available()
    if agency is None or role is None:
        return result
    ctx = Context.of(agency, issue, assignments=assignments)
    if not ctx.holds(VIEW):
        return result
    on_assignment = _on(Target.ASSIGNMENT)
    for assignment in assignments:
        here = ctx.on(assignment=assignment)
        names = [spec.name for spec in on_assignment if spec.may(role) and spec.allowed(here)]
        if names:
            result.by_assignment[assignment.pk] = names
    result.issue_actions = [spec.name for spec in _on(Target.ISSUE) if spec.may(role) and spec.allowed(ctx)]
    return result


def comment_corrections(user, agency, role: str | None, issue: Issue, comment) -> list[str]:
    """The corrections ``user`` may make to ``comment`` now."""
    if agency is None or role is None:
        return []
    ctx = Context.of(agency, issue, user=user, comment=comment)
    return [spec.name for spec in _on(Target.COMMENT) if spec.may(role) and spec.allowed(ctx)]
