"""Time the board's real code paths on a generated database (see ``bench.generate``).

    DATABASE_URL=postgres://…/portal_bench PORTAL_DEMO=1 python -m bench.board --reps 200

For a staff member of the busiest department (acting for it) and of the city commission:
``issues.reading.board.tab_counts`` and the first page of each tab (``issues.reading.board.board_page``), plus
the second page and the deadline sort of the main tab. Each call is timed from Python (ORM,
query and rows), after warm-up runs, as medians and 95th percentiles. ``--explain`` prints the
plan of every query a call makes.
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench.common import django_setup


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def timed(function, reps: int, warmup: int) -> tuple[float, float, object]:
    result = None
    for _ in range(warmup):
        result = function()
    samples = []
    for _ in range(reps):
        started = time.perf_counter()
        result = function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), percentile(samples, 0.95), result


def personas():
    from django.db.models import Count

    from agencies.models import Agency, AgencyKind, Membership, Role
    from issues.models import Participant

    busiest = (
        Participant.objects.filter(agency__kind=AgencyKind.DEPARTMENT)
        .values("agency")
        .annotate(n=Count("issue", distinct=True))
        .order_by("-n")
        .first()
    )
    department = Agency.objects.get(pk=busiest["agency"])
    commission = Agency.objects.filter(
        kind=AgencyKind.SUPERVISORY, supervision_class="party", region__parent__isnull=True
    ).first()
    cast = []
    for agency, slug in ((department, "to-sign"), (commission, "supervised")):
        user = Membership.objects.filter(agency=agency, role=Role.STAFF).order_by("pk").first().user
        parties = Participant.objects.filter(agency=agency).values("issue").distinct().count()
        cast.append((agency, user, slug, parties))
    return cast


def explain(function) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            print("\n".join(row[0] for row in cursor.fetchall()))
            print()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--explain", action="store_true", help="print each query's plan (EXPLAIN ANALYZE)")
    parser.add_argument("--only", default="", help="run only measurements whose name contains this")
    args = parser.parse_args(argv)
    django_setup()
    from issues.reading.board import TABS, board_page, tab_counts

    rows = []
    for agency, user, main_tab, parties in personas():
        who = f"{agency.name} ({parties:,} issues as a party)"
        print(f"== {who}, user {user.username}", flush=True)
        cases = [
            ("tab_counts", lambda agency=agency, user=user: tab_counts(user, agency)),
            (
                "tab_counts exact (cap=None)",
                lambda agency=agency, user=user: tab_counts(user, agency, cap=None),
            ),
        ]
        for tab in TABS:
            cases.append(
                (
                    f"board_page {tab.slug}",
                    lambda agency=agency, user=user, slug=tab.slug: board_page(user, agency, slug),
                )
            )
        first = board_page(user, agency, main_tab)
        cases.append(
            (
                f"board_page {main_tab} page 2",
                lambda agency=agency, user=user, slug=main_tab, cursor=first.next_cursor or "": board_page(
                    user, agency, slug, cursor=cursor
                ),
            )
        )
        cases.append(
            (
                f"board_page {main_tab} by deadline",
                lambda agency=agency, user=user, slug=main_tab: board_page(user, agency, slug, sort="due"),
            )
        )
        for name, function in cases:
            if args.only and args.only not in name:
                continue
            # Exact counts of the commission take seconds: a few runs say enough.
            reps = min(args.reps, 5) if "exact" in name else args.reps
            median, p95, result = timed(
                function, reps, min(args.warmup, 1) if "exact" in name else args.warmup
            )
            shown = result if name.startswith("tab_counts") else f"{len(result.issues)} rows"
            print(f"  {name:<34} median {median:8.1f} ms   p95 {p95:8.1f} ms   {shown}", flush=True)
            rows.append((who, name, median, p95))
            if args.explain:
                explain(function)
    print()
    print("| who | measurement | median ms | p95 ms |")
    print("| --- | --- | ---: | ---: |")
    for who, name, median, p95 in rows:
        print(f"| {who} | {name} | {median:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
