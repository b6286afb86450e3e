"""The acting agency at a glance, for the home page."""

from __future__ import annotations

from .acting import acting_membership


def agency_summary(request) -> dict | None:
    membership = acting_membership(request) if request.user.is_authenticated else None
    if membership is None:
        return None
    agency = membership.agency
    return {
        "agency": agency,
        "role": membership.get_role_display(),
        "member_count": agency.memberships.count(),
        "children_count": agency.children.count(),
        "stationed_groups": list(agency.stationed_groups.all()),
        "stationed_at": list(agency.stationed_at.all()),
    }
