from django.core.management.base import BaseCommand, CommandError
from django.db.models import F

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
        broken = verify(events.iterator(chunk_size=batch))
        if broken is None:
            # The chain of each issue must also end at the head the issue remembers.
            heads = Issue.objects.exclude(event_count=0)
            if issue is not None:
                heads = heads.filter(pk=issue)
            last = {
                row["issue_id"]: row
                for row in IssueEvent.objects.filter(issue__in=heads, seq=F("issue__event_count")).values(
                    "issue_id", "hash", "pk", "seq"
                )
            }
            for pk, head, count in heads.values_list("pk", "record_head", "event_count").iterator():
                row = last.get(pk)
                if row is None or row["hash"] != head:
                    raise CommandError(
                        f"Issue {pk}: the record ends before event {count}; events are missing."
                    )
        if broken is not None:
            raise CommandError(
                f"Broken record: event {broken.event_id} "
                f"(issue {broken.issue_id}, number {broken.seq}) {broken.why}."
            )
        count = events.count()
        self.stdout.write(self.style.SUCCESS(f"The record holds: {count} events verified."))
