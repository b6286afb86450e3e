"""``manage.py detection``: warning models for operators (search/detection).

- ``detection run [--model KEY] [--full]``: run one model, or every model switched on, over the
  linked records ingested since its last run (``--full``: over all of them), a progress line as
  warnings are written and one line per model at the end; the exit status is 1 when any model
  could not run (it was busy, switched off, or failed).
- ``detection export [--model KEY] --format jsonl [--output FILE] [--unmasked --reason TEXT]``:
  the warnings, one JSON object a line (search/detection/exports.py), their ID and phone numbers
  masked unless ``--unmasked`` with a reason; every export is on the search log.
- ``detection seed``: load the models shipped as data (search/detection/seeds/*.toml).
"""

from __future__ import annotations

import functools
import getpass
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from search.detection import actions, runs
from search.detection.exports import export_warnings
from search.detection.models import WarningModel
from search.detection.seeds import seed_models


class Command(BaseCommand):
    help = "Run warning models, export their warnings as JSON lines, or load the seeded models."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True, metavar="{run,export,seed}")
        run = commands.add_parser("run", help="run warning models over the linked records")
        run.add_argument("--model", metavar="KEY", help="only this model (default: every model switched on)")
        run.add_argument("--full", action="store_true",
                         help="over all the linked records (default: those ingested since the model's "
                              "last run)")
        export = commands.add_parser("export", help="write warnings, one JSON object a line")
        export.add_argument("--model", metavar="KEY", help="only this model's warnings")
        export.add_argument("--format", dest="fmt", choices=["jsonl"], required=True)
        export.add_argument("--output", metavar="FILE", help="the file to write (default: standard output)")
        shown = export.add_mutually_exclusive_group()
        shown.add_argument("--masked", dest="masked", action="store_true", default=True,
                           help="ID and phone numbers masked (the default)")
        shown.add_argument("--unmasked", dest="masked", action="store_false",
                           help="ID and phone numbers in full; needs --reason, which the search log keeps")
        export.add_argument("--reason", default="", help="why the identifiers are needed in full")
        commands.add_parser("seed", help="load the warning models shipped as data")

    def handle(self, *args, command, **options):
        {"run": self.run, "export": self.export, "seed": self.seed}[command](**options)

    def run(self, *, model=None, full=False, **options):
        chosen = [self._model(model)] if model else actions.active_models()
        if not chosen:
            self.stdout.write(_("No warning model is switched on."))
            return
        failed = 0
        for each in chosen:
            scope = runs.FULL if full else actions.incremental_scope(each)
            mode = _("full") if scope.is_full else _("incremental")
            self.stdout.write(_("%(model)s: running (%(mode)s)…") % {"model": each.key, "mode": mode})
            started = time.monotonic()
            try:
                run = actions.run_model(each, scope=scope, progress=self._progress(each.key))
            except actions.DetectionError as error:
                failed += 1
                self.stderr.write(f"{each.key}: {error}")
                continue
            except Exception as error:  # noqa: BLE001 - reported; the other models still run
                failed += 1
                self.stderr.write(_("%(model)s: failed: %(error)s") % {"model": each.key, "error": error})
                continue
            self.stdout.write(ngettext(
                "%(model)s v%(version)d: %(found)s warning found, %(new)s new, %(evidence)s evidence "
                "records added, %(exempted)s exempted (%(seconds).1f s).",
                "%(model)s v%(version)d: %(found)s warnings found, %(new)s new, %(evidence)s evidence "
                "records added, %(exempted)s exempted (%(seconds).1f s).",
                run.warnings_found,
            ) % {"model": each.key, "version": run.version.number, "found": f"{run.warnings_found:,}",
                 "new": f"{run.new_warnings:,}", "evidence": f"{run.evidence_added:,}",
                 "exempted": f"{run.exempted:,}", "seconds": time.monotonic() - started})
            if run.systems_dropped:
                self.stdout.write(_("  left out, as the owning agency may no longer read them: %(systems)s")
                                  % {"systems": ", ".join(run.systems_dropped)})
        if failed:
            raise CommandError(_("%(failed)d of %(total)d warning models did not run.")
                               % {"failed": failed, "total": len(chosen)})

    def _progress(self, key: str):
        def show(done: int, total: int) -> None:
            self.stdout.write(_("%(model)s: %(done)s of %(total)s warnings written")
                              % {"model": key, "done": f"{done:,}", "total": f"{total:,}"})
        return show

    def export(self, *, model=None, output=None, masked=True, reason="", **options):
        reason = (reason or "").strip()
        if not masked and not reason:
            raise CommandError(_("An export with ID and phone numbers in full needs --reason: why they "
                                 "are needed (it is kept on the search log)."))
        chosen = self._model(model, active_only=False) if model else None
        export = functools.partial(export_warnings, model=chosen, masked=masked, reason=reason,
                                   operator_name=_operator_name())
        if not output:
            export(self.stdout.write)
            return
        try:
            with open(output, "w", encoding="utf-8") as stream:
                export(lambda line: stream.write(line + "\n"))
        except OSError as error:
            raise CommandError(_("Cannot write %(file)s: %(error)s")
                               % {"file": output, "error": error.strerror}) from error

    def seed(self, **options):
        seeded = seed_models()
        self.stdout.write(_("Warning models seeded: %(created)d created, %(unchanged)d already there, "
                            "%(skipped)d skipped.") % {"created": len(seeded.created),
                                                       "unchanged": len(seeded.unchanged),
                                                       "skipped": len(seeded.skipped)})
        for key, reason in seeded.skipped:
            self.stdout.write(f"  {key}: {reason}")

    @staticmethod
    def _model(key: str, *, active_only: bool = True) -> WarningModel:
        model = WarningModel.objects.filter(key=key).first()
        if model is None:
            raise CommandError(_("No warning model has the key %(key)s.") % {"key": key})
        if active_only and not model.is_active:
            raise CommandError(_("The warning model %(key)s is not switched on.") % {"key": key})
        return model


def _operator_name() -> str:
    """The account the command runs under: who exported, as far as a command line knows."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for the uid (a container's anonymous user)
        return ""
