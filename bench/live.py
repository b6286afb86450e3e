"""Live updates at the issue's scale: 1,000 WebSocket clients, two daphne processes, Redis.

    export DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_bench_live
    export REDIS_URL=redis://127.0.0.1:6379/5 PORTAL_DEMO=1
    python -m bench.live --clients 1000 --actions 150 --rate 5

What it sets up itself: the database if it does not exist (the role needs CREATEDB), its
migrations, the demo city (``seed_demo``) if the database has no agencies, and bench members
``bench_live_0000``… spread evenly over the demo's active agencies (the first of each agency a
leader, who acts for it), one session each. Redis must be a database of its own (not /0): the
channel layer's keys (prefix ``portal``) left there by an earlier run are deleted first.

Then: two daphne processes (``portal.settings.base``, channels-redis) on free ports, the
clients split between them and between two client processes (``bench.live_clients``), each
client subscribed to its agency's and its user's streams as the board page is. This process is
the driver: it pushes issues from supervisory bodies to departments and takes each through
sign, report, accept_report and close through ``issues.actions``, one action at a time at
``--rate`` per second. Each action runs in a transaction of the driver's own, with an on-commit
hook registered before the action's (hooks run in order): its timestamp is the commit, taken
before the outbox relay runs. A second hook registered after the action marks the relay's end.

Measured: latency from commit to arrival (both ``time.time()`` on this machine) for every
client of every party agency of the issue, the messages that never arrived (must be 0), the
daphne processes' resident memory idle and with every client subscribed, the clients'
connect+subscribe times, the relay's parts, the messages queued in Redis for each daphne, and
the CPU each process (and anything else on the machine) used while the actions ran.

Options for finding out why: ``--probe`` serves ``bench.live_probe`` (the consumers' database
calls and forwards timed); ``--free-access-check`` (with ``--probe``) lets the access check
skip its queries, to see what it costs; ``--contend N`` runs N busy loops beside the actions,
as when other work shares the machine; ``--idle S`` keeps the sockets quiet for S seconds
first; ``--settings`` serves another settings module; ``--keep`` keeps the logs and messages.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bench.board import percentile
from bench.common import django_setup

BENCH_USER = "bench_live_"
TICKS = os.sysconf("SC_CLK_TCK")


# --- setup ---------------------------------------------------------------------------------------


def ensure_database(url: str) -> None:
    """CREATE DATABASE when the one DATABASE_URL names does not exist yet."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        sys.exit("The live benchmark runs on PostgreSQL: set DATABASE_URL=postgres://… (its own database).")
    name = unquote(parts.path.lstrip("/"))
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        dbname="postgres",
        autocommit=True,
    ) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}", flush=True)


def clear_channel_layer(url: str) -> None:
    """Forget groups and queues an earlier run left in this Redis database."""
    import redis

    client = redis.Redis.from_url(url)
    if int(client.connection_pool.connection_kwargs.get("db", 0)) == 0:
        sys.exit("Give the benchmark a Redis database of its own, e.g. REDIS_URL=redis://127.0.0.1:6379/5.")
    stale = list(client.scan_iter(match="portal*", count=1000))
    if stale:
        client.delete(*stale)
    client.close()


def bench_members(count: int) -> list[dict]:
    """``count`` bench users spread evenly over the active agencies, made once and kept."""
    from django.contrib.auth.hashers import make_password

    from agencies import actions as agency_actions
    from agencies.models import Agency, Membership, Role, User

    agencies = list(Agency.objects.filter(is_active=True).order_by("pk"))
    existing = {user.username: user for user in User.objects.filter(username__startswith=BENCH_USER)}
    unusable = make_password(None)
    members = []
    for index in range(count):
        agency = agencies[index % len(agencies)]
        username = f"{BENCH_USER}{index:04d}"
        user = existing.get(username)
        if user is None:
            user = User.objects.create(username=username, full_name=f"测试{index:04d}", password=unusable)
        role = Role.LEADER if index < len(agencies) else Role.STAFF
        if not Membership.objects.filter(user=user, agency=agency, role=role).exists():
            agency_actions.add_member(user, agency, role=role)
        members.append({"user": user, "agency": agency, "leader": role == Role.LEADER})
    return members


def session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


# --- processes -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs so far, from /proc/stat."""
    with open("/proc/stat", encoding="ascii") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def start_daphne(app: str, port: int, env: dict, log: Path) -> subprocess.Popen:
    daphne_bin = Path(sys.executable).with_name("daphne")
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(daphne_bin), "-b", "127.0.0.1", "-p", str(port), app],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def wait_listening(process: subprocess.Popen, port: int, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"daphne exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"daphne did not listen on {port}:\n{log.read_text()[-3000:]}") from None
            time.sleep(0.1)


def stop(process: subprocess.Popen) -> None:
    """Terminate a process this run started; kill it if it is still there after 10 s."""
    if process.poll() is None:
        process.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
    if process.poll() is None:
        process.kill()
        process.wait(timeout=10)


def finish(client_processes: list[subprocess.Popen]) -> None:
    """Tell client processes to close their sockets and write what they received."""
    for process in client_processes:
        process.stdin.write("stop\n")
        process.stdin.flush()
    for process in client_processes:
        process.wait(timeout=120)


def warm_up(specs: list[dict]) -> None:
    """Open and close a few sockets per server, so the idle memory includes the first
    connection's one-off costs (the database connection, the thread pool)."""
    from bench.live_clients import Client

    async def run():
        clients = [Client(spec, ping=False) for spec in specs]
        gate = asyncio.Semaphore(len(clients))
        await asyncio.gather(*(client.first_open(gate) for client in clients))
        await asyncio.gather(*(client.discard() for client in clients))
        failed = [client.errors for client in clients if client.ready_ms is None]
        if failed:
            raise RuntimeError(f"warm-up clients failed: {failed[:3]}")

    asyncio.run(run())


def process_cpu() -> dict[int, tuple[str, float]]:
    """Every process's command line and CPU seconds so far."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                found[int(entry.name)] = (command.strip(), cpu_seconds(int(entry.name)))
            except OSError:
                continue
    return found


def cpu_while(before: dict, after: dict, watched: dict[str, int], database: str) -> dict[str, float]:
    """CPU seconds between two ``process_cpu`` readings: this run's processes; the PostgreSQL
    backends serving ``database`` and redis-server; and the three busiest other processes still
    running (other work competes for the same two cores)."""
    spent = {pid: seconds - before.get(pid, ("", 0.0))[1] for pid, (_command, seconds) in after.items()}
    cpu = {name: spent.get(pid, 0.0) for name, pid in watched.items()}
    servers = {
        pid for pid, (command, _seconds) in after.items()
        if command.startswith("/usr/bin/redis-server")
        or (command.startswith("postgres:") and f" {database} " in command)
    }
    cpu["PostgreSQL (this database's backends) and Redis"] = sum(spent[pid] for pid in servers)
    others = sorted(
        (seconds, pid) for pid, seconds in spent.items() if pid not in servers and pid not in watched.values()
    )
    for seconds, pid in others[::-1][:3]:
        if seconds >= 0.5:
            cpu[f"… {after[pid][0][:70]}"] = seconds
    return cpu


def stale_group_members(url: str) -> int:
    """Channels still listed in a group (``portal:group:*``) when no socket is open."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        return sum(client.zcard(key) for key in client.scan_iter(match="portal:group:*", count=1000))
    finally:
        client.close()


class BacklogSampler(threading.Thread):
    """Every 100 ms, how many messages wait in Redis for each daphne process: channels-redis
    queues a process's messages under one key (``portalspecific.<process>!``), and the
    process pops them one at a time."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        import redis

        self.client = redis.Redis.from_url(url)
        self.samples: dict[str, list[int]] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.1):
            for key in self.client.scan_iter(match="portalspecific.*!", count=1000):
                self.samples.setdefault(key.decode(), [])
            for key, values in self.samples.items():  # an empty queue's key is gone: 0
                values.append(self.client.zcard(key))

    def stop(self) -> dict[str, list[int]]:
        self.done.set()
        self.join()
        self.client.close()
        return self.samples


# --- the driver ----------------------------------------------------------------------------------


def lifecycle(issue_number: int, initiators, leads, copied_pool, leader_of):
    """The five actions of one issue, each a function returning (issue id, action name)."""
    import datetime as dt

    from django.utils import timezone

    from issues import workflow
    from issues.models import Assignment

    initiator = initiators[issue_number % len(initiators)]
    lead = leads[(issue_number * 7) % len(leads)]
    copied = [] if issue_number % 3 else [copied_pool[issue_number % len(copied_pool)]]
    state: dict = {}

    def push():
        state["issue"] = workflow.push(
            acting_user=leader_of[initiator.pk],
            agency=initiator,
            title=f"实时推送压测 {issue_number}",
            description="压测用督办件：推送、签收、反馈、核验、销号。",
            category="other",
            source="other",
            priority="normal",
            deadline=timezone.localdate() + dt.timedelta(days=30),
            lead=lead,
            copied=copied,
        )
        state["assignment"] = Assignment.objects.get(issue=state["issue"], agency=lead)
        return state["issue"].pk, "push"

    def handler(function, name, **extra):
        def step():
            function(
                acting_user=leader_of[lead.pk], agency=lead, issue=state["issue"],
                assignment=state["assignment"], **extra,
            )
            return state["issue"].pk, name
        return step

    def accept():
        workflow.accept_report(
            acting_user=leader_of[initiator.pk], agency=initiator, issue=state["issue"],
            assignment=state["assignment"],
        )
        return state["issue"].pk, "accept_report"

    def close():
        workflow.close(
            acting_user=leader_of[initiator.pk], agency=initiator, issue=state["issue"], summary="已核实。"
        )
        return state["issue"].pk, "close"

    return [push, handler(workflow.sign, "sign"), handler(workflow.report, "report", text="已整改完毕。"),
            accept, close]


@contextlib.contextmanager
def relay_timed(parts: dict):
    """Time the relay's two steps, for this process only: numbering the outbox rows (inside its
    transaction) and sending the numbered messages through the channel layer."""
    from notifications.live import events, outbox

    number, send = outbox._number_batch, events.send

    def timed_number(*args, **kwargs):
        started = time.perf_counter()
        try:
            return number(*args, **kwargs)
        finally:
            parts["number"] = parts.get("number", 0.0) + time.perf_counter() - started

    def timed_send(messages):
        messages = list(messages)
        started = time.perf_counter()
        try:
            return send(messages)
        finally:
            parts["send"] = parts.get("send", 0.0) + time.perf_counter() - started
            parts["messages"] = parts.get("messages", 0) + len(messages)

    outbox._number_batch, events.send = timed_number, timed_send
    try:
        yield
    finally:
        outbox._number_batch, events.send = number, send


def drive(count: int, rate: float, members: list[dict], first_issue: int = 0) -> list[dict]:
    from django.db import transaction

    from agencies.models import AgencyKind
    from issues.models import Participant

    agencies = {m["agency"].pk: m["agency"] for m in members}
    leader_of = {m["agency"].pk: m["user"] for m in members if m["leader"]}
    supervisory = [a for a in agencies.values() if a.kind == AgencyKind.SUPERVISORY]
    departments = [a for a in agencies.values() if a.kind == AgencyKind.DEPARTMENT]
    steps = []
    issue_number = first_issue
    while len(steps) < count:
        steps.extend(lifecycle(issue_number, supervisory, departments, supervisory[::-1], leader_of))
        issue_number += 1
    records = []
    next_at = time.monotonic()
    for step in steps[:count]:
        marks: dict[str, float] = {}
        parts: dict[str, float] = {}
        with relay_timed(parts), transaction.atomic():
            transaction.on_commit(lambda marks=marks: marks.__setitem__("commit", time.time()))
            issue_id, action = step()
            transaction.on_commit(lambda marks=marks: marks.__setitem__("relayed", time.time()))
        parties = set(Participant.objects.filter(issue_id=issue_id).values_list("agency_id", flat=True))
        records.append({"issue": issue_id, "action": action, "parties": parties, **marks, **parts})
        next_at += 1 / rate
        time.sleep(max(0.0, next_at - time.monotonic()))
    return records


# --- the reading ---------------------------------------------------------------------------------


def summary(values: list[float]) -> str:
    if not values:
        return "–"
    return (
        f"{statistics.median(values):.1f} / {percentile(values, 0.95):.1f} / "
        f"{percentile(values, 0.99):.1f} / {max(values):.1f}"
    )


def analyse(plan: list[dict], reports: list[dict], records: list[dict], until: float) -> dict:
    """Match every party's client to every action: latencies, and what never arrived."""
    by_index = {spec["index"]: spec for spec in plan}
    arrivals: dict[int, dict[tuple, float]] = {}
    kinds: Counter = Counter()
    duplicates = 0
    for report in reports:
        got = arrivals.setdefault(report["index"], {})
        for arrived, raw in report["messages"]:
            if arrived > until:  # the actions after closing began are not measured
                continue
            message = json.loads(raw)
            kinds[message.get("type")] += 1
            if message.get("type") == "issue.changed":
                key = (message["stream"], message["issue"], message["action"])
                if key in got:
                    duplicates += 1
                else:
                    got[key] = arrived
    connected = {report["index"] for report in reports if report["ready_ms"] is not None}
    closes = {report["index"]: [at for at, _code in report["closes"]] for report in reports}
    members_of: dict[int, list[int]] = {}
    for index in connected:
        members_of.setdefault(by_index[index]["agency"], []).append(index)
    latencies, after_relay, complete, after_reconnect = [], [], [], []
    per_server: dict[int, list[float]] = {}
    missing = expected = 0
    for record in records:
        slowest = 0.0
        for agency in record["parties"]:
            key = (f"agency.{agency}", record["issue"], record["action"])
            for index in members_of.get(agency, ()):
                expected += 1
                arrived = arrivals[index].get(key)
                if arrived is None:
                    missing += 1
                    continue
                latency = (arrived - record["commit"]) * 1000
                latencies.append(latency)
                after_relay.append((arrived - record["relayed"]) * 1000)
                per_server.setdefault(by_index[index]["server"], []).append(latency)
                if any(record["commit"] <= at <= arrived for at in closes[index]):
                    after_reconnect.append(latency)
                slowest = max(slowest, latency)
        complete.append(slowest)
    received = sum(len(got) for got in arrivals.values())
    return {
        "expected": expected,
        "delivered": len(latencies),
        "missing": missing,
        "unexpected": received - len(latencies),
        "duplicates": duplicates,
        "kinds": kinds,
        "latency": latencies,
        "after_relay": after_relay,
        "after_reconnect": after_reconnect,
        "relay": [(r["relayed"] - r["commit"]) * 1000 for r in records],
        "complete": complete,
        "per_server": per_server,
        "connected": len(connected),
        "closes": Counter(code for report in reports for at, code in report["closes"] if at <= until),
        "close_times": sorted(at for report in reports for at, _code in report["closes"] if at <= until),
        "errors": Counter(error.split(":")[0] + ": " + error.split(":")[1] for report in reports
                          for error in report["errors"]),
    }


# --- the run -------------------------------------------------------------------------------------


def prepare(args) -> tuple[list[dict], list[dict], list[int]]:
    """The database, the bench members and one session and plan entry per client."""
    from django.core.management import call_command

    from agencies.models import Agency
    from notifications.models import LiveOutbox

    call_command("migrate", verbosity=0, interactive=False)
    if not Agency.objects.exists():
        call_command("seed_demo")
    clear_channel_layer(os.environ["REDIS_URL"])
    LiveOutbox.objects.all().delete()  # an earlier run's leftovers would reach the clients
    members = bench_members(args.clients)
    ports = [free_port() for _ in range(args.servers)]
    plan = []
    for index, member in enumerate(members):
        server = (index // args.client_processes) % args.servers  # each client process on every server
        plan.append({
            "index": index,
            "server": server,
            "url": f"ws://127.0.0.1:{ports[server]}/ws/",
            "origin": f"http://127.0.0.1:{ports[server]}",
            "cookie": session_cookie(member["user"]),
            "user": member["user"].pk,
            "agency": member["agency"].pk,
            "streams": [f"agency.{member['agency'].pk}", f"user.{member['user'].pk}"],
        })
    return members, plan, ports


def run(args, members: list[dict], plan: list[dict], ports: list[int], workdir: Path) -> dict:
    """Start the servers and clients, drive the actions, and stop everything again."""
    from django.conf import settings

    env = {name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({
        "DJANGO_SETTINGS_MODULE": args.settings,
        "PORTAL_DEMO": "1",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    })
    if args.free_access_check:
        env["BENCH_LIVE_FREE_ACCESS_CHECK"] = "1"
    (workdir / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    found: dict = {"ports": ports}
    daphnes, client_processes, burners = [], [], []
    try:
        app = "bench.live_probe:application" if args.probe else "portal.asgi:application"
        for number, port in enumerate(ports):
            env["BENCH_LIVE_PROBE"] = str(workdir / f"probe{number}.json")
            daphnes.append(start_daphne(app, port, env, workdir / f"daphne{number}.log"))
        for number, (process, port) in enumerate(zip(daphnes, ports, strict=True)):
            wait_listening(process, port, workdir / f"daphne{number}.log")
        time.sleep(1)
        found["rss_cold"] = [rss_mb(p.pid) for p in daphnes]
        warm_up([{**spec, "index": -1} for spec in plan[: 4 * args.servers]])
        time.sleep(2)
        found["rss_idle"] = [rss_mb(p.pid) for p in daphnes]

        started = time.perf_counter()
        for part in range(args.client_processes):
            command = [sys.executable, "-m", "bench.live_clients", str(workdir / "plan.json"), str(part),
                       str(args.client_processes), str(workdir / f"clients{part}.json")]
            if args.no_ping:
                command.append("--no-ping")
            client_processes.append(
                subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            )
        ready = [process.stdout.readline().split() for process in client_processes]
        found["connect_all"] = time.perf_counter() - started
        if any(not line or line[0] != "ready" for line in ready):
            raise RuntimeError(f"client processes did not get ready: {ready}")
        failed = sum(int(line[2]) for line in ready)
        print(f"clients ready in {found['connect_all']:.1f} s ({failed} failed)", flush=True)
        time.sleep(2)
        found["rss_loaded"] = [rss_mb(p.pid) for p in daphnes]
        if args.idle:
            print(f"idle for {args.idle:g} s", flush=True)
            time.sleep(args.idle)

        for _ in range(args.contend):
            burners.append(subprocess.Popen([sys.executable, "-c", "while True: pass"]))
        watched = {f"daphne {n}": p.pid for n, p in enumerate(daphnes)}
        watched.update({f"client process {n}": p.pid for n, p in enumerate(client_processes)})
        watched["driver (actions and relay)"] = os.getpid()
        cpu_before = process_cpu()
        busy_before, load_before = machine_busy(), os.getloadavg()[0]
        found["drive_at"] = time.time()
        started = time.perf_counter()
        sampler = BacklogSampler(os.environ["REDIS_URL"])
        sampler.start()
        try:
            found["records"] = drive(args.actions, args.rate, members)
        finally:
            found["backlog"] = sampler.stop()
        found["drive_seconds"] = time.perf_counter() - started
        time.sleep(args.grace)
        found["cpu"] = cpu_while(cpu_before, process_cpu(), watched, settings.DATABASES["default"]["NAME"])
        for process in burners:
            stop(process)
        busy_after = machine_busy()
        found["busy"] = (busy_after[0] - busy_before[0]) / max(1, busy_after[1] - busy_before[1])
        # Everything else, processes that came and went included: all busy CPU time less ours.
        found["cpu"]["all other work on the machine"] = (busy_after[0] - busy_before[0]) / TICKS - sum(
            seconds for name, seconds in found["cpu"].items() if not name.startswith("…")
        )
        found["load"] = (load_before, os.getloadavg()[0])

        found["closing_at"] = time.time()
        # The last client process stays connected while, with --probe, a few more actions run:
        # the servers then also receive messages for the sockets that closed before it, if
        # their channels are still in the groups (a group_discard that failed).
        closing_first, closing_last = client_processes[:-1], client_processes[-1:]
        finish(closing_first)
        if args.probe:
            time.sleep(2)
            drive(args.after_close, args.rate, members, first_issue=10_000)
            time.sleep(2.5)  # the probes write every second
            found["probes"] = [
                json.loads((workdir / f"probe{n}.json").read_text(encoding="utf-8"))
                for n in range(args.servers)
            ]
        finish(closing_last)
        time.sleep(2)
        found["rss_closed"] = [rss_mb(p.pid) for p in daphnes]
        found["after_close"] = args.after_close
        found["stale_members"] = stale_group_members(os.environ["REDIS_URL"])
        found["reports"] = []
        for part in range(args.client_processes):
            found["reports"].extend(json.loads((workdir / f"clients{part}.json").read_text(encoding="utf-8")))
        found["log_errors"] = Counter(
            line.split("Exception inside application: ", 1)[-1].strip()
            for n in range(args.servers)
            for line in (workdir / f"daphne{n}.log").read_text(errors="replace").splitlines()
            if " ERROR " in line
        )
    finally:
        for process in burners + client_processes + daphnes:
            stop(process)
    return found


def print_report(args, plan: list[dict], found: dict) -> None:
    from agencies.models import Agency

    result = analyse(plan, found["reports"], found["records"], found["closing_at"])
    ready = [r["ready_ms"] for r in found["reports"] if r["ready_ms"] is not None]
    cpu_model = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), "?")
    grown = sum(found["rss_loaded"]) - sum(found["rss_idle"])
    per_connection_kb = grown * 1024 / max(1, result["connected"])
    mb = lambda values: " + ".join(f"{v:.1f}" for v in values)  # noqa: E731
    idle_closes = sum(1 for at in result["close_times"] if at < found["drive_at"])
    print()
    load = found["load"]
    print(f"machine: {os.cpu_count()} × {cpu_model}; load average {load[0]:.2f} → {load[1]:.2f}; "
          f"all CPUs {found['busy']:.0%} busy while the actions ran")
    print(f"data: {Agency.objects.filter(is_active=True).count()} active agencies "
          f"({len({spec['agency'] for spec in plan})} with clients); {len(plan)} clients "
          f"(one bench user each) on {args.servers} daphne processes ({args.settings}"
          f"{', probed' if args.probe else ''}"
          f"{', access check without queries' if args.free_access_check else ''}); "
          f"{len(found['records'])} actions at {args.rate:g}/s over {found['drive_seconds']:.1f} s; "
          f"pings {'off' if args.no_ping else 'every 25 s'}"
          f"{f'; {args.contend} busy-loop processes competing' if args.contend else ''}")
    print()
    print("| measurement | value |")
    print("| --- | ---: |")
    print(f"| clients connected and subscribed | {result['connected']:,} of {len(plan):,} |")
    print(f"| connect+subscribe, all clients ({args.client_processes} processes, 25 at a time each) | "
          f"{found['connect_all']:.1f} s |")
    print(f"| connect+subscribe per client, median / p95 / max | "
          f"{statistics.median(ready):.0f} / {percentile(ready, 0.95):.0f} / {max(ready):.0f} ms |")
    print(f"| deliveries expected (party agencies' clients × actions) / arrived | "
          f"{result['expected']:,} / {result['delivered']:,} |")
    print(f"| **missing** | **{result['missing']}** |")
    print(f"| unexpected / duplicate issue.changed | {result['unexpected']} / {result['duplicates']} |")
    print(f"| messages by type | {', '.join(f'{k} {v:,}' for k, v in sorted(result['kinds'].items()))} |")
    print(f"| **commit → arrival, median / p95 / p99 / max** | **{summary(result['latency'])} ms** |")
    for server, values in sorted(result["per_server"].items()):
        print(f"| … clients of daphne {server} | {summary(values)} ms |")
    print(f"| … of which after a reconnect ({len(result['after_reconnect'])}) | "
          f"{summary(result['after_reconnect'])} ms |")
    print(f"| commit → the last party client, per action | {summary(result['complete'])} ms |")
    print(f"| commit → relay done (numbering + group_send, in the driver) | {summary(result['relay'])} ms |")
    print(f"| … of which numbering (its transaction's queries) | "
          f"{summary([r['number'] * 1000 for r in found['records']])} ms |")
    print(f"| … of which group_send of {statistics.median(r['messages'] for r in found['records']):.0f} "
          f"messages (median; issue, agency and user streams) | "
          f"{summary([r['send'] * 1000 for r in found['records']])} ms |")
    print(f"| relay done → arrival | {summary(result['after_relay'])} ms |")
    for key, values in sorted(found["backlog"].items()):
        print(f"| messages waiting in Redis for one daphne ({key[-8:]}), median / p95 / max | "
              f"{statistics.median(values):.0f} / {percentile(values, 0.95):.0f} / {max(values)} |")
    print(f"| sockets closed by the server (code: count) | "
          f"{dict(result['closes']) or 0}; {idle_closes} before the actions |")
    print(f"| daphne RSS at start / idle after warm-up | {mb(found['rss_cold'])} / "
          f"{mb(found['rss_idle'])} MB |")
    print(f"| daphne RSS with every client subscribed | {mb(found['rss_loaded'])} MB |")
    print(f"| daphne RSS after the clients closed | {mb(found['rss_closed'])} MB |")
    print(f"| group members left in Redis after every client closed | {found['stale_members']:,} |")
    print(f"| **memory per connection** | **{per_connection_kb:.0f} KB** |")
    for name, seconds in sorted(found["cpu"].items(), key=lambda item: item[0].startswith("…")):
        print(f"| CPU while the actions ran: {name} | {seconds:.1f} s |")
    if args.probe:
        print_probes(found)
    if result["errors"]:
        print(f"\nclient errors: {dict(result['errors'])}")
    if found["log_errors"]:
        print(f"daphne errors: {dict(found['log_errors'])}")


def print_probes(found: dict) -> None:
    """What the consumers spent their time on while the actions ran (``bench.live_probe``)."""
    start = found["drive_at"]
    end = start + found["drive_seconds"] + 1
    print()
    print("| daphne | call | calls/s | waited for the thread, median / p95 ms | ran, median / p95 ms | "
          "share of the thread |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for number, probe in enumerate(found["probes"]):
        rows: dict[str, list] = {}
        for at, name, waited, ran in probe["samples"]:
            if start <= at <= end:
                rows.setdefault(name, []).append((waited * 1000, ran * 1000))
        thread = 0.0
        for name, values in sorted(rows.items()):
            waited = [w for w, _r in values]
            ran = [r for _w, r in values]
            database = not name.startswith(("forward", "event loop"))
            share = sum(ran) / 1000 / (end - start) if database else None
            thread += share or 0.0
            print(f"| {number} | {name} | {len(values) / (end - start):.1f} | "
                  f"{statistics.median(waited):.1f} / {percentile(waited, 0.95):.1f} | "
                  f"{statistics.median(ran):.1f} / {percentile(ran, 0.95):.1f} | "
                  f"{f'{share:.0%}' if database else ''} |")
        print(f"| {number} | all database calls | | | | {thread:.0%} |")
    for number, probe in enumerate(found["probes"]):
        _at, channels, messages = probe["buffers"][-1]
        print(f"daphne {number}: after the first client process closed its sockets, "
              f"{found['after_close']} more actions; {messages:,} messages held in the channel "
              f"layer's receive buffer for {channels:,} local channels")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--servers", type=int, default=2, help="daphne processes")
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--actions", type=int, default=150)
    parser.add_argument("--rate", type=float, default=5.0, help="actions per second")
    parser.add_argument("--idle", type=float, default=0.0, help="seconds of quiet before the actions")
    parser.add_argument("--grace", type=float, default=5.0, help="seconds to wait after the last action")
    parser.add_argument("--contend", type=int, default=0,
                        help="busy-loop processes competing for the CPUs while the actions run")
    parser.add_argument("--no-ping", action="store_true", help="clients do not ping every 25 s")
    parser.add_argument("--settings", default="portal.settings.base", help="the daphnes' settings module")
    parser.add_argument("--probe", action="store_true", help="time the consumers (bench.live_probe)")
    parser.add_argument("--after-close", type=int, default=10,
                        help="with --probe: actions driven after half the clients have closed")
    parser.add_argument("--free-access-check", action="store_true",
                        help="diagnostic: with --probe, the consumers' access check skips its queries")
    parser.add_argument("--keep", action="store_true", help="keep the run's folder (plan, logs, messages)")
    args = parser.parse_args(argv)
    if args.free_access_check and not args.probe:
        parser.error("--free-access-check is a diagnostic of --probe")

    if not os.environ.get("REDIS_URL"):
        sys.exit("The live benchmark runs on channels-redis: set REDIS_URL=redis://127.0.0.1:6379/5.")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # shared with the daphnes
    os.environ["DEBUG"] = "0"
    ensure_database(os.environ.get("DATABASE_URL", ""))
    django_setup()
    members, plan, ports = prepare(args)
    workdir = Path(tempfile.mkdtemp(prefix="bench-live-"))
    try:
        found = run(args, members, plan, ports, workdir)
    finally:
        if args.keep:
            print(f"run folder kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print_report(args, plan, found)


if __name__ == "__main__":
    main()
