"""The stream registry: the live layer knows the kinds of stream the apps registered, and no
other; each kind's owner says who may read it."""

from __future__ import annotations

import pytest

from notifications.live import consumers, events, streams


def test_the_apps_register_their_streams_when_they_start():
    assert streams.kind(events.USER).may_read is consumers.may_read_inbox
    assert streams.kind(events.AGENCY).may_read is consumers.may_read_agency
    issue = streams.kind(events.ISSUE)
    assert issue.numbered_by_owner and issue.announce is not None  # the board's own numbers
    assert not streams.kind(events.AGENCY).numbered_by_owner  # numbered by the outbox


def test_only_a_registered_kind_is_a_stream():
    assert events.parse_stream("issue.12") == ("issue", 12)
    assert events.parse_stream("unknown.12") is None
    assert streams.kind("unknown") is None
    assert not consumers.may_read(1, "unknown.12")


def test_a_kind_numbered_by_its_owner_says_how_to_replay_it():
    with pytest.raises(ValueError):
        streams.register("half", may_read=lambda user_id, pk: True, position=lambda pk: 0)
    with pytest.raises(ValueError):
        streams.register("not.a.word", may_read=lambda user_id, pk: True)
    assert streams.kind("half") is None


def test_outbox_rows_need_a_kind_that_announces_them():
    with pytest.raises(LookupError):
        streams.announcer(events.USER)
