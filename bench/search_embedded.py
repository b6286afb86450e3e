"""The embedded search backend (SQLite with its FTS5 trigram table) at a million records.

    # no ELASTICSEARCH_URL: the embedded backend
    export DATABASE_URL=sqlite:////var/tmp/portal_search_embedded.sqlite3 PORTAL_DEMO=1
    python manage.py migrate && python manage.py seed_demo    # then empty the demo's records:
    python manage.py shell -c "from search.models import Record; Record.objects.all().delete()"
    python manage.py search_reindex                           # an empty full-text table
    python -m bench.search_embedded load DATA1M               # ingest, indexing each batch
    python -m bench.search_embedded queries --count 240       # as bench.search_query
    python -m bench.search_embedded batch --terms 100

The steps are those of ``bench.search_ingest`` and ``bench.search_query``, run on SQLite with the
embedded backend (one writer: files load one after another). Terms of one or two characters
cannot use the trigram table and are answered by a scan of the records.
"""

from __future__ import annotations

import os
import sys

from bench import search_ingest, search_query


def sqlite_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    import django

    django.setup()
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3" or settings.ELASTICSEARCH_URL:
        sys.exit("This benchmark is the embedded backend on SQLite: DATABASE_URL=sqlite:///… and no "
                 "ELASTICSEARCH_URL.")


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if "load" in argv:
        search_ingest.main(argv, setup=sqlite_setup)
    else:
        search_query.main(argv, setup=sqlite_setup)


if __name__ == "__main__":
    main()
