"""Time the ledgers (台账) of the city commission on a generated database (see ``bench.generate``).

    DATABASE_URL=postgres://…/portal_bench PORTAL_DEMO=1 python -m bench.ledger --reps 20

For a staff member of the city commission (a party to every issue): the issues ledger by each
dimension, the urges and overdue ledgers by agency, and the timeliness scores, each timed from
Python (ORM, queries and rows) after warm-up runs, as medians and 95th percentiles.
"""

from __future__ import annotations

import argparse

from bench.board import explain, timed
from bench.common import django_setup


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--explain", action="store_true", help="print each query's plan (EXPLAIN ANALYZE)")
    args = parser.parse_args(argv)
    django_setup()
    from agencies.models import Agency, AgencyKind, Membership, Role
    from issues.reading.ledgers import LedgerFilters, ledger
    from issues.reading.scores import scores

    commission = Agency.objects.filter(
        kind=AgencyKind.SUPERVISORY, supervision_class="party", region__parent__isnull=True
    ).first()
    user = Membership.objects.filter(agency=commission, role=Role.STAFF).order_by("pk").first().user
    filters = LedgerFilters()
    cases = [
        (f"issues by {dimension}", lambda d=dimension: ledger(user, commission, filters, "issues", d))
        for dimension in ("agency", "district", "class", "month")
    ]
    cases += [
        ("urges by agency", lambda: ledger(user, commission, filters, "urges", "agency")),
        ("overdue by agency", lambda: ledger(user, commission, filters, "overdue", "agency")),
        ("scores", lambda: scores(user, commission, filters)),
    ]
    print(f"== {commission.name}, user {user.username}", flush=True)
    rows = []
    for name, function in cases:
        median, p95, result = timed(function, args.reps, args.warmup)
        size = len(result) if isinstance(result, list) else f"{len(result.rows)} rows, {result.totals}"
        print(f"  {name:<22} median {median:8.1f} ms   p95 {p95:8.1f} ms   {size}", flush=True)
        rows.append((name, median, p95))
        if args.explain:
            explain(function)
    print()
    print("| measurement | median ms | p95 ms |")
    print("| --- | ---: | ---: |")
    for name, median, p95 in rows:
        print(f"| {name} | {median:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
