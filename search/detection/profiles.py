"""What the work so far says about a profile's subject (search.investigate.profiles): the
warnings of the reader's agency that name it as a subject, the agency's clues whose evidence
names it, and the issues pushed from those clues that the reader may see on the board.

Here, in the top room, because it reads the warnings and the harvest's clues; the linked records
themselves are read in search.investigate.profiles.
"""

from __future__ import annotations

from dataclasses import dataclass

from issues.models import Issue
from issues.permissions import visible_issues

from ..harvest.clues import clues_of, with_words
from ..investigate.permissions import Reader
from ..investigate.profiles import Scope, Subject, records_naming
from ..models import Clue
from .models import Warning

WARNINGS_SHOWN = 30
CLUES_SHOWN = 30


@dataclass(frozen=True)
class Found:
    """The newest of what names the subject, and how many there are in all."""

    shown: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.shown)


def warnings_naming(reader: Reader, subject: Subject) -> Found:
    """The warnings of the reader's agency's models with the subject among their subjects, newest
    first. A warning's subjects are a JSON list of [kind, value] pairs: its text is searched for
    the value (which every database can do), and each candidate is checked for the pair."""
    candidates = (
        Warning.objects.filter(model__agency=reader.agency, subjects__icontains=subject.value)
        .select_related("model", "model__scenario")
        .order_by("-first_seen", "-pk")
    )
    pair = [subject.kind, subject.value]
    naming = [warning for warning in candidates.iterator() if pair in warning.subjects]
    return Found(naming[:WARNINGS_SHOWN], len(naming))


def clues_naming(reader: Reader, subject: Subject, scope: Scope) -> Found:
    """The clues of the reader's agency with evidence that names the subject in a system the
    profile reads (a clue's evidence elsewhere is none of this profile's business), newest first,
    their words masked as the reader may read them."""
    clues = (
        clues_of(reader).filter(evidence__record__in=records_naming(subject, scope).values("pk"))
        .distinct().order_by("-created_at", "-pk")
    )
    return Found(with_words(reader, clues[:CLUES_SHOWN]), clues.count())


def issues_from(reader: Reader, clues: list[Clue]) -> list[Issue]:
    """The issues those clues were pushed as, of those the reader may see on the board."""
    pushed = [clue.issue_id for clue in clues if clue.issue_id]
    if not pushed or reader.user is None:
        return []
    return list(visible_issues(reader.user, reader.agency).filter(pk__in=pushed).order_by("-pk"))
