"""The stream registry: who may read a kind of stream, and how its messages are numbered.

The live layer knows no app's rows: each app that owns a kind of stream registers it from its
``AppConfig.ready()``, and the consumer and the outbox ask here (as paperless-ngx puts the access
data a consumer checks in the message, rather than having the consumer know documents).

- ``may_read(user_id, pk)``: whether the user may hear stream ``<kind>.<pk>`` now. Asked when a
  page subscribes and again before every message is forwarded, so it should cost one query.
- ``position(pk)`` and ``replay(stream, pk, after, limit)``: for a stream numbered by its owner
  (an issue's stream carries its issue record's own numbers); ``replay`` gives the messages numbered
  after ``after``, at most ``limit``, in order. Without them the outbox numbers the stream itself
  and keeps its messages (``LiveStream``, ``LiveEvent``).
- ``announce(event_ids)``: for the kind whose events the outbox's rows point at, the messages
  each event gives: ``{event_id: [(stream, payload, seq or None), ...]}``, None where the outbox
  is to number the message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

Announcement = tuple[str, dict, int | None]


@dataclass(frozen=True)
class StreamKind:
    name: str
    may_read: Callable[[int, int], bool]
    position: Callable[[int], int] | None = None
    replay: Callable[[str, int, int, int], list[dict]] | None = None
    announce: Callable[[Iterable[int]], dict[int, list[Announcement]]] | None = None

    @property
    def numbered_by_owner(self) -> bool:
        return self.position is not None


_kinds: dict[str, StreamKind] = {}


def register(
    name: str,
    *,
    may_read: Callable[[int, int], bool],
    position: Callable[[int], int] | None = None,
    replay: Callable[[str, int, int, int], list[dict]] | None = None,
    announce: Callable[[Iterable[int]], dict[int, list[Announcement]]] | None = None,
) -> None:
    """Register a kind of stream; registering the same kind again replaces it (a reloaded app)."""
    if (position is None) != (replay is None):
        raise ValueError(f"stream {name}: position and replay come together")
    if not name.isascii() or not name.isalpha():
        raise ValueError(f"stream {name}: a kind is a plain word")
    _kinds[name] = StreamKind(name, may_read, position, replay, announce)


def kind(name: str) -> StreamKind | None:
    return _kinds.get(name)


def announcer(name: str) -> Callable[[Iterable[int]], dict[int, list[Announcement]]]:
    """The announce hook of the kind ``name``; a missing one is a configuration error."""
    registered = _kinds.get(name)
    if registered is None or registered.announce is None:
        raise LookupError(f"no stream kind {name} announces events")
    return registered.announce
