"""See search/urls.py: exports, batch searches and saved searches."""

from django.urls import path

from .views import batch, exports, saved

urlpatterns = [
    path("exports/", exports.export_list, name="exports"),
    path("exports/new/", exports.start, name="export_new"),
    path("exports/<int:pk>/", exports.export_page, name="export"),
    path("exports/<int:pk>/status/", exports.export_status, name="export_status"),
    path("exports/<int:pk>/download/", exports.download, name="export_download"),
    path("batch/", batch.batch_list, name="batch_list"),
    path("batch/new/", batch.batch_new, name="batch_new"),
    path("batch/<int:pk>/", batch.batch_page, name="batch"),
    path("batch/<int:pk>/status/", batch.batch_status, name="batch_status"),
    path("batch/<int:pk>/matrix.csv", batch.batch_csv, name="batch_csv"),
    path("saved/", saved.saved_list, name="saved_list"),
    path("saved/new/", saved.saved_new, name="saved_new"),
    path("saved/<int:pk>/", saved.saved_page, name="saved"),
    path("saved/<int:pk>/<slug:action>/", saved.saved_act, name="saved_act"),
]
