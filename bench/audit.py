"""Time ``manage.py audit_verify`` over the whole record and report its peak memory.

    DATABASE_URL=postgres://…/portal_bench PORTAL_DEMO=1 python -m bench.audit

Runs the management command itself (``call_command``), in this process, after Django has
started; the peak resident set size is read from the kernel (``ru_maxrss``) before and after.
"""

from __future__ import annotations

import argparse
import io
import resource
import time

from bench.common import django_setup


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--batch", type=int, default=5000, help="audit_verify --batch")
    args = parser.parse_args(argv)
    django_setup()
    from django.core.management import call_command

    from issues.models import IssueEvent

    events = IssueEvent.objects.count()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = io.StringIO()
    started = time.perf_counter()
    call_command("audit_verify", batch=args.batch, stdout=out)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(out.getvalue().strip())
    print(f"{events:,} events in {elapsed:.1f} s: {events / elapsed:,.0f} events/s")
    print(f"peak RSS {peak / 1024:.0f} MiB (after Django started: {before / 1024:.0f} MiB)")


if __name__ == "__main__":
    main()
