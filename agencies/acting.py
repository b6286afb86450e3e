"""Which agency a user is acting for right now: chosen in the page header, kept in the session."""

from __future__ import annotations

from .models import Membership

SESSION_KEY = "acting_agency_id"


def memberships_of(user):
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user, agency__is_active=True).select_related(
        "agency", "agency__region"
    )


_CACHE_ATTR = "_acting_membership_cache"


def user_memberships(request) -> list[Membership]:
    """The signed-in user's memberships, fetched once per request."""
    cache = getattr(request, _CACHE_ATTR, None)
    if cache is None:
        cache = list(memberships_of(request.user))
        setattr(request, _CACHE_ATTR, cache)
    return cache


def acting_membership(request) -> Membership | None:
    """The membership the user acts through: the one chosen, else their first."""
    memberships = user_memberships(request)
    if not memberships:
        return None
    chosen = request.session.get(SESSION_KEY)
    for membership in memberships:
        if membership.agency_id == chosen:
            return membership
    return memberships[0]


def acting_agency(request):
    membership = acting_membership(request)
    return membership.agency if membership else None


def choose_agency(request, agency_id: int) -> bool:
    """Act for ``agency_id`` from now on; False (and nothing changed) if not a member of it."""
    if not memberships_of(request.user).filter(agency_id=agency_id).exists():
        return False
    request.session[SESSION_KEY] = agency_id
    if hasattr(request, _CACHE_ATTR):
        delattr(request, _CACHE_ATTR)
    return True
