"""The typed readers of settings refuse what they cannot use, with a message naming the variable."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings.parsers import env_bool, env_int, env_list, env_raw, env_str, env_time_range, env_url

DB_SCHEMES = ("postgres", "postgresql", "sqlite")


def refuses(match: str):
    return pytest.raises(ImproperlyConfigured, match=match)


# --- env_bool --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "yes", "on", " On "])
def test_env_bool_reads_true(value):
    assert env_bool("DEBUG", environ={"DEBUG": value}) is True


@pytest.mark.parametrize("value", ["0", "false", "no", "off", ""])
def test_env_bool_reads_false(value):
    assert env_bool("DEBUG", True, environ={"DEBUG": value}) is False


def test_env_bool_defaults_when_unset():
    assert env_bool("DEBUG", True, environ={}) is True
    assert env_bool("DEBUG", environ={}) is False


@pytest.mark.parametrize("value", ["maybe", "2", "ja", "truee"])
def test_env_bool_refuses_anything_else(value):
    with refuses(rf"^DEBUG='{value}' is not a boolean; use one of 1/0, true/false"):
        env_bool("DEBUG", environ={"DEBUG": value})


# --- env_int ---------------------------------------------------------------------------------


def test_env_int_reads_numbers():
    assert env_int("LOGIN_FAILURE_LIMIT", 5, environ={"LOGIN_FAILURE_LIMIT": " 7 "}) == 7
    assert env_int("LOGIN_FAILURE_LIMIT", 5, environ={}) == 5
    assert env_int("LOGIN_FAILURE_LIMIT", 5, environ={"LOGIN_FAILURE_LIMIT": ""}) == 5


@pytest.mark.parametrize("value", ["five", "1.5", "0x10", "1e3"])
def test_env_int_refuses_non_integers(value):
    with refuses(rf"^LOGIN_FAILURE_LIMIT='{value}' is not a whole number\.$"):
        env_int("LOGIN_FAILURE_LIMIT", 5, environ={"LOGIN_FAILURE_LIMIT": value})


def test_env_int_refuses_values_below_the_minimum():
    with refuses(r"^LOGIN_FAILURE_LIMIT=0 is below the minimum of 1\.$"):
        env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1, environ={"LOGIN_FAILURE_LIMIT": "0"})


# --- env_list --------------------------------------------------------------------------------


def test_env_list_splits_on_commas_and_trims():
    environ = {"ALLOWED_HOSTS": " portal.example , 127.0.0.1,,"}
    assert env_list("ALLOWED_HOSTS", [], environ=environ) == ["portal.example", "127.0.0.1"]


def test_env_list_defaults_to_a_copy():
    default = ["127.0.0.1"]
    value = env_list("ALLOWED_HOSTS", default, environ={})
    assert value == default and value is not default


@pytest.mark.parametrize("value", ["", " , ,"])
def test_env_list_refuses_an_empty_list(value):
    with refuses(r"^ALLOWED_HOSTS is set but lists nothing\.$"):
        env_list("ALLOWED_HOSTS", ["127.0.0.1"], environ={"ALLOWED_HOSTS": value})


# --- env_time_range --------------------------------------------------------------------------

HOURS = ("08:30", "17:30")


def test_env_time_range_reads_two_times():
    environ = {"NOTIFICATION_WORKING_HOURS": " 09:00 , 18:00 "}
    assert env_time_range("NOTIFICATION_WORKING_HOURS", HOURS, environ=environ) == ("09:00", "18:00")


@pytest.mark.parametrize("environ", [{}, {"NOTIFICATION_WORKING_HOURS": " "}])
def test_env_time_range_defaults_when_unset_or_blank(environ):
    assert env_time_range("NOTIFICATION_WORKING_HOURS", HOURS, environ=environ) == HOURS


@pytest.mark.parametrize(
    "value", ["08:30", "08:30-17:30", "08:30,12:00,17:30", "8:30,17:30", "08:30,25:00", "08:30+08:00,17:30"]
)
def test_env_time_range_refuses_what_is_not_two_times(value):
    expected = "is not two times of day; write start and end as HH:MM,HH:MM."
    with refuses("^" + re.escape(f"NOTIFICATION_WORKING_HOURS='{value}' {expected}") + "$"):
        env_time_range("NOTIFICATION_WORKING_HOURS", HOURS, environ={"NOTIFICATION_WORKING_HOURS": value})


@pytest.mark.parametrize("value", ["17:30,08:30", "08:30,08:30"])
def test_env_time_range_refuses_a_range_that_ends_before_it_starts(value):
    with refuses(rf"^NOTIFICATION_WORKING_HOURS='{value}' ends before it starts\.$"):
        env_time_range("NOTIFICATION_WORKING_HOURS", HOURS, environ={"NOTIFICATION_WORKING_HOURS": value})


# --- env_url ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "postgres://portal:secret@db.example:5432/portal",
        "postgresql://db.example/portal",
        "sqlite:////srv/portal/portal.sqlite3",
    ],
)
def test_env_url_accepts_allowed_schemes(value):
    assert env_url("DATABASE_URL", schemes=DB_SCHEMES, environ={"DATABASE_URL": value}) == value


def test_env_url_is_none_when_unset_or_blank():
    assert env_url("DATABASE_URL", schemes=DB_SCHEMES, environ={}) is None
    assert env_url("DATABASE_URL", schemes=DB_SCHEMES, environ={"DATABASE_URL": "  "}) is None


def test_env_url_refuses_other_schemes():
    with refuses(r"^DATABASE_URL='mysql://x' must start with one of: postgres://, postgresql://, sqlite://\.$"):
        env_url("DATABASE_URL", schemes=DB_SCHEMES, environ={"DATABASE_URL": "mysql://x"})


def test_env_url_refuses_a_url_without_host():
    with refuses(r"^REDIS_URL='redis:///0' names no host\.$"):
        env_url("REDIS_URL", schemes=("redis",), environ={"REDIS_URL": "redis:///0"})


def test_env_url_refuses_a_bad_port():
    with refuses(r"^ELASTICSEARCH_URL='http://es.example:92x0' has an invalid port\.$"):
        env_url("ELASTICSEARCH_URL", schemes=("http",), environ={"ELASTICSEARCH_URL": "http://es.example:92x0"})


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("mysql://portal:s3cret-pw@db.example/portal", "mysql://portal:***@db.example/portal"),
        ("postgres://portal:s3cret-pw@db.example:54x/portal", "postgres://portal:***@db.example:54x/portal"),
        ("postgres://portal:s3cret-pw@:5432/portal", "postgres://portal:***@:5432/portal"),
        ("http://:s3cret-pw@x", "http://:***@x"),
    ],
)
def test_env_url_never_prints_the_password(value, shown):
    with pytest.raises(ImproperlyConfigured) as excinfo:
        env_url("DATABASE_URL", schemes=("postgres",), environ={"DATABASE_URL": value})
    message = str(excinfo.value)
    assert "s3cret-pw" not in message
    assert shown in message


# --- env_str and the *_FILE variants ----------------------------------------------------------


def test_env_str_reads_the_value_or_the_default():
    assert env_str("LOG_LEVEL", "INFO", environ={"LOG_LEVEL": "DEBUG"}) == "DEBUG"
    assert env_str("LOG_LEVEL", "INFO", environ={}) == "INFO"
    assert env_str("LOG_LEVEL", environ={}) is None


def test_file_variant_reads_the_file(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("  a-secret-from-a-mounted-file  \n", encoding="utf-8")
    assert env_str("SECRET_KEY", environ={"SECRET_KEY_FILE": str(secret)}) == "a-secret-from-a-mounted-file"


@pytest.mark.parametrize(
    ("reader", "content", "expected"),
    [
        (lambda environ: env_bool("DEBUG", environ=environ), "yes", True),
        (lambda environ: env_int("DEBUG", 0, environ=environ), "42", 42),
        (lambda environ: env_list("DEBUG", [], environ=environ), "a,b", ["a", "b"]),
        (lambda environ: env_time_range("DEBUG", HOURS, environ=environ), "09:00,18:00", ("09:00", "18:00")),
        (lambda environ: env_url("DEBUG", schemes=("redis",), environ=environ), "redis://h:6379/0", "redis://h:6379/0"),
    ],
)
def test_every_reader_accepts_the_file_variant(tmp_path, reader, content, expected):
    path = tmp_path / "value"
    path.write_text(content + "\n", encoding="utf-8")
    assert reader({"DEBUG_FILE": str(path)}) == expected


def test_file_variant_values_are_checked_too(tmp_path):
    path = tmp_path / "debug"
    path.write_text("maybe", encoding="utf-8")
    with refuses(r"^DEBUG='maybe' is not a boolean"):
        env_bool("DEBUG", environ={"DEBUG_FILE": str(path)})


def test_value_and_file_variant_together_are_refused(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("x" * 40, encoding="utf-8")
    environ = {"SECRET_KEY": "y" * 40, "SECRET_KEY_FILE": str(path)}
    with refuses(r"^Set SECRET_KEY or SECRET_KEY_FILE, not both\.$"):
        env_raw("SECRET_KEY", environ)
    with refuses(r"^Set SECRET_KEY or SECRET_KEY_FILE, not both\.$"):
        env_str("SECRET_KEY", environ=environ)


def test_an_unreadable_file_is_refused(tmp_path):
    missing = tmp_path / "missing"
    with refuses(rf"^SECRET_KEY_FILE='{missing}' cannot be read: "):
        env_str("SECRET_KEY", environ={"SECRET_KEY_FILE": str(missing)})


def test_the_file_variant_never_prints_the_secret(tmp_path):
    path = tmp_path / "database_url"
    path.write_text("mysql://portal:s3cret-pw@db.example/portal", encoding="utf-8")
    with pytest.raises(ImproperlyConfigured) as excinfo:
        env_url("DATABASE_URL", schemes=DB_SCHEMES, environ={"DATABASE_URL_FILE": str(path)})
    assert "s3cret-pw" not in str(excinfo.value)


@pytest.mark.parametrize("value", ["http://[::1", "http://portal:s3cret-pw@[::1:9200/"])
def test_env_url_refuses_a_malformed_url(value):
    expected = r"^ELASTICSEARCH_URL='.*' is not a valid URL: "
    with pytest.raises(ImproperlyConfigured, match=expected) as excinfo:
        env_url("ELASTICSEARCH_URL", schemes=("http",), environ={"ELASTICSEARCH_URL": value})
    assert "s3cret-pw" not in str(excinfo.value)
