"""One reminder sweep over the benchmark database (1M issues): bench/RESULTS.md, "Reminder sweep".

    export DATABASE_URL=postgres://…/portal_bench PORTAL_DEMO=1
    python manage.py migrate
    python -m bench.reminders --reps 10 [--day 2026-11-23]

Everything runs inside one transaction that is rolled back at the end, so the shared benchmark
database keeps no firings, urges, events or notifications (the per-batch commits of a real
sweep become savepoints: their fsyncs are not in the numbers). It measures:

1. the first sweep of the day: every step due and not yet fired (firings, urges on the record,
   notifications), wall time and rows per second;
2. the steady sweep that every beat tick pays once that is done: nothing due, the same SQL
   over all open assignments, median and p95 of ``--reps`` runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

from bench.common import django_setup


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--day", type=dt.date.fromisoformat, default=None, help="today (default: today)")
    args = parser.parse_args()
    django_setup()

    from django.db import connection, transaction
    from django.utils import timezone

    from issues.models import Assignment
    from notifications import reminders
    from notifications.models import Notification, ReminderFiring, ReminderStep

    now = timezone.now()
    if args.day:
        now = timezone.make_aware(dt.datetime.combine(args.day, dt.time(10, 0)))
    today = timezone.localdate(now)
    open_count = Assignment.objects.filter(state__in=reminders.urgeable_states()).count()
    print(f"today {today}; open assignments (pending, signed, awaiting approval): {open_count:,}")
    for step in ReminderStep.objects.filter(is_active=True):
        until = reminders.threshold(today, step.offset_working_days)
        with connection.cursor() as cursor:
            sql, params = reminders.due_assignments(step, until).query.sql_with_params()
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)  # noqa: S608
            plan = cursor.fetchone()[0][0]
        print(f"  {step.code}: due until {until}, select (all pages) {plan['Execution Time']:.1f} ms")

    with transaction.atomic():
        started = time.perf_counter()
        first = reminders.sweep(now=now)
        seconds = time.perf_counter() - started
        print(
            f"first sweep: {seconds:.1f} s; {first.as_dict()}; "
            f"{(first.fired + first.skipped) / seconds:,.0f} firings/s; "
            f"rows: {ReminderFiring.objects.count():,} firings, "
            f"{Notification.objects.count():,} notifications"
        )
        steady = []
        for _ in range(args.reps):
            started = time.perf_counter()
            result = reminders.sweep(now=now)
            steady.append((time.perf_counter() - started) * 1000)
            assert result.fired == result.skipped == 0, result
        steady.sort()
        p95 = steady[min(len(steady) - 1, round(0.95 * (len(steady) - 1)))]
        print(f"steady sweep (nothing due), {args.reps} runs: median {statistics.median(steady):.0f} ms, "
              f"p95 {p95:.0f} ms")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
