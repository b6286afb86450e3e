"""``manage.py generate_records``: realistic exports of the linked systems, for loading and tests.

One file a system (``<code>.jsonl`` or ``<code>.csv``) and ``planted.json``, what was planted in
them (``demo.generator``). The same seed and count always give the same files.
"""

import json
import sys
from argparse import ArgumentTypeError
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from demo.generator import FORMATS, MIN_COUNT, World, write_system
from search.ingest.progress import ProgressBar
from search.ingest.registry import BY_CODE, SYSTEMS


def count(value: str) -> int:
    text = value.replace("_", "").replace(",", "")
    if not text.isdigit() or int(text) < 1:
        raise ArgumentTypeError("a whole number of rows, at least 1")
    return int(text)


def rate(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 <= number <= 1:
        raise ArgumentTypeError("a share of the rows between 0 and 1, such as 0.01")
    return number


class Command(BaseCommand):
    help = (
        "Write realistic, deterministic exports of the linked systems (one file a system) with the "
        "planted patterns for warning models, and planted.json listing them. --bad-rate spoils a share of "
        "the rows (a required column left out, a bad date, a bad amount) to test quarantine."
    )

    def add_arguments(self, parser):
        parser.add_argument("--systems", default="all",
                            help="'all' or system codes separated by commas (see manage.py seed_systems)")
        parser.add_argument("--count", type=count, required=True,
                            help="rows a system, e.g. 1000 or 10_000_000")
        parser.add_argument("--seed", default="1", help="the same seed and count give the same files")
        parser.add_argument("--format", dest="fmt", choices=FORMATS, default="jsonl")
        parser.add_argument("--out", required=True, help="the folder to write to (made if missing)")
        parser.add_argument("--bad-rate", type=rate, default=0.0, help="share of rows spoiled, e.g. 0.01")

    def handle(self, *args, systems, count, seed, fmt, out, bad_rate, **options):
        codes = [spec.code for spec in SYSTEMS] if systems == "all" else [
            code.strip() for code in systems.split(",") if code.strip()
        ]
        unknown = [code for code in codes if code not in BY_CODE]
        if unknown or not codes:
            raise CommandError(_("Unknown linked system %(codes)s. Known codes: %(known)s.") % {
                "codes": ", ".join(unknown) or "-", "known": ", ".join(BY_CODE),
            })
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        if count < MIN_COUNT:
            self.stderr.write(_("With fewer than %(min)d rows a system, some planted rows are left out.")
                              % {"min": MIN_COUNT})
        world = World(seed, count)
        stream = self.stderr._out if hasattr(self.stderr, "_out") else sys.stderr
        for code in codes:
            path = folder / f"{code}.{fmt}"
            progress = ProgressBar(stream, label=code, total=count)
            try:
                write_system(code, path, fmt=fmt, seed=seed, count=count, bad_rate=bad_rate, world=world,
                             progress=progress.show)
            except KeyboardInterrupt:
                raise CommandError(_("Interrupted; %(file)s is incomplete.") % {"file": path}) from None
            finally:
                progress.close()
        facts = folder / "planted.json"
        text = json.dumps(world.facts.as_json(), ensure_ascii=False, indent=2)
        facts.write_text(text + "\n", encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(
            _("%(systems)d files of %(count)s rows written to %(folder)s; the planted cases are in "
              "%(facts)s.")
            % {"systems": len(codes), "count": f"{count:,}", "folder": folder, "facts": facts.name}
        ))
