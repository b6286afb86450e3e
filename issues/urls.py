from django.urls import path

from .views import board, compose, issue, ledgers, record, scores

app_name = "issues"

urlpatterns = [
    path("", board.board, name="board"),
    path("new/", compose.new_issue, name="new"),
    path("<int:pk>/", issue.detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", issue.act, name="act"),
    path("<int:pk>/attachments/<int:attachment_pk>/", issue.attachment, name="attachment"),
    path("<int:pk>/record/", record.printable, name="record"),
    path("ledger/", ledgers.ledger_page, name="ledger"),
    path("ledger/issues/", ledgers.ledger_issues, name="ledger_issues"),
    path("ledger/dashboard/", ledgers.ledger_dashboard, name="ledger_dashboard"),
    path("scores/", scores.scores_page, name="scores"),
]
