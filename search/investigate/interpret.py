"""What a parsed query means in this portal: the names people type, turned into what is indexed.

The parser (search.index.query) knows only the syntax. Here, with the database at hand:

- ``系统:`` takes a linked system's code, name, short name or English name, or a part of its
  name (系统:医保 is 医保结算), among the systems the reader may read only: a system closed to
  them is as unknown as one that does not exist;
- ``地区:`` takes a region's code or name, or a part of its name (地区:东湖 is 东湖区), and
  covers the regions inside it (地区:江州市 covers its districts);
- ``年份:`` takes a year of four digits (2024, 2024年);
- an unquoted word that belongs to a synonym group (search.models.SynonymGroup) is searched as
  any word of its group: 低保 finds 最低生活保障 too. A quoted word is searched as written.

Both backends then see only codes and ordinary terms. ``read`` returns the tree and, for the
page, a note for each term that was taken to mean something other than its text. A name that
names nothing raises ``QuerySyntaxError`` with the term's position, as a syntax error does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from agencies.models import Region
from common import cjk

from ..index.query import Not, Or, QuerySyntaxError, Term, parse
from ..models import SourceSystem, SynonymGroup
from . import permissions

# A query of MAX_TERMS words could, through synonyms and regions, stand for many more; each is
# a clause of the Elasticsearch query, whose total is bounded (indices.query.bool.max_clause_count).
MAX_EXPANDED_TERMS = 400
SYNONYM_FIELDS = (None, "title", "body")  # a name or a code is never an abbreviation


@dataclass(frozen=True)
class Note:
    """One term taken to mean more than its text: 系统:医保 → 医保结算; 低保 → 低保、最低生活保障."""

    kind: str  # "system", "region" or "synonyms"
    typed: str
    meaning: str


@dataclass(frozen=True)
class Reading:
    tree: object
    notes: tuple[Note, ...] = ()


def read(text: str, *, systems: Iterable[SourceSystem]) -> Reading:
    """The query ``text`` parsed and interpreted for a reader of ``systems``; raises
    QuerySyntaxError (with a message for the user) for a query that cannot be read."""
    return interpret(parse(text), systems=systems)


def read_for(text: str, reader: permissions.Reader | None) -> Reading:
    """``read`` for the systems ``reader`` may read now: exports and saved searches, which run
    long after they were asked for, read their query again with the owner's access as it stands."""
    return read(text, systems=[access.system for access in permissions.readable(reader).values()])


def interpret(tree, *, systems: Iterable[SourceSystem]) -> Reading:
    interpreter = _Interpreter(list(systems))
    tree = interpreter.rewrite(tree)
    if interpreter.leaves > MAX_EXPANDED_TERMS:
        raise QuerySyntaxError(
            _("With its synonyms and regions this query stands for %(count)d words, more than "
              "%(limit)d: search for fewer words, or quote some of them.")
            % {"count": interpreter.leaves, "limit": MAX_EXPANDED_TERMS},
            0,
        )
    return Reading(tree, tuple(dict.fromkeys(interpreter.notes)))


def fold(text: str) -> str:
    """Text as compared here: full-width forms read as half-width, any case, no outer spaces."""
    return cjk.fold(text).strip()


def synonym_groups() -> dict[str, list[str]]:
    """Each word of every synonym group (folded) → the words that mean the same, itself first."""
    found: dict[str, list[str]] = {}
    for words in SynonymGroup.objects.values_list("words", flat=True):
        group = SynonymGroup.split(words)
        for word in group:
            known = found.setdefault(fold(word), [word])
            known.extend(other for other in group if fold(other) not in {fold(item) for item in known})
    return found


class _Interpreter:
    def __init__(self, systems: list[SourceSystem]):
        self.systems = systems
        self.synonyms = synonym_groups()
        self.regions: list[Region] | None = None  # loaded when a query names one
        self.notes: list[Note] = []
        self.leaves = 0

    def rewrite(self, tree):
        if isinstance(tree, Term):
            meaning = self.term(tree)
            self.leaves += 1 if isinstance(meaning, Term) else len(meaning.items)
            return meaning
        if isinstance(tree, Not):
            return Not(self.rewrite(tree.item))
        return type(tree)(tuple(self.rewrite(item) for item in tree.items))

    def term(self, term: Term):
        if term.field == "system":
            return self.system(term)
        if term.field == "region":
            return self.region(term)
        if term.field == "year":
            return self.year(term)
        if term.field in SYNONYM_FIELDS and not term.phrase:
            return self.synonym(term)
        return term

    def system(self, term: Term):
        wanted = fold(term.text)
        found = _named(self.systems, wanted, _system_names)
        for synonym in self.synonyms.get(wanted, [])[1:]:  # 系统:社保 is 社会保险参保缴费
            found = found or _named(self.systems, fold(synonym), _system_names)
        if not found:
            raise QuerySyntaxError(
                _("No linked system open to you is called “%(name)s”. The systems you may search, "
                  "with their codes, are listed under “How to write a query”.") % {"name": term.text},
                term.position,
            )
        found.sort(key=lambda system: system.code)
        if [system.code for system in found] != [term.text]:
            names = "、".join(_system_label(system) for system in found)
            self.notes.append(Note("system", f"系统:{term.text}", names))
        return _any([Term(system.code, field="system", position=term.position) for system in found])

    def region(self, term: Term):
        if self.regions is None:
            self.regions = list(Region.objects.only("pk", "code", "name", "name_en", "parent_id"))
        wanted = fold(term.text)
        found = _named(self.regions, wanted, lambda region: (region.code, region.name, region.name_en))
        if not found:
            raise QuerySyntaxError(
                _("No region is called “%(name)s”: write a district's or county's name, such as 东湖区.")
                % {"name": term.text},
                term.position,
            )
        covered = _with_regions_inside(found, self.regions)
        if [region.code for region in covered] != [term.text]:
            names = "、".join(region.display_name for region in covered)
            self.notes.append(Note("region", f"地区:{term.text}", names))
        return _any([Term(region.code, field="region", position=term.position) for region in covered])

    def year(self, term: Term) -> Term:
        text = fold(term.text).removesuffix("年")
        if not (len(text) == 4 and text.isascii() and text.isdigit() and text >= "1000"):
            raise QuerySyntaxError(
                _("“%(text)s” is not a year: write four digits, such as 2024.") % {"text": term.text},
                term.position,
            )
        return Term(text, field="year", position=term.position)

    def synonym(self, term: Term):
        words = self.synonyms.get(fold(term.text))
        if not words:
            return term
        self.notes.append(Note("synonyms", term.text, "、".join(words)))
        same = [term] + [Term(word, field=term.field, position=term.position) for word in words[1:]]
        return Or(tuple(same))


def _system_label(system: SourceSystem) -> str:
    """As search.views.display.system_label: the English name on English pages."""
    if system.name_en and (get_language() or "").startswith("en"):
        return system.name_en
    return system.name


def _system_names(system: SourceSystem) -> tuple[str, ...]:
    return system.code, system.name, system.short_name, system.name_en


def _named(candidates: list, wanted: str, names) -> list:
    """The candidates one of whose ``names`` is ``wanted``; failing that, those whose names hold
    it (both folded). Empty when nothing is called that."""
    if not wanted:
        return []
    exact = [item for item in candidates if wanted in {fold(name) for name in names(item) if name}]
    if exact:
        return exact
    return [item for item in candidates if any(wanted in fold(name) for name in names(item) if name)]


def _with_regions_inside(found: list[Region], regions: list[Region]) -> list[Region]:
    """The regions found and every region below them, in the order of their codes."""
    children: dict[int | None, list[Region]] = {}
    for region in regions:
        children.setdefault(region.parent_id, []).append(region)
    covered: dict[int, Region] = {}
    frontier = list(found)
    while frontier:
        region = frontier.pop()
        if region.pk not in covered:
            covered[region.pk] = region
            frontier.extend(children.get(region.pk, []))
    return sorted(covered.values(), key=lambda region: region.code)


def _any(terms: list[Term]):
    return terms[0] if len(terms) == 1 else Or(tuple(terms))

