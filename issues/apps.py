from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = _("Issues")

    def import_models(self):
        super().import_models()
        # The reminder ladder's models live with the deadlines; issues.models cannot import them,
        # as the deadlines package imports the board's models. Imported here, in the phase in
        # which Django loads every app's models (apps.py itself is imported before models may be).
        from .deadlines import models  # noqa: F401

    def ready(self):
        from . import live  # imports models: not before the apps are ready

        # Who may read an issue's live stream, and how it is numbered (notifications.live.streams).
        live.register_streams()
