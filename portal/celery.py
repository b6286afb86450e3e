"""The Celery application: broker and schedule come from Django settings (CELERY_*)."""

import os
import warnings

from celery import Celery
from celery.exceptions import SecurityWarning
from celery.signals import task_postrun, task_prerun

from common.request_ids import serve_task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

if os.environ.get("PORTAL_ROOT_EXPLAINED"):
    # portal.serve has said, in one line and with why it is acceptable, what Celery's paragraph
    # about running as root says at every start (portal/serve.py AS_ROOT).
    warnings.filterwarnings("ignore", message="You're running the worker with superuser privileges",
                            category=SecurityWarning)

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
def _task_id_as_request_id(task_id=None, **kwargs):
    """What a task records and logs carries the task's id, as a request's carries the request's."""
    serve_task(task_id)


@task_postrun.connect
def _task_done(**kwargs):
    serve_task(None)
