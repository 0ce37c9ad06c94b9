"""Small builders for tests: a slice of 乌龙镇 built directly, without the NBS tables."""

import itertools
from datetime import date

from fangxian.accounts.models import RoleAssignment, User
from fangxian.people import idnumber, names
from fangxian.people.models import Household, Person
from fangxian.regions.models import Region

PASSWORD = "Test-pass-2026"
_sequence = itertools.count(1)


def make_region(
    *, path: str, short_name: str, parent: Region | None = None, name: str = ""
) -> Region:
    level = next(level for level, length in Region.PATH_LENGTH.items() if length == len(path))
    code = path.ljust(12, "0") if level <= Region.Level.VILLAGE else path
    return Region.objects.create(
        code=code,
        path=path,
        name=name or short_name,
        short_name=short_name,
        level=level,
        parent=parent,
        vintage=2023,
        is_local=level > Region.Level.VILLAGE,
    )


def make_township() -> dict[str, Region]:
    """云南省 > 昆明市 > 东川区 > 乌龙镇 > {瓦房村 (2 grids), 碑棋社区 (1 grid)}, each grid one group."""
    province = make_region(path="53", short_name="云南省")
    city = make_region(path="5301", short_name="昆明市", parent=province)
    county = make_region(path="530113", short_name="东川区", parent=city)
    town = make_region(path="530113105", short_name="乌龙镇", parent=county)
    wafang = make_region(
        path="530113105214", short_name="瓦房村", parent=town, name="瓦房村村民委员会"
    )
    beiqi = make_region(
        path="530113105001", short_name="碑棋社区", parent=town, name="碑棋社区居民委员会"
    )
    wafang_1 = make_region(path="53011310521401", short_name="第一网格", parent=wafang)
    wafang_2 = make_region(path="53011310521402", short_name="第二网格", parent=wafang)
    beiqi_1 = make_region(path="53011310500101", short_name="第一网格", parent=beiqi)
    group = make_region(path="5301131052140101", short_name="黄包谷地组", parent=wafang_1)
    return {
        "county": county,
        "town": town,
        "wafang": wafang,
        "beiqi": beiqi,
        "wafang_1": wafang_1,
        "wafang_2": wafang_2,
        "beiqi_1": beiqi_1,
        "group": group,
    }


def make_user(
    *, role: str | None = None, region: Region | None = None, username: str = "", **fields
) -> User:
    user = User.objects.create_user(
        username=username or f"user{next(_sequence)}", password=PASSWORD, **fields
    )
    if role and region:
        RoleAssignment.objects.create(user=user, role=role, region=region)
    return user


def valid_id_number(
    *, birth: date = date(1985, 6, 15), sequence: int | None = None, area: str = "530113"
) -> str:
    return idnumber.make(area, birth, sequence if sequence is not None else next(_sequence) % 1000)


def make_household(*, region: Region, **fields) -> Household:
    defaults = {"address": f"{region.short_name}{next(_sequence)}号", "head_name": "户主"}
    return Household.objects.create(region=region, **(defaults | fields))


def make_person(
    *,
    household: Household | None = None,
    region: Region | None = None,
    name: str = "张三",
    **fields,
) -> Person:
    if household is None:
        household = make_household(region=region)
    number = fields.pop("id_number", None) or valid_id_number()
    parsed = idnumber.parse(number)
    full, initials = names.pinyin_keys(name)
    return Person.objects.create(
        household=household,
        region=household.region,
        name=name,
        name_pinyin=full,
        name_initials=initials,
        id_number=parsed.number,
        id_tail=parsed.number[-4:],
        birth_date=parsed.birth_date,
        sex=parsed.sex,
        **({"phone": "13812345678"} | fields),
    )


# --- quarantine (隔离管控) ----------------------------------------------------------------------


def quarantine_kind(code: str = "home"):
    """A kind seeded by the data migration: home, centralised, home_monitoring."""
    from fangxian.quarantine.models import QuarantineKind

    return QuarantineKind.objects.get(code=code)


def order_reason(name: str = "密切接触者"):
    from fangxian.quarantine.models import OrderReason

    return OrderReason.objects.get(name=name)


def make_order(*, person: Person, actor: User, kind: str = "home", **fields):
    """An order placed through the service (active at once unless `fields` say otherwise)."""
    from fangxian.quarantine.orders import order_place

    defaults = {"reason": order_reason(), "basis": "疾控中心密接名单"}
    return order_place(
        actor=actor, person=person, kind=quarantine_kind(kind), **(defaults | fields)
    )


# --- checkpoints (卡点) -------------------------------------------------------------------------


def make_checkpoint(*, region: Region, name: str = "", **fields):
    """A checkpoint of `region` registering every passage in full unless `mode` says otherwise."""
    from fangxian.checkpoints.models import Checkpoint

    defaults = {
        "level": Checkpoint.Level.VILLAGE,
        "kind": Checkpoint.Kind.CHECKPOINT,
        "location": "村口",
        "mode": Checkpoint.Mode.FULL,
    }
    return Checkpoint.objects.create(
        region=region, name=name or f"卡点{next(_sequence)}", **(defaults | fields)
    )


def register_passage(*, checkpoint, actor, people=None, client_id=None, **fields):
    """A passage through the service (`people`: dicts of PersonEntry fields); the Registered."""
    import uuid

    from fangxian.checkpoints.services import PassageInput, PersonEntry, passage_register

    entries = tuple(PersonEntry(**entry) for entry in (people or [{"name": "过客"}]))
    defaults = {"direction": "in", "decision": "released", "people": entries}
    return passage_register(
        actor=actor,
        checkpoint=checkpoint,
        client_id=client_id or uuid.uuid4(),
        data=PassageInput(**(defaults | fields)),
    )


# --- enterprises (企业复工复产) ------------------------------------------------------------------


def valid_uscc(sequence: int | None = None, area: str = "530113") -> str:
    """A valid unified social credit code (GB 32100) registered in `area`."""
    from fangxian.enterprises import uscc

    number = sequence if sequence is not None else next(_sequence)
    first17 = f"91{area}{number:08d}M"[:17]
    return first17 + uscc.check_character(first17)


def make_enterprise(*, region: Region, name: str = "", **fields):
    """An enterprise in a village or community, saved directly."""
    from fangxian.enterprises.models import Enterprise

    defaults = {
        "name": name or f"{region.short_name}企业{next(_sequence)}",
        "uscc": valid_uscc(),
        "address": f"{region.short_name}工业园1号",
        "industry": Enterprise.Industry.INDUSTRY,
        "workers_count": 20,
        "contact_name": "联络员",
        "contact_phone": "13600000001",
        "prevention_lead_name": "防疫负责人",
        "prevention_lead_phone": "13600000002",
    }
    return Enterprise.objects.create(region=region, **(defaults | fields))


def make_enterprise_contact(*, enterprise, username: str = "", **fields) -> User:
    """A login whose only role is over `enterprise` (no region role)."""
    from fangxian.enterprises.models import EnterpriseMembership

    user = make_user(username=username, home_region=enterprise.region, **fields)
    EnterpriseMembership.objects.create(user=user, enterprise=enterprise)
    return user


# --- daily reports (日报) ------------------------------------------------------------------------


def make_reporting_unit(*, region: Region, name: str = "", members=(), **fields):
    """A reporting unit (a village's by default) whose `members` fill its daily form."""
    from fangxian.reports.models import ReportingUnit, UnitKind

    defaults = {"kind": UnitKind.VILLAGE, "name": name or region.short_name}
    unit = ReportingUnit.objects.create(region=region, **(defaults | fields))
    unit.members.add(*members)
    return unit


def make_place(*, region: Region, name: str = "", **fields):
    """An open place (场所码) of `region` (a village) with a fresh code, written directly (the
    services' rules are tested in places/tests)."""
    from django.utils import timezone

    from fangxian.places.models import Place
    from fangxian.places.services import new_token

    defaults = {"kind": Place.Kind.SUPERMARKET, "token": new_token()}
    return Place.objects.create(
        region=region,
        name=name or f"场所{next(_sequence)}",
        token_issued_at=timezone.now(),
        **(defaults | fields),
    )
