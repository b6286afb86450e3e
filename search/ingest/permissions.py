"""Who may upload to which linked system, and who sees which upload's run (DESIGN §7).

Members of a system's owner agency may load files into it, and the administrators of a discipline
commission into every system. A run is seen by the user who uploaded it and by everyone who may
upload to its system.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from agencies.models import Role

from ..models import IngestRun, SourceSystem


def uploadable_systems(membership):
    """The systems ``membership`` may load files into (none without an agency)."""
    systems = SourceSystem.objects.filter(is_active=True)
    if membership is None:
        return systems.none()
    if membership.role == Role.ADMINISTRATOR and membership.agency.is_commission:
        return systems
    return systems.filter(owner=membership.agency)


def visible_runs(membership):
    """The runs the user uploaded, and every run of the systems they may upload to."""
    if membership is None:
        return IngestRun.objects.none()
    mine = Q(uploaded_by=membership.user) | Q(system__in=uploadable_systems(membership))
    return IngestRun.objects.filter(mine).select_related("system", "uploaded_by")


def access_run(membership, pk) -> IngestRun:
    """The run, if the user may see it; missing and forbidden both raise Http404."""
    try:
        return visible_runs(membership).get(pk=pk)
    except (IngestRun.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
