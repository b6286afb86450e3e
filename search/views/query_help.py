"""The search page's help panel: how to write a query, the fields with what each matches, the
linked systems the reader may search with their codes (only those: a closed system is not
named), the synonym groups, and the limits a query must keep (search.index.query)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ..index.query import FIELDS, MAX_NESTING, MAX_QUERY_LENGTH, MAX_TERMS
from ..investigate import permissions
from ..investigate.interpret import MAX_EXPANDED_TERMS
from ..models import SynonymGroup
from .display import system_label

# What each field matches, in the order the panel lists them.
FIELD_MEANINGS = {
    "names": _("names of people and organisations; 名称:张伟 finds every name that holds 张伟 (张伟, "
               "张伟柏), 名称:\"张伟\" only the name 张伟 exactly"),
    "credit_codes": _("a unified social credit code, matched whole"),
    "id_numbers": _("an ID number, matched whole"),
    "phones": _("a phone number, matched whole"),
    "title": _("only in the title"),
    "body": _("only in the text"),
    "system": _("one linked system: its code, name or short name (see below), e.g. 系统:医保"),
    "region": _("a region by its name or code, with the regions inside it, e.g. 地区:东湖区"),
    "year": _("the year the record happened, e.g. 年份:2024"),
}


def help_panel(accesses: dict[str, permissions.SystemAccess]) -> dict:
    names: dict[str, list[str]] = {}
    for name, field in FIELDS.items():
        names.setdefault(field, []).append(name)
    return {
        "fields": [
            {"names": [f"{name}:" for name in names[field]], "meaning": meaning}
            for field, meaning in FIELD_MEANINGS.items()
        ],
        "systems": sorted(
            (
                {"label": system_label(access.system), "short_name": access.system.short_name,
                 "code": access.system.code}
                for access in accesses.values()
            ),
            key=lambda system: system["code"],
        ),
        "synonyms": [group.word_list for group in SynonymGroup.objects.all()],
        "max_length": MAX_QUERY_LENGTH,
        "max_terms": MAX_TERMS,
        "max_nesting": MAX_NESTING,
        "max_expanded": MAX_EXPANDED_TERMS,
    }
