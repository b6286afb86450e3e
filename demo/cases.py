"""The cases of the demo board (``demo.board``): hand-written problems of 江州市 and their variants.

The cases are data, kept in ``demo/data/cases/*.toml`` and read here, in the order of the files
and of the cases in them (the board is seeded in that order). A file holds ``[[case]]`` tables;
a case's keys are the fields of ``Case`` below (``category``, ``source`` and ``priority`` by
their values in ``issues.models``; pairs such as ``consult`` as two-item arrays), and each of its
``[[case.variant]]`` tables the fields of ``Variant``, its ``fill`` as a ``[case.variant.fill]``
table. Long texts are TOML multi-line strings whose lines end in a backslash: they join without
a break.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from issues.models import Category, Priority, Source

from .city import REGIONS

FOLDER = Path(__file__).resolve().parent / "data" / "cases"
REGION_CODES = {region.code for region in REGIONS}


# --- what a case is -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Variant:
    """Where a case happened and how far it got.

    ``ago``: days since it was pushed; ``due``: its deadline in days from today (negative:
    overdue); ``fill``: the details that make the case's texts this variant's own.
    """

    region: str
    story: str
    ago: int
    due: int
    fill: dict
    lead: str = ""  # when this variant's lead is not the case's
    priority: str = ""


@dataclass(frozen=True)
class Case:
    """One kind of problem, as a supervisory body would write it up.

    Agencies are named by code (``jz-sjj``), by department line (``housing``: the variant's
    district department when the district has that line, else the city's), or ``city:housing``
    for the city department even in a district. Texts are ``str.format`` templates over the
    variant's ``fill`` and ``{district}``.
    """

    title: str
    description: str
    report: str
    category: str
    source: str
    initiator: str
    lead: str
    variants: tuple[Variant, ...]
    co: tuple[str, ...] = ()  # co-handlers named when the issue is pushed
    split: tuple[str, ...] = ()  # co-handlers the lead's leader assigns after signing (分办)
    co_report: str = ""
    copied: tuple[str, ...] = ()
    copy_later: tuple[str, ...] = ()  # bodies the initiator copies once work has started
    consult: tuple[str, str] | None = None  # (body the lead consults, its question)
    decline: tuple[str, str] | None = None  # (body the lead suggests, why it is not the lead's)
    transfer: tuple[str, str] | None = None  # (body the handler's leader transfers to, why)
    reject: str = ""  # what the initiator found missing from the first report
    summary: str = ""  # the initiator's words on closing
    priority: str = Priority.NORMAL


# --- reading them --------------------------------------------------------------------------------
PAIRS = ("consult", "decline", "transfer")
LISTS = ("co", "split", "copied", "copy_later")


class CaseFileError(ValueError):
    """A case file names something a case cannot have."""


def _variant(data: dict, where: str) -> Variant:
    known = {field.name for field in fields(Variant)}
    if unknown := set(data) - known:
        raise CaseFileError(f"{where}: a variant has no {', '.join(sorted(unknown))}")
    if data["region"] not in REGION_CODES:
        raise CaseFileError(f"{where}: no region {data['region']!r} in the demo city")
    return Variant(**{**data, "fill": dict(data.get("fill", {}))})


def _case(data: dict, where: str) -> Case:
    data = dict(data)
    where = f"{where}, case {data.get('title')!r}"
    known = {field.name for field in fields(Case)} | {"variant"}
    if unknown := set(data) - known:
        raise CaseFileError(f"{where}: a case has no {', '.join(sorted(unknown))}")
    data["variants"] = tuple(_variant(variant, where) for variant in data.pop("variant"))
    data["category"], data["source"] = Category(data["category"]), Source(data["source"])
    if "priority" in data:
        data["priority"] = Priority(data["priority"])
    for name in PAIRS:
        if name in data:
            data[name] = tuple(data[name])
    for name in LISTS:
        data[name] = tuple(data.get(name, ()))
    return Case(**data)


def load(folder: Path = FOLDER) -> list[Case]:
    """Every case of the files in ``folder``, in the order of the files' names and within them."""
    cases = []
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as stream:
            cases += [_case(case, path.name) for case in tomllib.load(stream).get("case", [])]
    return cases


CASES: list[Case] = load()
