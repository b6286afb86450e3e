"""See search/urls.py: the triage of the warnings the agency's models raise, and their statistics."""

from django.urls import path

from .views import triage, warning_statistics

urlpatterns = [
    path("warnings/", triage.warning_list, name="warnings"),
    path("warnings/bulk/", triage.warning_bulk, name="warnings_bulk"),
    path("warnings/statistics/", warning_statistics.warning_statistics, name="warning_statistics"),
    path("warnings/statistics.xlsx", warning_statistics.warning_statistics_xlsx,
         name="warning_statistics_xlsx"),
    path("warnings/<int:pk>/", triage.warning_detail, name="warning"),
    path("warnings/<int:pk>/take/", triage.warning_take, name="warning_take"),
    path("warnings/<int:pk>/assign/", triage.warning_assign, name="warning_assign"),
    path("warnings/<int:pk>/dispose/", triage.warning_dispose, name="warning_dispose"),
    path("warnings/<int:pk>/confirm/", triage.warning_confirm, name="warning_confirm"),
    path("warnings/<int:pk>/exempt/", triage.warning_exempt, name="warning_exempt"),
]
