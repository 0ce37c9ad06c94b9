"""A hand-built scenario whose answer is known (see `scenario`)."""

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from fangxian.accounts.roles import Role
from fangxian.checkpoints.services import PassageInput, PersonEntry, passage_register
from fangxian.places.models import Place, Scan
from tests import factories

H = timedelta(hours=1)
M = timedelta(minutes=1)
WINDOW = 2 * H


def make_place(region, name: str) -> Place:
    return Place.objects.create(
        region=region,
        name=name,
        kind=Place.Kind.SUPERMARKET,
        token=secrets.token_hex(8),
        token_issued_at=timezone.now(),
    )


def scan(place, at, direction="in", *, person=None, phone="", corrects=None, withdrawn=False):
    return Scan.objects.create(
        place=place,
        region_id=place.region_id,
        person=person,
        phone=phone,
        direction=direction,
        occurred_at=at,
        day=timezone.localdate(at),
        source=Scan.Source.PAGE,
        corrects=corrects,
        withdrawn=withdrawn,
    )


def stay(place, start, end=None, **who):
    scan(place, start, "in", **who)
    if end is not None:
        scan(place, end, "out", **who)


@dataclass
class Scenario:
    base: datetime
    subject: object
    people: dict = field(default_factory=dict)
    places: dict = field(default_factory=dict)
    passages: dict = field(default_factory=dict)
    town: dict = field(default_factory=dict)


def person(region, key: str, sequence: int):
    return factories.make_person(
        region=region,
        name=key,
        id_number=factories.valid_id_number(sequence=sequence),
        phone=f"1370000{sequence:04d}",
    )


@pytest.fixture
def tracer(town):
    return factories.make_user(
        role=Role.TRACER, region=town["town"], username="tracer", full_name="流调员"
    )


@pytest.fixture
def scenario(town, tracer) -> Scenario:
    """The subject 张三 (a ledger person of 瓦房村) over three days, window ±2 h:

    超市 A: subject in T, out T+1h (widened: T-2h .. T+3h)
      李四   in T+30m, out T+2h        -> found, T+30m .. T+2h
      王五   in T-5h, out T-2h          -> found at the edge, T-2h .. T-2h
      赵六   in T-5h, out T-2h-1m       -> not found (a minute outside)
      phone 13900000002 in T+3h          -> found (phone only), T+3h
      phone 13900000003 in T+3h+1m       -> not found
      钱七   in T+10m, withdrawn         -> not found
      孙八   in T+20m, corrected to T+10h -> not found
      周九   in T-10h, corrected to T+1h30m -> found, T+1h30m
    药店 B: subject in T+24h, no exit (T+22h .. T+26h)
      李四   in T+25h, out T+27h        -> found, T+25h .. T+26h
      吴十   in T+19h, out T+21h59m     -> not found
    菜市场 C: subject's scan at T+48h withdrawn; 郑一 in T+48h -> not found
    汤丹 D (another township): subject in T+72h; 冯二 in T+72h -> found only without scope
    卡点 K, plate 云A12345: passage at T+60h with the subject, 陈三 and a stranger 过客甲 (no
      record, no phone) -> both found at T+60h; the same plate at T+61h with 褚四 -> found,
      T+60h .. T+61h; at T+63h with 卫五 -> not found. Plate 云B54321 at T+40h with the subject
      and 蒋六, corrected to the subject alone -> 蒋六 not found.
    """
    base = timezone.now().replace(microsecond=0, second=0, minute=0, tzinfo=UTC)
    base = base - timedelta(days=5)
    T = base
    wafang, beiqi = town["wafang_1"], town["beiqi_1"]
    tangdan = factories.make_region(path="530113102", short_name="汤丹镇", parent=town["county"])
    tangdan_village = factories.make_region(
        path="530113102201", short_name="汤丹村", parent=tangdan
    )
    subject = person(wafang, "张三", 1)
    s = Scenario(base=base, subject=subject, town=town | {"tangdan": tangdan_village})
    names = ["李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十", "郑一", "冯二"]
    names += ["陈三", "褚四", "卫五", "蒋六"]
    for index, name in enumerate(names, start=2):
        s.people[name] = person(beiqi if index % 2 else wafang, name, index)
    p = s.people
    A = s.places["A"] = make_place(wafang, "超市")
    B = s.places["B"] = make_place(beiqi, "药店")
    C = s.places["C"] = make_place(wafang, "菜市场")
    D = s.places["D"] = make_place(tangdan_village, "汤丹超市")

    stay(A, T, T + H, person=subject)
    stay(A, T + 30 * M, T + 2 * H, person=p["李四"])
    stay(A, T - 5 * H, T - 2 * H, person=p["王五"])
    stay(A, T - 5 * H, T - 2 * H - M, person=p["赵六"])
    stay(A, T + 3 * H, phone="13900000002")
    stay(A, T + 3 * H + M, phone="13900000003")
    withdrawn = scan(A, T + 10 * M, person=p["钱七"])
    scan(A, T + 10 * M, person=p["钱七"], corrects=withdrawn, withdrawn=True)
    moved = scan(A, T + 20 * M, person=p["孙八"])
    scan(A, T + 10 * H, person=p["孙八"], corrects=moved)
    moved_in = scan(A, T - 10 * H, person=p["周九"])
    scan(A, T + 90 * M, person=p["周九"], corrects=moved_in)

    stay(B, T + 24 * H, person=subject)
    stay(B, T + 25 * H, T + 27 * H, person=p["李四"])
    stay(B, T + 19 * H, T + 21 * H + 59 * M, person=p["吴十"])

    gone = scan(C, T + 48 * H, person=subject)
    scan(C, T + 48 * H, person=subject, corrects=gone, withdrawn=True)
    stay(C, T + 48 * H, person=p["郑一"])

    stay(D, T + 72 * H, person=subject)
    stay(D, T + 72 * H, person=p["冯二"])

    checkpoint = factories.make_checkpoint(region=town["wafang"], name="瓦房卡点")
    clerk = factories.make_user(role=Role.CHECKPOINT_STAFF, region=town["wafang"], username="k")

    def passage(at, plate, *entries, corrects=None):
        people = tuple(
            PersonEntry(name=e, document_number="A1234567")
            if isinstance(e, str)
            else PersonEntry(name=e.name, person=e)
            for e in entries
        )
        data = PassageInput(
            direction="in",
            decision="released",
            people=people,
            occurred_at=at,
            plate=plate,
            plate_kind="ordinary",
        )
        return passage_register(
            actor=clerk, checkpoint=checkpoint, client_id=uuid.uuid4(), data=data, corrects=corrects
        ).passage

    s.passages["shared"] = passage(T + 60 * H, "云A12345", subject, p["陈三"], "过客甲")
    s.passages["same_plate"] = passage(T + 61 * H, "云A12345", p["褚四"])
    s.passages["too_late"] = passage(T + 63 * H, "云A12345", p["卫五"])
    old = passage(T + 40 * H, "云B54321", subject, p["蒋六"])
    s.passages["corrected"] = passage(T + 40 * H, "云B54321", subject, corrects=old)
    return s
