"""Figures per checkpoint, village and day (item 6 of issue 5): counted in the database, latest
versions only, counted-only passages apart, each figure leading to the passages behind it."""

import uuid
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import login
from fangxian.checkpoints.models import Checkpoint
from fangxian.checkpoints.selectors import checkpoint_figures
from fangxian.checkpoints.services import PassageInput, PersonEntry, passage_register
from tests import factories

GREEN = {"code_colour": "green", "code_verified": True}


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def scene(town, hq_user):
    """瓦房村 registers in full, 碑棋社区 only exceptions; today and yesterday."""
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    wafang = factories.make_checkpoint(region=town["wafang"], name="瓦房卡点")
    beiqi = factories.make_checkpoint(
        region=town["beiqi"], name="碑棋卡点", mode=Checkpoint.Mode.EXCEPTIONS
    )

    def register(checkpoint, day, **fields):
        return factories.register_passage(
            checkpoint=checkpoint, actor=hq_user, occurred_at=_at(day), **fields
        )

    register(wafang, today, plate="云A11111", people=[{"name": "甲"}, {"name": "乙"}])
    register(
        wafang,
        today,
        decision="turned_back",
        decision_reason="无事外出",
        people=[{"name": "丙"}],
    )
    register(
        wafang,
        today,
        plate="云A22222",
        decision="handed_over",
        decision_reason="发热",
        destination_region=town["wafang"],
        people=[{"name": "丁", "temperature": Decimal("38.2")}],
    )
    wrong = register(
        wafang,
        today,
        plate="云A33333",
        decision="turned_back",
        decision_reason="误录",
        people=[{"name": "戊"}, {"name": "己"}, {"name": "庚"}],
    ).passage
    passage_register(  # corrected: one person, let through
        actor=hq_user,
        checkpoint=wafang,
        client_id=uuid.uuid4(),
        data=PassageInput(
            direction="in",
            decision="released",
            plate="云A33333",
            occurred_at=wrong.occurred_at,
            people=(PersonEntry(name="戊"),),
        ),
        corrects=wrong,
    )
    register(wafang, yesterday, plate="云A44444", people=[{"name": "辛"}])
    register(
        beiqi, today, plate="云B11111", people=[{"name": "壬", **GREEN}, {"name": "癸", **GREEN}]
    )
    register(beiqi, today, people=[{"name": "子", **GREEN}])
    register(beiqi, yesterday, plate="云B22222", people=[{"name": "丑", **GREEN}])
    register(
        beiqi,
        today,
        plate="云B33333",
        decision="turned_back",
        decision_reason="发热",
        people=[{"name": "寅", "temperature": Decimal("37.5"), **GREEN}],
    )
    return {"today": today, "wafang": wafang, "beiqi": beiqi}


def _by_label(rows):
    return {row.label: row for row in rows}


def test_the_figures_of_a_day_and_cumulative(scene, hq_user):
    rows, regions = checkpoint_figures(user=hq_user, day=scene["today"])
    wafang, beiqi = _by_label(rows)["瓦房卡点"], _by_label(rows)["碑棋卡点"]
    assert wafang.day == {
        "people": 5,  # 甲 乙, 丙, 丁, and 戊 of the correction (not 戊 己 庚)
        "vehicles": 3,
        "turned_back": 1,
        "handed_over": 1,
        "fevers": 1,
    }
    assert wafang.total == {**wafang.day, "people": 6, "vehicles": 4}
    assert (wafang.counted_day, wafang.counted_total) == ({"people": 0, "vehicles": 0},) * 2
    assert beiqi.day == {
        "people": 1,
        "vehicles": 1,
        "turned_back": 1,
        "handed_over": 0,
        "fevers": 1,
    }
    assert beiqi.counted_day == {"people": 3, "vehicles": 1}
    assert beiqi.counted_total == {"people": 4, "vehicles": 2}
    assert {row.label: row.day["people"] for row in regions} == {
        "瓦房村": 5,
        "碑棋社区": 1,
        "合计": 6,
    }
    assert regions[-1].counted_total == {"people": 4, "vehicles": 2}


def test_the_figures_cost_three_queries(scene, hq_user, django_assert_num_queries):
    hq_user.region_paths_for("view_people")  # the role cache, read once per request anyway
    with django_assert_num_queries(3):
        checkpoint_figures(user=hq_user, day=scene["today"])


def test_a_village_sees_only_its_checkpoints(scene, town):
    cadre = factories.make_user(role="hq", region=town["beiqi"])
    rows, _ = checkpoint_figures(user=cadre, day=scene["today"])
    assert [row.label for row in rows] == ["碑棋卡点"]


def test_each_figure_links_to_the_passages_behind_it(client, scene, hq_user):
    login(client, hq_user)
    page = client.get(reverse("checkpoints:figures"), {"day": scene["today"].isoformat()})
    text = page.content.decode()
    link = (
        f"{reverse('checkpoints:passage-list')}?checkpoint={scene['wafang'].pk}"
        f"&amp;day={scene['today'].isoformat()}&amp;figure=turned_back"
    )
    assert link in text
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert "丙" in listed and "戊" not in listed and "甲" not in listed
    people = client.get(
        reverse("checkpoints:passage-list"),
        {"checkpoint": scene["wafang"].pk, "day": scene["today"].isoformat(), "figure": "people"},
    ).content.decode()
    assert "戊" in people and "己" not in people  # the corrected version only


def test_the_passage_list_pages_by_key(client, hq_user, town):
    checkpoint = factories.make_checkpoint(region=town["wafang"])
    for index in range(35):
        factories.register_passage(
            checkpoint=checkpoint, actor=hq_user, people=[{"name": f"人{index:02d}"}]
        )
    login(client, hq_user)
    first = client.get(reverse("checkpoints:passage-list"))
    assert first.content.decode().count('data-testid="passage-row"') == 30
    after = first.context["page"].next_after
    second = client.get(reverse("checkpoints:passage-list"), {"after": after})
    assert second.content.decode().count('data-testid="passage-row"') == 5
    assert "人00" in second.content.decode()
