from celery import shared_task
from django.utils import timezone

from .models import ServiceHeartbeat


@shared_task
def heartbeat():
    """Scheduled by beat every minute, run by a worker: proves both are alive (see /healthz)."""
    ServiceHeartbeat.objects.update_or_create(name="celery", defaults={"seen_at": timezone.now()})
