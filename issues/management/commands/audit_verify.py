from django.core.management.base import BaseCommand, CommandError

from issues.models import Issue, IssueEvent
from issues.record import verify


class Command(BaseCommand):
    help = "Walk every issue's hash-chained record; exit non-zero naming the first broken event."

    def add_arguments(self, parser):
        parser.add_argument("--issue", type=int, help="Verify one issue only.")
        parser.add_argument("--batch", type=int, default=5000)

    def handle(self, *args, issue=None, batch=5000, **options):
        events = IssueEvent.objects.order_by("issue_id", "seq")
        if issue is not None:
            events = events.filter(issue_id=issue)
        # The last event seen of each issue, as (pk, seq, hash), gathered in the same single pass.
        last: dict[int, tuple[int, int, str]] = {}

        def walked():
            for event in events.iterator(chunk_size=batch):
                last[event.issue_id] = (event.pk, event.seq, event.hash)
                yield event

        broken = verify(walked())
        if broken is not None:
            raise CommandError(
                f"Broken record: event {broken.event_id} "
                f"(issue {broken.issue_id}, number {broken.seq}) {broken.why}."
            )
        # Each chain must end exactly at the head its issue remembers: a head further on means
        # events were removed from the end; a chain running past the head, or ending elsewhere,
        # means events were added or replaced behind the actions' back (anyone can compute a
        # hash; only the head, moved in the same transaction as each event, tells them apart).
        issues = Issue.objects.order_by("pk")
        if issue is not None:
            issues = issues.filter(pk=issue)
        for pk, head, count in issues.values_list("pk", "record_head", "event_count").iterator(
            chunk_size=batch
        ):
            event_pk, seq, tail_hash = last.get(pk, (None, 0, ""))
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
        count = sum(seq for _, seq, _ in last.values())
        self.stdout.write(self.style.SUCCESS(f"The record holds: {count} events verified."))
