"""Typed readers for settings that come from the environment.

Each reader fails loudly with ``ImproperlyConfigured`` on a value it cannot use, so a typo in
a deployment stops the process at start-up instead of silently falling back to a default.
Every reader also accepts ``NAME_FILE``: the path of a file holding the value, for secrets
mounted by the orchestrator.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_raw(name: str, environ=None) -> str | None:
    """The value of ``name``, or of the file named by ``NAME_FILE``; ``None`` when unset."""
    environ = os.environ if environ is None else environ
    file_name = environ.get(f"{name}_FILE")
    if file_name:
        if name in environ:
            raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both.")
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {exc}") from exc
    return environ.get(name)


def env_str(name: str, default: str | None = None, *, environ=None) -> str | None:
    value = env_raw(name, environ)
    return default if value is None else value


def env_bool(name: str, default: bool = False, *, environ=None) -> bool:
    value = env_raw(name, environ)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name: str, default: int, *, minimum: int | None = None, environ=None) -> int:
    value = env_raw(name, environ)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum of {minimum}.")
    return number


def env_list(name: str, default: list[str], *, environ=None) -> list[str]:
    value = env_raw(name, environ)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name} is set but lists nothing.")
    return items


def env_time_range(
    name: str, default: tuple[str, str], *, environ=None
) -> tuple[str, str]:
    """Two times of day, ``HH:MM,HH:MM``, the first before the second (e.g. working hours)."""
    value = env_raw(name, environ)
    if value is None or value.strip() == "":
        return default
    items = [item.strip() for item in value.split(",")]
    try:
        start, end = (dt.time.fromisoformat(item) for item in items)
        if start.tzinfo or end.tzinfo:  # local time (TIME_ZONE), never an offset
            raise ValueError
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not two times of day; write start and end as HH:MM,HH:MM."
        ) from None
    if start >= end:
        raise ImproperlyConfigured(f"{name}={value!r} ends before it starts.")
    return items[0], items[1]


def env_url(name: str, *, schemes: tuple[str, ...], environ=None) -> str | None:
    """A URL whose scheme is one of ``schemes`` and which names a host (or, for sqlite, a path)."""
    value = env_raw(name, environ)
    if value is None or value.strip() == "":
        return None
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError as exc:  # e.g. an unclosed IPv6 bracket
        raise ImproperlyConfigured(f"{name}={_redact(value)!r} is not a valid URL: {exc}.") from None
    if parts.scheme not in schemes:
        allowed = ", ".join(f"{scheme}://" for scheme in schemes)
        raise ImproperlyConfigured(f"{name}={_redact(value)!r} must start with one of: {allowed}.")
    if parts.scheme.startswith("sqlite"):
        return value
    if not parts.hostname:
        raise ImproperlyConfigured(f"{name}={_redact(value)!r} names no host.")
    try:
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        raise ImproperlyConfigured(f"{name}={_redact(value)!r} has an invalid port.") from None
    return value


def _redact(url: str) -> str:
    """The URL with any password replaced, so error messages never print secrets.

    Done by hand rather than with ``urlsplit``, which refuses some of the malformed URLs whose
    error messages need redacting.
    """
    scheme, separator, rest = url.partition("://")
    if not separator:
        return url
    netloc_end = min((i for i in (rest.find(c) for c in "/?#") if i != -1), default=len(rest))
    userinfo, at, host = rest[:netloc_end].rpartition("@")
    if not at or ":" not in userinfo:
        return url
    user = userinfo.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}{rest[netloc_end:]}"
