"""``manage.py search_reindex``: rebuild the search index from the records in the database.

With Elasticsearch a new version of the index is built while the old one keeps answering, then
the alias moves to it in one step (``search.index._elastic.reindex``); the embedded backend rebuilds
its full-text table in one transaction (``search.index._embedded.reindex``). Either way searches never
see an empty or half-built index.

Ingestion may go on meanwhile. A record changed after the rebuild had read it was written to the
old version only, so once the alias has moved, the records ingested since shortly before the
start are indexed once more (``CATCH_UP``: a batch stamped just before the start may have
committed only after the rebuild read past it).
"""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from search import index
from search.ingest.progress import ProgressBar
from search.models import Record

CATCH_UP = dt.timedelta(minutes=1)  # far longer than one batch takes to commit


class Command(BaseCommand):
    help = "Rebuild the search index from the database, without downtime."

    def handle(self, *args, **options):
        started = timezone.now()
        # The row as received (raw) is the bulk of a linked record and no part of the index.
        records = Record.objects.select_related("system", "region").defer("raw").order_by("pk")
        bar = ProgressBar(self.stderr._out, label=_("linked records"), total=records.count())
        try:
            name = index.reindex(records.iterator(chunk_size=2_000), progress=bar.show)
        finally:
            bar.close()
        late = records.filter(ingested_at__gte=started - CATCH_UP)
        index.index(late.iterator(chunk_size=2_000))
        self.stdout.write(self.style.SUCCESS(
            _("The search index now answers from %(index)s.") % {"index": name}
        ))
