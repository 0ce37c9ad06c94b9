"""`make bench`: build the demo township in a scratch database and time the foundation's hot paths.

Runs on SQLite by default (a fresh file in a temporary directory); set DATABASE_URL to run against
PostgreSQL (e.g. `scripts/with-postgres.sh .venv/bin/python -m bench`).
"""

import os
import platform
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "var" / "bench" / "results.json"


def main() -> int:
    scratch = tempfile.mkdtemp(prefix="fangxian-bench-")
    os.environ["FANGXIAN_VAR_DIR"] = scratch
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangxian.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench import cases
    from bench.harness import report

    people = int(os.environ.get("FANGXIAN_BENCH_PEOPLE", "25000"))
    print(f"database: {connection.vendor}; building the demo township with {people} residents …")
    settings.ALLOWED_HOSTS.append("testserver")  # the test client's host name
    call_command("migrate", verbosity=0)
    call_command("demo", people=people, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    results = cases.run_all()
    context = {
        "database": connection.vendor,
        "people": people,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }
    report(results, RESULTS, context=context)
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
