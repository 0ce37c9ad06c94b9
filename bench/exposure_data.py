"""Data for the exposure-search benchmark: places, people and their scans over 14 days, written
by the database itself (INSERT … SELECT over generate_series on PostgreSQL, over a recursive CTE
on SQLite; never row by row), in districts.

**Districts.** People and places are split into `districts` equal parts (default 10); a person
visits only places of their own district, as people shop where they live. `build_districts`
adds districts one range at a time, so the benchmark measures the search with district 0 alone
(a tenth of the rows), then adds the other nine and measures again: the subjects live in
district 0, so the answer is the same at both sizes and only the table's size changes.

**Visits.** The scans of each range of districts are written in time order, as a live table
fills. Person `p` makes h(p) mod 11 visits (0–10, so 0–20 scans, 10 on average); visit `n`
goes to a place of the district (30 % of visits to its busiest tenth of places, the rest to any),
on one of 14 days, entering between 07:00 and 21:00 local time and leaving 5–90 minutes later:
two scans, an entry and an exit. Seven in ten people scan their personal code (person set, no
phone), two in ten their code with their phone, one in ten only their phone (person empty).
h is a fixed integer hash written in SQL, so both databases build the same rows.
"""

import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, models, transaction
from django.utils import timezone

from fangxian.people.models import Person
from fangxian.places.models import Place, Scan
from fangxian.regions.models import Region

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST_DAY = date(2020, 2, 1)  # local midnight of this day is minute 0
MARKER = "流调压测"  # the name of every bench person and the start of every bench place's name
PHONE_PREFIX = "166"  # bench people's phones: 166 + 8 digits of their number


@dataclass(frozen=True)
class ExposureSizes:
    people: int
    places: int
    districts: int = 10
    days: int = 14
    subjects: int = 20

    @property
    def scans(self) -> int:
        """About this many scans at the full size (10 per person on average)."""
        return self.people * 10

    @classmethod
    def from_env(cls) -> "ExposureSizes":
        """FANGXIAN_BENCH_SCANS (10,000,000 on PostgreSQL, 200,000 on SQLite) sets people to a
        tenth of it and places to one per 500 scans (20,000 at 10 M), the density of the
        issue's figures; FANGXIAN_BENCH_SCAN_PEOPLE and FANGXIAN_BENCH_PLACES override them."""
        default = 10_000_000 if connection.vendor == "postgresql" else 200_000
        scans = int(os.environ.get("FANGXIAN_BENCH_SCANS", default))
        people = int(os.environ.get("FANGXIAN_BENCH_SCAN_PEOPLE", scans // 10))
        places = int(os.environ.get("FANGXIAN_BENCH_PLACES", max(10, scans // 500)))
        return cls(people=people, places=places)

    @property
    def people_per_district(self) -> int:
        return self.people // self.districts

    @property
    def places_per_district(self) -> int:
        return self.places // self.districts


def _h(expression: str, salt: int) -> str:
    """A deterministic integer hash in SQL (two MINSTD steps), the same on both databases; values
    stay far below 2**63. `%%` is the modulo once the driver has put the parameters in."""
    return f"(((({expression}) * 48271 + {salt * 1000003}) %% 2147483647) * 48271 %% 2147483647)"


def h(value: int, salt: int) -> int:
    """`_h` in Python, to choose subjects without a query."""
    return ((value * 48271 + salt * 1000003) % 2147483647) * 48271 % 2147483647


def visits_of(person_id: int) -> int:
    return h(person_id, 1) % 11


def _plus_minutes(base: datetime, minutes: str) -> str:
    """base + `minutes` (an SQL integer expression) as a datetime column value."""
    if connection.vendor == "postgresql":
        return f"(TIMESTAMPTZ '{base.isoformat()}' + ({minutes}) * INTERVAL '1 minute')"
    utc = base.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M:%S")
    return f"datetime('{utc}', '+' || ({minutes}) || ' minutes')"


def _plus_days(day: date, days: str) -> str:
    if connection.vendor == "postgresql":
        return f"(DATE '{day.isoformat()}' + ({days})::int)"
    return f"date('{day.isoformat()}', '+' || ({days}) || ' days')"


def _series(first: int, last: int) -> tuple[str, str]:
    """(a WITH clause, a FROM item) numbering rows `i` from first to last."""
    if connection.vendor == "postgresql":
        return "", f"generate_series({first}, {last}) AS s(i)"
    return (
        f"WITH RECURSIVE s(i) AS (SELECT {first} UNION ALL SELECT i + 1 FROM s WHERE i < {last})",
        "s",
    )


def _insert_select(
    model: type[models.Model],
    given: dict[str, str],
    source: str,
    *,
    with_clause: str = "",
    order_by: str = "",
) -> int:
    """INSERT INTO model's table SELECT … FROM source [ORDER BY the column `order_by`]: `given`
    maps attnames to SQL expressions, every other column gets its default (auto_now: now) as a
    parameter. Returns the row count."""
    columns, values, parameters = [], [], []
    now = timezone.now()
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.attname in given:
            values.append(given[field.attname])
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            default = now
        else:
            default = field.get_default()
        values.append("%s")
        parameters.append(field.get_db_prep_save(default, connection))
    table = connection.ops.quote_name(model._meta.db_table)
    sql = (
        f"{with_clause} INSERT INTO {table} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM {source}"
    )
    if order_by:
        position = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        sql += f" ORDER BY {position.index(order_by) + 1}"
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        return cursor.rowcount


@dataclass
class Layout:
    """Where the bench rows are: ids are contiguous (checked), so a district's people and places
    are id ranges."""

    sizes: ExposureSizes
    regions: list[int]  # a district's region: regions[d % len(regions)]
    first_person: int | None = None
    first_place: int | None = None
    districts_built: int = 0

    def people_range(self, district: int) -> tuple[int, int]:
        first = self.first_person + district * self.sizes.people_per_district
        return first, first + self.sizes.people_per_district - 1

    def scans(self) -> int:
        """Scans at the bench's places so far."""
        last = self.first_place + self.districts_built * self.sizes.places_per_district - 1
        return Scan.objects.filter(place_id__gte=self.first_place, place_id__lte=last).count()


def _contiguous(model: type[models.Model], marker: models.Q, expected: int) -> int:
    rows = model.objects.filter(marker).aggregate(
        low=models.Min("id"), high=models.Max("id"), count=models.Count("id")
    )
    if rows["count"] != expected or rows["high"] - rows["low"] + 1 != expected:
        raise AssertionError(f"{model.__name__} ids are not contiguous: {rows}, {expected}")
    return rows["low"]


def new_layout(sizes: ExposureSizes, township: Region) -> Layout:
    leaves = list(
        Region.objects.filter(path__startswith=township.path, level=Region.Level.VILLAGE)
        .order_by("path")
        .values_list("id", flat=True)
    ) or [township.pk]
    return Layout(sizes=sizes, regions=leaves)


def build_districts(layout: Layout, upto: int) -> None:
    """Add districts layout.districts_built … upto - 1: their places, people and scans."""
    sizes = layout.sizes
    with transaction.atomic():
        for district in range(layout.districts_built, upto):
            region = layout.regions[district % len(layout.regions)]
            _places(sizes, district, region)
            _people(sizes, district, region)
        built = upto * sizes.places_per_district
        layout.first_place = _contiguous(Place, models.Q(name__startswith=MARKER), built)
        layout.first_person = _contiguous(
            Person, models.Q(name=MARKER), upto * sizes.people_per_district
        )
        _scans(layout, layout.districts_built, upto)
        layout.districts_built = upto
    with connection.cursor() as cursor:  # fresh statistics, as a live database has them
        for model in (Place, Person, Scan):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _places(sizes: ExposureSizes, district: int, region: int) -> None:
    per = sizes.places_per_district
    with_clause, source = _series(district * per, (district + 1) * per - 1)
    text = "CAST(i AS TEXT)" if connection.vendor == "sqlite" else "i::text"
    _insert_select(
        Place,
        {
            "region_id": str(region),
            "name": f"'{MARKER}' || {text}",
            "kind": "'supermarket'",
            "token": f"'bench-exposure-' || {text}",
            "token_issued_at": _plus_minutes(
                datetime.combine(FIRST_DAY, datetime.min.time(), SHANGHAI), "0"
            ),
        },
        source,
        with_clause=with_clause,
    )


def _people(sizes: ExposureSizes, district: int, region: int) -> None:
    per = sizes.people_per_district
    with_clause, source = _series(district * per, (district + 1) * per - 1)
    if connection.vendor == "postgresql":
        phone = f"'{PHONE_PREFIX}' || lpad(i::text, 8, '0')"
    else:
        phone = f"'{PHONE_PREFIX}' || printf('%%08d', i)"
    _insert_select(
        Person,
        {
            "region_id": str(region),
            "name": f"'{MARKER}'",
            "name_pinyin": "'liudiaoyace'",
            "name_initials": "'ldyc'",
            "phone": phone,
        },
        source,
        with_clause=with_clause,
    )


def _scans(layout: Layout, first_district: int, upto: int) -> None:
    """The scans of the people of districts first_district … upto - 1, in one statement."""
    sizes = layout.sizes
    first, last = layout.people_range(first_district)[0], layout.people_range(upto - 1)[1]
    per_place = sizes.places_per_district
    busy = max(1, per_place // 10)
    district = f"((p.id - {layout.first_person}) / {sizes.people_per_district})"
    place_base = f"({layout.first_place} + {district} * {per_place})"
    visit = "(p.id * 16 + v.n)"
    offset = (
        f"CASE WHEN {_h(visit, 2)} %% 10 < 3 THEN {_h(visit, 3)} %% {busy} "
        f"ELSE {_h(visit, 3)} %% {per_place} END"
    )
    day = f"({_h(visit, 4)} %% {sizes.days})"
    minute = f"({day} * 1440 + 420 + {_h(visit, 5)} %% 840 + e.d * (5 + {_h(visit, 6)} %% 86))"
    start = datetime.combine(FIRST_DAY, datetime.min.time(), SHANGHAI)
    if connection.vendor == "postgresql":
        client_id = "(lpad(to_hex(p.id), 16, '0') || lpad(to_hex(v.n * 2 + e.d), 16, '0'))::uuid"
    else:
        client_id = "printf('%%016x%%016x', p.id, v.n * 2 + e.d)"
    numbers = " UNION ALL ".join(f"SELECT {n} AS n" for n in range(11))
    source = (
        f"{connection.ops.quote_name(Person._meta.db_table)} p "
        f"JOIN ({numbers}) v ON v.n < {_h('p.id', 1)} %% 11 "
        f"JOIN (SELECT 0 AS d UNION ALL SELECT 1 AS d) e ON 1 = 1 "
        f"WHERE p.id >= {first} AND p.id <= {last}"
    )
    _insert_select(
        Scan,
        {
            "client_id": client_id,
            "place_id": f"({place_base} + {offset})",
            "region_id": "p.region_id",
            "person_id": "CASE WHEN p.id %% 10 = 0 THEN NULL ELSE p.id END",
            "phone": "CASE WHEN p.id %% 10 < 3 THEN p.phone ELSE '' END",
            "direction": "CASE WHEN e.d = 0 THEN 'in' ELSE 'out' END",
            "occurred_at": _plus_minutes(start, minute),
            "day": _plus_days(FIRST_DAY, day),
            "source": "'page'",
        },
        source,
        # In time order, as a live table fills: the heap follows occurred_at, not the place.
        order_by="occurred_at",
    )


def period() -> tuple[datetime, datetime]:
    """The 14 days the scans cover, as aware datetimes."""
    since = datetime.combine(FIRST_DAY, datetime.min.time(), SHANGHAI)
    return since, since + timedelta(days=14)


def pick_subjects(layout: Layout) -> list[tuple[int, str]]:
    """`subjects` people of district 0 with 10–20 scans, spread over the three ways of scanning:
    (person id, phone)."""
    first, last = layout.people_range(0)
    picked = [
        person_id
        for person_id in range(first, last + 1)
        if visits_of(person_id) >= 5 and person_id % 10 < 6
    ]
    step = max(1, len(picked) // layout.sizes.subjects)
    chosen = picked[::step][: layout.sizes.subjects]
    phones = dict(Person.objects.filter(id__in=chosen).values_list("id", "phone"))
    return [(person_id, phones[person_id]) for person_id in chosen]
