"""/healthz reports each component up, on whichever backends the settings configure."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_it_reports_every_required_component_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    report = response.json()
    assert report["status"] == "ok"
    components = report["components"]
    for name in ("database", "channel_layer", "search"):
        assert components[name]["ok"] is True, (name, components[name])


def test_it_names_the_configured_backends(client):
    components = client.get("/healthz").json()["components"]
    postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert components["database"]["backend"] == ("postgresql" if postgres else "sqlite")
    layer = "RedisChannelLayer" if settings.REDIS_URL else "InMemoryChannelLayer"
    assert components["channel_layer"]["backend"] == layer
    assert components["search"]["backend"] == ("elasticsearch" if settings.ELASTICSEARCH_URL else "embedded")
    assert components["celery"]["backend"] == settings.CELERY_BROKER_URL.split("://", 1)[0]


def test_it_answers_get_only(client):
    assert client.post("/healthz").status_code == 405
