from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Linked-system search")

    def ready(self):
        # Celery's autodiscovery imports only search.tasks; a worker knows the rooms' tasks because
        # Django imports them here, once the models are loaded (they import models).
        from .ingest import tasks  # noqa: F401
