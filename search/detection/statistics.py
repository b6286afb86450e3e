"""How the agency's warning models do (DESIGN §12, the funnel): per model and per scenario, the
warnings raised, open, disposed of and confirmed, the precision (confirmed ÷ disposed of), and how
far they went: warnings → clues → issues on the board → issues closed.

Counted in the database, one grouped query per table; a clue fed by two models counts for each,
once, and once in their scenario.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from issues.models import IssueState

from .models import OPEN_STATES, Warning, WarningState

NUMBERS = ("warnings", "open", "disposed", "confirmed", "clues", "issues", "closed")


@dataclass(frozen=True)
class Line:
    """One model's or scenario's numbers."""

    key: int
    name: str
    warnings: int
    open: int
    disposed: int
    confirmed: int
    clues: int
    issues: int
    closed: int
    scenario: str = ""  # a model's line: the scenario it belongs to

    @property
    def precision(self) -> Decimal | None:
        """Confirmed ÷ disposed of, as a percentage to one decimal; None when none is disposed of."""
        if not self.disposed:
            return None
        return (Decimal(100 * self.confirmed) / self.disposed).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def precision_text(self) -> str:
        return "—" if self.precision is None else f"{self.precision}%"


@dataclass(frozen=True)
class Statistics:
    models: list[Line]
    scenarios: list[Line]


def _counts(warnings, group: str) -> dict[int, dict]:
    rows = warnings.order_by().values(group).annotate(
        warnings=Count("id"),
        open=Count("id", filter=Q(state__in=OPEN_STATES)),
        disposed=Count("id", filter=~Q(state__in=OPEN_STATES)),
        confirmed=Count("id", filter=Q(state=WarningState.CONFIRMED)),
        clues=Count("clue", distinct=True),
        issues=Count("clue__issue", distinct=True),
        closed=Count("clue__issue", filter=Q(clue__issue__state=IssueState.CLOSED), distinct=True),
    )
    return {row[group]: row for row in rows}


def _line(key: int, name: str, counts: dict | None, **more) -> Line:
    counts = counts or {}
    return Line(key, name, **{number: counts.get(number, 0) for number in NUMBERS}, **more)


def statistics(models, *, first_seen_from=None, first_seen_to=None) -> Statistics:
    """The numbers of ``models`` (a queryset of the agency's, perhaps filtered), over the warnings
    first seen in the period given; every model and scenario listed, those without warnings at 0."""
    models = list(models.select_related("scenario"))
    warnings = Warning.objects.filter(model__in=models)
    if first_seen_from:
        warnings = warnings.filter(first_seen__date__gte=first_seen_from)
    if first_seen_to:
        warnings = warnings.filter(first_seen__date__lte=first_seen_to)
    by_model = _counts(warnings, "model")
    by_scenario = _counts(warnings, "model__scenario")
    scenarios = {model.scenario_id: model.scenario for model in models}
    return Statistics(
        models=[_line(model.pk, model.shown_name, by_model.get(model.pk), scenario=model.scenario.shown_name)
                for model in models],
        scenarios=[_line(pk, scenario.shown_name, by_scenario.get(pk))
                   for pk, scenario in sorted(scenarios.items(), key=lambda item: item[1].code)],
    )


def funnel_labels() -> list[str]:
    return [_("Warnings"), _("Clues"), _("Issues"), _("Closed issues")]


def charts(numbers: Statistics) -> dict:
    """What the page's charts draw (json_script): per scenario, the funnel; per model, the
    disposed of and confirmed warnings and the precision."""
    return {
        "labels": {"warnings": _("Warnings"), "open": _("Open"), "disposed": _("Disposed of"),
                   "confirmed": _("Confirmed"), "precision": _("Precision (%)"),
                   "funnel": funnel_labels()},
        "scenarios": [line.name for line in numbers.scenarios],
        "funnel": [[line.warnings, line.clues, line.issues, line.closed] for line in numbers.scenarios],
        "models": [line.name for line in numbers.models],
        "open": [line.open for line in numbers.models],
        "disposed": [line.disposed for line in numbers.models],
        "confirmed": [line.confirmed for line in numbers.models],
    }


def columns() -> list[str]:
    return [_("Scenario"), _("Warning model"), _("Warnings"), _("Open"), _("Disposed of"), _("Confirmed"),
            _("Precision"), _("Clues"), _("Issues"), _("Closed issues")]


def rows(numbers: Statistics) -> list[list]:
    """The spreadsheet's rows: each model, then each scenario's total (its model cell "all")."""
    every = _("(all models)")
    lines = [(line.scenario, line.name, line) for line in numbers.models]
    lines += [(line.name, every, line) for line in numbers.scenarios]
    return [
        [scenario, name, line.warnings, line.open, line.disposed, line.confirmed, line.precision_text,
         line.clues, line.issues, line.closed]
        for scenario, name, line in lines
    ]
