"""What an agency is called: the keys the agency pickers match what people type against.

People type an agency's short or common name (住建, 市住建局, 城管, 发改委, 卫健委) or the
initials of its pinyin (zjj, fgw, wjw), as they do in every Chinese office system. The keys are
the agency's names, its code and aliases, "市" before a city agency's short name, and for each
Chinese name its pinyin initials and its full pinyin (pypinyin).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from common.cjk import has_han

from .models import Agency, Level

_ALIAS_SEPARATORS = re.compile(r"[\s,，、;；]+")


def aliases_of(agency: Agency) -> list[str]:
    return [alias for alias in _ALIAS_SEPARATORS.split(agency.aliases or "") if alias]


def search_keys(agency: Agency) -> str:
    """Every key of ``agency`` in lower case, separated by "|" (which nobody types)."""
    return _keys(
        agency.name, agency.short_name, agency.name_en, agency.code, tuple(aliases_of(agency)),
        agency.level == Level.CITY,
    )


@lru_cache(maxsize=4096)
def _keys(name, short_name, name_en, code, aliases, city_level) -> str:
    names = [name, short_name, *aliases]
    if city_level and short_name and not short_name.startswith("市"):
        names.append(f"市{short_name}")  # how the city's own bureaus are spoken of: 市住建局
    keys = [n for n in names if n] + [name_en, code]
    for chinese in (n for n in names if n and has_han(n)):
        keys.append("".join(lazy_pinyin(chinese, style=Style.FIRST_LETTER)))
        keys.append("".join(lazy_pinyin(chinese)))
    return "|".join(dict.fromkeys(key.lower() for key in keys if key))


def matches(agency: Agency, typed: str) -> bool:
    """Whether every word typed is part of one of the agency's keys (as the pickers filter)."""
    keys = search_keys(agency)
    return all(word in keys for word in typed.lower().split())
