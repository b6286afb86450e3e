"""Every change to regions, agencies, memberships and calendar days goes through here (DESIGN §5, §11).

Each keeps the agency's permission group in step: one Django group per agency, holding its
members, so that django-guardian can grant object permissions to a whole agency at once. The
admin, the demo seeding and the tests call these and nothing else.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from . import calendar
from .models import Agency, CalendarDay, CalendarSource, Membership, Region, Role, check_stationing


def group_name_for(code: str) -> str:
    return f"agency:{code}"


@transaction.atomic
def save_region(region: Region) -> Region:
    """Validate (hierarchy, unique code) and save a region, new or changed."""
    region.full_clean()
    region.save()
    return region


@transaction.atomic
def save_agency(agency: Agency, *, stationed_at=None) -> Agency:
    """Validate and save an agency (new or changed), creating or renaming its group.

    ``stationed_at``, when given, replaces the departments a stationed group is stationed at;
    when omitted the current ones are kept and checked again against the agency as saved.
    """
    wanted = group_name_for(agency.code)
    if agency.group_id is None:
        agency.group, _ = Group.objects.get_or_create(name=wanted)
    elif agency.group.name != wanted:
        agency.group.name = wanted
        agency.group.save(update_fields=["name"])
    agency.full_clean()
    agency.save()
    targets = list(agency.stationed_at.all()) if stationed_at is None else list(stationed_at)
    check_stationing(agency, targets)
    if stationed_at is not None:
        agency.stationed_at.set(targets)
    return agency


@transaction.atomic
def delete_agency(agency: Agency) -> None:
    """Delete an agency that nothing refers to, and its permission group with it.

    Agencies with members, children or history are protected by their foreign keys
    (``ProtectedError``); deactivate those instead (``is_active``).
    """
    group = agency.group
    agency.delete()
    group.delete()


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
def save_membership(membership: Membership) -> Membership:
    """Validate and save a membership edited as a whole (the admin's forms).

    Whoever it touches — the member now and, if the user changed, the member before — ends
    with agency groups equal to their memberships.
    """
    previous_user_id = None
    if membership.pk is not None:
        previous_user_id = (
            Membership.objects.filter(pk=membership.pk).values_list("user_id", flat=True).first()
        )
    membership.full_clean()
    membership.save()
    sync_groups(membership.user)
    if previous_user_id is not None and previous_user_id != membership.user_id:
        sync_groups(get_user_model().objects.get(pk=previous_user_id))
    return membership


@transaction.atomic
def remove_member(membership: Membership) -> None:
    membership.user.groups.remove(membership.agency.group)
    membership.delete()


@transaction.atomic
def sync_groups(user) -> None:
    """Make the user's agency groups equal their memberships (after edits outside add/remove)."""
    agency_group_ids = set(Agency.objects.values_list("group_id", flat=True))
    wanted = set(Membership.objects.filter(user=user).values_list("agency__group_id", flat=True))
    current = set(user.groups.filter(pk__in=agency_group_ids).values_list("pk", flat=True))
    user.groups.remove(*(current - wanted))
    user.groups.add(*(wanted - current))


# --- the working-day calendar ----------------------------------------------------------------


def _forget_calendar() -> None:
    # Cleared now, for the rest of this transaction, and again on commit, so that a reader that
    # reloaded in between does not keep what another transaction has just replaced.
    calendar.clear_cache()
    transaction.on_commit(calendar.clear_cache)


@transaction.atomic
def save_calendar_day(day: CalendarDay) -> CalendarDay:
    """Validate and save a day an administrator added or corrected; seeding leaves it alone after."""
    day.source = CalendarSource.ADMIN
    day.full_clean()
    day.save()
    _forget_calendar()
    return day


@transaction.atomic
def delete_calendar_day(day: CalendarDay) -> None:
    """Remove an exception: the day follows the Monday-to-Friday rule again."""
    day.delete()
    _forget_calendar()


@transaction.atomic
def seed_calendar() -> dict[str, int]:
    """Bring the package's days in: new ones added, changed ones updated, administrators' kept."""
    known = {day.date: day for day in CalendarDay.objects.all()}
    created, updated = [], []
    for date, (working, name) in sorted(calendar.package_days().items()):
        day = known.get(date)
        if day is None:
            created.append(
                CalendarDay(date=date, is_working_day=working, name=name, source=CalendarSource.PACKAGE)
            )
        elif day.source == CalendarSource.PACKAGE and (day.is_working_day, day.name) != (working, name):
            day.is_working_day, day.name = working, name
            updated.append(day)
    CalendarDay.objects.bulk_create(created)
    CalendarDay.objects.bulk_update(updated, ["is_working_day", "name"])
    _forget_calendar()
    return {"created": len(created), "updated": len(updated)}
