"""Supervisory bodies, departments and stationed groups, their places and their people.

Glossary (DESIGN §2): 监督主体 supervisory body, 职能部门 department, 派驻纪检监察组 stationed
discipline inspection group, 业主单位 project owner; the ten supervision classes ("1+9").
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class SupervisionClass(models.TextChoices):
    """The "1+9": party discipline leads, nine other kinds of supervision join it."""

    PARTY = "party", _("Party discipline supervision (discipline commission)")
    CONGRESS = "congress", _("People's congress supervision")
    DEMOCRATIC = "democratic", _("Democratic supervision (CPPCC)")
    ADMINISTRATIVE = "administrative", _("Administrative supervision")
    JUDICIAL = "judicial", _("Judicial supervision")
    AUDIT = "audit", _("Audit supervision")
    FINANCIAL = "financial", _("Financial and accounting supervision")
    STATISTICAL = "statistical", _("Statistical supervision")
    PUBLIC = "public", _("Public supervision")
    MEDIA = "media", _("Media supervision")


class AgencyKind(models.TextChoices):
    SUPERVISORY = "supervisory", _("Supervisory body")
    DEPARTMENT = "department", _("Department")
    STATIONED_GROUP = "stationed_group", _("Stationed discipline inspection group")
    PROJECT_OWNER = "project_owner", _("Project owner")


class Level(models.IntegerChoices):
    """Administrative levels; a larger number sits lower."""

    PROVINCE = 1, _("Province")
    CITY = 2, _("City")
    DISTRICT = 3, _("District or county")
    TOWNSHIP = 4, _("Township or street")


class Role(models.TextChoices):
    STAFF = "staff", _("Staff")
    LEADER = "leader", _("Leader")
    LIAISON = "liaison", _("Liaison")
    ADMINISTRATOR = "administrator", _("Administrator")


def check_hierarchy(node, parent) -> None:
    """Raise ValidationError unless ``parent`` sits above ``node`` and is not below it.

    Shared by regions and agencies: a child sits strictly below its parent's level, and
    following parents from the new parent never comes back to the node (no cycles).
    """
    if parent is None:
        return
    if node.pk is not None and parent.pk == node.pk:
        raise ValidationError({"parent": _("An entry cannot be its own parent.")})
    if node.level is not None and parent.level >= node.level:
        raise ValidationError(
            {"parent": _("The parent must sit above this entry's level (%(level)s).")
             % {"level": node.get_level_display()}}
        )
    seen = set()
    ancestor = parent
    while ancestor is not None:
        if node.pk is not None and ancestor.pk == node.pk:
            raise ValidationError({"parent": _("This parent would make a cycle in the hierarchy.")})
        if ancestor.pk in seen:  # a cycle already stored above us; refuse to extend it
            raise ValidationError({"parent": _("The chosen parent's own hierarchy has a cycle.")})
        seen.add(ancestor.pk)
        ancestor = ancestor.parent


class BilingualNameMixin(models.Model):
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Region(BilingualNameMixin):
    """A jurisdiction: the province, the city, its districts and counties, their townships."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent region"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["level", "code"]

    def clean(self):
        check_hierarchy(self, self.parent)

    def descendant_ids(self) -> set[int]:
        """This region and every region below it."""
        ids, frontier = {self.pk}, [self.pk]
        while frontier:
            frontier = list(Region.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            frontier = [pk for pk in frontier if pk not in ids]
            ids.update(frontier)
        return ids


class Agency(BilingualNameMixin):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    # What people also call it: the agency pickers match these (and the pinyin initials of every
    # Chinese name, agencies.names), so that 住建委 or 建委 finds the housing bureau.
    aliases = models.CharField(
        _("other names"), max_length=200, blank=True,
        help_text=_("Other names people use for it, separated by spaces or commas, e.g. 住建委 建委."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices, db_index=True)
    supervision_class = models.CharField(
        _("supervision class"), max_length=20, choices=SupervisionClass.choices, blank=True,
        db_index=True,
        help_text=_("Required for supervisory bodies and stationed groups; empty for departments."),
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="agencies"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent agency"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
        help_text=_(
            "The agency one level up in the same line (for example the city bureau of a district bureau)."
        ),
    )
    dispatched_by = models.ForeignKey(
        "self", verbose_name=_("dispatched by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="dispatched_groups",
        help_text=_("For a stationed group: the discipline commission that dispatched it."),
    )
    stationed_at = models.ManyToManyField(
        "self", verbose_name=_("stationed at"), symmetrical=False, blank=True,
        related_name="stationed_groups",
        help_text=_("For a stationed group: the departments it supervises."),
    )
    group = models.OneToOneField(
        Group, verbose_name=_("permission group"), on_delete=models.PROTECT,
        related_name="agency", editable=False,
    )
    description = models.TextField(_("description"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Some departments let no report leave without the leader's sign-off (领导审核后反馈).
    report_needs_approval = models.BooleanField(
        _("reports need the leader's approval"), default=False,
        help_text=_("A report written by staff waits for a leader of this agency to approve it."),
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["level", "region__code", "kind", "code"]
        constraints = [
            models.CheckConstraint(
                name="agency_class_matches_kind",
                condition=(
                    Q(kind__in=["supervisory", "stationed_group"]) & ~Q(supervision_class="")
                ) | (Q(kind__in=["department", "project_owner"]) & Q(supervision_class="")),
                violation_error_message=_(
                    "Supervisory bodies and stationed groups need a supervision class; "
                    "departments and project owners have none."
                ),
            ),
            models.CheckConstraint(
                name="stationed_group_is_party",
                condition=~Q(kind="stationed_group") | Q(supervision_class="party"),
                violation_error_message=_("A stationed group belongs to party discipline supervision."),
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("agencies:detail", args=[self.code])

    def clean(self):
        check_hierarchy(self, self.parent)
        if self.region_id and self.level is not None and self.level != self.region.level:
            raise ValidationError({"level": _("An agency sits at its region's level.")})
        if self.dispatched_by_id and self.kind != AgencyKind.STATIONED_GROUP:
            raise ValidationError({"dispatched_by": _("Only stationed groups are dispatched.")})
        if self.dispatched_by_id and not self.dispatched_by.is_commission:
            raise ValidationError(
                {"dispatched_by": _("A stationed group is dispatched by a discipline commission.")}
            )

    @property
    def is_commission(self) -> bool:
        """The discipline commission (纪委监委): the "1" of its region."""
        return self.kind == AgencyKind.SUPERVISORY and self.supervision_class == SupervisionClass.PARTY

    @property
    def is_supervisor(self) -> bool:
        return self.kind in (AgencyKind.SUPERVISORY, AgencyKind.STATIONED_GROUP)


def check_stationing(group: Agency, targets) -> None:
    """Raise ValidationError unless ``group`` may be stationed at every one of ``targets``.

    Only stationed groups are stationed at other agencies; they sit at departments and project
    owners of their own region; and each of those is watched by one stationed group at a time,
    so that "the stationed group of a handler" (DESIGN §5) is always one agency.
    """
    targets = list(targets)
    if not targets:
        return
    if group.kind != AgencyKind.STATIONED_GROUP:
        raise ValidationError(
            {"stationed_at": _("Only stationed groups are stationed at other agencies.")}
        )
    wrong_kind = [t for t in targets if t.kind not in (AgencyKind.DEPARTMENT, AgencyKind.PROJECT_OWNER)]
    if wrong_kind:
        raise ValidationError(
            {"stationed_at": _("A stationed group is stationed at departments and project owners only, "
                               "not at %(names)s.") % {"names": ", ".join(t.name for t in wrong_kind)}}
        )
    elsewhere = [t for t in targets if t.region_id != group.region_id]
    if elsewhere:
        raise ValidationError(
            {"stationed_at": _("A stationed group is stationed in its own region only, "
                               "not at %(names)s.") % {"names": ", ".join(t.name for t in elsewhere)}}
        )
    taken = (
        Agency.stationed_at.through.objects.filter(to_agency__in=targets)
        .exclude(from_agency_id=group.pk)
        .select_related("from_agency", "to_agency")
        .order_by("to_agency__code")
    )
    taken = list(taken)
    if taken:
        raise ValidationError(
            {"stationed_at": _("Already watched by another stationed group: %(pairs)s.")
             % {"pairs": "; ".join(f"{row.to_agency.name} ({row.from_agency.name})" for row in taken)}}
        )


class User(AbstractUser):
    """A person who signs in. Chinese names do not split into first and last, so one field."""

    full_name = models.CharField(_("full name"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username

    def __str__(self) -> str:
        return self.full_name or self.username


class Membership(models.Model):
    """A user's place in one agency. A user may belong to several and acts for one at a time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    title = models.CharField(_("job title"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["agency__level", "agency__code", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="one_membership_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} · {self.get_role_display()}"


class CalendarSource(models.TextChoices):
    PACKAGE = "package", _("chinese-calendar package")
    ADMIN = "admin", _("administrator")


class CalendarDay(models.Model):
    """One exception to the Monday-to-Friday rule: a public holiday or a weekend day made working (调休).

    Only exceptions are stored; every other day is a working day from Monday to Friday. Days
    seeded from the package are refreshed when the package learns a new year; days an
    administrator entered or corrected (source "admin") are never overwritten by the seeding.
    """

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=80, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=CalendarSource.choices, default=CalendarSource.ADMIN
    )

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["-date"]

    def __str__(self) -> str:
        kind = _("working day") if self.is_working_day else _("day off")
        return f"{self.date.isoformat()} {kind} {self.name}".rstrip()
