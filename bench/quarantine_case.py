"""The HQ board (隔离管控看板) for a county: `quarantine.board.board` against hand-written SQL
producing the same counts, in the same run (issue 4: within 2×, with a query count that does not
grow with the number of units).

The case builds its own county beside the demo township, fast: regions through bulk_create, and
people, orders, checks, alerts and errands as plain tuples through `core.bulk.insert_rows` (COPY
on PostgreSQL), never through the services, whose rules quarantine/tests cover. The default sizes
are issue 4's: 10 townships of 15 villages, 250,000 people, 20,000 orders in mixed kinds and
statuses, 600,000 health checks, plus 3,000 fever alerts and 5,000 errands; FANGXIAN_BENCH_Q_
TOWNSHIPS, _VILLAGES (per township), _PEOPLE, _ORDERS, _CHECKS, _ALERTS and _ERRANDS change them
(about 30 s to build on a quiet 2-core machine with SQLite). The board runs at a fixed moment (NOW, 15:30: the 14:00 check is due), and the
hand-written SQL is given that moment's constants (the day, the due check time).
"""

import os
import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bench.harness import Result, compare
from fangxian.accounts.models import RoleAssignment, User
from fangxian.accounts.roles import Role
from fangxian.core.bulk import insert_rows
from fangxian.people.models import Household, Person
from fangxian.quarantine.board import board
from fangxian.quarantine.models import (
    CheckSlot,
    Errand,
    ErrandItem,
    FeverAlert,
    HealthCheck,
    OrderReason,
    QuarantineKind,
    QuarantineOrder,
)
from fangxian.quarantine.selectors import day_bounds, due_slot
from fangxian.regions.models import Region

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2020, 2, 20, 15, 30, tzinfo=SHANGHAI)
TODAY = NOW.date()
COUNTY = "990101"  # a county of its own (province 99 does not exist), beside the demo's
HISTORY_DAYS = 60  # check times are numbered from this many days before TODAY
# Statuses in a fixed cycle of 40 orders, so that even a tiny county has every figure:
# 24 active, 2 pending, 10 released (1 today), 1 transferred (today every other cycle), 3 cancelled.
CYCLE = ["active"] * 24 + ["pending"] * 2 + ["released"] * 10 + ["transferred"] + ["cancelled"] * 3


@dataclass(frozen=True)
class Sizes:
    townships: int = 10
    villages: int = 15  # per township
    people: int = 250_000
    orders: int = 20_000
    checks: int = 600_000
    alerts: int = 3_000
    errands: int = 5_000

    @classmethod
    def from_env(cls) -> "Sizes":
        def size(name: str, default: int) -> int:
            return int(os.environ.get(f"FANGXIAN_BENCH_Q_{name.upper()}", default))

        return cls(**{name: size(name, value) for name, value in cls().__dict__.items()})


@dataclass
class County:
    region: Region
    hq: User
    build_seconds: float


def _regions(path: str, sizes: Sizes) -> Region:
    """Province 99 > city 9901 > the county > townships > villages (bulk_create per level)."""

    def unit(unit_path: str, name: str, level: int, parent: Region | None) -> Region:
        code = unit_path.ljust(12, "0")
        return Region(
            code=code,
            path=unit_path,
            name=name,
            short_name=name,
            level=level,
            parent=parent,
            vintage=2023,
        )

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
        path=path[:4],
        defaults={
            "code": path[:4].ljust(12, "0"),
            "name": "测试市",
            "short_name": "测试市",
            "level": Region.Level.CITY,
            "parent": province,
            "vintage": 2023,
        },
    )
    county = unit(path, f"测试县{path[-2:]}", Region.Level.COUNTY, city)
    county.save()
    towns = Region.objects.bulk_create(
        unit(f"{path}{t:03d}", f"第{t}镇", Region.Level.TOWNSHIP, county)
        for t in range(1, sizes.townships + 1)
    )
    Region.objects.bulk_create(
        unit(f"{town.path}{v:03d}", f"{town.short_name}{v}村", Region.Level.VILLAGE, town)
        for town in towns
        for v in range(1, sizes.villages + 1)
    )
    return county


def _slot_moment(index: int, slots: list[CheckSlot]) -> tuple[date, CheckSlot, datetime]:
    """Check time number `index` (two a day from HISTORY_DAYS before TODAY): day, slot, moment
    measured (ten minutes after the time)."""
    day = TODAY - timedelta(days=HISTORY_DAYS) + timedelta(days=index // len(slots))
    slot = slots[index % len(slots)]
    at = datetime.combine(day, slot.time, tzinfo=SHANGHAI) + timedelta(minutes=10)
    return day, slot, at


def build_county(*, path: str = COUNTY, sizes: Sizes | None = None, seed: int = 11) -> County:
    """Write the county in one transaction; see the module's docstring for what goes in."""
    sizes = sizes or Sizes.from_env()
    rng = random.Random(seed)
    started = time.perf_counter()
    kinds = list(QuarantineKind.objects.order_by("position", "id").values_list("id", flat=True))
    reason = OrderReason.objects.order_by("position", "id").first().pk
    slots = list(CheckSlot.objects.filter(is_active=True).order_by("time"))
    per_day = len(slots)
    today_first = HISTORY_DAYS * per_day  # index of today's first check time
    with transaction.atomic():
        county = _regions(path, sizes)
        hq = User.objects.create_user(username=f"bench_hq_{path}", full_name="县指挥部")
        RoleAssignment.objects.create(user=hq, role=Role.HQ, region=county)
        villages = list(
            Region.objects.filter(path__startswith=path, level=Region.Level.VILLAGE)
            .order_by("path")
            .values_list("id", flat=True)
        )
        # Households of four, people spread over the villages.
        homes = insert_rows(
            Household,
            ["region_id", "address"],
            (
                (villages[h % len(villages)], f"{h % 90 + 1}号")
                for h in range((sizes.people + 3) // 4)
            ),
        )
        people = insert_rows(
            Person,
            ["household_id", "region_id", "name", "id_number", "id_tail", "sex", "phone"],
            (
                (
                    homes[n // 4],
                    villages[(n // 4) % len(villages)],
                    f"居民{n}",
                    f"{path}{n:012d}",
                    f"{n % 10000:04d}",
                    "MF"[n % 2],
                    f"139{n:08d}",
                )
                for n in range(sizes.people)
            ),
        )
        region_of = {pid: villages[(n // 4) % len(villages)] for n, pid in enumerate(people)}
        # Orders: distinct people, statuses in CYCLE, kinds mostly home quarantine.
        chosen = rng.sample(people, min(sizes.orders, len(people)))
        statuses = [CYCLE[n % len(CYCLE)] for n in range(len(chosen))]
        checked = [
            n
            for n, status in enumerate(statuses)
            if status in ("active", "released", "transferred")
        ]
        per_order, extra = divmod(sizes.checks, max(1, len(checked)))
        counts = {n: per_order + (1 if k < extra else 0) for k, n in enumerate(checked)}
        order_rows, check_plan = [], []
        for n, (person, status) in enumerate(zip(chosen, statuses, strict=True)):
            c = counts.get(n, 0)
            if status == "active":
                # 1 in 20 has not had the 14:00 check yet (overdue), the rest had it.
                last = today_first + per_day - (2 if n % 20 == 0 else 1)
                ended_at = None
            elif status in ("released", "transferred"):
                today = (n // len(CYCLE)) % (10 if status == "released" else 2) == 0
                back = 0 if today else 1 + n % 9
                last = today_first - back * per_day + (0 if today else per_day - 1)
                ended_at = datetime.combine(
                    TODAY - timedelta(days=back), datetime.min.time(), tzinfo=SHANGHAI
                ) + timedelta(hours=10 if today else 18)
            else:
                last, ended_at = today_first, None
            first = max(0, last - c + 1)
            starts_on = _slot_moment(first, slots)[0] - timedelta(days=1)
            if status in ("pending", "cancelled"):
                starts_on = TODAY - timedelta(days=n % 5)
            planned_end = starts_on + timedelta(days=14)
            if status == "active":
                planned_end = TODAY + timedelta(days=1 + n % 7)  # every 7th: due tomorrow
            activated_at = (
                datetime.combine(starts_on, datetime.min.time(), tzinfo=SHANGHAI)
                if status not in ("pending", "cancelled")
                else None
            )
            order_rows.append(
                (
                    person,
                    region_of[person],
                    kinds[0 if n % 10 < 7 else 1 + n % 2] if len(kinds) > 2 else kinds[0],
                    status,
                    starts_on,
                    planned_end,
                    activated_at,
                    ended_at,
                    hq.pk if status == "released" else None,
                    f"b{path}{n:010d}",
                )
            )
            check_plan.append(range(first, last + 1) if c else range(0))
        orders = insert_rows(
            QuarantineOrder,
            [
                "person_id",
                "region_id",
                "kind_id",
                "status",
                "starts_on",
                "planned_end_on",
                "activated_at",
                "ended_at",
                "released_by_doctor_id",
                "door_token",
            ],
            order_rows,
            same={
                "reason_id": reason,
                "basis": "县疾控中心密接名单",
                "source": "manual",
                "placed_by_id": hq.pk,
                "placed_at": NOW - timedelta(days=30),
            },
        )
        total = sum(len(plan) for plan in check_plan)
        fevers = set(rng.sample(range(total), min(sizes.alerts, total)))
        moments = {i: _slot_moment(i, slots) for i in range(today_first + per_day)}

        def check_rows():
            k = 0
            for order, row, plan in zip(orders, order_rows, check_plan, strict=True):
                for i in plan:
                    day, slot, at = moments[i]
                    reading = f"38.{k % 9}" if k in fevers else f"36.{k % 8}"
                    yield order, row[1], day, slot.pk, at, reading
                    k += 1

        check_ids = insert_rows(
            HealthCheck,
            ["order_id", "region_id", "due_on", "slot_id", "measured_at", "temperature"],
            check_rows(),
            same={"recorded_by_id": hq.pk, "symptoms": []},
        )
        # Alerts on the feverish checks, in every status; errands on random orders.
        owner = [
            (order, row[1])
            for order, row, plan in zip(orders, order_rows, check_plan, strict=True)
            for _ in plan
        ]
        alert_statuses = ["open", "open", "seen", "visited", "closed", "closed", "fever_clinic"]
        insert_rows(
            FeverAlert,
            ["order_id", "region_id", "check_record_id", "status", "raised_at"],
            (
                (*owner[k], check_ids[k], alert_statuses[j % len(alert_statuses)], NOW)
                for j, k in enumerate(sorted(fevers))
            ),
            same={"reason": "38 °C"},
        )
        errand_statuses = ["requested", "assigned", "bought", "delivered", "paid"]
        errands = insert_rows(
            Errand,
            ["order_id", "region_id", "status", "requested_at"],
            (
                (orders[j], order_rows[j][1], errand_statuses[e % 5], NOW - timedelta(hours=e % 48))
                for e, j in enumerate(rng.choices(range(len(orders)), k=sizes.errands))
            ),
            same={"recorded_by_id": hq.pk},
        )
        insert_rows(
            ErrandItem,
            ["errand_id"],
            ((errand,) for errand in errands),
            same={"name": "大米", "quantity": "10", "unit": "斤"},
        )
    with connection.cursor() as cursor:  # fresh statistics, as a live database has them
        for model in (Region, QuarantineOrder, HealthCheck, FeverAlert, Errand):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return County(region=county, hq=hq, build_seconds=time.perf_counter() - started)


# --- the same counts by hand ------------------------------------------------------------------

_ORDERS_SQL = """
SELECT substr(r.path, 1, {length}) AS unit,
  COUNT(CASE WHEN o.status = 'active' THEN 1 END),
  COUNT(CASE WHEN o.status = 'pending' THEN 1 END),
  COUNT(CASE WHEN o.status = 'released' AND o.ended_at >= %s AND o.ended_at < %s THEN 1 END),
  COUNT(CASE WHEN o.status = 'transferred' AND o.ended_at >= %s AND o.ended_at < %s THEN 1 END),
  COUNT(CASE WHEN o.status = 'active' AND o.planned_end_on = %s THEN 1 END),
  COUNT(CASE WHEN o.status = 'active' AND o.activated_at <= %s AND NOT EXISTS (
    SELECT 1 FROM quarantine_healthcheck h
    WHERE h.order_id = o.id AND h.due_on = %s AND h.slot_id = %s) THEN 1 END)
  {kinds}
FROM quarantine_quarantineorder o JOIN regions_region r ON r.id = o.region_id
WHERE r.path LIKE %s
GROUP BY substr(r.path, 1, {length})
"""
_OPEN_SQL = """
SELECT substr(r.path, 1, {length}), COUNT(CASE WHEN t.status IN ({statuses}) THEN 1 END)
FROM {table} t JOIN regions_region r ON r.id = t.region_id
WHERE r.path LIKE %s
GROUP BY substr(r.path, 1, {length})
"""
ORDER_FIGURES = [
    "active",
    "pending",
    "released_today",
    "transferred_today",
    "due_release_tomorrow",
    "overdue_checks",
]


@dataclass(frozen=True)
class HandSql:
    """The three statements and their parameters for one county at one moment (worked out
    before timing: the day's bounds, the due check time, the kinds)."""

    statements: list[tuple[str, list, list[str]]]  # sql, parameters, figure names
    length: int  # of a township's path

    def run(self) -> dict[str, dict[str, int]]:
        """{township path: {figure: count}}."""
        found: dict[str, dict[str, int]] = {}
        with connection.cursor() as cursor:
            for sql, parameters, names in self.statements:
                cursor.execute(sql, parameters)
                for unit, *values in cursor.fetchall():
                    found.setdefault(unit, {}).update(zip(names, values, strict=True))
        return found


def hand_sql(county: Region, now: datetime = NOW) -> HandSql:
    ops = connection.ops
    length = Region.PATH_LENGTH[county.level + 1]
    today = now.astimezone(SHANGHAI).date()
    start, end = (ops.adapt_datetimefield_value(moment) for moment in day_bounds(today))
    due = due_slot(now=now)
    kinds = list(QuarantineKind.objects.values_list("id", "code"))
    kind_sql = "".join(
        f",\n  COUNT(CASE WHEN o.kind_id = {kind_id} AND o.status = '{status}' THEN 1 END)"
        for kind_id, _code in kinds
        for status in ("active", "pending")
    )
    kind_names = [f"{code}:{status}" for _id, code in kinds for status in ("active", "pending")]
    like = f"{county.path}%"
    orders = (
        _ORDERS_SQL.format(kinds=kind_sql, length=length),
        [
            start,
            end,
            start,
            end,
            ops.adapt_datefield_value(today + timedelta(days=1)),
            ops.adapt_datetimefield_value(due.due_at),
            ops.adapt_datefield_value(due.day),
            due.slot.pk,
            like,
        ],
        ORDER_FIGURES + kind_names,
    )
    alerts = (
        _OPEN_SQL.format(
            statuses="'open', 'seen', 'visited'", table="quarantine_feveralert", length=length
        ),
        [like],
        ["open_alerts"],
    )
    errands = (
        _OPEN_SQL.format(
            statuses="'requested', 'assigned', 'bought'", table="quarantine_errand", length=length
        ),
        [like],
        ["open_errands"],
    )
    return HandSql(statements=[orders, alerts, errands], length=length)


def both_counts(county: County, now: datetime = NOW) -> tuple[dict, dict]:
    """The board's figures and the hand-written SQL's, per township and in total, as
    ({township path or "total": {figure: count}}, the same): equal when the board is right."""
    result = board(user=User.objects.get(pk=county.hq.pk), region=county.region, now=now)
    from_board = {row.region.path: row.counts for row in result.rows} | {"total": result.totals}
    found = hand_sql(county.region, now).run()
    by_hand = {
        row.region.path: {
            name: found.get(row.region.path, {}).get(name, 0) for name in result.names
        }
        for row in result.rows
    }
    by_hand["total"] = {name: sum(row[name] for row in by_hand.values()) for name in result.names}
    return from_board, by_hand


def board_queries(county: County) -> int:
    """Queries of one board, for a user object fresh from the database (as in a request)."""
    user = User.objects.get(pk=county.hq.pk)
    with CaptureQueriesContext(connection) as captured:
        board(user=user, region=county.region, now=NOW)
    return len(captured.captured_queries)


def bench_quarantine(sizes: Sizes | None = None) -> list[Result]:
    sizes = sizes or Sizes.from_env()
    county = build_county(sizes=sizes)
    five = build_county(
        path=f"{COUNTY[:4]}02",
        sizes=Sizes(
            townships=5, villages=3, people=400, orders=200, checks=800, alerts=20, errands=20
        ),
    )
    from_board, by_hand = both_counts(county)
    if from_board != by_hand:
        raise AssertionError(f"the board and the hand-written SQL disagree: {from_board} {by_hand}")
    queries, queries_five = board_queries(county), board_queries(five)
    if queries != queries_five:
        raise AssertionError(f"board queries: {queries} for the county, {queries_five} for 5")
    hand = hand_sql(county.region)
    hq, region = county.hq, county.region
    return [
        compare(
            "quarantine_board_county",
            (
                f"HQ board of a county ({sizes.townships} townships × {sizes.villages} villages, "
                f"{sizes.people:,} people, {sizes.orders:,} orders, {sizes.checks:,} checks, "
                f"{sizes.alerts:,} alerts, {sizes.errands:,} errands; built in "
                f"{county.build_seconds:.0f} s) vs the same counts by 3 hand-written GROUP BY "
                f"statements (equal: checked); board queries: {queries} for "
                f"{sizes.townships} townships, {queries_five} for 5"
            ),
            subject=lambda: board(user=User.objects.get(pk=hq.pk), region=region, now=NOW),
            baseline=hand.run,
            target=2.0,
        )
    ]
