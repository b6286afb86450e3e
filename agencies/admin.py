"""Administration of regions, agencies, memberships and users.

Every save goes through ``agencies.actions`` so that permission groups stay in step with
agencies and memberships; rule violations (hierarchy, stationing) come back as form errors.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import actions
from .models import (
    Agency,
    AgencyKind,
    CalendarDay,
    Membership,
    Region,
    SupervisionClass,
    User,
    check_stationing,
)


def save_membership_formset(formset) -> None:
    """Save an inline formset of memberships through the actions, deletions first."""
    formset.save(commit=False)
    for membership in formset.deleted_objects:
        actions.remove_member(membership)
    for membership, _changed in formset.changed_objects:
        actions.save_membership(membership)
    for membership in formset.new_objects:
        actions.save_membership(membership)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "name_en", "level", "parent")
    list_filter = ("level",)
    list_select_related = ("parent",)
    search_fields = ("code", "name", "name_en")
    autocomplete_fields = ("parent",)
    ordering = ("level", "code")

    def save_model(self, request, obj, form, change):
        actions.save_region(obj)


class AgencyAdminForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = [
            "code", "name", "short_name", "name_en", "kind", "supervision_class", "region", "level",
            "parent", "dispatched_by", "stationed_at", "phone", "address", "description", "is_active",
            "report_needs_approval",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "level" in self.fields:
            self.fields["level"].required = False
            self.fields["level"].help_text = _("Leave empty to take the region's level.")

    def clean(self):
        cleaned = super().clean()
        region = cleaned.get("region")
        if "level" in self.fields and cleaned.get("level") in (None, "") and region is not None:
            cleaned["level"] = region.level
        stationed_at = cleaned.get("stationed_at")
        if stationed_at is not None and cleaned.get("kind") and region is not None:
            probe = Agency(pk=self.instance.pk, kind=cleaned["kind"], region=region)
            try:
                check_stationing(probe, stationed_at)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class AgencyMembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "agency"
    fields = ("user", "role", "title")
    autocomplete_fields = ("user",)
    extra = 0
    verbose_name_plural = _("members")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    form = AgencyAdminForm
    list_display = ("name", "code", "kind", "supervision_class", "level", "region", "parent", "is_active")
    list_filter = (
        "kind", "supervision_class", "level", "is_active", ("region", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("region", "parent")
    search_fields = ("code", "name", "short_name", "aliases", "name_en")
    autocomplete_fields = ("parent", "region", "dispatched_by")
    filter_horizontal = ("stationed_at",)
    readonly_fields = ("group",)
    ordering = ("level", "region__code", "kind", "code")
    inlines = [AgencyMembershipInline]
    fieldsets = (
        (None, {"fields": ("code", "name", "short_name", "aliases", "name_en", "kind", "supervision_class")}),
        (_("Place in the hierarchy"), {"fields": ("region", "level", "parent")}),
        (_("Stationed group"), {"fields": ("dispatched_by", "stationed_at")}),
        (_("Contact"), {"fields": ("phone", "address", "description")}),
        (_("Status"), {"fields": ("is_active", "report_needs_approval", "group")}),
    )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "stationed_at":
            kwargs["queryset"] = (
                Agency.objects.filter(kind__in=[AgencyKind.DEPARTMENT, AgencyKind.PROJECT_OWNER])
                .select_related("region")
                .order_by("level", "region__code", "code")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The autocomplete of "dispatched by" offers discipline commissions only.
        if request.GET.get("model_name") == "agency" and request.GET.get("field_name") == "dispatched_by":
            queryset = queryset.filter(kind=AgencyKind.SUPERVISORY, supervision_class=SupervisionClass.PARTY)
        return queryset, may_have_duplicates

    def save_model(self, request, obj, form, change):
        actions.save_agency(obj, stationed_at=form.cleaned_data.get("stationed_at"))

    def save_related(self, request, form, formsets, change):
        # stationed_at, the form's only many-to-many field, was saved by actions.save_agency in
        # save_model; form.save_m2m() would only write it a second time.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        if formset.model is Membership:
            save_membership_formset(formset)
        else:
            super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        actions.delete_agency(obj)

    def delete_queryset(self, request, queryset):
        for agency in queryset:
            actions.delete_agency(agency)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "agency", "role", "title", "created_at")
    list_filter = ("role", "agency__kind", "agency__level")
    list_select_related = ("user", "agency")
    search_fields = ("user__username", "user__full_name", "agency__code", "agency__name", "title")
    autocomplete_fields = ("user", "agency")

    def save_model(self, request, obj, form, change):
        actions.save_membership(obj)

    def delete_model(self, request, obj):
        actions.remove_member(obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "agency__group"):
            actions.remove_member(membership)


class UserMembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    fields = ("agency", "role", "title")
    autocomplete_fields = ("agency",)
    extra = 0
    verbose_name_plural = _("memberships")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "phone", "email", "is_staff", "is_active")
    search_fields = ("username", "full_name", "phone", "email")
    ordering = ("username",)
    inlines = [UserMembershipInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "phone", "email")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "phone", "usable_password", "password1", "password2"),
            },
        ),
    )

    def save_formset(self, request, form, formset, change):
        if formset.model is Membership:
            save_membership_formset(formset)
        else:
            super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Agency groups follow memberships, whatever was ticked in the groups box.
        actions.sync_groups(form.instance)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Holidays and working weekend days (调休); a correction counts from the moment it is saved."""

    list_display = ("date", "is_working_day", "name", "source")
    list_filter = ("is_working_day", "source")
    search_fields = ("name", "date")
    date_hierarchy = "date"
    fields = ("date", "is_working_day", "name", "source")
    readonly_fields = ("source",)

    def save_model(self, request, obj, form, change):
        actions.save_calendar_day(obj)

    def delete_model(self, request, obj):
        actions.delete_calendar_day(obj)

    def delete_queryset(self, request, queryset):
        for day in queryset:
            actions.delete_calendar_day(day)
