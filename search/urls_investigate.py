"""The investigator's pages: search, one linked record, and the commission's review of the search log."""

from django.urls import path

from .views import investigate, loading, records, search_log

urlpatterns = [
    path("", investigate.search, name="search"),
    path("<int:pk>/", records.record, name="record"),
    path("access-record/", search_log.search_log, name="search_log"),
    path("demo-loading/status/", loading.status, name="demo_loading_status"),
]
