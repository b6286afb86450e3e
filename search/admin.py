"""Administration of the linked systems: who owns each, how sensitive it is, its field mapping."""

from django.contrib import admin

from .models import SourceSystem


@admin.register(SourceSystem)
class SourceSystemAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "name_en", "owner", "sensitivity", "is_active")
    list_filter = ("sensitivity", "is_active", "owner")
    list_select_related = ("owner",)
    search_fields = ("code", "name", "name_en", "owner_code", "description")
    autocomplete_fields = ("owner",)
    ordering = ("code",)
