"""Who may see and do what on the board, decided from the participant table (DESIGN §5).

Parties are agencies; each agency's Django group holds the object permissions for the issues it
is party to (django-guardian, direct foreign keys). Lists filter by one id subquery over those
permission rows; opening an issue checks the same rows, so what a list shows is exactly what
can be opened.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, Subquery
from django.http import Http404

from agencies.models import Agency, AgencyKind, Region, SupervisionClass

from .models import Issue, IssueGroupObjectPermission, Participant, PartyRole

VIEW, HANDLE, SUPERVISE, MANAGE = "view_issue", "handle_issue", "supervise_issue", "manage_issue"

# What each kind of party may do. Former handlers keep reading what happened.
PERMISSIONS_BY_PARTY_ROLE = {
    PartyRole.INITIATOR: {VIEW, MANAGE},
    PartyRole.LEAD: {VIEW, HANDLE},
    PartyRole.CO_HANDLER: {VIEW, HANDLE},
    PartyRole.COPIED: {VIEW},
    PartyRole.SUPERVISOR: {VIEW, SUPERVISE},
    PartyRole.CONSULTEE: {VIEW},
    PartyRole.FORMER_HANDLER: {VIEW},
    PartyRole.FORMER_SUPERVISOR: {VIEW},
}

def _permission_ids() -> dict[str, int]:
    return dict(
        Permission.objects.filter(
            content_type__app_label="issues", codename__in=[VIEW, HANDLE, SUPERVISE, MANAGE]
        ).values_list("codename", "pk")
    )


def sync_issue_permissions(issue: Issue) -> None:
    """Make the issue's group permissions equal what its participant rows call for."""
    perm_ids = _permission_ids()
    wanted: set[tuple[int, int]] = set()
    rows = Participant.objects.filter(issue=issue).values_list("agency__group_id", "role")
    for group_id, role in rows:
        for codename in PERMISSIONS_BY_PARTY_ROLE[role]:
            wanted.add((group_id, perm_ids[codename]))
    existing = {
        (group_id, perm_id): pk
        for pk, group_id, perm_id in IssueGroupObjectPermission.objects.filter(
            content_object=issue
        ).values_list("pk", "group_id", "permission_id")
    }
    stale = [pk for key, pk in existing.items() if key not in wanted]
    if stale:
        IssueGroupObjectPermission.objects.filter(pk__in=stale).delete()
    IssueGroupObjectPermission.objects.bulk_create(
        [
            IssueGroupObjectPermission(group_id=group_id, permission_id=perm_id, content_object=issue)
            for group_id, perm_id in wanted - existing.keys()
        ]
    )


def permitted_issue_ids(user, codename: str = VIEW, agency: Agency | None = None):
    """One id subquery: the issues whose permission ``codename`` the user's agency groups hold.

    With ``agency``, only that agency's permissions count (the board shows what the agency the
    user acts for is party to).
    """
    # Written so that PostgreSQL reads the rows straight from guardian's (group, permission,
    # object) unique index: the permission is one id from a scalar subquery and membership of
    # the agency's group an uncorrelated EXISTS, both evaluated once per query (InitPlans),
    # instead of joins to the permission, group and membership tables that hide from the
    # planner how many rows the group holds (bench/RESULTS.md).
    permission = Permission.objects.filter(
        content_type__app_label="issues", content_type__model="issue", codename=codename
    ).values("pk")[:1]
    rows = IssueGroupObjectPermission.objects.filter(permission_id=Subquery(permission))
    memberships = get_user_model().groups.through.objects.filter(user_id=user.pk)
    if agency is not None:
        rows = rows.filter(Exists(memberships.filter(group_id=agency.group_id)), group_id=agency.group_id)
    else:
        rows = rows.filter(group_id__in=memberships.values("group_id"))
    return rows.values("content_object_id")


def visible_issues(user, agency: Agency | None = None):
    if not user.is_authenticated:
        return Issue.objects.none()
    return Issue.objects.filter(pk__in=permitted_issue_ids(user, VIEW, agency))


def access_issue(user, pk, agency: Agency | None = None) -> Issue:
    """The issue, if the user may see it; missing and forbidden both raise Http404."""
    try:
        return visible_issues(user, agency).get(pk=pk)
    except (Issue.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def agency_holds(agency: Agency, issue: Issue, codename: str) -> bool:
    return IssueGroupObjectPermission.objects.filter(
        group_id=agency.group_id, content_object=issue, permission__codename=codename
    ).exists()


def supervisors_of(handler: Agency) -> list[Agency]:
    """Who supervises work done by ``handler``: its stationed groups and the commissions of
    its region and of every region above it."""
    region_ids = []
    region: Region | None = handler.region
    while region is not None:
        region_ids.append(region.pk)
        region = region.parent
    commissions = Agency.objects.filter(
        kind=AgencyKind.SUPERVISORY,
        supervision_class=SupervisionClass.PARTY,
        region_id__in=region_ids,
        is_active=True,
    )
    groups = handler.stationed_groups.filter(is_active=True)
    return [agency for agency in list(groups) + list(commissions) if agency.pk != handler.pk]


def held_codenames(agency: Agency, issue: Issue) -> set[str]:
    """Every issue permission ``agency`` holds on ``issue``, in one query (for the issue page)."""
    return set(
        IssueGroupObjectPermission.objects.filter(group_id=agency.group_id, content_object=issue).values_list(
            "permission__codename", flat=True
        )
    )
