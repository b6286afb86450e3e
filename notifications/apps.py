from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Here, not at the top: they import models, which may not be imported with apps.py.
        from .live import consumers, events, signals, streams  # noqa: F401 - signals connects receivers

        # The streams this app owns; the board registers its issues' (IssuesConfig.ready).
        streams.register(events.USER, may_read=consumers.may_read_inbox)
        streams.register(events.AGENCY, may_read=consumers.may_read_agency)
