"""The demo township's place codes (场所码): about thirty places across the villages (shops,
pharmacies, the market, clinics, rented housing …, one closed for now) and two weeks of scans
made with residents' phones (a few with personal codes, a few by visitors outside the ledger),
entries with their exits. One resident of 瓦房村 is the demo's "case": their visits to three
places overlap other people's, so that the tracer's exposure search (流调) finds contacts.

Seed data: scans are inserted in bulk (core.bulk.insert_rows, with the place's region and the
local day, as places.services.scan_record sets them), no audit entries, a fixed number of
queries. Places are kept from one run to the next (their codes may be printed and posted);
scans and personal codes are drawn again with the residents.
"""

import random
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from fangxian.accounts.models import User
from fangxian.checkpoints.models import PersonalCode
from fangxian.core.bulk import insert_rows
from fangxian.people.models import Person
from fangxian.places.models import Place, Scan
from fangxian.regions.models import Region

Kind = Place.Kind
DAYS = 14
CLOSED = "半坡村小卖部"
CLOSED_REASON = "暂停营业：店主居家隔离期间停业"
CASE_VILLAGE = "瓦房村"

# (village, name, kind, visits a day)
PLACES = (
    ("瓦房村", "瓦房村便民超市", Kind.SUPERMARKET, 14),
    ("瓦房村", "瓦房村卫生室", Kind.CLINIC, 5),
    ("瓦房村", "瓦房村小卖部", Kind.SUPERMARKET, 8),
    ("瓦房村", "瓦房村出租房（阮家院）", Kind.RENTED_HOUSING, 3),
    ("碑棋社区", "乌龙镇农贸市场", Kind.MARKET, 30),
    ("碑棋社区", "碑棋大药房", Kind.PHARMACY, 9),
    ("碑棋社区", "乌龙镇卫生院", Kind.CLINIC, 10),
    ("碑棋社区", "碑棋惠民超市", Kind.SUPERMARKET, 16),
    ("碑棋社区", "乌龙镇客运站", Kind.TRANSPORT, 10),
    ("碑棋社区", "东川农商银行乌龙支行", Kind.BANK, 6),
    ("碑棋社区", "碑棋米线馆", Kind.RESTAURANT, 7),
    ("碑棋社区", "集镇街12号出租房", Kind.RENTED_HOUSING, 3),
    ("碑棋社区", "乌龙镇人民政府便民服务中心", Kind.OFFICE, 5),
    ("店房社区", "店房社区超市", Kind.SUPERMARKET, 9),
    ("店房社区", "店房平价药店", Kind.PHARMACY, 5),
    ("店房社区", "店房家常菜馆", Kind.RESTAURANT, 5),
    ("跑马社区", "跑马社区便利店", Kind.SUPERMARKET, 7),
    ("跑马社区", "跑马社区卫生服务站", Kind.CLINIC, 4),
    ("跑马社区", "跑马街出租公寓", Kind.RENTED_HOUSING, 3),
    ("大村子村", "大村子村小卖部", Kind.SUPERMARKET, 6),
    ("大村子村", "大村子村卫生室", Kind.CLINIC, 3),
    ("马店村", "马店村便民超市", Kind.SUPERMARKET, 6),
    ("马店村", "马店村卫生室", Kind.CLINIC, 3),
    ("土城村", "土城村超市", Kind.SUPERMARKET, 7),
    ("土城村", "土城村药店", Kind.PHARMACY, 4),
    ("园子村", "园子村小卖部", Kind.SUPERMARKET, 4),
    ("坝塘村", "坝塘村便民店", Kind.SUPERMARKET, 5),
    ("水井村", "水井村小卖部", Kind.SUPERMARKET, 4),
    ("大水井村", "大水井村便民超市", Kind.SUPERMARKET, 5),
    ("半坡村", CLOSED, Kind.SUPERMARKET, 4),
)
# How long a visit lasts, in minutes, by kind (rented housing: the night).
STAY = {Kind.RENTED_HOUSING: (480, 720), Kind.MARKET: (15, 60), Kind.CLINIC: (15, 50),
        Kind.RESTAURANT: (20, 50), Kind.TRANSPORT: (5, 30)}  # fmt: skip
DEFAULT_STAY = (3, 25)
PERSONAL_CODE_HOLDERS = 12  # residents who show a personal code instead of typing their phone
# The case's visits: (days ago, place, hour, minute, minutes), with people there at the time.
CASE_VISITS = (
    (4, "乌龙镇农贸市场", 9, 30, 40),
    (3, "碑棋大药房", 15, 10, 12),
    (2, "瓦房村便民超市", 18, 5, 15),
)
CASE_COMPANY = 5  # other visitors overlapping each of the case's visits
SCAN_FIELDS = ("client_id", "place_id", "region_id", "person_id", "phone", "direction",
               "occurred_at", "day", "source")  # fmt: skip


@dataclass(frozen=True)
class DemoCase:
    """The resident whose visits the tracer can search from."""

    name: str
    phone: str
    village: str
    places: tuple[str, ...]


def demo_places_clear(*, township: Region) -> None:
    """Remove the township's scans (drawn again with the residents). One statement: a scan's
    only dependants are its corrections, scans of the same place, deleted with it."""
    scans = Scan.objects.filter(region__path__startswith=township.path)
    scans._raw_delete(scans.db)


def demo_places_build(*, township: Region, seed: int, now: datetime) -> DemoCase | None:
    """Register the places that are missing, then scans for the past two weeks up to `now`;
    returns the demo case (None when the township has no resident with a phone)."""
    rng = random.Random(seed)
    today = timezone.localdate(now)
    hq = User.objects.get(username="hq")
    villages = {
        r.short_name: r for r in Region.objects.filter(parent=township, level=Region.Level.VILLAGE)
    }
    places = _places(villages, township, hq, now=now)
    residents = list(
        Person.objects.filter(region__path__startswith=township.path)
        .exclude(phone="")
        .order_by("id")
        .values_list("id", "phone", "region__path", "name")
    )
    if not residents:
        return None
    by_village: dict[str, list[tuple]] = {}
    for resident in residents:
        by_village.setdefault(resident[2][:12], []).append(resident)
    holders = {r[0] for r in rng.sample(residents, k=min(PERSONAL_CODE_HOLDERS, len(residents)))}
    PersonalCode.objects.bulk_create(
        [
            PersonalCode(person_id=person_id, token=secrets.token_urlsafe(16), issued_by=hq)
            for person_id in sorted(holders)
        ]
    )
    case = rng.choice(by_village.get(villages[CASE_VILLAGE].path) or residents)
    rows: list[tuple] = []
    for _village, name, _kind, visits in PLACES:
        place = places[name]
        local = by_village.get(place.region.path) or residents
        for back in range(DAYS - 1, -1, -1):
            day = today - timedelta(days=back)
            if place.closed_at is not None and day >= timezone.localdate(place.closed_at):
                continue  # 暂停营业: no scans since it closed
            for _n in range(max(1, int(visits * rng.uniform(0.6, 1.3)))):
                visitor = rng.choice(local) if rng.random() < 0.8 else rng.choice(residents)
                start = _at(day, rng.randint(7, 19), rng.randint(0, 59))
                rows += _visit(rng, place, visitor, start, _stay(rng, place), holders, now)
    case_places = []
    for back, name, hour, minute, minutes in CASE_VISITS:
        place = places[name]
        start = _at(today - timedelta(days=back), hour, minute)
        rows += _visit(rng, place, case, start, minutes, set(), now, exit_always=True)
        for _n in range(CASE_COMPANY):
            other = rng.choice(residents)
            came = start + timedelta(minutes=rng.randint(-20, minutes))
            rows += _visit(rng, place, other, came, rng.randint(5, 30), holders, now)
        case_places.append(name)
    rows.sort(key=lambda row: row[6])
    insert_rows(Scan, SCAN_FIELDS, rows)
    village = next((n for n, r in villages.items() if r.path == case[2][:12]), "")
    return DemoCase(name=case[3], phone=case[1], village=village, places=tuple(case_places))


def _at(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _stay(rng: random.Random, place: Place) -> int:
    low, high = STAY.get(place.kind, DEFAULT_STAY)
    return rng.randint(low, high)


def _visit(rng, place, visitor, start, minutes, holders, now, *, exit_always=False) -> list:
    """The scans of one visit: the entry, and the exit (most people scan on the way out)."""
    person_id, phone, _path, _name = visitor
    if person_id in holders:
        who = (person_id, "")  # the personal code names the person; no phone typed
        source = Scan.Source.PAGE
    elif rng.random() < 0.04:
        who = (None, f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}")  # a visitor
        source = Scan.Source.PAGE
    else:
        who = (person_id, phone)  # the phone typed is the ledger's: the person is known
        source = Scan.Source.PAGE
    scans = []
    times = [(Scan.Direction.IN, start)]
    if exit_always or rng.random() < 0.85:
        times.append((Scan.Direction.OUT, start + timedelta(minutes=minutes)))
    for direction, at in times:
        if at > now:
            break
        scans.append(
            (
                uuid.UUID(int=rng.getrandbits(128), version=4).hex,
                place.pk,
                place.region_id,
                who[0],
                who[1],
                direction,
                at,
                timezone.localdate(at),
                source,
            )
        )
    return scans


def _places(
    villages: dict[str, Region], township: Region, hq: User, *, now: datetime
) -> dict[str, Place]:
    """The demo places by name: those missing are registered with a fresh code."""
    existing = {
        p.name: p
        for p in Place.objects.filter(
            region__path__startswith=township.path, name__in=[spec[1] for spec in PLACES]
        ).select_related("region")
    }
    missing = [
        Place(
            region=villages[village],
            name=name,
            kind=kind,
            address=f"{village}{name.removeprefix(village)}",
            contact_name="店主" if kind != Kind.CLINIC else "值班医生",
            token=secrets.token_urlsafe(16),
            token_issued_at=now - timedelta(days=DAYS + 2),
            is_open=name != CLOSED,
            closed_reason=CLOSED_REASON if name == CLOSED else "",
            closed_at=now - timedelta(days=5) if name == CLOSED else None,
            created_by=hq,
        )
        for village, name, kind, _visits in PLACES
        if name not in existing
    ]
    Place.objects.bulk_create(missing)
    for place in missing:
        existing[place.name] = place
    return {spec[1]: existing[spec[1]] for spec in PLACES}
