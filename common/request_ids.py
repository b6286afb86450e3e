"""Request ids: one id per HTTP request (or Celery task), on its response, its log lines and the
issue record (DESIGN §11, NetBox's ObjectChange.request_id).

The id travels in a context variable, so the code that writes the issue record (``issues.workflow``)
and the logging filter read it without every function passing it on. A request that arrives
with a well-formed ``X-Request-ID`` (set by the proxy in front, so that its access log and ours
share one id) keeps it; any other gets a new one. Outside a request or task the id is empty.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

HEADER = "X-Request-ID"
# The longest id the issue record stores (IssueEvent.request_id); a longer or stranger header is
# replaced rather than cut, so that a stored id always matches a logged one exactly.
MAX_LENGTH = 40
_WELL_FORMED = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._:-]{{0,{MAX_LENGTH - 1}}}")

_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def current() -> str:
    """The id of the request or task being served now; empty outside one."""
    return _current.get()


def new_id() -> str:
    return uuid.uuid4().hex


def accepted(value: str | None) -> str:
    """``value`` when it is a usable id, else a new one."""
    if value and _WELL_FORMED.fullmatch(value):
        return value
    return new_id()


@contextmanager
def bound(request_id: str) -> Iterator[str]:
    """Serve the code inside as request (or task) ``request_id``."""
    token = _current.set(request_id)
    try:
        yield request_id
    finally:
        _current.reset(token)


def serve_task(task_id: str | None) -> None:
    """A Celery task's id stands for the request id while it runs (its signals bracket the run;
    a worker process runs one task at a time)."""
    _current.set((task_id or "")[:MAX_LENGTH])


class RequestIdMiddleware:
    """First in the chain: every response, redirects and errors included, carries its id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with bound(accepted(request.headers.get(HEADER))) as request_id:
            request.id = request_id
            response = self.get_response(request)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Puts the current id on every log record (``%(request_id)s``; "-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current() or "-"
        return True
