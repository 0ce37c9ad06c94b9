"""Settings of the scan-ingest benchmark's server (bench/places_case.py): the product's settings
with bench.ingest_urls as the URLconf (the product's URLs plus the minimal baseline view), and
the database of the process that started the server, handed over as JSON in
FANGXIAN_BENCH_DATABASE (under pytest that is the test database, not the one DATABASE_URL names).

Database connections persist across requests (FANGXIAN_BENCH_CONN_MAX_AGE, default 60 s) for both
endpoints alike, so connection set-up is not part of what is measured and the ceiling is as high
as it gets.
"""

import json
import os

from fangxian.settings import *  # noqa: F403

ROOT_URLCONF = "bench.ingest_urls"
if os.environ.get("FANGXIAN_BENCH_DATABASE"):
    DATABASES = {"default": json.loads(os.environ["FANGXIAN_BENCH_DATABASE"])}
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("FANGXIAN_BENCH_CONN_MAX_AGE", "60"))
