"""``python -m portal.serve``: daphne, a Celery worker and Celery beat, started and stopped as one.

`make run` and `make serve` use it. daphne starts first, the others once it answers (they would
slow its start on a small machine). Ctrl-C (SIGINT) or SIGTERM stops all three, and so does any
one of them ending. Each runs in a process group of its own, so a terminal's Ctrl-C reaches this
supervisor only and the stopping follows one order: SIGTERM to every group (daphne closes its
sockets, Celery shuts down warmly), SIGQUIT after ``COLD`` seconds (Celery's cold shutdown; the
worker's warm one can take longer on the embedded broker), then, for what still runs after
``GRACE`` seconds or at a second Ctrl-C, SIGKILL to the whole group, pool processes included. Tasks are
acknowledged late, so one cut short runs again at the next start.

With ``--demo-records`` (what `make run` passes) a fourth program loads the demo's linked-system
records beside the portal (``manage.py load_demo_records``, at a lower priority so that pages stay
quick). It is a job, not a service: it ends by itself when the records are loaded, and its ending,
even with an error, stops nothing else. Ctrl-C stops it like the others; it resumes at the next
start.

What it prints is a newcomer's first sight of the portal: the address once daphne answers (with
the demo's logins under ``--demo-records``), then only warnings and errors. The libraries' INFO
lines, daphne's request log and Celery's banners come back with ``LOG_LEVEL=INFO``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

# Seconds after Ctrl-C: SIGQUIT (Celery's cold shutdown: it stops waiting for its pool), then
# SIGKILL to whatever is left, so that all is gone within 10 s. An idle worker on the embedded
# (filesystem) broker needs about 6 s to stop by itself: that transport cannot wake the worker's
# loop, which sees the stop only when its 2 s wait for messages ends, and stopping the pool and
# the consumer then takes as long again. Killed at 5 s, it was killed at every stop.
COLD = 2.5
GRACE = 8.0
POLL = 0.1


# Added to the jobs' scheduling priority (nice): the portal's own processes come first.
JOB_NICENESS = 10
# The others start once daphne has answered its first page, or after this many seconds: on two
# cores, starting all of them at once kept the portal from answering for seconds longer.
FIRST = "daphne"
FIRST_WAIT = 30.0

# The children's log level unless LOG_LEVEL says otherwise (Django's LOGGING reads it too).
QUIET_LEVEL = "WARNING"
TALKATIVE_LEVELS = {"DEBUG", "INFO"}
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")  # what Django, daphne and Celery all know

# Celery warns at every start, in a paragraph, that it runs as root (as on CI machines and in
# containers). The supervisor says so once, with what makes it acceptable here: the workers
# accept JSON messages only (CELERY_ACCEPT_CONTENT; no pickle), so a message in the broker cannot
# carry code to run. The children are told, and portal/celery.py drops Celery's paragraph.
ROOT_EXPLAINED = "PORTAL_ROOT_EXPLAINED"
AS_ROOT = ("Running as root (uid 0): Celery advises against it. Its workers here accept JSON messages only, "
           "so a message cannot carry code to run; a deployment runs the portal as a user of its own.")

# The demo's logins (demo/city.py DEMO_LOGINS and DEMO_PASSWORD; a test keeps them in step).
DEMO_SIGN_IN = ("  Sign in as jw_staff (city commission), zjj_staff (housing bureau), jw_leader (records"
                " search) or admin (/admin/, /cms/), password jiandu2026; every demo login is in README.md.")


def log_level() -> str:
    return (os.environ.get("LOG_LEVEL") or QUIET_LEVEL).upper()


def commands(host: str, port: int) -> dict[str, list[str]]:
    """The services: each runs until stopped, and one ending stops the others."""
    bin_dir = Path(sys.executable).parent
    level = log_level()
    talkative = level in TALKATIVE_LEVELS
    celery = [str(bin_dir / "celery"), "-A", "portal", *([] if talkative else ["--quiet"])]  # no banners
    return {
        "celery worker": [*celery, "worker", f"--loglevel={level}", "--concurrency=2"],
        "celery beat": [*celery, "beat", f"--loglevel={level}"],
        # -v 0: neither daphne's INFO lines nor its request log (one line per static file too)
        "daphne": [str(bin_dir / "daphne"), "-v", "1" if talkative else "0", "-b", host, "-p", str(port),
                   "portal.asgi:application"],
    }


def environment() -> dict[str, str]:
    """The children's environment: the log level, and whether running as root was explained."""
    quiet = {"LOG_LEVEL": log_level()}
    if os.geteuid() == 0:
        quiet[ROOT_EXPLAINED] = "1"
    return {**os.environ, **quiet}


def jobs(demo_records: bool) -> dict[str, list[str]]:
    """The jobs: each ends by itself once its work is done."""
    manage = str(Path(__file__).resolve().parent.parent / "manage.py")
    return {"demo records": [sys.executable, manage, "load_demo_records"]} if demo_records else {}


def _lower_priority() -> None:
    os.nice(JOB_NICENESS)


class Supervisor:
    def __init__(self, host: str, port: int, *, demo_records: bool = False):
        self.host, self.port = host, port
        self.demo_records = demo_records
        self.children: dict[str, subprocess.Popen] = {}
        self.jobs: set[str] = set()
        self.started_at = 0.0
        self.all_started = False
        self.first_answered = threading.Event()  # or gave up waiting: the others may start
        self.ready = threading.Event()  # daphne has answered a page
        self.told_ready = False
        self.told_stopping = False
        self.stopping_since: float | None = None
        self.cold = False
        self.signals = 0

    def url(self) -> str:
        # A wildcard address (every interface) is reached on the loopback one.
        host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(self.host, self.host)  # noqa: S104
        return f"http://[{host}]:{self.port}/" if ":" in host else f"http://{host}:{self.port}/"

    def start(self) -> None:
        say(f"Starting the portal on {self.url()} (daphne, then a Celery worker and beat)")
        if os.geteuid() == 0:
            say(AS_ROOT)
        self.children[FIRST] = subprocess.Popen(commands(self.host, self.port)[FIRST], start_new_session=True,
                                                env=environment())
        self.started_at = time.monotonic()
        threading.Thread(target=self._await_first_answer, daemon=True).start()

    def _await_first_answer(self) -> None:
        """Until daphne answers a page (any status), in a thread of its own; after FIRST_WAIT the
        others start anyway.

        A page, not just the open port: the first request loads the URL configuration and its
        views, seconds of work that the others starting beside it would slow down."""
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy
        deadline = self.started_at + FIRST_WAIT
        while self.stopping_since is None:
            if time.monotonic() >= deadline:
                self.first_answered.set()
            try:
                opener.open(self.url(), timeout=max(deadline - time.monotonic(), 1.0)).close()
            except urllib.error.HTTPError:
                pass  # it answered
            except OSError:
                time.sleep(POLL)
                continue
            self.ready.set()
            self.first_answered.set()
            return

    def tell_ready(self) -> None:
        """Once, when daphne first answers: where to go, and in the demo who to be."""
        self.told_ready = True
        waited = time.monotonic() - self.started_at
        say(f"\n监督一张网 is ready: open {self.url()}  (answered after {waited:.1f} s)")
        if self.demo_records:
            say(DEMO_SIGN_IN)
        quiet = log_level() not in TALKATIVE_LEVELS
        say("  Ctrl-C stops it." + (" From here on only warnings and errors are shown.\n" if quiet else "\n"))

    def start_the_others(self) -> None:
        self.all_started = True
        for name, argv in commands(self.host, self.port).items():
            if name != FIRST:
                self.children[name] = subprocess.Popen(argv, start_new_session=True, env=environment())
        for name, argv in jobs(self.demo_records).items():
            self.children[name] = subprocess.Popen(argv, start_new_session=True, preexec_fn=_lower_priority,
                                                   env=environment())
            self.jobs.add(name)

    def _job_ended(self, name: str) -> None:
        """A job that ended is watched no more; one that failed says so, and the portal goes on."""
        job = self.children.pop(name)
        self.jobs.discard(name)
        if job.returncode:
            print(f"{name} stopped (exit {job.returncode}); the portal goes on, the next start tries again",
                  file=sys.stderr)

    def _signal_groups(self, sig: int) -> None:
        for child in self.children.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, sig)

    def on_signal(self, signum, frame) -> None:
        self.signals += 1
        if self.signals == 1:
            self.stop_gently()
        else:  # a second Ctrl-C: no more waiting
            self._signal_groups(signal.SIGKILL)

    def stop_gently(self) -> None:
        # SIGTERM to each program itself, not its group: the Celery worker stops its own pool.
        if self.stopping_since is None:
            self.stopping_since = time.monotonic()
            for child in self.children.values():
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

    def _group_alive(self, child: subprocess.Popen) -> bool:
        child.poll()
        try:
            os.killpg(child.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def run(self) -> int:
        signal.signal(signal.SIGINT, self.on_signal)
        signal.signal(signal.SIGTERM, self.on_signal)
        self.start()
        code = 0
        while True:
            if not self.told_ready and self.stopping_since is None and self.ready.is_set():
                self.tell_ready()
            if not self.all_started and self.stopping_since is None and self.first_answered.is_set():
                self.start_the_others()
            if self.stopping_since is None:
                for name in [name for name in self.jobs if self.children[name].poll() is not None]:
                    self._job_ended(name)
            ended = [name for name, child in self.children.items() if child.poll() is not None]
            if ended and self.stopping_since is None:
                code = self.children[ended[0]].returncode or 1
                print(f"{ended[0]} stopped (exit {self.children[ended[0]].returncode}): stopping the others",
                      file=sys.stderr)
                self.stop_gently()
            if self.stopping_since is not None:
                if not self.told_stopping:  # said here, not in the signal handler: print is not reentrant
                    self.told_stopping = True
                    say("Stopping… (Ctrl-C again stops at once)")
                if not any(self._group_alive(child) for child in self.children.values()):
                    say(f"Stopped after {time.monotonic() - self.stopping_since:.1f} s.")
                    return code
                waited = time.monotonic() - self.stopping_since
                if waited > COLD and not self.cold:
                    self.cold = True
                    for child in self.children.values():
                        if child.poll() is None:
                            child.send_signal(signal.SIGQUIT)
                if waited > GRACE:
                    late = [name for name, child in self.children.items() if self._group_alive(child)]
                    print(f"still running after {GRACE:.0f} s, killed: {', '.join(late)}", file=sys.stderr)
                    self._signal_groups(signal.SIGKILL)
            time.sleep(POLL)


def say(line: str) -> None:
    print(line, flush=True)  # at once, though stdout is a pipe or a file


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--demo-records", action="store_true",
                        help="load the demo's linked-system records beside the portal (load_demo_records)")
    arguments = parser.parse_args()
    if log_level() not in LEVELS:  # said here, not by three programs failing at once
        parser.error(f"LOG_LEVEL={os.environ['LOG_LEVEL']!r}: use one of {', '.join(LEVELS)}")
    return Supervisor(arguments.host, arguments.port, demo_records=arguments.demo_records).run()


if __name__ == "__main__":
    sys.exit(main())
