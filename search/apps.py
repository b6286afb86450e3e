from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Linked-system search")

    def ready(self):
        # Celery's autodiscovery looks for search.tasks only: a worker knows the rooms' tasks
        # because they are imported here, once the models they import are loaded.
        from .ingest import tasks as ingest_tasks  # noqa: F401
        from .investigate import tasks as investigate_tasks  # noqa: F401
