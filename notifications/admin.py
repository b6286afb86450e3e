from django.contrib import admin

from .models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "issue", "deliver_after", "delivered_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient", "issue"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "delivery"]
    list_filter = ["delivery"]
    raw_id_fields = ["user"]
