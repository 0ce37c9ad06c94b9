import pytest

from fangxian.accounts.roles import Role
from fangxian.enterprises import hooks
from tests import factories


@pytest.fixture(autouse=True)
def _placement_handler_kept():
    """Tests here swap the placement handler; the quarantine app's comes back afterwards."""
    saved = list(hooks._handler)
    yield
    hooks._handler[:] = saved


@pytest.fixture
def wafang_enterprise(town):
    return factories.make_enterprise(region=town["wafang"], name="瓦房砖厂")


@pytest.fixture
def beiqi_enterprise(town):
    return factories.make_enterprise(region=town["beiqi"], name="碑棋超市")


@pytest.fixture
def contact(wafang_enterprise):
    """瓦房砖厂's own contact: no region role at all."""
    return factories.make_enterprise_contact(
        enterprise=wafang_enterprise, username="brick", full_name="砖厂联络员"
    )


@pytest.fixture
def village_cadre(town):
    return factories.make_user(
        role=Role.VILLAGE_CADRE, region=town["wafang"], username="cadre", full_name="瓦房村干部"
    )


@pytest.fixture
def supervisor(town):
    return factories.make_user(
        role=Role.FACTORY_SUPERVISOR,
        region=town["wafang"],
        username="supervisor",
        full_name="驻厂监督员",
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
