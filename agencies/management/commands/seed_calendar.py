"""``manage.py seed_calendar``: bring in the holidays the installed chinese-calendar package knows.

The first migration of the calendar seeds it; run this after upgrading the package (a new year's
holidays are published each winter). Days an administrator corrected are kept as they are.
"""

from django.core.management.base import BaseCommand

from agencies import actions


class Command(BaseCommand):
    help = "Add or refresh the public holidays and working weekend days from the chinese-calendar package."

    def handle(self, *args, **options):
        counts = actions.seed_calendar()
        self.stdout.write(
            self.style.SUCCESS("Calendar: {created} days added, {updated} updated.".format(**counts))
        )
