"""Issues in the admin: to look, never to change.

Only ``issues.workflow`` changes an issue (DESIGN §5), so the admin offers no add, change or
delete: administrators read issues, their handlers, parties and issue record here, and act on the
issue page like everyone else.
"""

from __future__ import annotations

from django.contrib import admin

from .deadlines import admin as deadlines_admin  # noqa: F401 - registers the reminder ladder's pages
from .models import Assignment, DeadlinePolicy, Extension, Issue, IssueEvent, Participant
from .permissions import permitted_issue_ids


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AssignmentInline(ReadOnlyMixin, admin.TabularInline):
    model = Assignment
    fk_name = "issue"
    fields = ("agency", "role", "state", "deadline", "signed_at", "reported_at", "end_reason")
    readonly_fields = fields
    extra = 0


class ParticipantInline(ReadOnlyMixin, admin.TabularInline):
    model = Participant
    fields = ("agency", "role", "created_at")
    readonly_fields = fields
    extra = 0


class EventInline(ReadOnlyMixin, admin.TabularInline):
    model = IssueEvent
    fields = ("seq", "created_at", "action", "actor_name", "agency", "related_agency", "reason", "hash")
    readonly_fields = fields
    extra = 0
    ordering = ("seq",)


@admin.register(Issue)
class IssueAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("number", "title", "state", "initiator", "priority", "deadline", "updated_at")
    list_filter = ("state", "category", "source", "priority")
    search_fields = ("number", "title")
    list_select_related = ("initiator",)
    show_full_result_count = False  # a count of a million rows on every page is not worth it
    inlines = [AssignmentInline, ParticipantInline, EventInline]
    readonly_fields = [field.name for field in Issue._meta.fields]


    def get_queryset(self, request):
        # Staff who are not superusers see in the admin only what they see on the board.
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=permitted_issue_ids(request.user))


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    """Policies are settings, not issue state: they only propose a deadline on the new-issue form,
    so administrators edit them here directly; issues already pushed keep their deadlines."""

    list_display = ("category", "priority", "sign_within", "handle_within", "unit")
    list_filter = ("category", "priority", "unit")
    list_editable = ("sign_within", "handle_within", "unit")
    list_display_links = ("category",)


@admin.register(Extension)
class ExtensionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("issue", "assignment", "proposed_deadline", "state", "created_at", "decided_at")
    list_filter = ("state",)
    list_select_related = ("issue", "assignment__agency")
    readonly_fields = [field.name for field in Extension._meta.fields]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(issue_id__in=permitted_issue_ids(request.user))
