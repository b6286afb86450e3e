"""Who may see what of the agencies app.

The directory (agencies, their places and their people) is for the network: any active user
with a membership in an active agency, and the portal's staff. Everyone else is told that the
page does not exist — forbidden and missing answer alike (DESIGN §5).
"""

from __future__ import annotations

from .models import Membership


def is_network_member(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return Membership.objects.filter(user=user, agency__is_active=True).exists()


def can_view_directory(user) -> bool:
    return is_network_member(user)
