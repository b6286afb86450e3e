from argparse import ArgumentTypeError
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from search.ingest.files import BATCH_SIZE, FORMATS, IngestError, ingest_file
from search.ingest.progress import ProgressBar
from search.investigate.tasks import check_saved_searches
from search.models import IngestRun, SourceSystem

REJECTIONS_SHOWN = 10
REGIONS_SHOWN = 10


def positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise ArgumentTypeError("a whole number of rows, at least 1")
    return int(value)


class Command(BaseCommand):
    help = (
        "Load a linked system's export (CSV or JSONL) into its records through the system's field "
        "mapping. Bad rows are kept aside with their reasons and the first are listed. Rows with the "
        "same external id: the later row wins (it is loaded), and each earlier one is kept aside as a "
        "duplicate naming the row that replaced it. Every row is counted once: loaded (new), updated, "
        "duplicate or rejected. A run that stopped resumes where it was when the same file is given "
        "again; a file already loaded is not loaded again unless --again."
    )

    def add_arguments(self, parser):
        parser.add_argument("system", help="the linked system's code")
        parser.add_argument("file", help="the CSV or JSONL file")
        parser.add_argument("--format", dest="fmt", choices=sorted(set(FORMATS.values())),
                            help="the file's format when its name does not say (.csv, .jsonl)")
        parser.add_argument("--batch", type=positive, default=BATCH_SIZE, help="rows per transaction")
        parser.add_argument("--again", action="store_true", help="load a file that was loaded before")
        parser.add_argument("--no-index", dest="index", action="store_false",
                            help="load the database only, for a bulk load followed by search_reindex")

    def handle(self, *args, system, file, fmt=None, batch=BATCH_SIZE, again=False, index=True, **options):
        try:
            system = SourceSystem.objects.get(code=system)
        except SourceSystem.DoesNotExist:
            known = ", ".join(SourceSystem.objects.values_list("code", flat=True)) or "-"
            raise CommandError(_("No linked system has the code %(code)s. Known codes: %(known)s.")
                               % {"code": system, "known": known}) from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("There is no file %(file)s.") % {"file": file})
        bar = ProgressBar(self.stderr._out)
        try:
            outcome = ingest_file(
                system, path, fmt=fmt, batch_size=batch, again=again, index=index, progress=bar.show
            )
        except IngestError as error:
            raise CommandError(str(error)) from error
        except KeyboardInterrupt:
            raise CommandError(_("Interrupted. Give the same command again to resume.")) from None
        finally:
            bar.close()
        run = outcome.run
        if outcome.already_done:
            when = timezone.localtime(run.finished_at or run.started_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(
                _("%(file)s was loaded into %(system)s on %(date)s: %(done)s rows read: %(loaded)s loaded, "
                  "%(updated)s updated, %(duplicate)s duplicate, %(rejected)s rejected. Add --again to load "
                  "it again.")
                % {"file": run.file_name, "system": system, "date": when, **_counts(run)}
            )
            return
        if outcome.resumed_from:
            self.stdout.write(_("Resumed after row %(row)s.") % {"row": f"{outcome.resumed_from:,}"})
        self.stdout.write(
            _("%(system)s, %(file)s: %(done)s rows read: %(loaded)s loaded, %(updated)s updated, "
              "%(duplicate)s duplicate, %(rejected)s rejected.")
            % {"system": system, "file": path.name, **_counts(run)}
        )
        self._list_rejections(run)
        if index and (run.rows_loaded or run.rows_updated):
            # Saved searches tell their owners of the new records now, not at the next beat.
            check_saved_searches.delay()
        if outcome.unknown_regions:
            shown = outcome.unknown_regions.most_common(REGIONS_SHOWN)
            self.stdout.write(
                _("Regions not found (those records have no region): %(regions)s.")
                % {"regions": "、".join(f"{name} ×{count:,}" for name, count in shown)}
            )

    def _list_rejections(self, run: IngestRun) -> None:
        aside = run.rows_rejected + run.rows_duplicate
        if not aside:
            return
        self.stdout.write(_("The first rows kept aside (rejected or duplicate):") if aside > REJECTIONS_SHOWN
                          else _("The rows kept aside (rejected or duplicate):"))
        for line, reason in run.rejected.order_by("line").values_list("line", "reason")[:REJECTIONS_SHOWN]:
            self.stdout.write("  " + _("line %(line)s: %(reason)s") % {"line": f"{line:,}", "reason": reason})


def _counts(run: IngestRun) -> dict[str, str]:
    return {
        "done": f"{run.rows_done:,}", "loaded": f"{run.rows_loaded:,}", "updated": f"{run.rows_updated:,}",
        "duplicate": f"{run.rows_duplicate:,}", "rejected": f"{run.rows_rejected:,}",
    }

