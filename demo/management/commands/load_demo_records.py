"""``manage.py load_demo_records``: the demo city's linked-system records, resumed where they stopped.

`make run` starts it beside the portal (``portal.serve --demo-records``), so the portal answers
at once and the search page shows how far the loading has got. It prints one line when it
starts loading and one when it is done, and nothing when every record is loaded already (and has
its record keys).
"""

import time

from django.core.management.base import BaseCommand

from demo import records as demo_records
from search.models import Record


class Command(BaseCommand):
    help = ("Load the demo city's generated linked-system records, resuming after the last committed "
            "batch; does nothing once they are all loaded, or when the database holds other records.")

    def handle(self, *args, **options):
        started = time.monotonic()
        keyed = demo_records.key_records_loaded_without_keys()
        if keyed:
            self.stdout.write(f"Record keys given to {keyed:,} demo records loaded before there were keys "
                              f"({time.monotonic() - started:.0f} s).")
        progress = demo_records.loading_progress()
        if progress is None:
            # A demo loaded before its warning models were seeded (or before its records had keys)
            # has them run now, once.
            demo_records.run_warning_models(not_run_yet=True)
            return
        started = time.monotonic()
        self.stdout.write(f"Loading the demo's {progress.total:,} linked-system records in the background"
                          f" ({progress.done:,} loaded before); the records search page shows how far.")
        demo_records.seed_records()
        total = Record.objects.count()
        self.stdout.write(self.style.SUCCESS(
            f"Demo records loaded: {total:,} linked-system records ({time.monotonic() - started:.0f} s)."))
