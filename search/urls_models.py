"""See search/urls.py: warning models, built in a form, backtested, versioned and run; the
screening lists they screen against and the keys exempted from them."""

from django.urls import path

from .views import exemptions, screening_lists
from .views import warning_models as views

urlpatterns = [
    path("models/", views.model_list, name="models"),
    path("models/lists/", screening_lists.list_index, name="screening_lists"),
    path("models/lists/<int:pk>/", screening_lists.list_detail, name="screening_list"),
    path("models/lists/<int:pk>/quarantine.csv", screening_lists.quarantine_csv, name="screening_quarantine"),
    path("models/exemptions/", exemptions.exemption_list, name="exemptions"),
    path("models/exemptions/<int:pk>/end/", exemptions.exemption_end, name="exemption_end"),
    path("models/new/", views.model_new, name="model_new"),
    path("models/<int:pk>/", views.model_detail, name="model"),
    path("models/<int:pk>/edit/", views.model_edit, name="model_edit"),
    path("models/<int:pk>/compare/", views.model_compare, name="model_compare"),
    path("models/<int:pk>/run/", views.model_run, name="model_run"),
    path("models/<int:pk>/run/status/", views.model_run_status, name="model_run_status"),
    path("models/<int:pk>/switch/<slug:action>/", views.model_switch, name="model_switch"),
    path("models/<int:pk>/versions/<int:number>/", views.model_version, name="model_version"),
]
