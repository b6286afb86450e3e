"""``manage.py seed_systems``: the city's 27 linked systems (``search.ingest.registry``).

Safe to run again: systems already there are left as an administrator made them; only a missing
owner link is filled in once its agency exists (run ``seed_demo`` first for the demo city).
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from search.ingest.registry import seed_systems
from search.investigate.permissions import seed_default_grants


class Command(BaseCommand):
    help = "Create the linked systems that are missing and link each to its owner agency."

    def handle(self, *args, **options):
        counts = seed_systems()
        self.stdout.write(self.style.SUCCESS(
            _("Linked systems: %(created)d created, %(linked)d owners linked, %(unchanged)d unchanged.")
            % counts
        ))
        grants = seed_default_grants()
        self.stdout.write(_("Access grants made for systems that had none: %(count)d.") % {"count": grants})
