"""The demo board of 江州市: about two hundred issues (办件), each one made through ``issues.actions``.

The cases (``demo.cases``) are hand-written; each is placed in a few districts with its own
details (a *variant*), and a *story* says how far that variant got: still waiting to be signed
for, being handled, reported, closed, declined and re-routed, transferred, withdrawn, reopened. The
driver replays every step of a story as the right demo user, at a simulated moment of the past
three months (``time_machine``). So every row, timestamp and link of the hash-chained record is
the one the actions themselves wrote, and nothing is rewritten afterwards. Deadlines are counted
from the real today, so the board shows overdue, due-soon and running issues alike.

``seed()`` is idempotent: an issue whose title is already on the board is not made again.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib

import chinese_calendar
import time_machine
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, Membership, Role
from demo import city
from demo.cases import CASES, Case, Variant
from issues import workflow
from issues.models import Assignment, AssignmentState, HandlerRole, Issue

CITY = city.CITY
REGION_NAMES = {spec.code: spec.name for spec in city.REGIONS}
DEPARTMENT_KEYS = {spec.key for spec in city.DEPARTMENTS}


# Stories: the steps, in order. "*" is where optional steps go (a consultation, a copy, an
# urge, a comment), chosen per variant. Steps that do not apply (no co-handlers, no approval
# needed) do nothing.
_WORK = ["push", "sign", "split", "sign_co", "*"]
_REPORTED = _WORK + ["report", "approve", "report_co", "approve_co"]
_CLOSED = _REPORTED + ["accept", "close"]
STORIES: dict[str, list[str]] = {
    "pending": ["push", "*"],
    "signed": ["push", "sign", "*"],
    "split": _WORK,
    "awaiting": ["push", "sign", "sign_co", "*", "report"],
    "partly": ["push", "sign", "split", "sign_co", "*", "report", "approve"],
    "reported": _REPORTED,
    "accepting": _REPORTED + ["accept_lead"],
    "rejected": _REPORTED + ["reject"],
    "redone": _REPORTED + ["reject", "report", "approve"],
    "closed": _CLOSED,
    "late": _CLOSED,  # closed after its deadline: a red light on a finished issue
    "reopened": _CLOSED + ["reopen", "note"],
    "declined": ["push", "*", "decline"],
    "rerouted": ["push", "decline", "reroute", "sign", "*"],
    "transferred": ["push", "sign", "transfer", "sign", "*"],
    "bounced": ["push", "decline", "reroute", "transfer", "sign", "*"],
    "bounced_done": ["push", "decline", "reroute", "transfer", "sign", "*", "report", "approve", "accept",
                     "close"],
    "withdrawn": ["push", "sign", "*", "withdraw"],
}
FINISHED_STORIES = {"closed", "late", "bounced_done", "withdrawn", "declined"}

# Words the parties use again and again; the case texts carry the specifics.
INITIATOR_NOTES = [
    "请先报送阶段性进展，附现场照片和整改台账。",
    "群众反映集中，请主要负责同志亲自过问，确保按期办结。",
    "该件已列入本月重点督办清单，请严格按时限反馈。",
    "请一并排查{district}范围内是否存在同类问题，举一反三。",
    "反映人昨日再次来电询问进度，请尽快与其联系并答复。",
    "办理结果将纳入年度考核，请把整改做实，不要只报方案。",
    "请明确具体责任人和完成时间，不要笼统表述为“持续推进”。",
    "已收到情况说明，请补充资金来源和后续管护责任主体。",
]
HANDLER_NOTES = [
    "已安排专人到现场核查，核查情况两个工作日内报送。",
    "涉及多个部门职责交叉，建议由牵头部门召集协调会明确分工。",
    "整改方案已报局党组会研究，待批复后立即实施。",
    "已与反映人电话沟通，对方认可目前的处理思路。",
    "现场已先行设置临时警示设施，正式整改待资金下达后实施。",
    "相关档案资料正在调取，部分年份资料在区档案馆，需要几天时间。",
    "已约谈相关单位负责人，要求其立即自查自纠并书面说明。",
    "第一批整改已完成，剩余部分受天气影响，预计下周完成。",
]
SUPERVISOR_NOTES = [
    "请落实首问负责，不得以职责不清为由推诿扯皮。",
    "派驻组将持续跟踪整改情况，必要时开展实地督查。",
    "整改中发现的作风问题线索，请及时移送派驻组。",
    "请对照时限倒排工期，确保不再出现超期情况。",
    "下周将随机回访反映人，核实整改是否真实到位。",
]
URGES_OVERDUE = [
    "该件已超过办理时限仍未办结，请于{due}前报送整改结果，逾期将予以通报。",
    "群众反复反映，已超期未办结，请单位主要负责同志牵头推动，{due}前反馈办理情况。",
    "办理已超期，请书面说明超期原因，并于{due}前提交整改措施和完成时间表。",
]
URGES_RUNNING = [
    "办理进度明显滞后，请于{due}前报送阶段性进展，确保在时限内办结。",
    "请于{due}前完成整改，届时将开展现场核查。",
    "距办理时限仅剩数日，请抓紧推进，{due}前报送结果，不得以阶段性进展代替办结。",
]
REJECTIONS = [
    "反馈只有工作安排，没有整改结果和佐证材料，请补充后重新反馈。",
    "回访反映人，表示问题仍未解决，请重新核查处理。",
    "反馈未说明责任追究情况，请补充对相关责任人的处理意见。",
    "整改数据与现场核查不一致，请重新核实后反馈。",
]
SUMMARIES = [
    "经回访核实，整改到位，群众满意，予以销号。",
    "已现场核验整改结果，佐证材料齐全，同意销号。",
    "各承办单位反馈均已核实，问题已解决，对账销号。",
    "整改完成，长效机制已建立，转入日常监管，销号。",
]
REOPENINGS = [
    "再监督回访发现问题反弹，整改不彻底，重新启动办理。",
    "市纪委监委专项检查发现销号材料与实际不符，重新办理。",
    "销号后群众再次集中反映同一问题，经核实属实，重新启动办理。",
]
REOPEN_NOTES = [
    "请于十个工作日内重新报送整改结果，并说明前次整改不到位的原因。",
    "本次重新办理将对整改结果实地核验，请认真对待。",
]
WITHDRAWALS = [
    "经核实，该问题已在{district}专项整治中一并解决，撤回本件。",
    "与已推送的同一问题重复，撤回本件，在原件中继续跟踪。",
    "反映人已撤回诉求，经核实问题已自行解决，撤回。",
    "该问题已移交司法机关处理，不再通过本平台办理，撤回。",
]


# --- the driver --------------------------------------------------------------------------------
class DemoError(Exception):
    """A case asks for something the demo city cannot do (a missing member, a wrong story)."""


def _workday(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the calendar package does not know yet
        return day.weekday() < 5


def _bucket(day: dt.date, today: dt.date) -> int:
    """Which light an open issue due on ``day`` shows today: red, yellow or blue."""
    return -1 if day < today else (0 if (day - today).days <= 3 else 1)


class _City:
    """The demo city as the replays need it: agencies by code and who acts for each."""

    def __init__(self, now: dt.datetime):
        self.tz = timezone.get_current_timezone()
        self.now = timezone.localtime(now, self.tz)
        self.today = self.now.date()
        self.agencies = {agency.code: agency for agency in Agency.objects.select_related("region")}
        self._people: dict[tuple[int, tuple[str, ...]], object] = {}

    def agency(self, ref: str, region: str) -> Agency:
        if ref.startswith("city:"):
            code = city.department_code(CITY, ref.removeprefix("city:"))
        elif ref in DEPARTMENT_KEYS:
            code = city.department_code(region, ref)
            if code not in self.agencies:  # the district has no such department: the city's acts
                code = city.department_code(CITY, ref)
        else:
            code = ref
        try:
            return self.agencies[code]
        except KeyError:
            raise DemoError(f"No demo agency {code!r}.") from None

    def person(self, agency: Agency, *roles: str, required: bool = True):
        """The first demo member of ``agency`` with the first of ``roles`` it has."""
        key = (agency.pk, roles)
        if key not in self._people:
            members = Membership.objects.filter(agency=agency, user__is_active=True).select_related("user")
            by_role = {}
            for membership in members.order_by("pk"):
                by_role.setdefault(membership.role, membership.user)
            self._people[key] = next((by_role[role] for role in roles if role in by_role), None)
        if self._people[key] is None and required:
            raise DemoError(f"{agency.code} has no member with role {' or '.join(roles)}.")
        return self._people[key]

    def at(self, day: dt.date, minutes: int) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=self.tz)


STAFF = (Role.STAFF, Role.LEADER)
LEADER = (Role.LEADER,)
OPEN = (AssignmentState.PENDING, AssignmentState.SIGNED)


class _Replay:
    """One variant of one case, replayed step by step at its simulated moments."""

    def __init__(self, town: _City, case: Case, variant: Variant, title: str):
        self.town, self.case, self.variant, self.title = town, case, variant, title
        self.rng = random.Random(zlib.crc32(title.encode()))  # the same story on every machine
        self.fill = {"district": REGION_NAMES[variant.region], **variant.fill}
        self.initiator = self.body(case.initiator)
        self.issue: Issue | None = None

    def body(self, ref: str) -> Agency:
        return self.town.agency(ref, self.variant.region)

    def text(self, template: str) -> str:
        return template.format(**self.fill)

    # -- when ----------------------------------------------------------------------------------
    def office_time(self, moment: dt.datetime, earliest: dt.datetime, latest: dt.datetime) -> dt.datetime:
        """Move ``moment`` into office hours of a nearby working day between ``earliest`` and ``latest``
        (people mostly act at work); keep it where it is when no such time fits."""
        local = timezone.localtime(moment, self.town.tz)
        day, minutes = local.date(), local.hour * 60 + local.minute
        if _workday(day) and 510 <= minutes <= 1050:
            return moment
        step = self.rng.choice((1, -1))
        for direction in (step, -step):
            candidate = day if _workday(day) else day + dt.timedelta(days=direction)
            while not _workday(candidate):
                candidate += dt.timedelta(days=direction)
            moved = self.town.at(candidate, 510 + self.rng.randrange(540))
            if earliest <= moved <= latest:
                return moved
        return moment

    def spread(self, start: dt.datetime, end: dt.datetime, count: int) -> list[dt.datetime]:
        span = max((end - start).total_seconds(), 60.0)
        moments, previous = [], start
        for fraction in sorted(self.rng.random() for _ in range(count)):
            moment = self.office_time(start + dt.timedelta(seconds=span * fraction), start, end)
            moment = max(moment, previous + dt.timedelta(minutes=self.rng.randrange(4, 40)))
            moments.append(moment)
            previous = moment
        return moments

    def deadline(self, pushed: dt.date) -> dt.date:
        """Today plus ``due`` days, moved off a weekend or holiday if its light stays the same."""
        today = self.town.today
        wanted = today + dt.timedelta(days=self.variant.due)
        for step in (1, -1):
            day = wanted
            while not _workday(day) and abs((day - wanted).days) < 5:
                day += dt.timedelta(days=step)
            if _workday(day) and day > pushed and _bucket(day, today) == _bucket(wanted, today):
                return day
        return wanted

    def schedule(self, steps: list[str]) -> tuple[dt.date, list[dt.datetime]]:
        town, story = self.town, self.variant.story
        day = town.today - dt.timedelta(days=self.variant.ago)
        while not _workday(day):
            day -= dt.timedelta(days=1)
        pushed = town.at(day, 510 + self.rng.randrange(480))
        deadline = self.deadline(day)
        if deadline <= day:
            raise DemoError(f"{self.title}: the deadline must fall after the day it was pushed.")
        last = town.at(town.today - dt.timedelta(days=1), 1050)  # everything happened by yesterday
        if "close" not in steps:
            return deadline, [pushed] + self.spread(pushed, last, len(steps) - 1)
        at = steps.index("close")
        if story == "late":
            if deadline >= town.today - dt.timedelta(days=1):
                raise DemoError(f"{self.title}: a late closing needs a deadline before yesterday.")
            earliest = town.at(deadline + dt.timedelta(days=1), 540)
            closed = self.office_time(earliest + (last - earliest) * self.rng.random(), earliest, last)
        else:
            latest = min(last, town.at(deadline, 1020))
            closed = self.office_time(pushed + (latest - pushed) * self.rng.uniform(0.7, 1.0), pushed, latest)
        before = self.spread(pushed, closed, at - 1)
        closed = max([closed] + [moment + dt.timedelta(minutes=20) for moment in before[-1:]])
        after = self.spread(closed, last, len(steps) - at - 1)
        return deadline, [pushed] + before + [closed] + after

    def steps(self) -> list[str]:
        steps = []
        for step in STORIES[self.variant.story]:
            if step != "*":
                steps.append(step)
                continue
            if self.case.consult:
                steps.append("consult")
            if self.case.copy_later:
                steps.append("copy")
            if self.variant.due < 0 or self.rng.random() < 0.25:
                steps.append("urge")
            if self.variant.due <= -5 and self.variant.story not in FINISHED_STORIES:
                steps.append("urge_again")  # the commission steps in over a long-overdue issue
            if self.rng.random() < 0.55:
                steps.append("comment")
        return steps

    def run(self) -> Issue:
        steps = self.steps()
        self.due, moments = self.schedule(steps)
        with time_machine.travel(moments[0], tick=False) as traveller:
            for step, moment in zip(steps, moments, strict=True):
                traveller.move_to(moment)
                try:
                    getattr(self, f"step_{step}")()
                except workflow.ActionError as error:
                    raise DemoError(f"{self.title}: {step} at {moment:%Y-%m-%d %H:%M}: {error}") from error
        return self.issue

    # -- who and what ----------------------------------------------------------------------------
    def act(self, action, agency: Agency, roles: tuple[str, ...], **kwargs):
        user = self.town.person(agency, *roles)
        return action(acting_user=user, agency=agency, issue=self.issue, **kwargs)

    def lead(self) -> Assignment:
        """The lead handler's assignment: after a transfer or re-routing, the newest one."""
        return self.issue.assignments.filter(role=HandlerRole.LEAD).select_related("agency").latest("pk")

    def co_handlers(self, state: str) -> list[Assignment]:
        return list(
            self.issue.assignments.filter(role=HandlerRole.CO_HANDLER, state=state).select_related("agency")
        )

    def supervisor(self, assignment: Assignment) -> tuple[Agency, object]:
        """Who urges a handler: the liaison of its stationed group, else the commission's leader."""
        for group in assignment.agency.stationed_groups.all():
            liaison = self.town.person(group, Role.LIAISON, required=False)
            if liaison is not None:
                return group, liaison
        commission = self.town.agencies[city.COMMISSION]
        return commission, self.town.person(commission, *LEADER)

    # -- the steps -------------------------------------------------------------------------------
    def step_push(self):
        case, variant = self.case, self.variant
        self.issue = workflow.push(
            acting_user=self.town.person(self.initiator, *STAFF),
            agency=self.initiator,
            title=self.title,
            description=self.text(case.description),
            category=case.category,
            source=case.source,
            priority=variant.priority or case.priority,
            deadline=self.due,
            lead=self.body(variant.lead or case.lead),
            co_handlers=[self.body(ref) for ref in case.co],
            copied=[self.body(ref) for ref in case.copied],
        )

    def step_sign(self):
        lead = self.lead()
        if lead.state == AssignmentState.PENDING:
            self.act(workflow.sign, lead.agency, STAFF, assignment=lead)

    def step_split(self):
        if self.case.split:
            lead = self.lead()
            bodies = [self.body(ref) for ref in self.case.split]
            self.act(workflow.assign, lead.agency, LEADER, co_handlers=bodies)

    def step_sign_co(self):
        for assignment in self.co_handlers(AssignmentState.PENDING):
            if self.town.person(assignment.agency, *STAFF, required=False):  # else it waits to be signed
                self.act(workflow.sign, assignment.agency, STAFF, assignment=assignment)

    def step_report(self):
        lead = self.lead()
        if lead.state == AssignmentState.SIGNED:
            self.act(workflow.report, lead.agency, STAFF, assignment=lead, text=self.text(self.case.report))

    def step_approve(self):
        lead = self.lead()
        if lead.state == AssignmentState.AWAITING_APPROVAL:
            self.act(workflow.approve_report, lead.agency, LEADER, assignment=lead)

    def step_report_co(self):
        text = self.text(self.case.co_report or "已按分工完成本单位承担的事项，相关材料已报牵头单位。")
        for assignment in self.co_handlers(AssignmentState.SIGNED):
            self.act(workflow.report, assignment.agency, STAFF, assignment=assignment, text=text)

    def step_approve_co(self):
        for assignment in self.co_handlers(AssignmentState.AWAITING_APPROVAL):
            self.act(workflow.approve_report, assignment.agency, LEADER, assignment=assignment)

    def step_accept_lead(self):
        self.act(workflow.accept_report, self.initiator, STAFF, assignment=self.lead())

    def step_accept(self):
        for assignment in self.issue.assignments.filter(state=AssignmentState.REPORTED):
            self.act(workflow.accept_report, self.initiator, STAFF, assignment=assignment)

    def step_close(self):
        summary = self.case.summary or self.rng.choice(SUMMARIES)
        self.act(workflow.close, self.initiator, STAFF, summary=summary)

    def step_reject(self):
        reason = self.case.reject or self.rng.choice(REJECTIONS)
        self.act(workflow.reject_report, self.initiator, STAFF, assignment=self.lead(), reason=reason)

    def step_decline(self):
        if self.case.decline is None:
            raise DemoError(f"{self.title}: the story declines but the case says nothing of why.")
        suggested, reason = self.case.decline
        lead = self.lead()
        suggested = self.body(suggested)
        self.act(workflow.decline, lead.agency, STAFF, assignment=lead, reason=reason, suggested=suggested)

    def step_reroute(self):
        declined = self.lead()
        to = declined.suggested_agency
        reason = f"经核实，{declined.agency.name}所述情况属实，按其建议改派{to.name}办理。"
        self.act(workflow.transfer, self.initiator, LEADER, assignment=declined, to=to, reason=reason)

    def step_transfer(self):
        if self.case.transfer is None:
            raise DemoError(f"{self.title}: the story transfers but the case says nothing of to whom.")
        to, reason = self.case.transfer
        lead = self.lead()
        self.act(workflow.transfer, lead.agency, LEADER, assignment=lead, to=self.body(to), reason=reason)

    def step_withdraw(self):
        self.act(workflow.withdraw, self.initiator, LEADER, reason=self.text(self.rng.choice(WITHDRAWALS)))

    def step_reopen(self):
        commission = self.town.agencies[city.COMMISSION]
        deadline = timezone.localdate() + dt.timedelta(days=14)  # ten working days to redo the work
        self.act(workflow.reopen, commission, LEADER, reason=self.rng.choice(REOPENINGS), deadline=deadline)

    def step_note(self):
        commission = self.town.agencies[city.COMMISSION]
        self.act(workflow.comment, commission, LEADER, text=self.rng.choice(REOPEN_NOTES))

    def _urge(self, by: tuple[Agency, object] | None):
        target = self.issue.assignments.filter(state__in=OPEN).select_related("agency").order_by("role", "pk")
        target = target.first()
        if target is None:
            return
        agency, user = by or self.supervisor(target)
        today = timezone.localdate()
        if by is not None and self.issue.urges.filter(by_agency=agency).exists():
            return  # the commission already urged this one itself (no liaison stands between)
        due = today + dt.timedelta(days=self.rng.randrange(3, 8))
        texts = URGES_OVERDUE if target.deadline and target.deadline < today else URGES_RUNNING
        text = self.rng.choice(texts).format(due=f"{due.month}月{due.day}日")
        workflow.urge(
            acting_user=user, agency=agency, issue=self.issue, assignment=target, text=text, due_date=due
        )

    def step_urge(self):
        self._urge(None)

    def step_urge_again(self):
        commission = self.town.agencies[city.COMMISSION]
        self._urge((commission, self.town.person(commission, *LEADER)))

    def step_consult(self):
        body, question = self.case.consult
        lead = self.lead()
        if self.town.person(lead.agency, *STAFF, required=False):
            self.act(workflow.consult, lead.agency, STAFF, bodies=[self.body(body)], question=question)

    def step_copy(self):
        bodies = [self.body(ref) for ref in self.case.copy_later]
        self.act(workflow.copy, self.initiator, STAFF, bodies=bodies)

    def step_comment(self):
        lead = self.lead()
        speakers = [(self.initiator, STAFF, INITIATOR_NOTES)]
        if lead.state in OPEN and self.town.person(lead.agency, *STAFF, required=False):
            speakers.append((lead.agency, STAFF, HANDLER_NOTES))
        group, liaison = self.supervisor(lead)
        if group.kind != "supervisory":  # a stationed group's liaison, not the commission itself
            speakers.append((group, (Role.LIAISON,), SUPERVISOR_NOTES))
        agency, roles, notes = self.rng.choice(speakers)
        self.act(workflow.comment, agency, roles, text=self.text(self.rng.choice(notes)))


def plan() -> list[tuple[str, Case, Variant]]:
    """Every demo issue's title with its case and variant, titles unique."""
    rows = [(case.title.format(district=REGION_NAMES[v.region], **v.fill), case, v) for case in CASES
            for v in case.variants]
    titles = [title for title, _, _ in rows]
    if len(set(titles)) != len(titles):
        raise DemoError("Two demo issues share a title; the titles are how a re-run knows them.")
    return rows


def seed(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Put the demo issues on the board, skipping those already there (by title).

    Returns how many demo issues the board has in each state, and how many were made now.
    """
    rows = plan()
    titles = [title for title, _, _ in rows]
    present = set(Issue.objects.filter(title__in=titles).values_list("title", flat=True))
    made = 0
    with transaction.atomic():
        town = _City(now or timezone.now())
        for title, case, variant in rows:
            if title not in present:
                _Replay(town, case, variant, title).run()
                made += 1
    demo = Issue.objects.filter(title__in=titles)
    counts = {"issues": demo.count(), "new": made}
    for state, _label in Issue._meta.get_field("state").choices:
        counts[str(state)] = demo.filter(state=state).count()
    return counts
