"""The linked systems' pages under /records/: one URL module per part of the work."""

from django.urls import include, path

app_name = "search"

urlpatterns = [
    path("", include("search.urls_investigate")),  # search page, linked record page, search log
    path("", include("search.urls_work")),  # exports, batch searches, saved searches
    path("", include("search.urls_harvest")),  # clues and uploads
    path("", include("search.urls_models")),  # warning models: building, backtests, versions, runs
    path("", include("search.urls_triage")),  # warnings: triage and statistics
    path("", include("search.urls_profiles")),  # profiles of people and companies
]
