"""The directory's search box and filters (django-filter)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapForm

from .models import Agency, AgencyKind, Level, Region, SupervisionClass
from .queries import active_agencies, in_directory_order

SEARCH_FIELDS = ("name", "short_name", "aliases", "name_en", "code")


def search_agencies(queryset, text: str):
    """Agencies matching every word of ``text`` in one of their names or their code."""
    for word in text.split():
        match = Q()
        for field in SEARCH_FIELDS:
            match |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(match)
    return queryset


class DirectoryFilterForm(BootstrapForm):
    # Small lists beside a search box of the full size.
    compact = True
    full_size = ("q",)


def _region_choices(request):
    return Region.objects.order_by("level", "code")


def _parent_choices(request):
    return in_directory_order(active_agencies().filter(children__is_active=True).distinct())


class RegionChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        # Indent by level so the select reads as a tree: province, city, districts.
        return "\u2003" * max(obj.level - 1, 0) + obj.display_name


class RegionFilter(django_filters.ModelChoiceFilter):
    field_class = RegionChoiceField


class AgencyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    supervision_class = django_filters.ChoiceFilter(
        label=_("Supervision class"), choices=SupervisionClass.choices, empty_label=_("All classes")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=AgencyKind.choices, empty_label=_("All kinds")
    )
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Level.choices, empty_label=_("All levels"))
    region = RegionFilter(
        label=_("Region"), queryset=_region_choices, to_field_name="code", method="filter_region",
        empty_label=_("All regions"),
    )
    parent = django_filters.ModelChoiceFilter(
        label=_("Parent agency"), queryset=_parent_choices, to_field_name="code",
        empty_label=_("Any parent"),
    )

    class Meta:
        model = Agency
        fields = ["q", "supervision_class", "kind", "level", "region", "parent"]
        form = DirectoryFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget.input_type = "search"
        self.form.fields["q"].widget.attrs.setdefault(
            "placeholder", _("Name, short name, English name or code")
        )

    def filter_q(self, queryset, name, value):
        return search_agencies(queryset, value)

    def filter_region(self, queryset, name, value):
        """A region and every region below it: 江州市 lists the city's and its districts' agencies."""
        if not value:
            return queryset
        return queryset.filter(region_id__in=value.descendant_ids())

    @property
    def has_filters(self) -> bool:
        """Whether any filter other than the search box is set (the phone layout opens them)."""
        return any(self.data.get(name) for name in self.filters if name != "q")
