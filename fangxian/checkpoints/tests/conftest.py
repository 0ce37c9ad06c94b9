import pytest
from django.utils import timezone

from fangxian.accounts.roles import Role
from fangxian.screening.models import KeyArea
from tests import factories


@pytest.fixture
def checkpoint(town):
    """瓦房村's checkpoint, registering every passage in full."""
    return factories.make_checkpoint(region=town["wafang"], name="瓦房村口卡点")


@pytest.fixture
def staff(town):
    """Checkpoint staff of 瓦房村."""
    return factories.make_user(
        role=Role.CHECKPOINT_STAFF, region=town["wafang"], username="kadian", full_name="值守员"
    )


@pytest.fixture
def hubei(town):
    """湖北 a key area on the township's list since a week ago."""
    return KeyArea.objects.create(
        region=town["town"],
        division_code="42",
        name="湖北省",
        label="湖北",
        starts_on=timezone.localdate() - timezone.timedelta(days=7),
    )
