"""Re-screen (名单复筛): the keys of a screening list (a partner's warnings, a published list of
debtors, uploaded as ``ScreeningList`` entries, normalised as record keys are) found in the
linked records of some systems. One warning per key found; its evidence is every record that
names it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ...models import KeyKind
from ..models import ScreeningEntry, ScreeningList
from .base import KEYS, Context, Pattern, PatternForm, Query, RolesField, SystemsField, condition_in

ENTRIES = ScreeningEntry._meta.db_table


class RescreenForm(PatternForm):
    screening_list = forms.ChoiceField(label=_("Screening list"))
    systems_searched = SystemsField(label=_("Linked systems screened"))
    kinds = forms.MultipleChoiceField(label=_("Kinds of key"), choices=KeyKind.choices, required=False,
                                      help_text=_("Empty: every kind the list holds."))
    roles = RolesField(label=_("Roles"), help_text=_("Empty: any role."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["screening_list"].choices = list(ScreeningList.objects.values_list("code", "name"))


class Rescreen(Pattern):
    name = "rescreen"
    label = _("Re-screen")
    description = _("Keys of a screening list found in the linked records.")
    form_class = RescreenForm

    def systems(self, params: dict) -> set[str]:
        return set(params["systems_searched"])

    def compile(self, params: dict, ctx: Context) -> Query:
        q = Query()
        system_ids = [ctx.system(code) for code in params["systems_searched"]]
        systems, system_values = condition_in("k.system_id", system_ids)
        roles, role_values = condition_in("k.role", params["roles"])
        kinds, kind_values = condition_in("k.kind", params["kinds"])
        touched, touched_values = ctx.touched_keys("k.kind", "k.value")
        q.final(
            f"SELECT k.kind || ':' || k.value, k.kind, k.value, k.record_id FROM {KEYS} k "
            f"JOIN {ENTRIES} e ON e.kind = k.kind AND e.value = k.value "
            f"WHERE e.screening_list_id = (SELECT id FROM {ScreeningList._meta.db_table} WHERE code = %s) "
            f"AND {systems} AND {roles} AND {kinds} AND {touched}",
            [params["screening_list"], *system_values, *role_values, *kind_values, *touched_values],
        )
        return q


PATTERN = Rescreen()
