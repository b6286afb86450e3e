"""Factories for every test module: one place, so tests speak of personas, not of setup."""

from __future__ import annotations

from importlib import import_module

import factory
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from agencies import actions
from agencies.models import Agency, AgencyKind, Level, Region, Role, SupervisionClass, User

TEST_PASSWORD = "correct-horse-battery"  # used only by the test database


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"region-{n}")
    name = factory.Sequence(lambda n: f"测试区{n}")
    level = Level.CITY
    parent = None


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"agency-{n}")
    name = factory.Sequence(lambda n: f"测试局{n}")
    kind = AgencyKind.DEPARTMENT
    supervision_class = ""
    region = factory.SubFactory(RegionFactory)
    level = factory.SelfAttribute("region.level")

    @classmethod
    def _create(cls, model_class, *args, stationed_at=None, **kwargs):
        return actions.save_agency(model_class(*args, **kwargs), stationed_at=stationed_at)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805 - factory-boy's signature
        if create:
            obj.save()


def member(agency: Agency, *, role: str = Role.STAFF, **user_fields) -> User:
    """A new user who belongs to ``agency`` with ``role``."""
    user = UserFactory(**user_fields)
    actions.add_member(user, agency, role=role)
    return user


def commission(region: Region, **fields) -> Agency:
    return AgencyFactory(
        region=region, kind=AgencyKind.SUPERVISORY, supervision_class=SupervisionClass.PARTY, **fields
    )


def stationed_group(commission_agency: Agency, *, stationed_at=(), **fields) -> Agency:
    """A stationed discipline inspection group dispatched by ``commission_agency``."""
    fields.setdefault("region", commission_agency.region)
    return AgencyFactory(
        kind=AgencyKind.STATIONED_GROUP,
        supervision_class=SupervisionClass.PARTY,
        dispatched_by=commission_agency,
        stationed_at=list(stationed_at),
        **fields,
    )


def pushed_issue(by: User, initiator: Agency, lead: Agency, **fields):
    """An issue pushed through ``issues.workflow.push`` (so parties, permissions and record exist)."""
    import datetime as dt

    from django.utils import timezone

    from issues import workflow

    fields.setdefault("title", "工业园区入口缺少路灯和标线")
    fields.setdefault("description", "园区主入口夜间无照明，道路标线缺失，已发生两起剐蹭事故。")
    fields.setdefault("category", "construction")
    fields.setdefault("source", "supervision")
    fields.setdefault("priority", "normal")
    fields.setdefault("deadline", timezone.localdate() + dt.timedelta(days=10))
    return workflow.push(acting_user=by, agency=initiator, lead=lead, **fields)


def seed_ladder() -> None:
    """Seed the reminder ladder as notifications migration 0002 does, with the models as that
    migration knew them (a transactional test starts from an emptied database)."""
    migration = ("notifications", "0002_seed_ladder")
    state = MigrationLoader(connection).project_state(migration)
    import_module(".".join([migration[0], "migrations", migration[1]])).seed(state.apps, None)
