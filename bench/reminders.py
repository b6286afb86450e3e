"""The reminder sweep over the benchmark database (1M issues): bench/RESULTS.md, "Reminder sweep".

    export DATABASE_URL=postgres://…/portal_bench_copy PORTAL_DEMO=1
    python manage.py migrate
    python -m bench.reminders --day 2026-11-04 --days 1 --reps 10 --commit

It measures, on ``--day`` and the ``--days - 1`` working days after it:

1. the first sweep of each day: every step due and not yet fired (firings, automatic urges with
   their events on the record, notifications), as the beat task runs it; total wall time,
   firings per second, and the wall time of each 500-row batch (its SELECT included);
2. then, on the last day, the sweep that every later beat tick pays: nothing new due, the same
   SQL over the open assignments; the plan time of each step's query (EXPLAIN ANALYZE) and the
   median and p95 of ``--reps`` whole sweeps.

With ``--commit`` each batch commits as in the real task (its notifications and live events are
announced after the commit) and everything stays in the database: run it on a copy, on a day
not swept before (events are append-only, so a day cannot be swept twice for the same numbers).
Without it the whole run is one transaction rolled back at the end: the batch commits become
savepoints and the announcements after commit never run, so the first sweep looks faster than
it is. ``--days 0`` measures only the nothing-due sweep (on a day already swept).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import statistics
import time

from bench.common import django_setup


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def assignment_scan(node: dict) -> str:
    """How a plan reads the assignments: "Index Scan using …" or "Seq Scan"."""
    if node.get("Relation Name") == "issues_assignment":
        index = node.get("Index Name")
        return f"{node['Node Type']} using {index}" if index else node["Node Type"]
    for child in node.get("Plans", []):
        found = assignment_scan(child)
        if found:
            return found
    return ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=10, help="nothing-due sweeps to time")
    parser.add_argument("--day", type=dt.date.fromisoformat, default=None, help="today (default: today)")
    parser.add_argument("--days", type=int, default=1, help="working days to run the first sweep for")
    parser.add_argument("--commit", action="store_true", help="commit per batch (on a copy of the data)")
    args = parser.parse_args()
    django_setup()

    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone, translation

    from agencies.calendar import next_working_day
    from issues.deadlines import reminders
    from issues.deadlines.models import ReminderStep
    from issues.models import Assignment

    day = args.day or timezone.localdate()
    days = [day]
    for _ in range(args.days - 1):
        days.append(next_working_day(days[-1] + dt.timedelta(days=1)))
    days = days[: max(args.days, 1)]

    open_count = Assignment.objects.filter(state__in=reminders.urgeable_states()).count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'assignment_open_deadline'")
        indexed = cursor.fetchone() is not None
    print(f"open assignments (pending, signed, awaiting approval): {open_count:,}; "
          f"partial index on (deadline, id): {'yes' if indexed else 'no'}; "
          f"{'committing per batch' if args.commit else 'one transaction, rolled back'}")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    batches: list[tuple[str, int, float]] = []  # (step, rows, seconds) of each batch, SELECT included
    fire_batch = reminders._fire_batch
    mark = [0.0]

    def timed_fire_batch(step, rows, *rest):
        fire_batch(step, rows, *rest)
        end = time.perf_counter()
        batches.append((step.code, len(rows), end - mark[0]))
        mark[0] = end

    def at(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))

    outer = contextlib.nullcontext() if args.commit else transaction.atomic()
    with outer, translation.override(settings.LANGUAGE_CODE):
        reminders._fire_batch = timed_fire_batch
        try:
            for today in days if args.days else []:
                batches.clear()
                started = mark[0] = time.perf_counter()
                first = reminders.sweep(now=at(today))
                seconds = time.perf_counter() - started
                firings = first.fired + first.skipped
                print(f"first sweep of {today}: {seconds:.1f} s; {first.as_dict()}; "
                      f"{firings / seconds:,.0f} firings/s")
                for code in dict.fromkeys(code for code, _rows, _s in batches):
                    own = [(rows, s) for c, rows, s in batches if c == code]
                    rows, took = sum(r for r, _s in own), sum(s for _r, s in own)
                    per_batch = [s for _r, s in own]
                    print(f"  {code}: {rows:,} rows in {len(own)} batches, {took:.1f} s, "
                          f"{rows / took:,.0f} rows/s; per batch median "
                          f"{statistics.median(per_batch):.2f} s, "
                          f"p95 {percentile(per_batch, 0.95):.2f} s")
                if batches:
                    per_batch = [s for _c, _r, s in batches]
                    print(f"  all {len(batches)} batches: median {statistics.median(per_batch):.2f} s, "
                          f"p95 {percentile(per_batch, 0.95):.2f} s, max {max(per_batch):.2f} s")
        finally:
            reminders._fire_batch = fire_batch

        today = days[-1]
        for step in ReminderStep.objects.filter(is_active=True):
            until = reminders.threshold(today, step.offset_working_days)
            with connection.cursor() as cursor:
                sql, params = reminders.due_assignments(step, until).query.sql_with_params()
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql} LIMIT 500", params)  # noqa: S608
                plan = cursor.fetchone()[0][0]
            print(f"  {step.code}: due until {until}, {assignment_scan(plan['Plan'])}, "
                  f"query {plan['Execution Time']:.1f} ms")
        steady = []
        for _ in range(args.reps):
            started = time.perf_counter()
            result = reminders.sweep(now=at(today))
            steady.append((time.perf_counter() - started) * 1000)
            assert result.fired == result.skipped == 0, result
        if steady:
            print(f"nothing-due sweep on {today}, {args.reps} runs: "
                  f"median {statistics.median(steady):.0f} ms, "
                  f"p95 {percentile(steady, 0.95):.0f} ms")
        print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if not args.commit:
            transaction.set_rollback(True)


if __name__ == "__main__":
    main()
