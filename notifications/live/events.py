"""The live layer's messages (DESIGN §6): their names, their shapes, and the one sender.

Every message the portal sends to open pages is one of the TypedDicts below. Numbered messages
belong to a stream; the stream's name is also the Channels group its subscribers join:

- ``agency.<id>``: an issue the agency is party to changed (the board listens);
- ``issue.<id>``: the issue itself changed, numbered by its issue record's own ``seq`` (the issue page);
- ``user.<id>``: the user's inbox received notifications (the header bell, the inbox page);
- ``warnings.<id>``: warning models of the agency raised new warnings (the triage list).

``type`` names the consumer method that receives the message ("issue.changed" is handled by
``issue_changed``), as Channels dispatches group messages.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Literal, TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from . import streams

logger = logging.getLogger(__name__)

# The kinds of stream; who may read each, and how it is numbered, is registered by the app that
# owns it (``streams``): the inbox's and the agencies' by this app, the issues' by the board.
AGENCY, ISSUE, USER, WARNINGS = "agency", "issue", "user", "warnings"


class IssueChanged(TypedDict):
    """An action was recorded on ``issue``: pages showing it fetch their new state."""

    type: Literal["issue.changed"]
    stream: str
    seq: int
    issue: int
    action: str


class InboxChanged(TypedDict):
    """``new`` notifications reached the user's inbox (as the morning digest when ``digest``).

    The consumer adds the user's ``unread`` count when it forwards the message.
    """

    type: Literal["inbox.changed"]
    stream: str
    seq: int
    new: int
    digest: bool


class WarningsRaised(TypedDict):
    """A run of ``model`` raised ``new`` warnings for the agency: triage lists fetch their rows."""

    type: Literal["warnings.raised"]
    stream: str
    seq: int
    model: int
    new: int


class SessionEnded(TypedDict):
    """The user signed out: every socket they hold closes (sent to their ``user.<id>`` group)."""

    type: Literal["session.ended"]


StreamMessage = IssueChanged | InboxChanged | WarningsRaised
Message = StreamMessage | SessionEnded


def stream_name(kind: str, pk: int) -> str:
    return f"{kind}.{pk}"


def agency_stream(agency_id: int) -> str:
    return stream_name(AGENCY, agency_id)


def issue_stream(issue_id: int) -> str:
    return stream_name(ISSUE, issue_id)


def user_stream(user_id: int) -> str:
    return stream_name(USER, user_id)


def warnings_stream(agency_id: int) -> str:
    return stream_name(WARNINGS, agency_id)


def parse_stream(name) -> tuple[str, int] | None:
    """("agency", 12) for "agency.12"; None for anything that is not a registered stream's name."""
    if not isinstance(name, str) or len(name) > 40:
        return None
    kind, _, pk = name.partition(".")
    if streams.kind(kind) is None or not pk.isascii() or not pk.isdigit():
        return None
    return kind, int(pk)


def send(messages: Iterable[tuple[str, Message]]) -> bool:
    """Send each (group, message) in order; False, logged, if the channel layer failed.

    The one way messages leave for open pages. A failure loses nothing: the numbered messages
    are in the database and the clients catch up when they reconnect or resync (consumers).
    """
    messages = list(messages)
    layer = get_channel_layer()
    if not messages or layer is None:
        return True
    try:
        # One event loop for them all: async_to_sync starts a thread per call, which costs more
        # than the sends themselves when there are many.
        async_to_sync(_send_all)(layer, messages)
    except Exception:  # noqa: BLE001 - the change is committed; the clients will catch up
        logger.exception("could not send %d live messages; clients catch up at their resync", len(messages))
        return False
    return True


async def _send_all(layer, messages: list[tuple[str, Message]]) -> None:
    for group, message in messages:
        await layer.group_send(group, message)
