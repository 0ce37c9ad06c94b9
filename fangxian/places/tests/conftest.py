import pytest

from fangxian.accounts.roles import Role
from fangxian.places.models import Place
from fangxian.places.services import place_create
from tests import factories


@pytest.fixture
def cadre(town):
    """A village cadre of 瓦房村 (manage_places there)."""
    return factories.make_user(
        role=Role.VILLAGE_CADRE, region=town["wafang"], username="cadre", full_name="村干部"
    )


@pytest.fixture
def shop(town, hq_user):
    """瓦房村's supermarket, open."""
    return place_create(
        actor=hq_user, region=town["wafang"], name="瓦房超市", kind=Place.Kind.SUPERMARKET
    )


@pytest.fixture
def beiqi_shop(town, hq_user):
    return place_create(
        actor=hq_user, region=town["beiqi"], name="碑棋药店", kind=Place.Kind.PHARMACY
    )
