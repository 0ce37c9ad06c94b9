"""Place codes (issue 5): scan ingest through the real endpoint on a real server, and the
exposure search (流调) against hand-written SQL, each in the same run as its baseline.

(a) `bench_scan_ingest`: gunicorn (gthread workers) serves bench.ingest_urls, the product's URLs
plus a minimal view that inserts one Scan row from the same JSON through the same middleware and
the same session authentication (bench/ingest_urls.py). Concurrent clients, each logged in once
with its own session and keep-alive connection, post scans with unique client ids to the minimal
view and the product's POST /places/api/scans/ in alternating phases (minimal, product, minimal,
product, minimal); the product's best rate is reported against the minimal view's best (a floor:
at least 60 %), and p99 latency as its own entry. Then 1,000 client ids already sent are replayed: 0 new rows (asserted).

(b) `bench_exposure`: `fangxian.tracing.exposure.first_ring` for 20 subjects against one
hand-written SQL statement per subject (bench/exposure_sql.py), same answers (checked), first
with a tenth of the data, then with all of it (bench/exposure_data.py: FANGXIAN_BENCH_SCANS,
10,000,000 on PostgreSQL and 200,000 on SQLite by default); the growth between the two is its own
entry, and on PostgreSQL the plans' lines that read the scans are printed.

Sizes: FANGXIAN_BENCH_INGEST_CLIENTS (8), _INGEST_REQUESTS (per client and phase, 250),
_INGEST_WORKERS (gunicorn workers, 4), _INGEST_THREADS (per worker, 2).
"""

import os
import re
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench import exposure_sql
from bench.exposure_data import ExposureSizes, build_districts, new_layout, period, pick_subjects
from bench.harness import Result
from bench.ingest_server import Server, gunicorn_server, login_clients, run_load
from fangxian.accounts.models import RoleAssignment, User
from fangxian.accounts.roles import Role
from fangxian.people.models import Person
from fangxian.places.models import Place, Scan
from fangxian.places.services import new_token
from fangxian.regions.models import Region

PRODUCT_PATH = "/places/api/scans/"
MINIMAL_PATH = "/bench/minimal-scan/"
INGEST_USER = "bench_ingest"
INGEST_PASSWORD = "Bench-ingest-2020"  # a scratch database's throwaway account
REPLAY = 1000
P99_TARGET = round(1 / 0.60, 2)  # the latency side of "at least 60 % of the ceiling"


@dataclass(frozen=True)
class IngestSizes:
    clients: int = 8
    requests: int = 250  # per client and phase
    workers: int = 4
    threads: int = 2
    replay: int = REPLAY

    @classmethod
    def from_env(cls) -> "IngestSizes":
        def size(name: str, default: int) -> int:
            return int(os.environ.get(f"FANGXIAN_BENCH_INGEST_{name.upper()}", default))

        return cls(**{name: size(name, value) for name, value in cls().__dict__.items()})


def _ingest_fixtures(region: Region, places: int = 20) -> tuple[list[int], list[str]]:
    """An HQ account over `region` that logs in with a password (manage_places), `places`
    places in its villages, and the phones the scans carry: ledger people's where the region has
    any (the endpoint links nothing by phone, but a real phone is what a device sends), then
    made-up ones."""
    user, _ = User.objects.get_or_create(username=INGEST_USER, defaults={"full_name": "压测"})
    # Django's default hasher, whatever this process uses (tests use a fast one the server lacks).
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(INGEST_PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(user=user, role=Role.HQ, region=region)
    villages = list(
        Region.objects.filter(path__startswith=region.path, level=Region.Level.VILLAGE)
    ) or [region]
    now = timezone.now()
    made = Place.objects.bulk_create(
        Place(
            region=villages[n % len(villages)],
            name=f"压测场所{n}",
            kind=Place.Kind.SUPERMARKET,
            token=new_token(),
            token_issued_at=now,
        )
        for n in range(places)
    )
    phones = list(
        Person.objects.filter(region__path__startswith=region.path)
        .exclude(phone="")
        .order_by("id")
        .values_list("phone", flat=True)[:2000]
    )
    phones += [f"139{n:08d}" for n in range(max(0, 2000 - len(phones)))]
    return [place.pk for place in made], phones


def _bodies(clients: int, requests: int, places: list[int], phones: list[str], salt: int):
    """Per client, `requests` scans with fresh client ids; every other one leaves the direction
    to the server (entry, or exit after an entry), as the scan page does."""
    return [
        [
            {
                "place": places[(c * 7 + n) % len(places)],
                "client_id": str(uuid.uuid4()),
                "phone": phones[(salt * 997 + c * requests + n) % len(phones)],
                **({"direction": "in"} if n % 2 == 0 else {}),
            }
            for n in range(requests)
        ]
        for c in range(clients)
    ]


def bench_scan_ingest(
    sizes: IngestSizes | None = None, *, region: Region | None = None, server: Server | None = None
) -> list[Result]:
    """The two ingest entries; `server` (pytest's live_server) replaces gunicorn in tests."""
    sizes = sizes or IngestSizes.from_env()
    region = region or Region.objects.get(path="530113105")
    places, phones = _ingest_fixtures(region)
    if server is None:
        with gunicorn_server(workers=sizes.workers, threads=sizes.threads) as started:
            return _drive(sizes, started, places, phones, label="gunicorn")
    return _drive(sizes, server, places, phones, label="test server")


def _drive(
    sizes: IngestSizes, server: Server, places: list[int], phones: list[str], *, label: str
) -> list[Result]:
    clients = login_clients(server, sizes.clients, INGEST_USER, INGEST_PASSWORD)
    try:
        batch = iter(range(100))

        def phase(path: str, requests: int = sizes.requests):
            return run_load(
                clients, path, _bodies(sizes.clients, requests, places, phones, next(batch))
            )

        warm = max(5, sizes.requests // 10)
        phase(MINIMAL_PATH, warm)
        phase(PRODUCT_PATH, warm)
        # Alternating phases (minimal, product, minimal, product, minimal), so that the load
        # other work puts on the machine hits both; each side's best run is compared.
        minimal, product, sent = [], [], []
        for path in (MINIMAL_PATH, PRODUCT_PATH) * 2 + (MINIMAL_PATH,):
            bodies = _bodies(sizes.clients, sizes.requests, places, phones, next(batch))
            before = Scan.objects.count()
            stats = run_load(clients, path, bodies)
            written = Scan.objects.count() - before
            if written != stats.requests or set(stats.statuses) != {201}:
                raise AssertionError(f"{path} wrote {written} rows: {stats.statuses}")
            (product if path == PRODUCT_PATH else minimal).append(stats)
            if path == PRODUCT_PATH:
                sent.append(bodies)

        # Replay: the first client ids each client sent, spread over the clients.
        per_client = -(-sizes.replay // sizes.clients)
        replayed = [bodies[:per_client] for bodies in sent[0]]
        count = Scan.objects.count()
        replay = run_load(clients, PRODUCT_PATH, replayed, expect=lambda status: status == 200)
        if Scan.objects.count() != count:
            raise AssertionError(f"a replay wrote {Scan.objects.count() - count} rows")
    finally:
        for client in clients:
            client.close()

    best, best_product = (max(runs, key=lambda stats: stats.rate) for runs in (minimal, product))
    rates = [stats.rate for stats in minimal]
    p99_product, p99_minimal = (min(stats.p99 for stats in runs) for runs in (product, minimal))
    noise = (max(rates) - min(rates)) / statistics.median(rates)
    setting = (
        f"{label}, {sizes.workers} gthread workers × {sizes.threads} threads, "
        f"{sizes.clients} keep-alive clients × {sizes.requests} scans per phase"
    )
    return [
        Result(
            name="scan_ingest_http",
            description=(
                f"POST {PRODUCT_PATH} (session + CSRF, scope, validation, direction rule, "
                f"idempotent insert) vs a minimal view inserting one Scan row from the same JSON "
                f"through the same middleware and session ({setting}); value and baseline in "
                f"requests/s, the best of each side's alternating runs (minimal "
                f"{', '.join(f'{rate:.0f}' for rate in rates)}; product "
                f"{', '.join(f'{stats.rate:.0f}' for stats in product)}; noise = the spread of "
                f"the minimal runs); "
                f"ratio = product rate / minimal rate, at least the target; replay of "
                f"{replay.requests} sent client ids: 0 rows written ({replay.rate:.0f} req/s, "
                f"p50 {replay.p50:.1f} ms)"
            ),
            value=round(best_product.rate, 1),
            baseline=round(best.rate, 1),
            ratio=round(best_product.rate / best.rate, 2),
            target=0.60,
            unit="req/s",
            spread=round(noise, 2),
            higher_is_better=True,
        ),
        Result(
            name="scan_ingest_p99",
            description=(
                f"p99 latency of the same runs, the lowest of each side's: the endpoint vs the "
                f"minimal view; p50 {best_product.p50:.1f} ms vs {best.p50:.1f} ms (their best "
                f"runs); target: 1/0.60 of the ceiling"
            ),
            value=round(p99_product, 2),
            baseline=round(p99_minimal, 2),
            ratio=round(p99_product / p99_minimal, 2),
            target=P99_TARGET,
            unit="ms",
            spread=round(noise, 2),
        ),
    ]


# --- (b) the exposure search --------------------------------------------------------------------

WINDOW = timedelta(hours=2)  # the default: ±2 hours around each visit


def _scan_nodes(sql: str, parameters) -> list[str]:
    """The plan's lines that read the scans table (PostgreSQL EXPLAIN), trimmed."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", parameters)
        plan = [row[0] for row in cursor.fetchall()]
    table = Scan._meta.db_table
    return [
        re.sub(r"\s+\(cost=.*", "", line.strip().removeprefix("->  "))
        for line in plan
        if "Scan" in line and (table in line or "scan_" in line)
    ]


def explain_both(subject: tuple[int, str]) -> dict[str, list[str]]:
    """Key plan lines of first_ring's queries of the scans table and of the hand-written SQL,
    for one subject (PostgreSQL only)."""
    from fangxian.tracing.exposure import first_ring

    since, until = period()
    person_id, phone = subject
    with CaptureQueriesContext(connection) as captured:
        first_ring(person_ids=[person_id], phones=[phone], since=since, until=until, window=WINDOW)
    product = [
        line
        for query in captured.captured_queries
        if Scan._meta.db_table in query["sql"]
        for line in _scan_nodes(query["sql"], None)
    ]
    sql, parameters = exposure_sql.contacts_query(
        person_ids=[person_id], phones=[phone], since=since, until=until, window=WINDOW
    )
    return {"first_ring": product, "hand-written SQL": _scan_nodes(sql, parameters)}


def _answers(subjects: list[tuple[int, str]]) -> tuple[list[set], list[set]]:
    """Per subject, the contacts (identity, place) of first_ring and of the hand-written SQL."""
    from fangxian.tracing.exposure import PLACE, first_ring

    since, until = period()
    product, by_hand = [], []
    for person_id, phone in subjects:
        found = first_ring(
            person_ids=[person_id], phones=[phone], since=since, until=until, window=WINDOW
        )
        if any(exposure.via != PLACE for exposure in found):
            raise AssertionError("the bench's people never pass a checkpoint")
        product.append({(exposure.identity, exposure.place_id) for exposure in found})
        by_hand.append(
            exposure_sql.contacts(
                person_ids=[person_id], phones=[phone], since=since, until=until, window=WINDOW
            )
        )
    return product, by_hand


def compare_interleaved(
    name: str,
    description: str,
    *,
    subject: Callable,
    baseline: Callable,
    target: float,
    rounds: int = 9,
    warmup: int = 2,
) -> Result:
    """Like harness.compare, but the runs alternate (baseline, subject, baseline, subject …), so
    that the load other work puts on a shared machine hits both alike; medians of each."""
    for _ in range(warmup):
        baseline()
        subject()
    times: dict[str, list[float]] = {"subject": [], "baseline": []}
    for _ in range(rounds):
        for label, run in (("baseline", baseline), ("subject", subject)):
            started = time.perf_counter()
            run()
            times[label].append((time.perf_counter() - started) * 1000)
    value, base = (statistics.median(times[label]) for label in ("subject", "baseline"))
    spread = (max(times["subject"]) - min(times["subject"])) / value if value else 0.0
    return Result(
        name=name,
        description=description,
        value=round(value, 3),
        baseline=round(base, 3),
        ratio=round(value / base, 2) if base else float("inf"),
        target=target,
        unit="ms",
        spread=round(spread, 2),
    )


def _timed(name: str, layout, subjects, *, built_in: float) -> tuple[Result, list[set]]:
    from fangxian.tracing.exposure import first_ring

    since, until = period()
    product, by_hand = _answers(subjects)
    for n, (mine, theirs) in enumerate(zip(product, by_hand, strict=True)):
        if mine != theirs:
            raise AssertionError(
                f"subject {subjects[n]}: first_ring and the SQL disagree: "
                f"{sorted(mine - theirs, key=str)[:5]} vs {sorted(theirs - mine, key=str)[:5]}"
            )
    contacts = sum(len(found) for found in product)
    scans = layout.scans()
    result = compare_interleaved(
        name,
        (
            f"first_ring (±2 h, 14 days) for {len(subjects)} subjects one by one vs one "
            f"hand-written SQL statement per subject (bench/exposure_sql.py), same answers "
            f"(checked: {contacts} contact-place pairs); {scans:,} scans of "
            f"{layout.districts_built * layout.sizes.people_per_district:,} people at "
            f"{layout.districts_built * layout.sizes.places_per_district:,} places "
            f"(built in {built_in:.0f} s)"
        ),
        subject=lambda: [
            first_ring(person_ids=[p], phones=[ph], since=since, until=until, window=WINDOW)
            for p, ph in subjects
        ],
        baseline=lambda: [
            exposure_sql.contacts(
                person_ids=[p], phones=[ph], since=since, until=until, window=WINDOW
            )
            for p, ph in subjects
        ],
        target=1.5,
    )
    return result, product


def _count(number: int) -> str:
    return f"{number / 1e6:.1f}M" if number >= 1e6 else f"{number // 1000}k"


def bench_exposure(
    sizes: ExposureSizes | None = None, *, township: Region | None = None
) -> list[Result]:
    """first_ring vs the hand-written SQL with district 0 alone (a tenth of the rows), then with
    every district: the same subjects, the same answers, ten times the rows."""
    try:
        from fangxian.tracing.exposure import first_ring  # noqa: F401
    except ImportError as error:
        print(f"places bench: exposure search skipped, tracing is missing: {error}")
        return []
    sizes = sizes or ExposureSizes.from_env()
    layout = new_layout(sizes, township or Region.objects.get(path="530113105"))
    started = time.perf_counter()
    build_districts(layout, 1)
    subjects = pick_subjects(layout)
    small, small_answers = _timed(
        f"exposure_first_ring_{_count(layout.scans())}_scans",
        layout,
        subjects,
        built_in=time.perf_counter() - started,
    )
    started = time.perf_counter()
    build_districts(layout, sizes.districts)
    large, large_answers = _timed(
        f"exposure_first_ring_{_count(layout.scans())}_scans",
        layout,
        subjects,
        built_in=time.perf_counter() - started,
    )
    if large_answers != small_answers:
        raise AssertionError("the answers changed when districts the subjects never visit came")
    plans = explain_both(subjects[0]) if connection.vendor == "postgresql" else {}
    for label, lines in plans.items():
        print(f"EXPLAIN {label}:", *lines, sep="\n    ")
    index_lines = "; ".join(
        f"{label}: {' | '.join(dict.fromkeys(lines))}" for label, lines in plans.items()
    )
    growth = Result(
        name="exposure_first_ring_growth",
        description=(
            f"first_ring's time at {layout.districts_built}× the rows (same subjects and "
            f"answers) vs at 1×; the hand-written SQL grew "
            f"{large.baseline / small.baseline:.2f}×; first_ring's ratio to the SQL went from "
            f"{small.ratio:.2f} to {large.ratio:.2f} (a growth of "
            f"{large.ratio / small.ratio:.2f}× that the machine's load between the two sizes "
            f"does not touch)"
            + (f"; plans at the large size: {index_lines}" if index_lines else "")
        ),
        value=large.value,
        baseline=small.value,
        ratio=round(large.value / small.value, 2),
        target=1.5,
        unit="ms",
        spread=max(small.spread, large.spread),
    )
    return [small, large, growth]
