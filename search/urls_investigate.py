"""The investigator's pages: search, one linked record, and the commission's review of the search log."""

from django.urls import path

from .views import access_record, investigate, loading, records

urlpatterns = [
    path("", investigate.search, name="search"),
    path("<int:pk>/", records.record, name="record"),
    path("access-record/", access_record.access_record, name="access_record"),
    path("demo-loading/status/", loading.status, name="demo_loading_status"),
]
