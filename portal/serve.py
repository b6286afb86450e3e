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
# SIGKILL to whatever is left, so that all is gone within 10 s.
COLD = 2.5
GRACE = 5.0
POLL = 0.1


# Added to the jobs' scheduling priority (nice): the portal's own processes come first.
JOB_NICENESS = 10
# The others start once daphne has answered its first page, or after this many seconds: on two
# cores, starting all of them at once kept the portal from answering for seconds longer.
FIRST = "daphne"
FIRST_WAIT = 30.0


def commands(host: str, port: int) -> dict[str, list[str]]:
    """The services: each runs until stopped, and one ending stops the others."""
    bin_dir = Path(sys.executable).parent
    return {
        "celery worker": [str(bin_dir / "celery"), "-A", "portal", "worker", "--loglevel=warning",
                          "--concurrency=2"],
        "celery beat": [str(bin_dir / "celery"), "-A", "portal", "beat", "--loglevel=warning"],
        "daphne": [str(bin_dir / "daphne"), "-b", host, "-p", str(port), "portal.asgi:application"],
    }


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
        self.first_answered = threading.Event()
        self.stopping_since: float | None = None
        self.cold = False
        self.signals = 0

    def start(self) -> None:
        self.children[FIRST] = subprocess.Popen(commands(self.host, self.port)[FIRST], start_new_session=True)
        self.started_at = time.monotonic()
        threading.Thread(target=self._await_first_answer, daemon=True).start()

    def _await_first_answer(self) -> None:
        """Until daphne answers a page (any status) or FIRST_WAIT passes; in a thread of its own.

        A page, not just the open port: the first request loads the URL configuration and its
        views, seconds of work that the others starting beside it would slow down."""
        # A wildcard address (every interface) is reached on the loopback one.
        host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(self.host, self.host)  # noqa: S104
        url = f"http://[{host}]:{self.port}/" if ":" in host else f"http://{host}:{self.port}/"
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy
        deadline = self.started_at + FIRST_WAIT
        while time.monotonic() < deadline and self.stopping_since is None:
            try:
                opener.open(url, timeout=max(deadline - time.monotonic(), 0.1)).close()
                break
            except urllib.error.HTTPError:
                break  # it answered
            except OSError:
                time.sleep(POLL)
        self.first_answered.set()

    def start_the_others(self) -> None:
        self.all_started = True
        for name, argv in commands(self.host, self.port).items():
            if name != FIRST:
                self.children[name] = subprocess.Popen(argv, start_new_session=True)
        for name, argv in jobs(self.demo_records).items():
            self.children[name] = subprocess.Popen(argv, start_new_session=True, preexec_fn=_lower_priority)
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
                if not any(self._group_alive(child) for child in self.children.values()):
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--demo-records", action="store_true",
                        help="load the demo's linked-system records beside the portal (load_demo_records)")
    arguments = parser.parse_args()
    return Supervisor(arguments.host, arguments.port, demo_records=arguments.demo_records).run()


if __name__ == "__main__":
    sys.exit(main())
