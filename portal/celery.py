"""The Celery application: broker and schedule come from Django settings (CELERY_*)."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

from common.request_ids import serve_task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

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
