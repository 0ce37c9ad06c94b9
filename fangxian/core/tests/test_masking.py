"""Masking of identifiers for lists and exports (core.masking)."""

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from fangxian.core.masking import mask_id_number, mask_name, mask_phone

id_numbers = st.text(alphabet="0123456789", min_size=17, max_size=17).flatmap(
    lambda first17: st.sampled_from("0123456789X").map(lambda last: first17 + last)
)
identifiers = st.text(alphabet="0123456789ABCDEFGHX", max_size=40)


def test_id_number_keeps_area_code_and_last_four():
    assert mask_id_number("530113198506151234") == "530113********1234"


def test_empty_id_number_stays_empty():
    assert mask_id_number("") == ""


def test_short_document_number_is_fully_masked():
    assert mask_id_number("E123") == "****"


def test_passport_number_keeps_a_quarter_at_each_end():
    assert mask_id_number("E12345678") == "E1*****78"


def test_mobile_number_keeps_first_three_and_last_four():
    assert mask_phone("13812345678") == "138****5678"


def test_landline_keeps_two_at_each_end():
    assert mask_phone("6612345") == "66***45"


def test_empty_phone_stays_empty():
    assert mask_phone("") == ""


@pytest.mark.parametrize(
    ("name", "masked"), [("张三", "张*"), ("王小明", "王**"), ("欧阳娜娜", "欧阳**"), ("", "")]
)
def test_name_keeps_the_surname(name, masked):
    assert mask_name(name) == masked


@hypothesis_settings(max_examples=300)
@given(number=id_numbers)
def test_masked_id_number_never_contains_the_birth_date_and_sequence(number):
    masked = mask_id_number(number)
    assert number[6:14] not in masked
    assert masked[6:14] == "*" * 8


@hypothesis_settings(max_examples=300)
@given(number=id_numbers)
def test_masked_id_number_keeps_length_area_and_last_four(number):
    masked = mask_id_number(number)
    assert len(masked) == 18
    assert masked[:6] == number[:6]
    assert masked[-4:] == number[-4:]


@hypothesis_settings(max_examples=300)
@given(value=identifiers)
def test_any_identifier_keeps_its_length_and_hides_at_least_half(value):
    masked = mask_id_number(value)
    assert len(masked) == len(value)
    assert masked.count("*") >= (8 if len(value) == 18 else len(value) / 2)


@hypothesis_settings(max_examples=300)
@given(value=identifiers)
def test_masked_identifier_only_shows_characters_in_their_places(value):
    masked = mask_id_number(value)
    assert all(m in ("*", v) for m, v in zip(masked, value, strict=True))


@hypothesis_settings(max_examples=300)
@given(phone=st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_masked_mobile_number_hides_the_middle_four(phone):
    masked = mask_phone(phone)
    assert masked[:3] == phone[:3]
    assert masked[3:7] == "****"
    assert masked[-4:] == phone[-4:]


@hypothesis_settings(max_examples=300)
@given(phone=st.text(alphabet="0123456789+- ", max_size=20))
def test_masked_phone_keeps_its_length_and_hides_something(phone):
    masked = mask_phone(phone)
    assert len(masked) == len(phone)
    assert bool(phone) == ("*" in masked)
    assert all(m in ("*", v) for m, v in zip(masked, phone, strict=True))


@hypothesis_settings(max_examples=300)
@given(name=st.text(min_size=1, max_size=8))
def test_masked_name_keeps_its_length_and_hides_all_but_the_surname(name):
    masked = mask_name(name)
    surname = 2 if len(name) >= 4 else 1
    assert len(masked) == len(name)
    assert masked[:surname] == name[:surname]
    assert masked[surname:] == "*" * (len(name) - surname)
