"""A worker knows every task of the search app by the name it was first registered under: the
beat schedule (settings.CELERY_BEAT_SCHEDULE) and messages already queued name them so."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Django set up, nothing else imported: the app's start alone (SearchConfig.ready) makes the tasks
# known, whatever Celery's autodiscovery, which looks for search.tasks, finds. In a process of its
# own, so that nothing the tests imported makes a task known.
DJANGO_START = """
import django
django.setup()
from portal.celery import app
print("\\n".join(sorted(app.tasks)))
"""


def test_a_worker_knows_each_task_by_its_registered_name():
    known = subprocess.run([sys.executable, "-c", DJANGO_START], cwd=ROOT, capture_output=True, text=True,
                           timeout=120, check=True).stdout.split()
    assert {
        "search.uploads.ingest_upload",
        "search.tasks.export_records",
        "search.tasks.run_batch_search",
        "search.tasks.check_saved_searches",
    } <= set(known)
