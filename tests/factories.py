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
