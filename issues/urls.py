from django.urls import path

from .views import board, compose, issue, record

app_name = "issues"

urlpatterns = [
    path("", board.board, name="board"),
    path("new/", compose.new_issue, name="new"),
    path("<int:pk>/", issue.detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", issue.act, name="act"),
    path("<int:pk>/attachments/<int:attachment_pk>/", issue.attachment, name="attachment"),
    path("<int:pk>/record/", record.printable, name="record"),
]
