"""See search/urls.py: clues harvested from hits, and uploads of linked systems' exports."""

from django.urls import path

from .views import clues, uploads

urlpatterns = [
    path("clues/", clues.clue_list, name="clues"),
    path("clues/new/", clues.clue_new, name="clue_new"),
    path("clues/add/", clues.clue_add, name="clue_add"),
    path("clues/<int:pk>/", clues.clue_detail, name="clue"),
    path("clues/<int:pk>/push/", clues.clue_push, name="clue_push"),
    path("uploads/", uploads.upload_list, name="uploads"),
    path("uploads/<int:pk>/", uploads.upload_detail, name="upload"),
    path("uploads/<int:pk>/status/", uploads.upload_status, name="upload_status"),
    path("uploads/<int:pk>/rejected.csv", uploads.upload_rejected_csv, name="upload_rejected"),
    path("uploads/<int:pk>/continue/", uploads.upload_continue, name="upload_continue"),
]
