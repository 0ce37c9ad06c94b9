from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from fangxian.accounts.roles import Role
from tests import factories


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware local moment of `day`."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def days():
    """Three past days: the scenario's D1, D2, D3."""
    today = timezone.localdate()
    return [today - timedelta(days=n) for n in (3, 2, 1)]


@pytest.fixture
def cadre(town):
    return factories.make_user(
        role=Role.VILLAGE_CADRE, region=town["wafang"], username="cadre", full_name="瓦房村干部"
    )


@pytest.fixture
def wafang_unit(town, cadre, days):
    return factories.make_reporting_unit(
        region=town["wafang"], members=[cadre], reports_from=days[0]
    )
