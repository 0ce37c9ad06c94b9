"""The command dashboard and a 30-day county aggregation at county scale (issue 7): the product's
code (reading the roll-up `FigureDay`) against a hand-written SELECT over a table of per-day,
per-village counts that this case builds once from the raw events, in the same run.

The county: 10 townships of 15 villages, a checkpoint in every fifth village and a place code
in every village, and EVENTS checkpoint passages and place-code scans (half each) spread over
the 30 days up to today, plus the day counters of counted-only passages and a reporting unit
per village. Scans are by phone among PEOPLE numbers: no person rows are needed, the figures do
not read them. Rows are generated inside the database (`generate_series` on PostgreSQL, a
recursive CTE on SQLite: INSERT … SELECT), never one by one.

Measured twice, at EVENTS/10 and at EVENTS (the second adds the rest), to see that reading the
figures stays flat while the events grow tenfold: (a) `dashboard.dashboard_data` for the county,
(b) `rollup.range_figures` for 30 days; the number of queries of each (the same at both sizes,
or the case fails); and the refresher's round for today (`figures_refresh` of today, what
`refresh_figures --loop` runs every minute) against its 60 s budget, plus a full 30-day rebuild.
Before timing, the roll-up is checked equal to the hand-written counts.

Sizes: FANGXIAN_BENCH_EVENTS (default 300,000: `make bench` on SQLite in a couple of minutes),
FANGXIAN_BENCH_R_PEOPLE (1,000,000), FANGXIAN_BENCH_R_TOWNSHIPS (10), FANGXIAN_BENCH_R_VILLAGES
(15 per township). The full size is for PostgreSQL: FANGXIAN_BENCH_EVENTS=10000000
FANGXIAN_BENCH_ONLY=reports scripts/with-postgres.sh .venv/bin/python -m bench.
"""

import os
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.harness import Result, compare, measure
from fangxian.accounts.models import RoleAssignment, User
from fangxian.accounts.roles import Role
from fangxian.checkpoints.models import Checkpoint, PassageCount
from fangxian.places.models import Place
from fangxian.regions.models import Region
from fangxian.reports.dashboard import _read_figures, dashboard_data
from fangxian.reports.models import FigureDay, ReportingUnit
from fangxian.reports.rollup import figures_refresh, range_figures

COUNTY = "990301"  # province 99 does not exist: beside the demo's and the other cases'
DAYS = 30
COUNTS = "bench_reports_counts"  # the baseline's table: (day, village path, metric, value)
# metric -> the roll-up's computation key
METRICS = {
    "people": "checkpoints.people",
    "vehicles": "checkpoints.vehicles",
    "turned_back": "checkpoints.turned_back",
    "handed_over": "checkpoints.handed_over",
    "fevers": "checkpoints.fevers",
    "scans": "places.scans",
    "scanners": "places.people",
}


@dataclass(frozen=True)
class Sizes:
    events: int = 300_000
    people: int = 1_000_000
    townships: int = 10
    villages: int = 15

    @classmethod
    def from_env(cls) -> "Sizes":
        env = os.environ.get
        return cls(
            events=int(env("FANGXIAN_BENCH_EVENTS", cls.events)),
            people=int(env("FANGXIAN_BENCH_R_PEOPLE", cls.people)),
            townships=int(env("FANGXIAN_BENCH_R_TOWNSHIPS", cls.townships)),
            villages=int(env("FANGXIAN_BENCH_R_VILLAGES", cls.villages)),
        )


@dataclass
class County:
    region: Region
    hq: User
    today: date
    checkpoints: list[tuple[int, int]]  # (checkpoint id, region id)
    places: list[tuple[int, int]]  # (place id, region id)
    people: int


def _region(path: str, name: str, level: int, parent: Region | None) -> Region:
    return Region(
        code=path.ljust(12, "0"),
        path=path,
        name=name,
        short_name=name,
        level=level,
        parent=parent,
        vintage=2023,
    )


def build_county(sizes: Sizes) -> County:
    """Regions, checkpoints, places, day counters, reporting units and the HQ (no events)."""
    today = timezone.localdate()
    with transaction.atomic():
        province, _ = Region.objects.get_or_create(
            path="99",
            defaults={
                "code": "990000000000",
                "name": "测试省",
                "short_name": "测试省",
                "level": Region.Level.PROVINCE,
                "vintage": 2023,
            },
        )
        city, _ = Region.objects.get_or_create(
            path=COUNTY[:4],
            defaults={
                "code": COUNTY[:4].ljust(12, "0"),
                "name": "测试市",
                "short_name": "测试市",
                "level": Region.Level.CITY,
                "parent": province,
                "vintage": 2023,
            },
        )
        county = _region(COUNTY, "大屏测试县", Region.Level.COUNTY, city)
        county.save()
        towns = Region.objects.bulk_create(
            _region(f"{COUNTY}{t:03d}", f"第{t}镇", Region.Level.TOWNSHIP, county)
            for t in range(1, sizes.townships + 1)
        )
        villages = Region.objects.bulk_create(
            _region(f"{town.path}{v:03d}", f"{town.short_name}{v}村", Region.Level.VILLAGE, town)
            for town in towns
            for v in range(1, sizes.villages + 1)
        )
        checkpoints = Checkpoint.objects.bulk_create(
            Checkpoint(
                region=village,
                name=f"{village.short_name}卡点",
                level=Checkpoint.Level.VILLAGE,
                kind=Checkpoint.Kind.CHECKPOINT,
                location="村口",
                mode=Checkpoint.Mode.EXCEPTIONS if n % 2 else Checkpoint.Mode.FULL,
            )
            for n, village in enumerate(villages[::5])
        )
        now = timezone.now()
        places = Place.objects.bulk_create(
            Place(
                region=village,
                name=f"{village.short_name}超市",
                kind=Place.Kind.SUPERMARKET,
                token=f"bench{village.path}",
                token_issued_at=now,
            )
            for village in villages
        )
        PassageCount.objects.bulk_create(
            PassageCount(
                checkpoint=checkpoint,
                region_id=checkpoint.region_id,
                day=today - timedelta(days=back),
                direction=direction,
                kind=kind,
                passages=40 + back,
                people=(40 + back) * (2 if kind == "vehicle" else 1),
            )
            for checkpoint in checkpoints
            if checkpoint.mode == Checkpoint.Mode.EXCEPTIONS
            for back in range(DAYS)
            for direction in ("in", "out")
            for kind in ("vehicle", "on_foot")
        )
        ReportingUnit.objects.bulk_create(
            ReportingUnit(
                kind="village", name=village.short_name, region=village, reports_from=today
            )
            for village in villages
        )
        hq = User.objects.create_user(username="bench_dashboard_hq", full_name="县指挥部")
        RoleAssignment.objects.create(user=hq, role=Role.HQ, region=county)
    return County(
        region=county,
        hq=hq,
        today=today,
        checkpoints=[(c.pk, c.region_id) for c in checkpoints],
        places=[(p.pk, p.region_id) for p in places],
        people=sizes.people,
    )


# --- events, generated in the database --------------------------------------------------------


def _series(first: int, last: int) -> str:
    """FROM clause of the numbers first..last-1, as `n`."""
    if connection.vendor == "postgresql":
        return f"generate_series({first}, {last - 1}) AS s(n)"
    return (
        f"(WITH RECURSIVE s(n) AS (SELECT {first} UNION ALL SELECT n + 1 FROM s "
        f"WHERE n < {last - 1}) SELECT n FROM s) AS s"
    )


def _map(rows: list[tuple[int, int]]) -> str:
    """A VALUES list (k, id, region id) to join the numbers with."""
    values = ", ".join(f"({k}, {a}, {b})" for k, (a, b) in enumerate(rows))
    if connection.vendor == "postgresql":
        return f"(VALUES {values}) AS m(k, id, region_id)"
    return f"(SELECT column1 AS k, column2 AS id, column3 AS region_id FROM (VALUES {values})) AS m"


def _moments(first_day: date, spots: int) -> tuple[str, str]:
    """SQL for the event's time and local day from n: the event goes to the place number
    (n / 2) % spots (the join), so its day is ((n / 2) / spots) % 30, spreading every place's
    events over every day; a second of the day from n."""
    start = timezone.make_aware(datetime.combine(first_day, datetime.min.time()))
    index, second = f"(((n / 2) / {spots}) % {DAYS})", "((n * 37) % 86400)"
    if connection.vendor == "postgresql":
        at = (
            f"(TIMESTAMPTZ '{start.isoformat()}' + {index} * INTERVAL '1 day'"
            f" + {second} * INTERVAL '1 second')"
        )
        return at, f"(DATE '{first_day.isoformat()}' + {index})"
    utc = start.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    at = f"datetime('{utc}', '+' || {index} || ' days', '+' || {second} || ' seconds')"
    return at, f"date('{first_day.isoformat()}', '+' || {index} || ' days')"


def insert_events(county: County, first: int, last: int) -> None:
    """Passages (even n) and scans (odd n) numbered first..last-1."""
    pg = connection.vendor == "postgresql"
    first_day = county.today - timedelta(days=DAYS - 1)
    uuid = "md5('{p}' || n)::uuid" if pg else "printf('%032x', n)"
    pad = "lpad((n % 100000)::text, 5, '0')" if pg else "printf('%05d', n % 100000)"
    phone = (
        f"'139' || lpad((n % {county.people})::text, 8, '0')"
        if pg
        else f"'139' || printf('%08d', n % {county.people})"
    )
    false, now = ("false", "now()") if pg else ("0", "datetime('now')")
    at, day = _moments(first_day, len(county.checkpoints))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO checkpoints_passage (client_id, checkpoint_id, region_id, occurred_at, day,
                direction, plate, plate_kind, origin_text, origin_code, destination_text,
                destination_region_id, purpose, decision, decision_reason, key_area,
                key_area_reason, people_count, fever_count, created_at)
            SELECT {uuid.format(p="p")}, m.id, m.region_id, {at}, {day},
                CASE WHEN n % 4 = 0 THEN 'in' ELSE 'out' END,
                CASE WHEN n % 3 = 0 THEN '' ELSE '云A' || {pad} END,
                CASE WHEN n % 3 = 0 THEN '' ELSE 'ordinary' END, '', '', '',
                CASE WHEN n % 194 = 0 THEN m.region_id END, '',
                CASE WHEN n % 194 = 0 THEN 'handed_over' WHEN n % 46 = 0 THEN 'turned_back'
                     ELSE 'released' END,
                '', {false}, '', 1 + n % 3, CASE WHEN n % 422 = 0 THEN 1 ELSE 0 END, {now}
            FROM {_series(first, last)} JOIN {_map(county.checkpoints)}
                ON m.k = (n / 2) % {len(county.checkpoints)}
            WHERE n % 2 = 0
            """
        )
        at, day = _moments(first_day, len(county.places))
        cursor.execute(
            f"""
            INSERT INTO places_scan (client_id, place_id, region_id, phone, direction,
                occurred_at, day, source, withdrawn, created_at)
            SELECT {uuid.format(p="s")}, m.id, m.region_id, {phone},
                CASE WHEN n % 4 = 1 THEN 'in' ELSE 'out' END, {at}, {day}, 'page', {false}, {now}
            FROM {_series(first, last)} JOIN {_map(county.places)}
                ON m.k = (n / 2) % {len(county.places)}
            WHERE n % 2 = 1
            """
        )
    if pg:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE checkpoints_passage; ANALYZE places_scan")


# --- the baseline ------------------------------------------------------------------------------


def build_counts(county: County) -> None:
    """The baseline's table of per-day, per-village counts, from the raw events (built once per
    size; the passages here have no corrections, so every one is the latest)."""
    under = f"IN (SELECT id FROM regions_region WHERE path LIKE '{COUNTY}%')"
    statements = [
        f"DROP TABLE IF EXISTS {COUNTS}",
        f"CREATE TABLE {COUNTS} (day date, path varchar(20), metric varchar(20), value bigint)",
        f"""INSERT INTO {COUNTS}
            SELECT p.day, r.path, names.metric, CASE names.metric
                WHEN 'people' THEN p.people WHEN 'vehicles' THEN p.vehicles
                WHEN 'turned_back' THEN p.turned_back WHEN 'handed_over' THEN p.handed_over
                ELSE p.fevers END
            FROM (
              SELECT region_id, day, SUM(people_count) AS people,
                     SUM(CASE WHEN plate <> '' THEN 1 ELSE 0 END) AS vehicles,
                     SUM(CASE WHEN decision = 'turned_back' THEN 1 ELSE 0 END) AS turned_back,
                     SUM(CASE WHEN decision = 'handed_over' THEN people_count ELSE 0 END)
                         AS handed_over,
                     SUM(fever_count) AS fevers
              FROM checkpoints_passage WHERE region_id {under} GROUP BY region_id, day) p
            JOIN regions_region r ON r.id = p.region_id
            CROSS JOIN (SELECT 'people' AS metric UNION ALL SELECT 'vehicles'
                UNION ALL SELECT 'turned_back' UNION ALL SELECT 'handed_over'
                UNION ALL SELECT 'fevers') AS names""",
    ]
    statements += [
        f"""INSERT INTO {COUNTS}
            SELECT c.day, r.path, names.metric,
                CASE names.metric WHEN 'people' THEN c.people ELSE c.vehicles END
            FROM (SELECT region_id, day, SUM(people) AS people,
                         SUM(CASE WHEN kind = 'vehicle' THEN passages ELSE 0 END) AS vehicles
                  FROM checkpoints_passagecount WHERE region_id {under}
                  GROUP BY region_id, day) c
            JOIN regions_region r ON r.id = c.region_id
            CROSS JOIN (SELECT 'people' AS metric UNION ALL SELECT 'vehicles') AS names""",
        f"""INSERT INTO {COUNTS}
            SELECT s.day, r.path, names.metric,
                CASE names.metric WHEN 'scans' THEN s.scans ELSE s.scanners END
            FROM (SELECT region_id, day, COUNT(*) AS scans, COUNT(DISTINCT phone) AS scanners
                  FROM places_scan WHERE region_id {under} GROUP BY region_id, day) s
            JOIN regions_region r ON r.id = s.region_id
            CROSS JOIN (SELECT 'scans' AS metric UNION ALL SELECT 'scanners') AS names""",
        f"DELETE FROM {COUNTS} WHERE value = 0",
        f"CREATE INDEX {COUNTS}_day ON {COUNTS} (day, path)",
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {COUNTS}")


class HandSql:
    """What the dashboard and the 30-day aggregation read, by hand over the baseline's table."""

    def __init__(self, today: date):
        self.today = today
        self.first = today - timedelta(days=DAYS - 1)

    def _rows(self, sql: str, params: list) -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def dashboard(self) -> tuple[list, list]:
        yesterday = self.today - timedelta(days=1)
        by_village = self._rows(
            f"SELECT path, metric, SUM(CASE WHEN day = %s THEN value ELSE 0 END),"
            f" SUM(CASE WHEN day = %s THEN value ELSE 0 END), SUM(value)"
            f" FROM {COUNTS} WHERE day <= %s AND path LIKE %s GROUP BY path, metric",
            [self.today, yesterday, self.today, f"{COUNTY}%"],
        )
        trend = self._rows(
            f"SELECT metric, day, SUM(value) FROM {COUNTS}"
            f" WHERE day >= %s AND day <= %s AND path LIKE %s GROUP BY metric, day",
            [self.first, self.today, f"{COUNTY}%"],
        )
        return by_village, trend

    def aggregation(self) -> list:
        return self._rows(
            f"SELECT path, metric, SUM(CASE WHEN day >= %s THEN value ELSE 0 END), SUM(value)"
            f" FROM {COUNTS} WHERE day <= %s AND path LIKE %s GROUP BY path, metric",
            [self.first, self.today, f"{COUNTY}%"],
        )


def check_equal(county: County) -> None:
    """The roll-up holds, per village, day and figure, what the hand-written counts hold."""
    summed: dict = {}
    for day, path, metric, value in _all_counts():
        on = day if isinstance(day, date) else date.fromisoformat(day)
        summed[(path, metric, on)] = summed.get((path, metric, on), 0) + value
    by_key = {key: metric for metric, key in METRICS.items()}
    rolled = {
        (row.path, by_key[row.key], row.day): row.value
        for row in FigureDay.objects.filter(key__in=list(METRICS.values()), path__startswith=COUNTY)
    }
    if rolled != summed:
        wrong = [k for k in set(rolled) | set(summed) if rolled.get(k) != summed.get(k)][:5]
        raise AssertionError(f"roll-up and hand counts disagree, e.g. {wrong}")


def _all_counts() -> list:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT day, path, metric, value FROM {COUNTS}")
        return cursor.fetchall()


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def bench_reports(sizes: Sizes | None = None) -> list[Result]:
    sizes = sizes or Sizes.from_env()
    started = time.perf_counter()
    county = build_county(sizes)
    region, today = county.region, county.today
    first = today - timedelta(days=DAYS - 1)
    hand = HandSql(today)
    results: list[Result] = []
    measured: dict[str, dict[str, float]] = {}
    queries: dict[str, tuple[int, int]] = {}
    done = 0
    for label, events in (("small", max(2, sizes.events // 10)), ("large", sizes.events)):
        building = time.perf_counter()
        insert_events(county, done, events)
        done = events
        build_counts(county)
        build_seconds = time.perf_counter() - building
        rebuild = figures_refresh(first=first, last=today)
        check_equal(county)
        dashboard = lambda: dashboard_data(user=_fresh(county.hq), region=region, today=today)  # noqa: E731
        aggregation = lambda: range_figures(  # noqa: E731
            user=_fresh(county.hq), region=region, first=first, last=today
        )
        queries[label] = (_queries(dashboard), _queries(aggregation))
        size = f"{events:,} events ({sizes.townships} townships × {sizes.villages} villages)"
        dash = compare(
            f"reports_dashboard_{label}",
            f"dashboard data of the county, {size}, vs 2 hand-written SELECTs over per-day,"
            f" per-village counts; {queries[label][0]} queries; events built in"
            f" {build_seconds:.0f} s, 30-day rebuild of the roll-up {rebuild.seconds:.1f} s",
            subject=dashboard,
            baseline=hand.dashboard,
            target=2.0,
            repeat=7,
        )
        agg = compare(
            f"reports_aggregation_30d_{label}",
            f"30-day county aggregation (rollup.range_figures), {size}, vs 1 hand-written"
            f" SELECT over per-day, per-village counts; {queries[label][1]} queries",
            subject=aggregation,
            baseline=hand.aggregation,
            target=2.0,
            repeat=7,
        )
        children = list(Region.objects.filter(parent=region).order_by("path"))
        reads = compare(
            f"reports_dashboard_reads_{label}",
            f"the dashboard's two reads of the roll-up alone (dashboard._read_figures), {size},"
            " vs the same 2 hand-written SELECTs (the rest of the dashboard: scope, indicators,"
            " live quarantine counts, completeness)",
            subject=lambda: _read_figures(region, children, today),  # noqa: B023
            baseline=hand.dashboard,
            target=2.0,
            repeat=7,
        )
        measured[label] = {"dashboard": dash.value, "aggregation": agg.value}
        results += [dash, reads, agg]
    if queries["small"] != queries["large"]:
        raise AssertionError(f"queries grew with the events: {queries}")
    # Flat: the large size's time over the small size's (the events grew tenfold).
    for name in ("dashboard", "aggregation"):
        small, large = measured["small"][name], measured["large"][name]
        results.append(
            Result(
                name=f"reports_{name}_flat",
                description=(
                    f"{name} at {sizes.events:,} events over {max(2, sizes.events // 10):,}"
                    " events (ten times fewer): flat when close to 1"
                ),
                value=large,
                baseline=small,
                ratio=round(large / small, 2) if small else float("inf"),
                target=1.5,
                unit="ms",
                spread=0.0,
            )
        )
    # The refresher's round (today), against the minute it has.
    value, spread = measure(lambda: figures_refresh(first=today, last=today), repeat=3, warmup=1)
    results.append(
        Result(
            name="reports_refresh_today_large",
            description=(
                f"refresh of today's figures (all computations) at {sizes.events:,} events vs the"
                f" 60 s budget of 'no more than a minute behind'; case built in"
                f" {time.perf_counter() - started:.0f} s"
            ),
            value=round(value, 1),
            baseline=60_000.0,
            ratio=round(value / 60_000, 3),
            target=0.25,
            unit="ms",
            spread=round(spread, 2),
        )
    )
    return results
