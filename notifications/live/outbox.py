"""The transactional outbox of the live layer: nothing committed goes unannounced, nothing twice.

An action writes a ``LiveOutbox`` row in its own transaction (``enqueue_issue_event``); so does a
notification reaching an inbox (``enqueue_inbox``). After the commit the relay numbers each row
into its streams (one ``LiveEvent`` per stream, numbered under the stream's ``LiveStream`` row
lock), deletes it and sends the messages. Numbering after the commit is what makes a stream's
numbers gapless and in commit order; numbering inside the actions would hold every party's
stream lock until the action commits, and two actions could wait on each other.

Which streams a recorded event is announced on, and the streams numbered by their owner (an
issue's, by its issue record), are the owning app's to say, through the stream registry (``streams``).

If the relay cannot run (the process died after the commit), the beat task ``relay_live_events``
picks the rows up. If the channel layer is down, the numbered messages wait in ``LiveEvent`` and
the clients fetch them with ``replay`` when they reconnect or resync.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import LiveEvent, LiveOutbox, LiveStream
from . import events, streams

logger = logging.getLogger(__name__)

RELAY_BATCH = 500
# A client further behind than this is told to reload its page's live parts instead.
REPLAY_LIMIT = 200


def enqueue_issue_event(event) -> None:
    """Announce a recorded ``IssueEvent`` to its issue's parties once the transaction commits."""
    LiveOutbox.objects.create(issue_event=event)
    transaction.on_commit(relay_soon)


def enqueue_inbox(counts: dict[int, int], *, digest: bool = False) -> None:
    """Tell each user (id → how many new) that notifications reached their inbox, on commit."""
    rows = [
        LiveOutbox(user_id=user_id, new_notifications=count, digest=digest)
        for user_id, count in sorted(counts.items())
        if count
    ]
    if rows:
        LiveOutbox.objects.bulk_create(rows, batch_size=1_000)
        transaction.on_commit(relay_soon)


def announce_on_commit(stream: str, payload: dict) -> None:
    """Number ``payload`` into ``stream`` and send it once the transaction commits, for a kind
    whose changes have no outbox row of their own (a detection run's new warnings). Numbered
    after the commit, as the relay numbers, so no stream lock is held while the change commits.
    A process that dies between the commit and this loses the message only: the change is in
    the database, and the page shows it when next loaded."""

    def publish() -> None:
        try:
            with transaction.atomic():
                messages = _number([(stream, payload)])
            events.send(messages)
        except Exception:  # noqa: BLE001 - the change is committed; it must not fail for this
            logger.exception("could not announce on %s", stream)

    transaction.on_commit(publish)


def relay_soon() -> None:
    """The relay as an on-commit hook: a failure here must not fail the request that committed."""
    try:
        relay()
    except Exception:  # noqa: BLE001 - the rows wait for the beat task's relay
        logger.exception("live relay failed; the beat task will retry")


def relay(batch_size: int = RELAY_BATCH) -> int:
    """Number and send every waiting row; returns how many rows were relayed."""
    total = 0
    while True:
        with transaction.atomic():
            numbered = _number_batch(batch_size)
        if numbered is None:
            return total
        count, messages = numbered
        events.send(messages)
        total += count


def _number_batch(batch_size: int) -> tuple[int, list[tuple[str, events.Message]]] | None:
    # Concurrent relays take disjoint rows; each row is numbered once because it is deleted in
    # the transaction that numbered it.
    rows = list(
        LiveOutbox.objects.select_for_update(skip_locked=True, of=("self",)).order_by("pk")[:batch_size]
    )
    if not rows:
        return None
    # What each recorded event announces, and to which streams, is the board's to say.
    event_ids = [row.issue_event_id for row in rows if row.issue_event_id]
    announced = streams.announcer(events.ISSUE)(event_ids) if event_ids else {}

    planned: list[tuple[str, dict]] = []  # (stream, payload) to number, in order
    unnumbered: list[tuple[str, events.Message]] = []  # streams numbered by their owner
    for row in rows:
        if row.issue_event_id:
            for stream, payload, seq in announced.get(row.issue_event_id, ()):
                if seq is None:
                    planned.append((stream, payload))
                else:
                    unnumbered.append((stream, {**payload, "stream": stream, "seq": seq}))
        elif row.user_id:
            payload = {"type": "inbox.changed", "new": row.new_notifications, "digest": row.digest}
            planned.append((events.user_stream(row.user_id), payload))

    numbered = _number(planned)
    LiveOutbox.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows), numbered + unnumbered


def _number(planned: list[tuple[str, dict]]) -> list[tuple[str, events.Message]]:
    if not planned:
        return []
    names = sorted({stream for stream, _payload in planned})
    LiveStream.objects.bulk_create([LiveStream(name=name) for name in names], ignore_conflicts=True)
    # Locked in name order, so two relays sharing streams queue rather than deadlock.
    locked = LiveStream.objects.select_for_update().filter(name__in=names).order_by("name")
    streams = {counter.name: counter for counter in locked}
    now = timezone.now()
    rows, messages = [], []
    for stream, payload in planned:
        counter = streams[stream]
        counter.seq += 1
        rows.append(LiveEvent(stream=stream, seq=counter.seq, payload=payload, created=now))
        messages.append((stream, {**payload, "stream": stream, "seq": counter.seq}))
    LiveEvent.objects.bulk_create(rows, batch_size=1_000)
    LiveStream.objects.bulk_update(list(streams.values()), ["seq"], batch_size=1_000)
    return messages


# --- what a reconnecting client asks -------------------------------------------------------------


def position(stream: str) -> int:
    """The stream's latest number (0 before its first message)."""
    kind, pk = events.parse_stream(stream)
    registered = streams.kind(kind)
    if registered.numbered_by_owner:
        return registered.position(pk)
    return LiveStream.objects.filter(name=stream).values_list("seq", flat=True).first() or 0


def replay(stream: str, after: int, limit: int = REPLAY_LIMIT) -> list[events.StreamMessage] | None:
    """The stream's messages numbered after ``after``, in order; None if they cannot all be
    given (pruned, or more than ``limit``): the client then reloads its live parts."""
    kind, pk = events.parse_stream(stream)
    registered = streams.kind(kind)
    # The position first: every message numbered up to it is committed and so among the rows
    # read next. Read after them, a message committed in between would look pruned.
    latest = position(stream)
    if after > latest:
        return None  # a number this stream never gave
    if registered.numbered_by_owner:
        messages = registered.replay(stream, pk, after, limit + 1)
    else:
        rows = list(
            LiveEvent.objects.filter(stream=stream, seq__gt=after)
            .order_by("seq")
            .values_list("seq", "payload")[: limit + 1]
        )
        messages = [{**payload, "stream": stream, "seq": seq} for seq, payload in rows]
    if len(messages) > limit or (messages and messages[0]["seq"] != after + 1):
        return None
    if not messages and latest != after:
        return None  # pruned to the last one
    return messages


def prune(now: dt.datetime | None = None) -> int:
    """Forget numbered messages older than LIVE_EVENT_RETENTION; a client that slept longer
    reloads its live parts (``replay`` says so)."""
    cutoff = (now or timezone.now()) - settings.LIVE_EVENT_RETENTION
    deleted, _ = LiveEvent.objects.filter(created__lt=cutoff).delete()
    return deleted
