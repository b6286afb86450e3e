from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Linked-system search")

    def import_models(self):
        super().import_models()
        # The warning models live in their room (search/detection/models.py, app label "search");
        # search.models cannot import them, as they point at its linked records. Imported here, in
        # the phase in which Django loads every app's models.
        from .detection import models  # noqa: F401

    def ready(self):
        # Celery's autodiscovery looks for search.tasks only: a worker knows the rooms' tasks
        # because they are imported here, once the models they import are loaded.
        from .detection import live as detection_live
        from .detection import tasks as detection_tasks
        from .ingest import signals as ingest_signals
        from .ingest import tasks as ingest_tasks  # noqa: F401
        from .investigate import tasks as investigate_tasks  # noqa: F401

        # Ingestion knows nothing of detection (the rooms' contract): it tells whoever listens
        # that a load has committed, and detection queues its incremental runs.
        ingest_signals.records_loaded.connect(
            detection_tasks.queue_runs_after_ingest, dispatch_uid="detection-after-ingest"
        )

        # Who may hear of an agency's new warnings (notifications.live.streams).
        detection_live.register_streams()
