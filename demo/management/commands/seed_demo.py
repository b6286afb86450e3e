"""``manage.py seed_demo``: the demo city 江州市, its agencies, people, board issues and portal pages.

Safe to run again: it changes nothing that is already as the demo describes it.
"""

import logging
import textwrap

from django.core.management.base import BaseCommand

from agencies import actions as agency_actions
from demo import board, city, pages
from demo import records as demo_records
from search.models import Record


class Command(BaseCommand):
    help = "Create or update the demo city (agencies, users, memberships, board issues) and its portal pages."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords", action="store_true",
            help=f"Set every demo login's password back to {city.DEMO_PASSWORD!r}.",
        )
        parser.add_argument(
            "--records-per-system", type=int, default=None,
            help="Generated records for each linked system when none exist yet "
                 f"(default {demo_records.PER_SYSTEM:,}; 0 loads none).",
        )
        parser.add_argument(
            "--records-later", action="store_true",
            help="Create the linked systems but leave their records to `manage.py load_demo_records` "
                 "(what `make run` does: it loads them beside the running portal).",
        )

    def handle(self, *args, reset_passwords=False, records_per_system=None, records_later=False, verbosity=1,
               **options):
        # Wagtail logs every page it creates and publishes at INFO: the seed's own summary below
        # is what a newcomer should read. -v 2 shows the libraries' lines again.
        if verbosity < 2:
            logging.disable(logging.INFO)
        try:
            self._seed(reset_passwords, records_per_system, records_later)
        finally:
            logging.disable(logging.NOTSET)

    def _seed(self, reset_passwords, records_per_system, records_later):
        agency_actions.seed_calendar()  # deadlines are counted on it
        counts = city.seed(reset_passwords=reset_passwords)
        issues = board.seed()
        pages.seed_pages()
        records = demo_records.seed_records(0 if records_later else records_per_system)
        self.stdout.write(self.style.SUCCESS("Demo city 江州市 is ready."))
        self.stdout.write("  " + ", ".join(f"{number} {name}" for name, number in counts.items()))
        total, new = issues.pop("issues"), issues.pop("new")
        by_state = ", ".join(f"{number} {state}" for state, number in issues.items() if number)
        self.stdout.write(f"  {total} issues on the board ({new} new): {by_state}")
        waiting = demo_records.loading_progress(records_per_system) if records_later else None
        if records:
            self.stdout.write(f"  {records:,} linked-system records loaded")
        elif waiting:
            self.stdout.write(f"  {waiting.total - waiting.done:,} linked-system records to load beside the"
                              " running portal (the records search page shows how far)")
        else:
            self.stdout.write(f"  {Record.objects.count():,} linked-system records (none loaded now)")
        usernames = list(dict.fromkeys(login.username for login in city.DEMO_LOGINS))
        self.stdout.write(f"Sign in with any demo login and the password {city.DEMO_PASSWORD}; the README's"
                          " table says whom each acts for. Try jw_staff (city commission), zjj_staff"
                          " (housing bureau), jw_leader (records search), admin (/admin/, /cms/).")
        logins = textwrap.wrap(", ".join(usernames), width=96)
        self.stdout.write("\n".join("  " + line for line in logins))
