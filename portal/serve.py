"""``python -m portal.serve``: daphne, a Celery worker and Celery beat, started and stopped as one.

`make run` and `make serve` use it. Ctrl-C (SIGINT) or SIGTERM stops all three, and so does any
one of them ending. Each runs in a process group of its own, so a terminal's Ctrl-C reaches this
supervisor only and the stopping follows one order: SIGTERM to every group (daphne closes its
sockets, Celery shuts down warmly), SIGQUIT after ``COLD`` seconds (Celery's cold shutdown; the
worker's warm one can take longer on the embedded broker), then, for what still runs after
``GRACE`` seconds or at a second Ctrl-C, SIGKILL to the whole group, pool processes included. Tasks are
acknowledged late, so one cut short runs again at the next start.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

# Seconds after Ctrl-C: SIGQUIT (Celery's cold shutdown: it stops waiting for its pool), then
# SIGKILL to whatever is left, so that all is gone within 10 s.
COLD = 2.5
GRACE = 5.0
POLL = 0.1


def commands(host: str, port: int) -> dict[str, list[str]]:
    bin_dir = Path(sys.executable).parent
    return {
        "celery worker": [str(bin_dir / "celery"), "-A", "portal", "worker", "--loglevel=warning",
                          "--concurrency=2"],
        "celery beat": [str(bin_dir / "celery"), "-A", "portal", "beat", "--loglevel=warning"],
        "daphne": [str(bin_dir / "daphne"), "-b", host, "-p", str(port), "portal.asgi:application"],
    }


class Supervisor:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.children: dict[str, subprocess.Popen] = {}
        self.stopping_since: float | None = None
        self.cold = False
        self.signals = 0

    def start(self) -> None:
        for name, argv in commands(self.host, self.port).items():
            self.children[name] = subprocess.Popen(argv, start_new_session=True)

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
    arguments = parser.parse_args()
    return Supervisor(arguments.host, arguments.port).run()


if __name__ == "__main__":
    sys.exit(main())
