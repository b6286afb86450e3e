from collections import namedtuple

from django.core.management.base import BaseCommand, CommandError
from django.db.models import OuterRef, Subquery

from issues.models import Issue, IssueEvent
from issues.workflow.record import verify

# Every field ``record.canonical`` hashes and ``record.verify`` compares: rows, not model
# instances, so the walk is about a third faster (bench/RESULTS.md).
EventRow = namedtuple(
    "EventRow",
    "pk issue_id seq assignment_id action actor_id actor_name agency_id related_agency_id before after "
    "reason automation_rule request_id created_at prev_hash hash",
)


class Command(BaseCommand):
    help = "Walk every issue's hash-chained record; exit non-zero naming the first broken event."

    def add_arguments(self, parser):
        parser.add_argument("--issue", type=int, help="Verify one issue only.")
        parser.add_argument("--batch", type=int, default=5000)

    def handle(self, *args, issue=None, batch=5000, **options):
        events = IssueEvent.objects.order_by("issue_id", "seq")
        if issue is not None:
            events = events.filter(issue_id=issue)
        walked = 0

        def rows():
            nonlocal walked
            for row in events.values_list(*EventRow._fields).iterator(chunk_size=batch):
                walked += 1
                yield EventRow._make(row)

        broken = verify(rows())
        if broken is not None:
            raise CommandError(
                f"Broken record: event {broken.event_id} "
                f"(issue {broken.issue_id}, number {broken.seq}) {broken.why}."
            )
        # Each chain must end exactly at the head its issue remembers: a head further on means
        # events were removed from the end; a chain running past the head, or ending elsewhere,
        # means events were added or replaced behind the actions' back (anyone can compute a
        # hash; only the head, moved in the same transaction as each event, tells them apart).
        # Each issue's last event comes with the issue from the database (an index probe per
        # issue), so memory stays at one batch however many issues there are.
        last = IssueEvent.objects.filter(issue_id=OuterRef("pk")).order_by("-seq")
        issues = Issue.objects.order_by("pk").annotate(
            last_pk=Subquery(last.values("pk")[:1]),
            last_seq=Subquery(last.values("seq")[:1]),
            last_hash=Subquery(last.values("hash")[:1]),
        )
        if issue is not None:
            issues = issues.filter(pk=issue)
        heads = issues.values_list("pk", "record_head", "event_count", "last_pk", "last_seq", "last_hash")
        for pk, head, count, event_pk, seq, tail_hash in heads.iterator(chunk_size=batch):
            seq, tail_hash = seq or 0, tail_hash or ""
            if seq < count:
                raise CommandError(f"Issue {pk}: the record ends before event {count}; events are missing.")
            if seq > count:
                raise CommandError(
                    f"Broken record: event {event_pk} (issue {pk}, number {seq}) "
                    f"runs past the issue's last recorded event ({count})."
                )
            if count and tail_hash != head:
                raise CommandError(
                    f"Broken record: event {event_pk} (issue {pk}, number {seq}) "
                    "is not the event the issue's record ends at."
                )
        self.stdout.write(self.style.SUCCESS(f"The record holds: {walked} events verified."))
