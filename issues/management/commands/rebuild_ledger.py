from django.core.management.base import BaseCommand

from issues import ledger_lines
from issues.models import Issue


class Command(BaseCommand):
    help = (
        "Write every issue's ledger lines again from its rows. The actions keep the lines current; "
        "run this after correcting calendar days that lie in the past, whose working days the "
        "ledgers' averages have already counted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=ledger_lines.BATCH_SIZE)

    def handle(self, *args, batch=ledger_lines.BATCH_SIZE, **options):
        total = Issue.objects.count()

        def progress(done: int) -> None:
            self.stdout.write(f"\r{done:,} / {total:,}", ending="")
            self.stdout.flush()

        done = ledger_lines.rebuild(batch_size=batch, progress=progress if self.stdout.isatty() else None)
        self.stdout.write(f"\n{done:,} issues' ledger lines written.")
