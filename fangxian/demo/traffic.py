"""Two weeks of passages at the demo township's two checkpoints (卡点), so that the checkpoint
figures and the boards have something to show: at 瓦房村's gate (every passage registered in
full) a few hundred passages of residents and visitors, some turned back (劝返), one with a
fever and one handed over for quarantine (移交隔离: from the key area, with the notice its
village's grid workers receive); at the township's station (only exceptions in full) the day's
counts and a few registered exceptions.

Seed data in bulk (core.bulk.insert_rows), keeping the invariants of checkpoints.services: the
checkpoint's region, the local day, `people_count` and `fever_count` as the people rows say, and
no corrections (every passage is its latest version). No audit entries; a fixed number of
queries. Rebuilt on every run, with the residents they name.
"""

import random
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fangxian.accounts.models import User
from fangxian.checkpoints.models import (
    Checkpoint,
    Direction,
    Notice,
    Passage,
    PassageCount,
    PassagePerson,
)
from fangxian.checkpoints.services import key_area_check
from fangxian.core.bulk import insert_rows
from fangxian.people import idnumber
from fangxian.people.models import Person
from fangxian.regions import divisions
from fangxian.regions.models import Region
from fangxian.tracing.models import Contact

DAYS = 14
GATE_PER_DAY = (14, 24)  # passages a day at the village gate
STATION_EXCEPTIONS = (1, 3)  # registered exceptions a day at the township station
ORIGINS = ("东川区", "昆明市五华区", "会泽县", "寻甸县", "曲靖市", "四川省会理市")
KEY_AREA_ORIGIN = "湖北省武汉市"
TURN_BACK_REASONS = ("非必要不外出，劝返", "外地车辆无通行证明，劝返", "聚集走亲访友，劝返")
HANDOVER_REASON = "来自重点地区，移交村委会落实居家隔离"
PURPOSES = ("购买生活物资", "就医", "务工返岗", "运送蔬菜", "走亲")
STRANGER_NAMES = ("陈伟", "刘洋", "王磊", "李娜", "张敏", "杨帆", "赵强", "孙丽")
PASSAGE_FIELDS = (
    "client_id",
    "checkpoint_id",
    "region_id",
    "occurred_at",
    "day",
    "direction",
    "plate",
    "plate_kind",
    "origin_text",
    "origin_code",
    "destination_text",
    "destination_region_id",
    "purpose",
    "decision",
    "decision_reason",
    "key_area",
    "key_area_reason",
    "people_count",
    "fever_count",
    "recorded_by_id",
)
PERSON_FIELDS = (
    "passage_id",
    "person_id",
    "name",
    "document_number",
    "phone",
    "temperature",
    "fever",
    "code_colour",
    "code_verified",
    "occurred_at",
)


def demo_traffic_clear(*, township: Region) -> None:
    """Remove the passages, their people and notices, and the counts at the township's
    checkpoints, in a few statements (their only dependants are cleared first)."""
    under = township.path
    Contact.objects.filter(passage__region__path__startswith=under).update(passage=None)
    for queryset in (
        Notice.objects.filter(passage__region__path__startswith=under),
        PassagePerson.objects.filter(passage__region__path__startswith=under),
        Passage.objects.filter(region__path__startswith=under),
        PassageCount.objects.filter(region__path__startswith=under),
    ):
        queryset._raw_delete(queryset.db)


def _at(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class _Passages:
    """Passages and their people, collected as rows and inserted together."""

    def __init__(self, rng: random.Random, now: datetime):
        self.rng, self.now = rng, now
        self.passages: list[tuple] = []
        self.people: list[list[tuple]] = []
        self.codes: dict[str, str] = {}

    def code(self, origin: str) -> str:
        if origin not in self.codes:
            found = divisions.resolve(origin, divisions.default_tables())
            self.codes[origin] = found.code if found else ""
        return self.codes[origin]

    def add(
        self,
        checkpoint,
        at,
        people,
        *,
        actor,
        origin="东川区",
        decision="released",
        reason="",
        destination=None,
        key_area=("", False, ""),
    ):
        rng = self.rng
        vehicle = rng.random() < 0.6
        code, is_key_area, key_reason = key_area
        self.passages.append(
            (
                uuid.UUID(int=rng.getrandbits(128), version=4).hex,
                checkpoint.pk,
                checkpoint.region_id,
                at,
                timezone.localdate(at),
                rng.choice(Direction.values),
                f"云{rng.choice('ADC')}{rng.randint(10000, 99999)}" if vehicle else "",
                Passage.PlateKind.ORDINARY if vehicle else Passage.PlateKind.NONE,
                origin,
                code or self.code(origin),
                destination.short_name if destination else "",
                destination.pk if destination else None,
                rng.choice(PURPOSES),
                decision,
                reason,
                is_key_area,
                key_reason[:200],
                len(people),
                sum(1 for p in people if p[5]),
                actor.pk,
            )
        )
        self.people.append([(*p, at) for p in people])

    def insert(self) -> list[int]:
        ids = insert_rows(Passage, PASSAGE_FIELDS, self.passages)
        insert_rows(
            PassagePerson,
            PERSON_FIELDS,
            (
                (pk, *person)
                for pk, people in zip(ids, self.people, strict=True)
                for person in people
            ),
        )
        return ids


def _resident(resident, temperature: str = "") -> tuple:
    person_id, name, number, phone = resident
    reading = Decimal(temperature or "36.5")
    return (person_id, name, number, phone, reading, reading >= Decimal("37.3"), "green", True)


def _stranger(rng: random.Random, temperature: str = "36.4") -> tuple:
    number = idnumber.make(
        "530326", date(1985, 1, 1) + timedelta(days=rng.randint(0, 9000)), rng.randint(1, 999)
    )
    phone = f"13{rng.randint(0, 999_999_999):09d}"
    return (
        None,
        rng.choice(STRANGER_NAMES),
        number,
        phone,
        Decimal(temperature),
        False,
        "green",
        False,
    )


def demo_traffic_build(*, township: Region, seed: int, now: datetime) -> int:
    """The passages of the past two weeks up to `now`; returns how many were registered."""
    rng = random.Random(seed)
    today = timezone.localdate(now)
    checkpoints = {
        c.mode: c
        for c in Checkpoint.objects.filter(region__path__startswith=township.path).select_related(
            "region"
        )
    }
    gate = checkpoints.get(Checkpoint.Mode.FULL)
    station = checkpoints.get(Checkpoint.Mode.EXCEPTIONS)
    if gate is None or station is None:
        return 0
    users = {u.username: u for u in User.objects.filter(username__in=("checkpoint", "police"))}
    residents = list(
        Person.objects.filter(region__path__startswith=gate.region.path)
        .order_by("id")
        .values_list("id", "name", "id_number", "phone")[:400]
    )
    if not residents:
        return 0
    gate_key_area = key_area_check(checkpoint=gate, origin_text=KEY_AREA_ORIGIN, day=today)
    station_key_area = key_area_check(checkpoint=station, origin_text=KEY_AREA_ORIGIN, day=today)
    made = _Passages(rng, now)
    for back in range(DAYS - 1, -1, -1):
        day = today - timedelta(days=back)
        for _n in range(rng.randint(*GATE_PER_DAY)):
            at = _at(day, rng.randint(6, 21), rng.randint(0, 59))
            if at > now:
                continue
            group = [
                _resident(r)
                for r in rng.sample(residents, k=min(rng.randint(1, 3), len(residents)))
            ]
            if rng.random() < 0.08:
                made.add(
                    gate,
                    at,
                    [_stranger(rng)],
                    actor=users["checkpoint"],
                    origin=rng.choice(ORIGINS),
                    decision=Passage.Decision.TURNED_BACK,
                    reason=rng.choice(TURN_BACK_REASONS),
                )
            else:
                made.add(gate, at, group, actor=users["checkpoint"], origin=rng.choice(ORIGINS))
        for _n in range(rng.randint(*STATION_EXCEPTIONS)):
            at = _at(day, rng.randint(7, 20), rng.randint(0, 59))
            if at <= now:
                made.add(
                    station,
                    at,
                    [_stranger(rng)],
                    actor=users["police"],
                    origin=rng.choice(ORIGINS),
                    decision=Passage.Decision.TURNED_BACK,
                    reason=rng.choice(TURN_BACK_REASONS),
                )
    # The fever (劝返 and sent to the clinic) and the hand-over, two and three days ago.
    fever_at = _at(today - timedelta(days=2), 10, 20)
    made.add(
        gate,
        fever_at,
        [_resident(residents[0], "37.9")],
        actor=users["checkpoint"],
        decision=Passage.Decision.TURNED_BACK,
        reason="体温37.9℃，已联系镇卫生院发热门诊",
    )
    handed_at = _at(today - timedelta(days=3), 16, 40)
    made.add(
        gate,
        handed_at,
        [_stranger(rng, "36.6")],
        actor=users["checkpoint"],
        origin=KEY_AREA_ORIGIN,
        decision=Passage.Decision.HANDED_OVER,
        reason=HANDOVER_REASON,
        destination=gate.region,
        key_area=gate_key_area,
    )
    made.add(
        station,
        handed_at - timedelta(minutes=25),
        [_stranger(rng)],
        actor=users["police"],
        origin=KEY_AREA_ORIGIN,
        key_area=station_key_area,
    )
    ids = made.insert()
    with translation.override(settings.LANGUAGE_CODE):  # as checkpoints.services words it
        text = _(
            "%(names)s handed over for quarantine at %(checkpoint)s, going to "
            "%(destination)s: %(decision_reason)s %(reason)s"
        ) % {
            "names": made.people[-2][0][1],
            "checkpoint": gate.name,
            "destination": gate.region.short_name,
            "decision_reason": HANDOVER_REASON,
            "reason": gate_key_area[2],
        }
    Notice.objects.create(region=gate.region, passage_id=ids[-2], text=text.strip()[:300])
    _counts(station, rng=rng, today=today)
    return len(ids)


def _counts(station: Checkpoint, *, rng: random.Random, today: date) -> None:
    """The station's counted passages (not registered): one row per day, direction and kind."""
    rows = []
    for back in range(DAYS - 1, -1, -1):
        day = today - timedelta(days=back)
        share = 0.4 if back == 0 else 1.0  # today is not over
        for direction in Direction.values:
            for kind, low, high, per in (
                (PassageCount.Kind.VEHICLE, 60, 140, 1.7),
                (PassageCount.Kind.ON_FOOT, 10, 40, 1.0),
            ):
                passages = int(rng.randint(low, high) * share)
                rows.append((day, direction, kind, passages, int(passages * per)))
    insert_rows(
        PassageCount,
        ("day", "direction", "kind", "passages", "people"),
        rows,
        same={"checkpoint_id": station.pk, "region_id": station.region_id},
    )
