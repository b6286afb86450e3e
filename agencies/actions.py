"""Every change to agencies and memberships goes through these functions (DESIGN §5, §11).

Each keeps the agency's permission group in step: one Django group per agency, holding its
members, so that django-guardian can grant object permissions to a whole agency at once.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from .models import Agency, Membership, Role


def group_name_for(code: str) -> str:
    return f"agency:{code}"


@transaction.atomic
def save_agency(agency: Agency, *, stationed_at=None) -> Agency:
    """Validate and save an agency (new or changed), creating or renaming its group."""
    wanted = group_name_for(agency.code)
    if agency.group_id is None:
        agency.group, _ = Group.objects.get_or_create(name=wanted)
    elif agency.group.name != wanted:
        agency.group.name = wanted
        agency.group.save(update_fields=["name"])
    agency.full_clean()
    agency.save()
    if stationed_at is not None:
        agency.stationed_at.set(stationed_at)
    return agency


@transaction.atomic
def add_member(user, agency: Agency, *, role: str = Role.STAFF, title: str = "") -> Membership:
    """Make ``user`` a member of ``agency`` with ``role`` (or change the role they have)."""
    membership, created = Membership.objects.get_or_create(
        user=user, agency=agency, defaults={"role": role, "title": title}
    )
    if not created and (membership.role, membership.title) != (role, title):
        membership.role, membership.title = role, title
        membership.save(update_fields=["role", "title"])
    user.groups.add(agency.group)
    return membership


@transaction.atomic
def remove_member(membership: Membership) -> None:
    membership.user.groups.remove(membership.agency.group)
    membership.delete()


def sync_groups(user) -> None:
    """Make the user's agency groups equal their memberships (after edits outside add/remove)."""
    agency_group_ids = set(Agency.objects.values_list("group_id", flat=True))
    wanted = set(Membership.objects.filter(user=user).values_list("agency__group_id", flat=True))
    current = set(user.groups.filter(pk__in=agency_group_ids).values_list("pk", flat=True))
    user.groups.remove(*(current - wanted))
    user.groups.add(*(wanted - current))
