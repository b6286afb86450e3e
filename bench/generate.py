"""Generate a board at scale on PostgreSQL, shaped like what ``issues.actions`` writes.

    DATABASE_URL=postgres://…/portal_bench python -m bench.generate --issues 1000000

One city with ten districts; 300 agencies (the city commission, nine other city supervisory
bodies, ten district commissions, 30 stationed groups, 260 departments), each with its Django
group; 5,000 users with memberships; issues with their assignments, parties, urges, a valid
per-issue hash chain of events (``issues.record.chain_hash``, so ``audit_verify`` passes) and
the guardian group permissions ``permissions.PERMISSIONS_BY_PARTY_ROLE`` calls for.

Rows are streamed with COPY while the big tables' secondary indexes and foreign keys are
dropped; they are re-created afterwards (with their original names and definitions, read from
the catalogue) and the tables vacuumed and analysed, as autovacuum would leave them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import itertools
import json
import math
import random
import time

from bench.common import django_setup, raw_connection
from issues.workflow.record import GENESIS, chain_hash

BIG_TABLES = [
    "issues_issue",
    "issues_assignment",
    "issues_participant",
    "issues_issueevent",
    "issues_urge",
    "issues_issuegroupobjectpermission",
]
CITY_DEPARTMENTS = 110
DISTRICTS = 10
DISTRICT_DEPARTMENTS = 14
STATIONED_GROUPS = 30
TITLES = [
    "工业园区入口缺少路灯和标线",
    "老旧小区加装电梯补贴发放迟缓",
    "医保基金异地结算审核不严",
    "农村低保对象认定不准",
    "建筑工地扬尘治理不到位",
    "危化品仓库消防通道堵塞",
    "政府采购项目评审程序不规范",
    "12345热线工单反复退回",
    "城区排水管网改造延期",
    "涉企收费清理不彻底",
    "学校食堂食材采购价格偏高",
    "河道垃圾清理不及时",
    "公租房分配信息未公开",
    "工程款拖欠农民工工资",
    "窗口办事推诿扯皮",
    "专项资金闲置未使用",
]
T0 = time.monotonic()


def say(message: str) -> None:
    print(f"[{time.monotonic() - T0:7.1f}s] {message}", flush=True)


# --- the cast: regions, agencies, users ------------------------------------------------------


class Cast:
    def __init__(self):
        self.city_commission = None
        self.commission_of_region = {}  # region id → commission id
        self.region_parent = {}
        self.region_of = {}  # agency id → region id
        self.group_of = {}  # agency id → auth group id
        self.stationed_group_of = {}  # department id → stationed group id
        self.stations = {}  # stationed group id → department ids
        self.departments = []
        self.district_departments = {}  # district commission id → its departments
        self.supervisory = []  # city bodies and district commissions (push issues)
        self.groups = []
        self.members = {}  # agency id → [(user id, name, role)]

    def supervisors_of(self, handler: int) -> list[int]:
        """As ``permissions.supervisors_of``: stationed group, then commissions up the regions."""
        found = []
        if handler in self.stationed_group_of:
            found.append(self.stationed_group_of[handler])
        region = self.region_of[handler]
        while region is not None:
            if region in self.commission_of_region:
                found.append(self.commission_of_region[region])
            region = self.region_parent[region]
        return [agency for agency in found if agency != handler]


def build_cast(n_users: int, rng: random.Random) -> Cast:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from agencies import actions
    from agencies.models import Agency, AgencyKind, Level, Membership, Region, Role, SupervisionClass, User

    cast = Cast()
    with transaction.atomic():
        city = actions.save_region(Region(code="bench-city", name="基准市", level=Level.CITY))
        cast.region_parent[city.pk] = None
        districts = []
        for d in range(DISTRICTS):
            region = actions.save_region(
                Region(code=f"bench-d{d:02d}", name=f"基准市第{d + 1}区", level=Level.DISTRICT, parent=city)
            )
            cast.region_parent[region.pk] = city.pk
            districts.append(region)

        def agency(code, name, kind, region, supervision_class="", **extra):
            return actions.save_agency(
                Agency(
                    code=code,
                    name=name,
                    kind=kind,
                    supervision_class=supervision_class,
                    region=region,
                    level=region.level,
                    **{k: v for k, v in extra.items() if k != "stationed_at"},
                ),
                stationed_at=extra.get("stationed_at"),
            )

        commission = agency(
            "bench-jw", "基准市纪委监委", AgencyKind.SUPERVISORY, city, SupervisionClass.PARTY
        )
        cast.city_commission = commission.pk
        cast.commission_of_region[city.pk] = commission.pk
        all_agencies = [commission]
        city_bodies = []
        for cls in list(SupervisionClass)[1:]:
            city_bodies.append(
                agency(f"bench-{cls.value}", f"基准市{cls.label}", AgencyKind.SUPERVISORY, city, cls.value)
            )
        city_departments = [
            agency(f"bench-dept-{n:03d}", f"基准市第{n + 1}局", AgencyKind.DEPARTMENT, city)
            for n in range(CITY_DEPARTMENTS)
        ]
        groups = []
        for g in range(STATIONED_GROUPS):
            targets = city_departments[g::STATIONED_GROUPS]  # three or four departments each
            group = agency(
                f"bench-group-{g:02d}",
                f"派驻第{g + 1}纪检监察组",
                AgencyKind.STATIONED_GROUP,
                city,
                SupervisionClass.PARTY,
                dispatched_by=commission,
                stationed_at=targets,
            )
            groups.append(group)
            cast.stations[group.pk] = [t.pk for t in targets]
            for target in targets:
                cast.stationed_group_of[target.pk] = group.pk
        district_commissions = []
        for d, region in enumerate(districts):
            dc = agency(
                f"bench-d{d:02d}-jw", f"{region.name}纪委监委", AgencyKind.SUPERVISORY, region, "party"
            )
            cast.commission_of_region[region.pk] = dc.pk
            district_commissions.append(dc)
            depts = [
                agency(
                    f"bench-d{d:02d}-dept-{n:02d}", f"{region.name}第{n + 1}局", AgencyKind.DEPARTMENT, region
                )
                for n in range(DISTRICT_DEPARTMENTS)
            ]
            cast.district_departments[dc.pk] = [x.pk for x in depts]
            all_agencies += depts
        all_agencies += city_bodies + city_departments + groups + district_commissions
        for a in all_agencies:
            cast.region_of[a.pk] = a.region_id
            cast.group_of[a.pk] = a.group_id
        cast.departments = [a.pk for a in all_agencies if a.kind == AgencyKind.DEPARTMENT]
        cast.supervisory = [commission.pk] + [a.pk for a in city_bodies + district_commissions]
        cast.groups = [g.pk for g in groups]
        say(f"{len(all_agencies)} agencies in {1 + DISTRICTS} regions")

        # Users: the commission and the supervisory bodies are bigger than a department.
        sizes = {commission.pk: 100}
        for a in city_bodies + district_commissions:
            sizes[a.pk] = 20
        for g in groups:
            sizes[g.pk] = 10
        rest = n_users - sum(sizes.values())
        for i, pk in enumerate(cast.departments):
            sizes[pk] = rest // len(cast.departments) + (1 if i < rest % len(cast.departments) else 0)
        password = make_password("bench-password")
        users, memberships, user_groups = [], [], []
        n = 0
        by_pk = {a.pk: a for a in all_agencies}
        for pk, size in sizes.items():
            for k in range(size):
                n += 1
                name = f"基准用户{n:05d}"
                role = (
                    Role.LEADER
                    if k == 0
                    else Role.LIAISON
                    if (k == 1 and pk in cast.stations)
                    else Role.STAFF
                )
                users.append(User(username=f"bench{n:05d}", full_name=name, password=password))
                memberships.append((pk, role))
        User.objects.bulk_create(users, batch_size=2000)
        for user, (pk, role) in zip(users, memberships, strict=True):
            cast.members.setdefault(pk, []).append((user.pk, user.full_name, role))
        Membership.objects.bulk_create(
            [
                Membership(user=u, agency_id=pk, role=role)
                for u, (pk, role) in zip(users, memberships, strict=True)
            ],
            batch_size=2000,
        )
        through = User.groups.through
        for user, (pk, _role) in zip(users, memberships, strict=True):
            user_groups.append(through(user_id=user.pk, group_id=by_pk[pk].group_id))
        through.objects.bulk_create(user_groups, batch_size=2000)
        say(f"{len(users)} users with memberships")
    return cast


# --- dropping and restoring the big tables' secondary indexes and foreign keys ---------------

SAVED = "bench_saved_ddl"


def save_and_drop_ddl(conn) -> None:
    with conn.cursor() as cur:
        cur.execute(f"CREATE TABLE IF NOT EXISTS {SAVED} (pos serial, ddl text)")
        cur.execute(f"SELECT count(*) FROM {SAVED}")  # noqa: S608 - a constant name
        if cur.fetchone()[0]:
            return  # an earlier run dropped them; they are restored at the end
        tables = "ARRAY[" + ",".join(f"'{t}'::regclass" for t in BIG_TABLES) + "]"
        cur.execute(
            f"""SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype
                FROM pg_constraint WHERE conrelid = ANY({tables}) AND contype IN ('f', 'u')
                ORDER BY contype DESC"""  # noqa: S608 - our own table names
        )
        constraints = cur.fetchall()
        cur.execute(
            f"""SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i
                WHERE indrelid = ANY({tables}) AND NOT indisprimary
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"""  # noqa: S608 - our own table names
        )
        indexes = cur.fetchall()
        # Unique constraints first (foreign keys may lean on them), then indexes, then keys.
        restore = [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d, k in constraints if k == "u"]
        restore += [d for _n, d in indexes]
        restore += [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d, k in constraints if k == "f"]
        for ddl in restore:
            cur.execute(f"INSERT INTO {SAVED} (ddl) VALUES (%s)", [ddl])  # noqa: S608 - a constant name
        for t, n, _d, k in constraints:
            if k == "f":
                cur.execute(f'ALTER TABLE {t} DROP CONSTRAINT "{n}"')
        for t, n, _d, k in constraints:
            if k == "u":
                cur.execute(f'ALTER TABLE {t} DROP CONSTRAINT "{n}"')
        for name, _d in indexes:
            cur.execute(f"DROP INDEX {name}")
    conn.commit()
    say(f"dropped {len(constraints)} constraints and {len(indexes)} indexes for the load")


def restore_ddl(conn) -> None:
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass(%s)", [SAVED])
        if cur.fetchone()[0] is None:
            return
        cur.execute("SET maintenance_work_mem = '1GB'")  # index builds sort in memory
        cur.execute(f"SELECT ddl FROM {SAVED} ORDER BY pos")  # noqa: S608 - a constant name
        for (ddl,) in cur.fetchall():
            started = time.monotonic()
            cur.execute(ddl)
            conn.commit()
            say(f"  {time.monotonic() - started:5.1f}s {ddl[:110]}")
        cur.execute(f"DROP TABLE {SAVED}")
    conn.commit()


# --- the issues ------------------------------------------------------------------------------


def _copy_text(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


class Rows:
    """One COPY buffer per table, flushed every chunk of issues."""

    COLUMNS = {
        "issues_issue": "id,number,title,description,category,source,priority,deadline,due_date,state,"
        "created_at,updated_at,pushed_at,closed_at,record_head,event_count,created_by_id,initiator_id",
        "issues_assignment": "id,role,state,deadline,sign_deadline,end_reason,report_text,created_at,"
        "signed_at,reported_at,accepted_at,ended_at,agency_id,assigned_by_id,suggested_agency_id,transferred_from_id,issue_id",
        "issues_participant": "id,role,created_at,agency_id,issue_id",
        "issues_issueevent": "id,seq,action,actor_name,before,after,reason,automation_rule,request_id,"
        "created_at,prev_hash,hash,actor_id,agency_id,assignment_id,issue_id,related_agency_id",
        "issues_urge": "id,text,due_date,automation_rule,created_at,assignment_id,by_agency_id,by_user_id,"
        "issue_id",
    }

    def __init__(self):
        self.buffers = {table: io.StringIO() for table in self.COLUMNS}
        self.counts = dict.fromkeys(self.COLUMNS, 0)

    def add(self, table: str, values) -> None:
        self.buffers[table].write("\t".join(map(_copy_text, values)) + "\n")
        self.counts[table] += 1

    def flush(self, conn) -> None:
        with conn.cursor() as cur:
            for table, buffer in self.buffers.items():
                if buffer.tell():
                    with cur.copy(f"COPY {table} ({self.COLUMNS[table]}) FROM STDIN") as copy:
                        copy.write(buffer.getvalue())
                self.buffers[table] = io.StringIO()
        conn.commit()


class Event:
    """What ``record.canonical`` reads from an IssueEvent, without the model's overhead."""

    __slots__ = (
        "issue_id", "seq", "assignment_id", "action", "actor_id", "actor_name", "agency_id",
        "related_agency_id", "before", "after", "reason", "automation_rule", "request_id", "created_at",
    )  # fmt: skip


class Generator:
    def __init__(self, cast: Cast, n_issues: int, rng: random.Random, now: dt.datetime):
        self.cast, self.n, self.rng, self.now = cast, n_issues, rng, now
        self.start = now - dt.timedelta(days=3 * 365)
        self.ids = {"assignment": 0, "participant": 0, "event": 0, "urge": 0}
        # Departments differ in load (lognormal weights): some see twice the median, some half.
        self.dept_weights = [rng.lognormvariate(0, 0.5) for _ in cast.departments]
        # Initiators: the city commission pushes 15%, the other bodies and groups share the rest.
        self.initiators = [cast.city_commission] + [a for a in cast.supervisory if a != cast.city_commission]
        self.initiators += cast.groups
        rest = 0.85 / (len(self.initiators) - 1)
        self.initiator_weights = [0.15] + [rest] * (len(self.initiators) - 1)
        self.copy_targets = cast.supervisory
        self.dept_cum = list(itertools.accumulate(self.dept_weights))
        self.initiator_cum = list(itertools.accumulate(self.initiator_weights))
        self.members = {}

    def next_id(self, kind: str) -> int:
        self.ids[kind] += 1
        return self.ids[kind]

    def member(self, agency: int, roles=("staff", "leader")):
        key = (agency, roles)
        if key not in self.members:
            self.members[key] = [m for m in self.cast.members[agency] if m[2] in roles]
        return self.rng.choice(self.members[key])

    def pick_lead(self, initiator: int) -> int:
        cast, rng = self.cast, self.rng
        if initiator in cast.district_departments:
            return rng.choice(cast.district_departments[initiator])
        if initiator in cast.stations:
            return rng.choice(cast.stations[initiator])
        return rng.choices(cast.departments, cum_weights=self.dept_cum)[0]

    def state_for(self, age: float) -> str:
        # Newer issues are mostly open, old ones closed: about 25% open overall.
        r = self.rng.random()
        if r < 0.9 * math.exp(-age / 0.28):
            r = self.rng.random()
            return "pushed" if r < 0.16 else "in_progress" if r < 0.72 else "reported"
        return "withdrawn" if self.rng.random() < 0.04 else "closed"

    def issue(self, pk: int, rows: Rows) -> None:  # noqa: C901 - one issue's whole story, in order
        rng, cast = self.rng, self.cast
        age = 1 - pk / self.n
        created = self.start + dt.timedelta(seconds=(pk / self.n) * 3 * 365 * 86400 + rng.random() * 600)
        created = min(created, self.now - dt.timedelta(minutes=30))
        state = self.state_for(age)
        initiator = rng.choices(self.initiators, cum_weights=self.initiator_cum)[0]
        lead = self.pick_lead(initiator)
        co = []
        if rng.random() < 0.2:
            other = rng.choices(cast.departments, cum_weights=self.dept_cum)[0]
            if other != lead:
                co.append(other)
        copied = []
        if rng.random() < 0.1:
            other = rng.choice(self.copy_targets)
            if other != initiator:
                copied.append(other)
        if state in ("closed", "withdrawn"):
            deadline = (created + dt.timedelta(days=30)).date()
        else:
            deadline = max(
                (created + dt.timedelta(days=5)).date(),
                self.now.date() + dt.timedelta(days=rng.randint(-20, 45)),
            )
        creator = self.member(initiator)
        parties = {(initiator, "initiator")}
        clock = [created]

        def tick(hours=48.0):
            clock[0] = min(clock[0] + dt.timedelta(hours=rng.random() * hours), self.now)
            return clock[0]

        events = []

        def record(actor_agency, action, *, roles=("staff", "leader"), **fields):
            user = self.member(actor_agency, roles)
            event = Event()
            event.issue_id = pk
            event.seq = len(events) + 1
            event.assignment_id = fields.get("assignment")
            event.action = action
            event.actor_id, event.actor_name = user[0], user[1]
            event.agency_id = actor_agency
            event.related_agency_id = fields.get("related")
            event.before = fields.get("before", {})
            event.after = fields.get("after", {})
            event.reason = fields.get("reason", "")
            event.automation_rule = ""
            event.request_id = ""
            event.created_at = fields.get("at") or tick()
            events.append(event)
            return user

        assignments = []  # dicts, written at the end in their final state

        def open_assignment(agency, role, assigned_by, at, transferred_from=None):
            a = {
                "id": self.next_id("assignment"), "agency": agency, "role": role, "state": "pending",
                "assigned_by": assigned_by, "transferred_from": transferred_from, "created_at": at,
                "end_reason": "", "suggested": None, "report_text": "", "signed_at": None,
                "reported_at": None, "accepted_at": None, "ended_at": None,
            }  # fmt: skip
            assignments.append(a)
            parties.add((agency, role))
            for supervisor in cast.supervisors_of(agency):
                parties.add((supervisor, "supervisor"))
            return a

        def snap(a):
            return {"assignment": a["id"], "agency": a["agency"], "state": a["state"]}

        def retire(a):
            parties.discard((a["agency"], a["role"]))
            parties.add((a["agency"], "former_handler"))

        handlers = [open_assignment(lead, "lead", initiator, created)]
        handlers += [open_assignment(c, "co_handler", initiator, created) for c in co]
        for c in copied:
            parties.add((c, "copied"))
        push_after = {
            "state": "pushed",
            "lead": lead,
            "co_handlers": co,
            "copied": copied,
            "deadline": deadline.isoformat(),
            "attachments": [],
        }
        record(initiator, "push", after=push_after, related=lead, at=created)
        updated = created
        closed_at = None
        urges = []
        issue_state = "pushed"

        if state == "pushed" and rng.random() < 0.2:
            # The lead says it is not theirs: the initiator has to re-route (the "to verify" tab).
            a = handlers[0]
            before = snap(a)
            a.update(state="declined", end_reason="不属于本单位职责", ended_at=tick())
            a["suggested"] = rng.choice(cast.departments)
            retire(a)
            record(a["agency"], "decline", before=before, after=snap(a), reason=a["end_reason"],
                   assignment=a["id"], related=a["suggested"], at=a["ended_at"])  # fmt: skip
        elif state not in ("pushed", "withdrawn") and rng.random() < 0.03:
            # Transferred by its first lead before signing for it.
            old = handlers[0]
            to = rng.choice([d for d in cast.departments if d not in (old["agency"], initiator, *co)])
            before = snap(old)
            at = tick()
            old.update(state="transferred", end_reason="职责调整，转有关单位办理", suggested=to, ended_at=at)
            retire(old)
            new = open_assignment(to, "lead", old["agency"], at, transferred_from=old["id"])
            handlers[0] = new
            record(old["agency"], "transfer", roles=("leader",), before=before, after=snap(new),
                   reason=old["end_reason"], assignment=new["id"], related=to, at=at)  # fmt: skip

        if state == "withdrawn":
            at = tick()
            for a in handlers:
                a.update(state="withdrawn", ended_at=at, end_reason="问题已另行处理")
                retire(a)
            record(initiator, "withdraw", roles=("leader",), before={"state": "pushed"},
                   after={"state": "withdrawn"}, reason="问题已另行处理", at=at)  # fmt: skip
            issue_state, updated, closed_at = "withdrawn", at, at
        elif state in ("in_progress", "reported", "closed"):
            signers = handlers if state != "in_progress" else [h for h in handlers if h is handlers[0]
                                                                or rng.random() < 0.5]  # fmt: skip
            for a in signers:
                before = snap(a)
                a.update(state="signed", signed_at=tick())
                record(
                    a["agency"], "sign", before=before, after=snap(a), assignment=a["id"], at=a["signed_at"]
                )
                if issue_state == "pushed":
                    issue_state, updated = "in_progress", a["signed_at"]
            if state == "in_progress" and rng.random() < 0.1:
                a = handlers[0]
                supervisor = cast.supervisors_of(a["agency"])[0]
                urge_id = self.next_id("urge")
                due = max(self.now.date(), (clock[0] + dt.timedelta(days=5)).date())
                user = record(supervisor, "urge", roles=("leader", "liaison"), reason="请加快办理并按期反馈",
                              after={"urge": urge_id, "due_date": due.isoformat()},
                              assignment=a["id"], related=a["agency"])  # fmt: skip
                urges.append((urge_id, "请加快办理并按期反馈", due, "", events[-1].created_at, a["id"],
                              supervisor, user[0], pk))  # fmt: skip
            if state in ("reported", "closed"):
                for a in handlers:
                    before = snap(a)
                    a.update(state="reported", reported_at=tick(96), report_text="已整改完毕，详见附件。")
                    record(a["agency"], "report", before=before, after={**snap(a), "attachments": []},
                           assignment=a["id"], at=a["reported_at"])  # fmt: skip
                issue_state, updated = "reported", handlers[-1]["reported_at"]
            if state == "closed":
                for a in handlers:
                    before = snap(a)
                    a.update(state="accepted", accepted_at=tick())
                    record(initiator, "accept_report", before=before, after=snap(a), assignment=a["id"],
                           at=a["accepted_at"])  # fmt: skip
                closed_at = tick()
                record(
                    initiator, "close", before={"state": "reported"}, after={"state": "closed"}, at=closed_at
                )
                issue_state, updated = "closed", closed_at
        assert issue_state == state, (issue_state, state)

        prev = GENESIS
        for event in events:
            digest = chain_hash(prev, event)
            rows.add("issues_issueevent", (
                self.next_id("event"), event.seq, event.action, event.actor_name,
                json.dumps(event.before, ensure_ascii=False), json.dumps(event.after, ensure_ascii=False),
                event.reason, "", "", event.created_at, prev, digest, event.actor_id, event.agency_id,
                event.assignment_id, pk, event.related_agency_id,
            ))  # fmt: skip
            prev = digest
        open_deadlines = [deadline for a in assignments if a["state"] in ("pending", "signed", "reported")]
        due_date = min(open_deadlines) if open_deadlines and state not in ("closed", "withdrawn") else None
        title = f"{rng.choice(TITLES)}（{pk}）"
        rows.add("issues_issue", (
            pk, f"JD{created:%Y}{pk:07d}", title, "群众反映：" + title, rng.choice(CATEGORIES),
            rng.choice(SOURCES), rng.choices(PRIORITIES, (90, 8, 2))[0], deadline, due_date, state,
            created, updated, created, closed_at, prev, len(events), creator[0], initiator,
        ))  # fmt: skip
        for a in assignments:
            rows.add("issues_assignment", (
                a["id"], a["role"], a["state"], deadline, sign_deadline(a["created_at"]), a["end_reason"],
                a["report_text"], a["created_at"],
                a["signed_at"], a["reported_at"], a["accepted_at"], a["ended_at"], a["agency"],
                a["assigned_by"], a["suggested"], a["transferred_from"], pk,
            ))  # fmt: skip
        for agency, role in sorted(parties):
            rows.add("issues_participant", (self.next_id("participant"), role, created, agency, pk))
        for urge in urges:
            rows.add("issues_urge", urge)


CATEGORIES = [
    "construction", "medical_insurance", "public_service", "welfare", "environment",
    "safety", "public_funds", "conduct", "business_environment", "other",
]  # fmt: skip
SOURCES = ["supervision", "hotline", "letters", "audit", "media", "data", "inspection", "other"]
PRIORITIES = ["normal", "urgent", "critical"]


def grant_permissions(conn) -> None:
    """The guardian rows ``permissions.sync_issue_permissions`` would leave, from the party rows."""
    from issues.permissions import PERMISSIONS_BY_PARTY_ROLE

    with conn.cursor() as cur:
        cur.execute(
            """SELECT p.codename, p.id FROM auth_permission p JOIN django_content_type c
               ON c.id = p.content_type_id WHERE c.app_label = 'issues' AND c.model = 'issue'"""
        )
        perm_ids = dict(cur.fetchall())
        pairs = [(str(role), perm_ids[codename]) for role, codes in PERMISSIONS_BY_PARTY_ROLE.items()
                 for codename in sorted(codes)]  # fmt: skip
        # Role names are the PartyRole enum's, permission ids integers read above.
        values = ",".join(f"('{role}', {int(perm)})" for role, perm in pairs if role.isidentifier())
        cur.execute("SET work_mem = '512MB'")  # one big DISTINCT sort, generation only
        cur.execute(
            f"""INSERT INTO issues_issuegroupobjectpermission (content_object_id, group_id, permission_id)
                SELECT DISTINCT p.issue_id, a.group_id, m.permission_id
                FROM issues_participant p
                JOIN agencies_agency a ON a.id = p.agency_id
                JOIN (VALUES {values}) AS m (role, permission_id) ON m.role = p.role
                ORDER BY 1, 2, 3"""  # noqa: S608 - values built from the enum and integers
        )
        say(f"{cur.rowcount} group object permissions")
    conn.commit()


def reset_sequences(conn) -> None:
    with conn.cursor() as cur:
        for table in BIG_TABLES:
            # BIG_TABLES are this module's own constants.
            sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT max(id) FROM {table}), 1))"  # noqa: S608, E501
            cur.execute(sql)
    conn.commit()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--issues", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=5_000)
    parser.add_argument("--chunk", type=int, default=20_000, help="issues per COPY and commit")
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args(argv)
    django_setup()
    from django.db import connection

    from agencies.models import Agency

    rng = random.Random(args.seed)
    with raw_connection() as conn:
        restore_ddl(conn)  # a run interrupted mid-load left them dropped
        with conn.cursor() as cur:
            cur.execute(
                "SELECT EXISTS (SELECT 1 FROM issues_issue) OR EXISTS (SELECT 1 FROM agencies_agency)"
            )
            if cur.fetchone()[0] or Agency.objects.exists():
                raise SystemExit("The database already holds agencies or issues: use a fresh one.")
    cast = build_cast(args.users, rng)
    connection.close()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with raw_connection() as conn:
        save_and_drop_ddl(conn)
        generator = Generator(cast, args.issues, rng, now)
        rows = Rows()
        for pk in range(1, args.issues + 1):
            generator.issue(pk, rows)
            if pk % args.chunk == 0 or pk == args.issues:
                rows.flush(conn)
                rate = pk / (time.monotonic() - T0)
                say(f"{pk:>9,} issues, {rows.counts['issues_issueevent']:>10,} events ({rate:,.0f} issues/s)")
        say(f"rows: {rows.counts}")
        grant_permissions(conn)
        say("re-creating indexes and foreign keys")
        restore_ddl(conn)
        reset_sequences(conn)
    with raw_connection(autocommit=True) as conn:
        for table in [*BIG_TABLES, "agencies_user", "agencies_membership", "agencies_user_groups"]:
            conn.execute(f"VACUUM (ANALYZE) {table}")
        say("vacuumed and analysed")
    write_ledger_lines()
    say("done")


def sign_deadline(created: dt.datetime) -> dt.date:
    """One working day to sign, as the seeded deadline policies give every category."""
    from django.utils import timezone

    from agencies.calendar import add_working_days

    return add_working_days(timezone.localdate(created), 1)


def write_ledger_lines() -> None:
    """The ledgers' facts, written by the same code the actions use (``issues.ledger_lines``)."""
    from issues import ledger_lines

    started = time.monotonic()
    ledger_lines.rebuild(
        batch_size=5_000,
        progress=lambda done: done % 100_000 == 0 and say(f"{done:>9,} issues' ledger lines"),
    )
    say(f"ledger lines written in {time.monotonic() - started:,.0f} s")
    with raw_connection(autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) issues_ledgerline")


if __name__ == "__main__":
    main()
