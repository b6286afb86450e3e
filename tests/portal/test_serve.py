"""`make serve` starts daphne, a Celery worker and beat, and Ctrl-C stops them all within 10 s.

Each test starts the very command line `make run` ends with, in a process group of its own as a
terminal would, on a free port and a folder of its own, and signals the group as Ctrl-C does.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings

from tests.live_servers import free_port, listening

STOP_WITHIN = 10.0  # seconds, the promise of the README
START_WITHIN = 90.0


def descendants(root: int) -> set[int]:
    """``root`` and every process below it, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        found.add(pid)
        todo.extend(children.get(pid, []))
    return found


def running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def command_of(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


@pytest.fixture
def served(tmp_path):
    """`make serve` on a free port; yields (process, port, the pids of all it started)."""
    port = free_port()
    environment = {
        **{name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "SECRET_KEY": settings.SECRET_KEY,
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
    }
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        ["make", "--no-print-directory", "serve", "HOST=127.0.0.1", f"PORT={port}"],
        cwd=settings.BASE_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    output = lambda: (tmp_path / "serve.log").read_text(errors="replace")[-3000:]  # noqa: E731
    deadline = time.monotonic() + START_WITHIN
    # Up when daphne answers and the worker (with its two pool processes) and beat are running.
    while not (listening(port) and sum("celery" in command_of(pid) for pid in descendants(process.pid)) >= 4):
        assert process.poll() is None, output()
        assert time.monotonic() < deadline, output()
        time.sleep(0.2)
    pids = descendants(process.pid)
    try:
        yield process, port, pids, output
    finally:
        for pid in pids:
            if running(pid):
                os.kill(pid, signal.SIGKILL)
        log.close()


def stopped_within(pids: set[int], seconds: float) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if not any(running(pid) for pid in pids):
            return time.monotonic() - started
        time.sleep(0.05)
    return None


def test_ctrl_c_stops_everything(served):
    process, port, pids, output = served
    commands = " | ".join(command_of(pid) for pid in pids)
    assert "daphne" in commands and "worker" in commands and "beat" in commands
    os.killpg(process.pid, signal.SIGINT)  # what a terminal does on Ctrl-C
    assert stopped_within(pids, STOP_WITHIN) is not None, [command_of(pid) for pid in pids if running(pid)]
    assert not listening(port)


def test_a_second_ctrl_c_does_not_hang(served):
    process, port, pids, output = served
    os.killpg(process.pid, signal.SIGINT)
    time.sleep(0.5)
    os.killpg(process.pid, signal.SIGINT)
    assert stopped_within(pids, STOP_WITHIN) is not None, [command_of(pid) for pid in pids if running(pid)]


def test_one_ending_stops_the_others(served):
    process, port, pids, output = served
    daphne = next(pid for pid in pids if "daphne" in command_of(pid) and "python -m" not in command_of(pid))
    os.kill(daphne, signal.SIGKILL)
    assert stopped_within(pids, STOP_WITHIN) is not None, output()
    assert process.wait(timeout=5) != 0  # make reports the failure


# A supervisor whose service is a sleeping program and whose one job is the program a test gives:
# the jobs' handling without the weight of the real programs.
SUPERVISE = """
import sys
import portal.serve as serve
serve.FIRST_WAIT = 0  # the sleeping daphne never answers
serve.commands = lambda host, port: {"daphne": [sys.executable, "-c", "import time; time.sleep(600)"]}
serve.jobs = lambda demo_records: {"demo records": sys.argv[1:]}
sys.exit(serve.Supervisor("127.0.0.1", 0, demo_records=True).run())
"""


@pytest.fixture
def supervise(tmp_path):
    started = []

    def start(*job: str):
        log = (tmp_path / "supervise.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-c", SUPERVISE, *job], cwd=settings.BASE_DIR,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        started.append(process)
        output = lambda: (tmp_path / "supervise.log").read_text(errors="replace")  # noqa: E731
        deadline = time.monotonic() + START_WITHIN
        while len(descendants(process.pid)) < 3:  # the supervisor, its service and its job
            assert process.poll() is None, output()
            assert time.monotonic() < deadline, output()
            time.sleep(0.05)
        return process, output

    yield start
    for process in started:
        for pid in descendants(process.pid):
            if running(pid):
                os.kill(pid, signal.SIGKILL)


def children_of(pid: int) -> set[int]:
    return descendants(pid) - {pid}


def started_job(process: subprocess.Popen, program: str, output) -> int:
    """The job's pid once it runs its program: a job counted among the descendants may still be
    the supervisor's fork, lowering its priority before it executes the program."""
    deadline = time.monotonic() + START_WITHIN
    while True:
        jobs = [pid for pid in children_of(process.pid) if command_of(pid).startswith(program)]
        if jobs:
            return jobs[0]
        assert time.monotonic() < deadline, output()
        time.sleep(0.05)


def niceness(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[16])


def test_a_job_runs_at_a_lower_priority_and_ctrl_c_stops_it(supervise):
    process, output = supervise("sleep", "600")
    job = started_job(process, "sleep", output)
    assert niceness(job) == niceness(process.pid) + 10
    pids = descendants(process.pid)
    os.killpg(process.pid, signal.SIGINT)
    assert stopped_within(pids, STOP_WITHIN) is not None, output()
    assert process.wait(timeout=5) == 0


def test_a_job_that_fails_stops_nothing(supervise):
    process, output = supervise(sys.executable, "-c", "import time, sys; time.sleep(0.5); sys.exit(3)")
    deadline = time.monotonic() + START_WITHIN
    while "demo records stopped (exit 3)" not in output():
        assert time.monotonic() < deadline, output()
        time.sleep(0.05)
    assert "the portal goes on" in output()
    time.sleep(1)
    assert process.poll() is None  # the service still runs
    assert any("time.sleep(600)" in command_of(pid) for pid in children_of(process.pid))
    pids = descendants(process.pid)
    os.killpg(process.pid, signal.SIGINT)
    assert stopped_within(pids, STOP_WITHIN) is not None, output()


def test_a_job_that_finishes_leaves_the_portal_running(supervise):
    # A second of work: long enough for the fixture to see it running on a busy machine.
    process, output = supervise("sleep", "1")
    deadline = time.monotonic() + START_WITHIN
    while len(children_of(process.pid)) > 1:
        assert time.monotonic() < deadline, output()
        time.sleep(0.05)
    time.sleep(1)
    assert process.poll() is None and "demo records" not in output()  # a job done is not news
    os.killpg(process.pid, signal.SIGINT)
    assert process.wait(timeout=STOP_WITHIN) == 0


def test_make_run_loads_the_demo_records_beside_the_portal():
    def serve_line(*arguments: str) -> str:
        command = ["make", "--no-print-directory", "-n", "serve", *arguments]
        done = subprocess.run(command, cwd=settings.BASE_DIR, capture_output=True, text=True, check=True)
        return done.stdout
    assert "--demo-records" in serve_line("PORTAL_DEMO=1")
    assert "--demo-records" not in serve_line()


SLOW_DAPHNE = """
import http.server, sys, time
time.sleep(1.5)  # daphne loading the portal
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), http.server.BaseHTTPRequestHandler).serve_forever()
"""
FIRST_THEN_THE_OTHERS = """
import sys
import portal.serve as serve
port = int(sys.argv[1])
serve.commands = lambda host, _: {"daphne": [sys.executable, "-c", sys.argv[2], str(port)],
                                  "celery worker": ["sleep", "600"]}
serve.jobs = lambda demo_records: {"demo records": ["sleep", "601"]}
sys.exit(serve.Supervisor("127.0.0.1", port, demo_records=True).run())
"""


def test_the_others_start_once_daphne_has_answered(tmp_path):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", FIRST_THEN_THE_OTHERS, str(port), SLOW_DAPHNE],
                               cwd=settings.BASE_DIR, start_new_session=True)
    try:
        deadline = time.monotonic() + START_WITHIN
        while not any(command_of(pid).startswith("sleep") for pid in descendants(process.pid)):
            if listening(port):
                time.sleep(0.3)  # it answers now: the others follow within the supervisor's poll
                break
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert listening(port), "the worker or the job started before daphne answered"
        deadline = time.monotonic() + START_WITHIN
        while {"sleep 600", "sleep 601"} - {command_of(pid).strip() for pid in descendants(process.pid)}:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        pids = descendants(process.pid)
        os.killpg(process.pid, signal.SIGINT)
        assert stopped_within(pids, STOP_WITHIN) is not None
    finally:
        for pid in descendants(process.pid):
            if running(pid):
                os.kill(pid, signal.SIGKILL)


# What a newcomer sees: the address, then only warnings and errors (LOG_LEVEL=INFO brings the
# libraries' lines back). Each marker below is a line that `make run` printed before.
NOISE = {
    "Celery worker's banner": "[config]",
    "Celery beat's banner": "celery beat v",
    "kombu's warning about the embedded broker": "No hostname was supplied",
    "Celery's paragraph about root": "superuser privileges",
    "daphne's INFO lines": "Listening on TCP address",
    "daphne's request log": '"GET /',
}


def test_a_start_says_where_to_go_and_nothing_else(served, tmp_path):
    process, port, pids, _ = served
    output = lambda: (tmp_path / "serve.log").read_text(errors="replace")  # noqa: E731 - all of it
    ready = f"监督一张网 is ready: open http://127.0.0.1:{port}/"
    deadline = time.monotonic() + START_WITHIN
    while ready not in output():
        assert time.monotonic() < deadline, output()
        time.sleep(0.2)
    time.sleep(3)  # the worker and beat are running: what they print at start is out
    text = output()
    assert text.startswith(f"Starting the portal on http://127.0.0.1:{port}/"), text
    assert "Ctrl-C stops it" in text
    assert {what for what, marker in NOISE.items() if marker in text} == set()
    # As root (CI machines, containers) one line says why that is acceptable here.
    assert ("Running as root" in text) == (os.geteuid() == 0)
    os.killpg(process.pid, signal.SIGINT)
    assert stopped_within(pids, STOP_WITHIN) is not None
    assert "Stopped after" in output()


def test_log_level_info_brings_the_libraries_lines_back(monkeypatch):
    from portal import serve

    monkeypatch.delenv("LOG_LEVEL", raising=False)
    quiet = serve.commands("127.0.0.1", 8000)
    assert "--quiet" in quiet["celery worker"] and "--loglevel=WARNING" in quiet["celery beat"]
    assert quiet["daphne"][1:3] == ["-v", "0"]
    assert serve.environment()["LOG_LEVEL"] == "WARNING"
    monkeypatch.setenv("LOG_LEVEL", "info")
    talkative = serve.commands("127.0.0.1", 8000)
    assert "--quiet" not in talkative["celery worker"] and "--loglevel=INFO" in talkative["celery worker"]
    assert talkative["daphne"][1:3] == ["-v", "1"]


def test_an_unknown_log_level_is_refused_at_once():
    done = subprocess.run([sys.executable, "-m", "portal.serve", "--port", "1"], cwd=settings.BASE_DIR,
                          env={**os.environ, "LOG_LEVEL": "loud"}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "LOG_LEVEL='loud': use one of DEBUG, INFO, WARNING, ERROR, CRITICAL" in done.stderr
    assert "Starting the portal" not in done.stdout


def test_what_the_start_says_about_root_and_the_demo_is_true():
    from demo import city as demo_city
    from portal import serve

    assert settings.CELERY_ACCEPT_CONTENT == ["json"]  # no pickle: a message cannot carry code
    assert demo_city.DEMO_PASSWORD in serve.DEMO_SIGN_IN
    logins = {login.username for login in demo_city.DEMO_LOGINS}
    named = {"jw_staff", "zjj_staff", "jw_leader", "admin"}
    assert named <= logins and all(name in serve.DEMO_SIGN_IN for name in named)


def test_a_set_up_step_prints_one_line_with_its_time(tmp_path):
    """collectstatic into a folder of the test's own: the step's line, not its command."""
    var = tmp_path / "var"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test",
                   "SECRET_KEY": settings.SECRET_KEY, "PORTAL_VAR_DIR": str(var)}
    # -o: the installs count as done (the tests run in them)
    installed = ["-o", ".venv/bin/.installed", "-o", "frontend/node_modules/.installed"]
    done = subprocess.run(
        ["make", "-s", "--no-print-directory", *installed, f"{var}/static/.collected"],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"  static files collected +\d+\.\d s\n", done.stdout), done.stdout
    assert (var / "static" / ".collected").exists()
