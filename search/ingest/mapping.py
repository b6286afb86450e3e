"""How one row of a linked system's export becomes a ``Record`` (the mapping format: models.py).

``Mapping.of(system)`` reads and checks the system's field mapping once; ``RowMapper.map(row)``
turns one row (a dict of column → value: a CSV row, or a JSONL object whose top-level keys are
the columns) into an unsaved ``Record``, or raises ``RowRejected`` with every reason it found,
each naming the column and the value in the user's language.

What a cell may hold, field by field:

- ``external_id``: required, at most 100 characters.
- ``title``: the columns joined with " · ", cut to 300 characters (ending in "…"); when empty,
  the system's name and the external id.
- ``occurred_at``: required; ISO 8601 (``2024-03-05``, ``2024-03-05 14:30``, with an offset or
  not), ``2024/3/5`` or ``2024年3月5日``, optionally followed by ``14:30`` or ``14:30:05``; a time
  without an offset is local time (``TIME_ZONE``, Asia/Shanghai). Years 1900 to 2099.
- ``amount``: yuan; thousands separators (, or ，), a leading ¥ and a trailing 元 are allowed;
  not negative, at most 14 digits before the point, rounded to the fen.
- ``region``: a region's code or name (a name shared by two regions matches neither). A value
  naming no region leaves the record's region empty and the row is loaded: the value stays in
  ``raw`` and is counted in ``RowMapper.unknown_regions`` for the uploader.
- ``names``, ``credit_codes``, ``id_numbers``, ``phones``: lists; a cell may hold several values
  separated by 、,;；，/ or new lines (a JSON list also works). Credit codes and ID numbers are
  checked (``search.ingest.identifiers``); one that fails rejects the row.
- ``required``: columns that must not be empty.
- ``keys``: the record keys warning models join on (``search.models.RecordKey``, DESIGN §12),
  each an object naming a column, the kind of value it holds and the role that value plays in
  the row::

      "keys": [
        {"column": "投标人统一社会信用代码", "kind": "credit_code", "role": "bidder"},
        {"column": "投标人统一社会信用代码", "kind": "credit_code", "role": "winning_bidder",
         "amount": "中标金额（元）", "when": {"column": "是否中标", "equals": "是"}},
        {"column": "法定代表人身份证号", "kind": "id_number", "role": "legal_representative"}
      ]

  ``kind`` is one of ``KeyKind`` (id_number, credit_code, phone, plate, address, project,
  organisation); ``role`` a slug (lower-case letters, digits and underscores, starting with a
  letter: payee, deceased, winning_bidder). A key's date is the record's (``occurred_at``, as a
  local date) unless ``date`` names a column of its own, which leaves it empty where that
  column holds no date; its amount is the record's unless ``amount`` names a column, read as
  ``amount`` is (empty where it is not an amount). With ``when`` the key is written only for
  rows whose ``when.column`` holds exactly ``when.equals``. Each value in the column (a cell may
  list several, as the lists above, except an address or an organisation's name) is normalised
  by ``search.ingest.keys``; one that is not a value of its kind gives no key and never rejects
  its row. A column a key names is a column of the mapping: a CSV file without it is refused.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Region
from search.ingest.identifiers import is_credit_code, is_id_number, normalise
from search.ingest.keys import LISTED_KINDS, normalised
from search.models import KeyKind, Record, RecordKey, SourceSystem

TEXT_FIELDS = ("title", "body")
SINGLE_FIELDS = ("external_id", "occurred_at", "amount", "region")
LIST_FIELDS = ("names", "credit_codes", "id_numbers", "phones")
COLUMN_FIELDS = (*TEXT_FIELDS, *SINGLE_FIELDS, *LIST_FIELDS, "required")
KEYS = (*COLUMN_FIELDS, "keys")
KEY_FIELDS = ("column", "kind", "role", "date", "amount", "when")
WHEN_FIELDS = ("column", "equals")
ROLE = re.compile(r"[a-z][a-z0-9_]*")
ROLE_LENGTH = RecordKey._meta.get_field("role").max_length

EXTERNAL_ID_LENGTH = Record._meta.get_field("external_id").max_length
TITLE_LENGTH = Record._meta.get_field("title").max_length
AMOUNT_DIGITS = 14  # before the point: the field holds 16 digits, 2 after it
AMOUNT_LIMIT = Decimal(10) ** AMOUNT_DIGITS
FEN = Decimal("0.01")
YEARS = range(1900, 2100)
AMOUNT_NOISE = re.compile(r"^[¥￥]|[,，\s]")  # a currency sign in front, thousands separators
SEPARATORS = re.compile(r"[、,;；，/\r\n]+")
LOCAL_DATE = re.compile(
    r"(\d{4})(?:[-/]|年)(\d{1,2})(?:[-/]|月)(\d{1,2})日?"
    r"(?:\s*T?\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?"
)
SHOWN_VALUE_LENGTH = 60
UNKNOWN_REGIONS_KEPT = 1_000
NOT_A_CREDIT_CODE = gettext_lazy(
    "“%(value)s” in “%(column)s” is not a valid unified social credit code "
    "(18 characters with a matching check character)."
)
NOT_AN_AMOUNT = gettext_lazy("“%(value)s” in “%(column)s” is not an amount in yuan.")
NEGATIVE_AMOUNT = gettext_lazy("The amount “%(value)s” in “%(column)s” is negative.")
AMOUNT_TOO_LARGE = gettext_lazy(
    "The amount “%(value)s” in “%(column)s” is too large: at most %(digits)d digits before the decimal point."
)
NOT_AN_ID_NUMBER = gettext_lazy(
    "“%(value)s” in “%(column)s” is not a valid ID number "
    "(18 characters with a real birth date and a matching check character)."
)


class MappingError(ValueError):
    """The system's field mapping cannot be used; the message says why."""


class RowRejected(ValueError):
    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class Key(NamedTuple):
    """One record key of a row, before it is stored (``search.models.RecordKey``)."""

    role: str
    kind: str
    value: str
    date: datetime.date | None
    amount: Decimal | None


@dataclass(frozen=True)
class KeySpec:
    """One entry of the mapping's ``keys``: which column gives which key."""

    column: str
    kind: str
    role: str
    date: str | None = None
    amount: str | None = None
    when: tuple[str, str] | None = None  # (column, the value it must hold)

    def columns(self) -> list[str]:
        return [self.column, *(column for column in (self.date, self.amount) if column),
                *(self.when[:1] if self.when else ())]


@dataclass(frozen=True)
class Mapping:
    external_id: str
    occurred_at: str
    amount: str | None
    region: str | None
    title: tuple[str, ...]
    body: tuple[str, ...]
    names: tuple[str, ...]
    credit_codes: tuple[str, ...]
    id_numbers: tuple[str, ...]
    phones: tuple[str, ...]
    required: tuple[str, ...]
    keys: tuple[KeySpec, ...] = ()

    @classmethod
    def of(cls, system: SourceSystem) -> Mapping:
        spec = system.field_mapping
        if not isinstance(spec, dict):
            raise MappingError(_("The field mapping of %(system)s is not an object.") % {"system": system})
        unknown = sorted(set(spec) - set(KEYS))
        if unknown:
            raise MappingError(
                _("The field mapping of %(system)s has unknown keys: %(keys)s.")
                % {"system": system, "keys": ", ".join(unknown)}
            )
        fields = {key: _columns(system, key, spec.get(key)) for key in COLUMN_FIELDS}
        for key in SINGLE_FIELDS:
            if len(fields[key]) > 1:
                raise MappingError(
                    _("The field mapping of %(system)s names several columns for %(key)s.")
                    % {"system": system, "key": key}
                )
            fields[key] = fields[key][0] if fields[key] else None
        for key in ("external_id", "occurred_at"):
            if fields[key] is None:
                raise MappingError(
                    _("The field mapping of %(system)s names no column for %(key)s.")
                    % {"system": system, "key": key}
                )
        return cls(**fields, keys=_key_specs(system, spec.get("keys")))

    def columns(self) -> list[str]:
        """Every column the mapping names, each once, in the mapping's order."""
        named = []
        for key in COLUMN_FIELDS:
            value = getattr(self, key)
            named.extend([value] if isinstance(value, str) else value or ())
        for key in self.keys:
            named.extend(key.columns())
        return list(dict.fromkeys(named))


def _columns(system, key, value) -> tuple[str, ...]:
    if value is None:
        return ()
    columns = [value] if isinstance(value, str) else value
    if not isinstance(columns, list) or not all(isinstance(column, str) and column for column in columns):
        raise MappingError(
            _("The field mapping of %(system)s gives %(key)s as neither a column nor a list of columns.")
            % {"system": system, "key": key}
        )
    return tuple(columns)


def _key_specs(system, value) -> tuple[KeySpec, ...]:
    """The mapping's ``keys``, checked; MappingError names the first key at fault and why."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise MappingError(_("The field mapping of %(system)s gives keys as something other than a list.")
                           % {"system": system})
    return tuple(_key_spec(system, number, entry) for number, entry in enumerate(value, 1))


def _key_spec(system, number: int, entry) -> KeySpec:
    where = {"system": system, "number": number}
    if not isinstance(entry, dict):
        raise MappingError(_("Key %(number)d in the field mapping of %(system)s is not an object with a "
                             "column, a kind and a role.") % where)
    unknown = sorted(set(entry) - set(KEY_FIELDS))
    if unknown:
        raise MappingError(_("Key %(number)d in the field mapping of %(system)s has unknown fields: "
                             "%(fields)s.") % {**where, "fields": ", ".join(map(str, unknown))})
    for field in ("column", "date", "amount"):
        column = entry.get(field)
        if (field == "column" or column is not None) and not (isinstance(column, str) and column.strip()):
            raise MappingError(_("Key %(number)d in the field mapping of %(system)s: %(field)s must be the "
                                 "name of a column.") % {**where, "field": field})
    kind = entry.get("kind")
    if kind not in KeyKind.values:
        raise MappingError(_("Key %(number)d in the field mapping of %(system)s has the kind “%(kind)s”; the "
                             "kinds are %(kinds)s.")
                           % {**where, "kind": _shown(str(kind)), "kinds": ", ".join(KeyKind.values)})
    role = entry.get("role")
    if not (isinstance(role, str) and ROLE.fullmatch(role) and len(role) <= ROLE_LENGTH):
        raise MappingError(_("Key %(number)d in the field mapping of %(system)s has the role “%(role)s”: a "
                             "role is written in lower-case letters, digits and underscores, starting with "
                             "a letter (payee, winning_bidder), in at most %(limit)d characters.")
                           % {**where, "role": _shown(str(role)), "limit": ROLE_LENGTH})
    return KeySpec(entry["column"], kind, role, entry.get("date"), entry.get("amount"),
                   _when(where, entry.get("when")))


def _when(where: dict, value) -> tuple[str, str] | None:
    if value is None:
        return None
    well_formed = (
        isinstance(value, dict) and set(value) == set(WHEN_FIELDS)
        and all(isinstance(value[field], str) for field in WHEN_FIELDS) and value["column"].strip()
    )
    if not well_formed:
        raise MappingError(_("Key %(number)d in the field mapping of %(system)s: when must be an object with "
                             "a column and the value it equals, such as {\"column\": \"是否中标\", "
                             "\"equals\": \"是\"}.") % where)
    return value["column"], value["equals"].strip()


class RowMapper:
    def __init__(self, system: SourceSystem, mapping: Mapping, regions: dict[str, int]):
        self.system = system
        self.mapping = mapping
        self.regions = regions  # region_lookup(): lower-cased code or name → id
        self.unknown_regions: Counter[str] = Counter()
        self.zone = timezone.get_default_timezone()  # a key's date is the record's local date
        self.filled = tuple(dict.fromkeys((mapping.external_id, mapping.occurred_at, *mapping.required)))

    def map(self, row: dict) -> Record:
        """The record for ``row``, or ``RowRejected`` with every problem found in it."""
        m = self.mapping
        reasons = [_("The column “%(column)s” is empty.") % {"column": column}
                   for column in self.filled if not _values(row.get(column))]
        external_id = self._single(row, m.external_id, reasons)
        if len(external_id) > EXTERNAL_ID_LENGTH:
            reasons.append(
                _("The external id “%(value)s” in “%(column)s” is longer than %(limit)d characters.")
                % {"value": _shown(external_id), "column": m.external_id, "limit": EXTERNAL_ID_LENGTH}
            )
        record = _new_record(
            self.system,
            external_id=external_id,
            title=self._title(row, external_id),
            body="\n".join(_joined(row, m.body)),
            occurred_at=self._occurred_at(row, reasons),
            amount=self._amount(row, reasons),
            region_id=self._region(row, reasons),
            names=_listed(row, m.names),
            credit_codes=_checked(row, m.credit_codes, is_credit_code, NOT_A_CREDIT_CODE, reasons),
            id_numbers=_checked(row, m.id_numbers, is_id_number, NOT_AN_ID_NUMBER, reasons),
            phones=_listed(row, m.phones),
            raw=row,
        )
        if reasons:
            raise RowRejected(reasons)
        if record.region_id is None and m.region and _values(row.get(m.region)):
            self._note_unknown_region(row)
        return record

    def keys(self, row: dict, record: Record) -> list[Key]:
        """The record keys ``row`` gives, ``record`` being the linked record mapped from it (or
        stored from it before): each once, in the mapping's order."""
        if not self.mapping.keys:
            return []
        record_date = record.occurred_at.astimezone(self.zone).date() if record.occurred_at else None
        found: dict[tuple[str, str, str], Key] = {}
        for spec in self.mapping.keys:
            if spec.when and _values(row.get(spec.when[0])) != ([spec.when[1]] if spec.when[1] else []):
                continue
            cells = _values(row.get(spec.column))
            if not cells:
                continue
            date = record_date if spec.date is None else _key_date(row.get(spec.date))
            amount = record.amount if spec.amount is None else _key_amount(row.get(spec.amount))
            for cell in _split(cells) if spec.kind in LISTED_KINDS else cells:
                value = normalised(spec.kind, cell)
                if value is not None and (spec.role, spec.kind, value) not in found:
                    found[spec.role, spec.kind, value] = Key(spec.role, spec.kind, value, date, amount)
        return list(found.values())

    def _single(self, row, column, reasons) -> str:
        if column is None:
            return ""
        values = _values(row.get(column))
        if len(values) > 1:
            reasons.append(_("The column “%(column)s” holds several values where one is expected.")
                           % {"column": column})
        return values[0] if values else ""

    def _title(self, row, external_id) -> str:
        title = " · ".join(_joined(row, self.mapping.title)) or f"{self.system.name} {external_id}"
        return title if len(title) <= TITLE_LENGTH else title[: TITLE_LENGTH - 1] + "…"

    def _occurred_at(self, row, reasons) -> datetime.datetime | None:
        column = self.mapping.occurred_at
        text = self._single(row, column, reasons)
        if not text:
            return None  # reported as empty
        try:
            moment = parse_moment(text)
        except ValueError:
            reasons.append(
                _("“%(value)s” in “%(column)s” is not a date: write 2024-03-05, 2024/3/5 or 2024年3月5日, "
                  "with a time such as 14:30 if needed.") % {"value": _shown(text), "column": column}
            )
            return None
        if moment.year not in YEARS:
            reasons.append(_("The date “%(value)s” in “%(column)s” is not between the years %(first)d and "
                             "%(last)d.") % {"value": _shown(text), "column": column,
                                             "first": YEARS[0], "last": YEARS[-1]})
            return None
        return moment

    def _amount(self, row, reasons) -> Decimal | None:
        column = self.mapping.amount
        text = self._single(row, column, reasons)
        if not text:
            return None
        try:
            return parse_amount(text)
        except AmountError as error:
            reasons.append(error.args[0] % {"value": _shown(text), "column": column, "digits": AMOUNT_DIGITS})
        return None

    def _region(self, row, reasons) -> int | None:
        text = self._single(row, self.mapping.region, reasons)
        return self.regions.get(text.lower()) if text else None

    def _note_unknown_region(self, row) -> None:
        text, noted = _values(row.get(self.mapping.region))[0], self.unknown_regions
        if text in noted or len(noted) < UNKNOWN_REGIONS_KEPT:
            noted[text] += 1


_FIELD_ORDER = tuple(field.attname for field in Record._meta.concrete_fields)
_SYSTEM = Record._meta.get_field("system")


def _new_record(system: SourceSystem, **values) -> Record:
    """``Record(system=system, **values)``, made as fast as Django can: its values given in the
    model's field order (the constructor's quick path, twice as fast as keywords; a load maps
    millions of rows), the system attached as if assigned."""
    values["system_id"] = system.pk
    record = Record(*[values.get(name) for name in _FIELD_ORDER])
    _SYSTEM.set_cached_value(record, system)
    return record


def region_lookup() -> dict[str, int]:
    """Lower-cased region codes and names → region id; a name that two regions share is left out."""
    lookup, names = {}, Counter()
    rows = list(Region.objects.values_list("pk", "code", "name"))
    names.update(name.lower() for _pk, _code, name in rows)
    for pk, _code, name in rows:
        if names[name.lower()] == 1:
            lookup[name.lower()] = pk
    lookup.update((code.lower(), pk) for pk, code, _name in rows)
    return lookup


def parse_moment(text: str) -> datetime.datetime:
    """An aware datetime from the forms listed above; ValueError otherwise."""
    match = LOCAL_DATE.fullmatch(text)
    if match:
        moment = datetime.datetime(*(int(part or 0) for part in match.groups()))
    else:
        moment = datetime.datetime.fromisoformat(text)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def _key_date(cell) -> datetime.date | None:
    """A key's own date: the local date of the one moment in ``cell``, None for anything else."""
    values = _values(cell)
    if len(values) != 1:
        return None
    try:
        moment = parse_moment(values[0])
    except ValueError:
        return None
    return moment.astimezone(timezone.get_default_timezone()).date() if moment.year in YEARS else None


def _key_amount(cell) -> Decimal | None:
    values = _values(cell)
    if len(values) != 1:
        return None
    try:
        return parse_amount(values[0])
    except AmountError:
        return None


class AmountError(ValueError):
    """Not an amount the mapping reads; ``args[0]`` says why, with the value and column to fill in."""


def parse_amount(text: str) -> Decimal:
    """Yuan, as the forms listed above write them, rounded to the fen; AmountError otherwise."""
    try:
        amount = Decimal(AMOUNT_NOISE.sub("", text).removesuffix("元"))
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise AmountError(NOT_AN_AMOUNT)
    if amount < 0:
        raise AmountError(NEGATIVE_AMOUNT)
    if amount.adjusted() >= AMOUNT_DIGITS or amount.quantize(FEN, ROUND_HALF_UP) >= AMOUNT_LIMIT:
        raise AmountError(AMOUNT_TOO_LARGE)
    return amount.quantize(FEN, ROUND_HALF_UP).copy_abs()


def _checked(row, columns, is_valid, message, reasons) -> list[str]:
    """The normalised codes in ``columns``; each one ``is_valid`` refuses adds ``message`` to reasons."""
    checked = []
    for column in columns:
        for value in _split(_values(row.get(column))):
            code = normalise(value)
            if is_valid(code):
                checked.append(code)
            else:
                reasons.append(message % {"value": _shown(value), "column": column})
    return list(dict.fromkeys(checked))


def _values(value) -> list[str]:
    """A cell as a list of non-empty strings: JSON lists flattened, null and blanks dropped."""
    if type(value) is str:  # nearly every cell: the quick way first (ingestion runs this per cell)
        text = value.strip()
        return [text] if text else []
    if value is None:
        return []
    if isinstance(value, list):
        return [text for item in value for text in _values(item)]
    if isinstance(value, dict | bool):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value).strip()
    return [text] if text else []


def _joined(row, columns) -> list[str]:
    return [text for column in columns for text in _values(row.get(column))]


def _split(values) -> list[str]:
    return [part.strip() for value in values for part in SEPARATORS.split(value) if part.strip()]


def _listed(row, columns) -> list[str]:
    return list(dict.fromkeys(_split(_joined(row, columns))))


def _shown(value: str) -> str:
    return value if len(value) <= SHOWN_VALUE_LENGTH else value[: SHOWN_VALUE_LENGTH - 1] + "…"
