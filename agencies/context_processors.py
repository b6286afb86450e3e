from .acting import acting_membership, user_memberships


def acting_agency(request):
    """The header's agency switcher: the user's memberships and the one they act for."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    membership = acting_membership(request)
    return {
        "memberships": user_memberships(request),
        "acting_membership": membership,
        "acting_agency": membership.agency if membership else None,
    }
