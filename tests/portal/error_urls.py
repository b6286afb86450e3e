"""The portal's URLs and three that fail, for the tests of the error pages."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def fails(request):
    raise RuntimeError("a bug")


def refuses(request):
    raise PermissionDenied


def is_suspicious(request):
    raise SuspiciousOperation("a forged request")


urlpatterns = [
    path("test-errors/500/", fails),
    path("test-errors/403/", refuses),
    path("test-errors/400/", is_suspicious),
    *portal_urlpatterns,
]
