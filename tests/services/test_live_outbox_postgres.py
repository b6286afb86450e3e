"""The outbox under real concurrency: actions and relays in parallel transactions on PostgreSQL.

Several threads push issues to the same departments at once, each relaying on its own commit,
while another thread runs the beat task's relay in a loop. Every stream must come out numbered
1…n with no gap and no number twice, and every action must be announced exactly once to each of
its parties: the relays take disjoint rows (SKIP LOCKED) and number under the streams' row locks.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connections

from issues.models import IssueEvent, Participant
from notifications.live import outbox
from notifications.models import LiveEvent, LiveOutbox
from tests.factories import AgencyFactory, commission, member, pushed_issue

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 4
PUSHES_EACH = 6


def test_concurrent_actions_and_relays_number_each_stream_without_gaps(city):
    bodies = [commission(city, code=f"jw-{n}") for n in range(2)]
    pushers = [member(bodies[n % 2]) for n in range(THREADS)]
    bureaus = [AgencyFactory(region=city, code=f"bureau-{n}") for n in range(3)]
    errors: list[BaseException] = []
    done = threading.Event()
    start = threading.Barrier(THREADS + 1)

    def push_some(n: int) -> None:
        try:
            start.wait(timeout=10)
            for k in range(PUSHES_EACH):
                # Each commit runs the relay on commit, racing the others and the loop below.
                pushed_issue(pushers[n], bodies[n % 2], bureaus[(n + k) % 3], title=f"并发{n}-{k}")
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            errors.append(error)
        finally:
            connections.close_all()

    def relay_loop() -> None:
        try:
            start.wait(timeout=10)
            while not done.is_set():
                outbox.relay(batch_size=3)
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=push_some, args=(n,)) for n in range(THREADS)]
    relayer = threading.Thread(target=relay_loop)
    for thread in [*workers, relayer]:
        thread.start()
    for thread in workers:
        thread.join(timeout=60)
    done.set()
    relayer.join(timeout=30)
    assert not errors, errors
    outbox.relay()
    assert not LiveOutbox.objects.exists()

    by_stream: dict[str, list[int]] = {}
    for stream, seq in LiveEvent.objects.order_by("stream", "seq").values_list("stream", "seq"):
        by_stream.setdefault(stream, []).append(seq)
    for stream, seqs in by_stream.items():
        assert seqs == list(range(1, len(seqs) + 1)), stream

    # Each event once per party of its issue, and nothing else.
    expected = Counter()
    parties = {}
    for issue_id, agency_id in Participant.objects.values_list("issue_id", "agency_id").distinct():
        parties.setdefault(issue_id, set()).add(agency_id)
    for event in IssueEvent.objects.all():
        for agency_id in parties[event.issue_id]:
            expected[(f"agency.{agency_id}", event.issue_id, event.action)] += 1
    announced = Counter(
        (stream, payload["issue"], payload["action"])
        for stream, payload in LiveEvent.objects.filter(stream__startswith="agency.").values_list(
            "stream", "payload"
        )
    )
    assert announced == expected
    assert IssueEvent.objects.count() == THREADS * PUSHES_EACH
