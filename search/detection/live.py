"""The triage list's live stream (DESIGN §6), registered with the live layer by ``SearchConfig.ready``.

``warnings.<agency id>``: a run of one of the agency's warning models raised new warnings. Only
the agency's members may hear it, as only they see its warnings (``permissions.access_warning``).
The live layer numbers it; the triage list fetches its rows again when a message arrives.
"""

from __future__ import annotations

from agencies.models import Membership
from notifications.live import events, outbox, streams

from .models import WarningModel


def may_read_warnings(user_id: int, pk: int) -> bool:
    """An active member of the active agency (one query: asked before every message)."""
    return Membership.objects.filter(
        user_id=user_id, user__is_active=True, agency_id=pk, agency__is_active=True
    ).exists()


def announce_raised(model: WarningModel, new: int) -> None:
    """Tell the owning agency's open triage lists, once the run's transaction commits."""
    stream = events.warnings_stream(model.agency_id)
    outbox.announce_on_commit(stream, {"type": "warnings.raised", "model": model.pk, "new": new})


def position(agency_id: int) -> dict:
    """The stream and its latest number, for a page that listens to it."""
    stream = events.warnings_stream(agency_id)
    return {"name": stream, "seq": outbox.position(stream)}


def register_streams() -> None:
    streams.register(events.WARNINGS, may_read=may_read_warnings)
