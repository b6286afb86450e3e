"""Administration of the linked systems (owner, sensitivity, field mapping), of who may read each
(access grants), of the query language's synonyms, and a read-only view of the search log,
which nobody edits, not even here."""

from django.contrib import admin

from .models import AccessLog, SourceSystem, SynonymGroup, SystemGrant


@admin.register(SourceSystem)
class SourceSystemAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "code", "name_en", "owner", "sensitivity", "is_active")
    list_filter = ("sensitivity", "is_active", "owner")
    list_select_related = ("owner",)
    search_fields = ("code", "name", "short_name", "name_en", "owner_code", "description")
    autocomplete_fields = ("owner",)
    ordering = ("code",)


@admin.register(SystemGrant)
class SystemGrantAdmin(admin.ModelAdmin):
    list_display = ("system", "supervision_class", "agency_kind", "agency", "role", "may_see_identifiers",
                    "may_export")
    list_filter = ("system", "supervision_class", "agency_kind", "role", "may_see_identifiers", "may_export")
    list_select_related = ("system", "agency")
    search_fields = ("system__code", "system__name", "agency__code", "agency__name")
    autocomplete_fields = ("system", "agency")


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    """The query language's synonyms: an unquoted search for one word of a group finds them all."""

    list_display = ("words",)
    search_fields = ("words",)


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """The search log as it was written: no adding, changing or deleting."""

    list_display = ("at", "user", "agency", "action", "systems", "query", "purpose", "hits", "record", "ip")
    list_filter = ("action", "at")
    list_select_related = ("user", "agency", "record")
    search_fields = ("query", "purpose", "user__username", "user__full_name", "agency__name")
    date_hierarchy = "at"
    readonly_fields = [field.name for field in AccessLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
