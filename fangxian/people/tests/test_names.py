"""Pinyin keys for names (people.names): what makes `zs` and `zhangs` find 张三."""

from functools import cache

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from fangxian.people import names


@cache
def common_hanzi() -> list[str]:
    """The 3,755 level-1 characters of GB 2312: the ones a registrar types every day."""
    chars = []
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


chinese_names = st.lists(st.sampled_from(common_hanzi()), min_size=1, max_size=4).map("".join)


def test_zhang_san_has_full_pinyin_and_initials():
    assert names.pinyin_keys("张三") == ("zhangsan", "zs")


def test_compound_surname_gives_one_initial_per_character():
    assert names.pinyin_keys("欧阳娜娜") == ("ouyangnana", "oynn")


@pytest.mark.parametrize(
    ("name", "full"),
    [
        ("单田芳", "shantianfang"),
        ("曾国藩", "zengguofan"),
        ("解缙", "xiejin"),
        ("区志明", "ouzhiming"),
        ("仇英", "qiuying"),
        ("朴槿惠", "piaojinhui"),
        ("翟志刚", "zhaizhigang"),
        ("覃斌", "qinbin"),
    ],
)
def test_surname_takes_its_surname_reading(name, full):
    assert names.pinyin_keys(name)[0] == full


def test_surname_reading_applies_only_to_the_first_character():
    # 单 in the given name keeps its ordinary reading dan.
    assert names.pinyin_keys("王单")[0] == "wangdan"


def test_punctuation_and_spaces_are_ignored():
    assert names.pinyin_keys("阿依·古丽") == names.pinyin_keys("阿依古丽")


def test_empty_name_has_empty_keys():
    assert names.pinyin_keys("") == ("", "")


@hypothesis_settings(max_examples=200, deadline=None)
@given(name=chinese_names)
def test_every_common_character_gives_one_lower_case_syllable(name):
    full, initials = names.pinyin_keys(name)
    assert len(initials) == len(name)
    assert full.isascii() and full.isalpha() and full.islower()
    assert initials.isascii() and initials.islower()


@hypothesis_settings(max_examples=200, deadline=None)
@given(name=chinese_names)
def test_initials_are_the_first_letters_of_the_syllables(name):
    syllables = names.name_syllables(name)
    full, initials = names.pinyin_keys(name)
    assert full == "".join(syllables)
    assert initials == "".join(s[0] for s in syllables)


readable_text = st.lists(
    st.one_of(
        st.sampled_from(common_hanzi()),
        st.sampled_from("长重行乐朴单曾解查区仇长江重庆银行音乐"),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    max_size=8,
).map("".join)


@given(readable_text)
@hypothesis_settings(max_examples=400)
def test_the_per_character_fast_path_reads_as_pypinyin_does(text):
    from pypinyin import Style, lazy_pinyin

    assert names._readings(text) == lazy_pinyin(text, style=Style.NORMAL, errors="ignore")


def test_a_name_with_a_dictionary_word_is_read_as_a_phrase():
    # 长江 is a word (chang jiang); 长 alone is read zhang/chang by context.
    assert names._readings("长江") == ["chang", "jiang"]
    assert names._has_phrase("长江") and not names._has_phrase("张三")
