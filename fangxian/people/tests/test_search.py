"""What a search-box query means (people.search.classify)."""

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from fangxian.people.search import classify


@pytest.mark.parametrize("raw", ["", "   ", "\u3000", None])
def test_blank_query_is_empty(raw):
    assert classify(raw).kind == "empty"


def test_last_four_digits_search_id_numbers_and_phones():
    query = classify("1234")
    assert (query.kind, query.text) == ("digits", "1234")


def test_last_four_ending_in_lower_x_is_upper_cased():
    query = classify("123x")
    assert (query.kind, query.text) == ("digits", "123X")


def test_full_width_digits_are_digits():
    query = classify("１２３４")
    assert (query.kind, query.text) == ("digits", "1234")


def test_phone_typed_with_spaces_is_one_number():
    query = classify("138 1234 5678")
    assert (query.kind, query.text) == ("digits", "13812345678")


def test_whole_id_number_is_digits():
    query = classify("53011319850615123x")
    assert (query.kind, query.text) == ("digits", "53011319850615123X")


def test_two_digits_are_too_few_to_search_numbers():
    assert classify("12").kind != "digits"


def test_nineteen_digits_are_not_an_id_number():
    assert classify("1" * 19).kind != "digits"


def test_x_in_the_middle_is_not_digits():
    assert classify("12x34").kind != "digits"


def test_pinyin_initials_are_lower_cased():
    query = classify("ZS")
    assert (query.kind, query.text) == ("pinyin", "zs")


def test_full_width_latin_letters_are_pinyin():
    query = classify("ｚｈａｎｇ")
    assert (query.kind, query.text) == ("pinyin", "zhang")


def test_chinese_characters_search_the_name():
    query = classify(" 张 三 ")
    assert (query.kind, query.text) == ("name", "张三")


def test_mixed_letters_and_characters_search_the_name():
    assert classify("zhang三").kind == "name"


@hypothesis_settings(max_examples=200)
@given(digits=st.text(alphabet="0123456789", min_size=3, max_size=18))
def test_any_run_of_3_to_18_digits_is_digits(digits):
    query = classify(digits)
    assert (query.kind, query.text) == ("digits", digits)


@hypothesis_settings(max_examples=200)
@given(letters=st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1))
def test_any_latin_word_is_pinyin_in_lower_case(letters):
    query = classify(letters)
    assert (query.kind, query.text) == ("pinyin", letters.lower())


# What a search box receives: Chinese, latin letters and digits, half- or full-width, and spaces.
typed = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
        st.sampled_from("0123456789xXzhangsZHANGS"),
        st.sampled_from("０１２３４５６７８９ｘＸｚｈａｎｇＺＨＡＮＧ"),
        st.sampled_from(" \u3000\t"),
    )
)


@hypothesis_settings(max_examples=300)
@given(raw=typed)
def test_classifying_the_normalised_text_again_changes_nothing(raw):
    query = classify(raw)
    assert classify(query.text) == query
