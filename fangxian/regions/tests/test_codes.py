"""Rules of the NBS division codes (regions.codes). Pure functions, no database."""

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from fangxian.regions import codes
from fangxian.regions.codes import DivisionCodeError


@pytest.mark.parametrize("text", ["53", "5301", "530113", "530113105", "530113105214"])
def test_trimmed_codes_are_kept(text):
    assert codes.normalize_code(text) == text


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("530000000000", "53"),
        ("530100000000", "5301"),
        ("530113000000", "530113"),
        ("530113105000", "530113105"),
        (" 530113 105 000 ", "530113105"),
    ],
)
def test_twelve_digit_codes_padded_with_zeros_are_trimmed(text, path):
    assert codes.normalize_code(text) == path


@pytest.mark.parametrize(
    "text", ["", "5", "530", "53011", "5301131", "53011310", "5301131050", "abc", "53011３"]
)
def test_other_lengths_and_non_digits_are_refused(text):
    with pytest.raises(DivisionCodeError):
        codes.normalize_code(text)


def test_none_is_refused():
    with pytest.raises(DivisionCodeError):
        codes.normalize_code(None)


@pytest.mark.parametrize(
    ("path", "level"),
    [("53", 1), ("5301", 2), ("530113", 3), ("530113105", 4), ("530113105214", 5)],
)
def test_level_follows_the_path_length(path, level):
    assert codes.level_of(path) == level


def test_level_of_a_grid_path_is_refused():
    with pytest.raises(DivisionCodeError):
        codes.level_of("53011310521401")


def test_full_code_pads_to_twelve_digits():
    assert codes.full_code("530113105") == "530113105000"


@hypothesis_settings(max_examples=200)
@given(
    path=st.sampled_from([2, 4, 6, 9, 12]).flatmap(
        lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)
    )
)
def test_full_code_of_a_normalised_code_normalises_back_to_a_prefix_of_it(path):
    # 530113105000 may trim further when the township digits are zero (530113 000): the result
    # is always a prefix of the path and pads to the same full code.
    trimmed = codes.normalize_code(codes.full_code(path))
    assert path.startswith(trimmed)
    assert codes.full_code(trimmed) == codes.full_code(path)


@pytest.mark.parametrize(
    ("code", "name", "kind"),
    [
        ("530113001", "铜都街道", "街道"),
        ("530113105", "乌龙镇", "镇"),
        ("530113201", "舍块乡", "乡"),
        ("150000101", "某某苏木", "苏木"),
        ("530113050", "某某办事处", "街道"),
        ("530113150", "某某地区", "镇"),
        ("530113250", "某某地区", "乡"),
    ],
)
def test_township_kind_by_name_then_by_number(code, name, kind):
    assert codes.township_kind(code, name) == kind


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("碑棋社区居民委员会", "社区"),
        ("新街居委会", "社区"),
        ("碑棋社区", "社区"),
        ("瓦房村村民委员会", "村"),
        ("瓦房村委会", "村"),
        ("瓦房村", "村"),
        ("某某农场生活区", ""),
    ],
)
def test_village_kind(name, kind):
    assert codes.village_kind(name) == kind


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("碑棋社区居民委员会", "碑棋社区"),
        ("瓦房村村民委员会", "瓦房村"),
        ("新街居委会", "新街社区"),
        ("马店村委会", "马店村"),
        ("大水井村民委员会", "大水井村"),
        ("某某农场生活区", "某某农场生活区"),
    ],
)
def test_village_short_name(name, short):
    assert codes.village_short_name(name) == short


def test_local_child_path_extends_the_parent_by_two_digits():
    assert codes.local_child_path("530113105214", 1) == "53011310521401"
    assert codes.local_child_path("53011310521401", 99) == "5301131052140199"


@pytest.mark.parametrize("number", [0, 100, -1])
def test_local_child_number_outside_1_to_99_is_refused(number):
    with pytest.raises(DivisionCodeError):
        codes.local_child_path("530113105214", number)
