"""The reminder ladder in the admin (registered by issues.admin, which Django's admin loads)."""

from django.contrib import admin

from .models import ReminderFiring, ReminderStep


@admin.register(ReminderStep)
class ReminderStepAdmin(admin.ModelAdmin):
    list_display = [
        "code", "offset_working_days", "kind", "to_handler", "to_leader", "to_liaison", "to_commission",
        "is_active",
    ]
    list_editable = ["is_active"]


@admin.register(ReminderFiring)
class ReminderFiringAdmin(admin.ModelAdmin):
    """The proof of what fired: read-only, it is what keeps a step from firing twice."""

    list_display = ["assignment", "step", "fired_at", "skipped"]
    list_filter = ["step"]
    raw_id_fields = ["assignment"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
