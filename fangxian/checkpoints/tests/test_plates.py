"""Vehicle plates (GA 36-2018): each rule, and properties over generated plates. No database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fangxian.checkpoints import plates

provinces = st.sampled_from(plates.PROVINCES)
letters = st.sampled_from(plates.LETTERS)
alnum = st.sampled_from(plates.ALNUM)
digits = st.sampled_from("0123456789")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("云A12345", plates.ORDINARY),
        ("鄂AB12C3", plates.ORDINARY),
        ("京AD12345", plates.NEW_ENERGY),
        ("粤BF1234X", plates.BAD_ENERGY),
        ("沪A12345D", plates.NEW_ENERGY),
        ("云A1234学", plates.SPECIAL),
        ("云A1234警", plates.SPECIAL),
        ("云A1234挂", plates.SPECIAL),
        ("粤Z1234港", plates.SPECIAL),
        ("京A1234使", plates.SPECIAL),
    ],
)
def test_known_plates_read_as_their_kind(text, kind):
    if kind == plates.BAD_ENERGY:
        with pytest.raises(plates.PlateError) as error:
            plates.parse(text)
        assert error.value.code == plates.BAD_ENERGY
    else:
        assert plates.parse(text).kind == kind


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", plates.EMPTY),
        ("   ", plates.EMPTY),
        ("XA12345", plates.BAD_PROVINCE),
        ("云112345", plates.BAD_LETTER),
        ("云I12345", plates.I_OR_O),
        ("云A1O345", plates.I_OR_O),
        ("云A1234", plates.BAD_LENGTH),
        ("云A123456789", plates.BAD_LENGTH),
        ("云A1234#", plates.BAD_CHARACTERS),
        ("云AX12345", plates.BAD_ENERGY),
    ],
)
def test_each_broken_rule_has_its_code(text, code):
    with pytest.raises(plates.PlateError) as error:
        plates.parse(text)
    assert error.value.code == code


def test_normalising_accepts_full_width_lower_case_and_separators():
    assert plates.parse(" 云ａ·１２３４５ ").text == "云A12345"
    assert plates.parse("云a-12345").text == "云A12345"


def test_other_plates_pass_only_on_the_free_text_path():
    with pytest.raises(plates.PlateError):
        plates.parse("WJ12345")
    other = plates.parse("WJ12345", allow_other=True)
    assert (other.kind, other.province, other.is_standard) == (plates.OTHER, "", False)


@given(provinces, letters, st.lists(alnum, min_size=5, max_size=5))
def test_every_ordinary_plate_parses_and_keeps_its_province(province, letter, rest):
    text = province + letter + "".join(rest)
    plate = plates.parse(text)
    assert plate.kind == plates.ORDINARY
    assert (plate.text, plate.province) == (text, province)


@given(
    provinces,
    letters,
    st.sampled_from(plates.ENERGY_LETTERS),
    alnum,
    st.lists(digits, min_size=4, max_size=4),
)
def test_every_small_new_energy_plate_parses(province, letter, energy, second, rest):
    text = province + letter + energy + second + "".join(rest)
    assert plates.parse(text).kind == plates.NEW_ENERGY


@given(provinces, letters, st.lists(digits, min_size=5, max_size=5), st.sampled_from("DF"))
def test_every_large_new_energy_plate_parses(province, letter, rest, energy):
    assert plates.parse(province + letter + "".join(rest) + energy).kind == plates.NEW_ENERGY


@given(
    provinces, letters, st.lists(alnum, min_size=5, max_size=5), st.sampled_from("IO"), st.data()
)
def test_an_i_or_an_o_anywhere_is_refused(province, letter, rest, bad, data):
    position = data.draw(st.integers(min_value=0, max_value=4))
    rest[position] = bad
    with pytest.raises(plates.PlateError) as error:
        plates.parse(province + letter + "".join(rest))
    assert error.value.code == plates.I_OR_O


@given(st.text(max_size=12))
def test_parsing_never_fails_otherwise_than_with_a_plate_error(text):
    try:
        plate = plates.parse(text, allow_other=True)
    except plates.PlateError as error:
        assert error.code in {
            plates.EMPTY,
            plates.BAD_LETTER,
            plates.I_OR_O,
            plates.BAD_LENGTH,
            plates.BAD_ENERGY,
            plates.BAD_CHARACTERS,
        }
    else:
        assert plate.text == plates.normalize(text)
