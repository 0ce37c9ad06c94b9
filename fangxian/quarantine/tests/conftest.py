"""Personas for quarantine: the 四包一 team of 瓦房村 and a second HQ member for approvals."""

import itertools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from fangxian.accounts.roles import Role
from tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The controlled clock: 2020-02-03 09:30 in 乌龙镇.
NOW = datetime(2020, 2, 3, 9, 30, tzinfo=SHANGHAI)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in February 2020, local time."""
    return datetime(2020, 2, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def hq_second(town):
    """Another HQ member, from another unit: the second approver."""
    return factories.make_user(
        role=Role.HQ, region=town["town"], username="hq2", full_name="第二指挥部", unit="卫生院"
    )


@pytest.fixture
def doctor(town):
    return factories.make_user(
        role=Role.MEDIC, region=town["town"], username="doctor", full_name="李医生"
    )


@pytest.fixture
def village_cadre(town):
    return factories.make_user(
        role=Role.VILLAGE_CADRE, region=town["wafang"], username="cadre", full_name="王村干部"
    )


@pytest.fixture
def police(town):
    return factories.make_user(
        role=Role.POLICE, region=town["town"], username="police", full_name="赵民警"
    )


@pytest.fixture
def inspector(town):
    return factories.make_user(
        role=Role.INSPECTOR, region=town["town"], username="inspector", full_name="督导"
    )


@pytest.fixture
def volunteer(town):
    return factories.make_user(
        role=Role.VOLUNTEER, region=town["wafang"], username="volunteer", full_name="志愿者"
    )


_births = itertools.count()


def resident(*, name: str, region=None, household=None):
    """A person with an ID number of their own: born in 1990 or later, so it can never collide
    with the personas' numbers (born 1985) whatever the shared sequence has reached."""
    birth = date(1990, 1, 1) + timedelta(days=next(_births))
    return factories.make_person(
        region=region,
        household=household,
        name=name,
        id_number=factories.valid_id_number(birth=birth, sequence=1),
    )
