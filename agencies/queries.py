"""Read-side queries of the directory: what the list and the agency page show.

Views stay thin: they call these, and these are the one place that decides what "active",
"visible" and "in directory order" mean.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.http import Http404

from .models import Agency, AgencyKind, Membership, Role, SupervisionClass
from .permissions import can_view_directory

# Supervisory bodies first (the "1" before the "9"), then groups, departments, project owners.
KIND_ORDER = [
    AgencyKind.SUPERVISORY,
    AgencyKind.STATIONED_GROUP,
    AgencyKind.DEPARTMENT,
    AgencyKind.PROJECT_OWNER,
]
ROLE_ORDER = [Role.LEADER, Role.ADMINISTRATOR, Role.LIAISON, Role.STAFF]


def _rank(field: str, values) -> Case:
    return Case(
        *(When(**{field: value}, then=Value(index)) for index, value in enumerate(values)),
        default=Value(len(values)),
        output_field=IntegerField(),
    )


def in_directory_order(queryset: QuerySet[Agency]) -> QuerySet[Agency]:
    return queryset.order_by(
        "level",
        "region__level",
        "region__code",
        _rank("kind", KIND_ORDER),
        _rank("supervision_class", list(SupervisionClass.values)),
        "code",
    )


def active_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True)


def directory_agencies() -> QuerySet[Agency]:
    """Every active agency, with what the list shows, in directory order."""
    return in_directory_order(active_agencies().select_related("region", "parent"))


def access_agency(user, code: str) -> Agency:
    """The active agency ``code`` if ``user`` may see the directory; 404 otherwise (both cases)."""
    if not can_view_directory(user):
        raise Http404
    try:
        return active_agencies().select_related("region", "parent", "dispatched_by").get(code=code)
    except Agency.DoesNotExist:
        raise Http404 from None


def members_of(agency: Agency) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(agency=agency, user__is_active=True)
        .select_related("user")
        .order_by(_rank("role", ROLE_ORDER), "user__full_name", "user__username")
    )


def agency_page(agency: Agency) -> dict:
    """Everything the agency page shows about ``agency``, fetched in a fixed number of queries."""
    related = active_agencies().select_related("region")
    ordered = in_directory_order(related)
    page = {
        "agency": agency,
        "children": list(ordered.filter(parent=agency)),
        "members": list(members_of(agency)),
        "stationed_at": [],
        "stationed_groups": [],
        "dispatched_groups": [],
    }
    if agency.kind == AgencyKind.STATIONED_GROUP:
        page["stationed_at"] = list(ordered.filter(stationed_groups=agency))
    if agency.kind in (AgencyKind.DEPARTMENT, AgencyKind.PROJECT_OWNER):
        page["stationed_groups"] = list(
            ordered.filter(stationed_at=agency).select_related("dispatched_by")
        )
    if agency.is_commission:
        page["dispatched_groups"] = list(
            ordered.filter(dispatched_by=agency).prefetch_related(
                Prefetch("stationed_at", queryset=in_directory_order(related), to_attr="active_stations")
            )
        )
    return page
