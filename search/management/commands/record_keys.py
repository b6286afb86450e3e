"""``manage.py record_keys``: record keys for the linked records that have none
(search/ingest/backfill.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from search.ingest.backfill import BATCH_SIZE, backfill_keys
from search.ingest.mapping import MappingError
from search.ingest.progress import ProgressBar
from search.management.commands.ingest import positive
from search.models import SourceSystem


class Command(BaseCommand):
    help = (
        "Give record keys to the linked records that have none, as their system's field mapping "
        "declares them: the records stored before their system had keys. Each batch commits with its "
        "keys, so a run that stopped resumes with the records still without keys."
    )

    def add_arguments(self, parser):
        parser.add_argument("--system", metavar="CODE", help="only this linked system's records")
        parser.add_argument("--batch", type=positive, default=BATCH_SIZE, help="records per transaction")

    def handle(self, *args, system=None, batch=BATCH_SIZE, **options):
        systems = SourceSystem.objects.order_by("code")
        if system is not None:
            systems = systems.filter(code=system)
            if not systems:
                known = ", ".join(SourceSystem.objects.values_list("code", flat=True)) or "-"
                raise CommandError(_("No linked system has the code %(code)s. Known codes: %(known)s.")
                                   % {"code": system, "known": known})
        bar = ProgressBar(self.stderr._out, label=_("record keys"))
        try:
            outcome = backfill_keys(list(systems), batch_size=batch, progress=bar.show)
        except MappingError as error:
            raise CommandError(str(error)) from error
        except KeyboardInterrupt:
            raise CommandError(
                _("Interrupted. Give the same command again to go on with the records still without keys.")
            ) from None
        finally:
            bar.close()
        rate = outcome.records / outcome.seconds if outcome.seconds else 0
        self.stdout.write(
            _("%(records)s linked records without keys read in %(seconds)s s (%(rate)s a second): "
              "%(keyed)s given %(keys)s keys, %(none)s with no key in their row.")
            % {"records": f"{outcome.records:,}", "seconds": f"{outcome.seconds:,.1f}",
               "rate": f"{rate:,.0f}", "keyed": f"{outcome.keyed:,}", "keys": f"{outcome.keys:,}",
               "none": f"{outcome.records - outcome.keyed:,}"}
        )
        if outcome.without_keys:
            self.stdout.write(_("These linked systems declare no keys in their field mapping: %(systems)s.")
                              % {"systems": ", ".join(outcome.without_keys)})
