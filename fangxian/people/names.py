"""Pinyin keys for names, so that typing `zs` or `zhangs` finds 张三. Pure, no Django."""

from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT

# Surnames whose reading differs from the character's commonest one.
_SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "查": "zha",
    "区": "ou",
    "仇": "qiu",
    "朴": "piao",
    "乐": "yue",
    "尉": "yu",
    "覃": "qin",
    "缪": "miao",
    "翟": "zhai",
    "盖": "ge",
    "繁": "po",
    "长": "chang",
    "重": "chong",
    "秘": "bi",
    "阚": "kan",
    "黑": "he",
    "种": "chong",
}


# pypinyin reads a text phrase by phrase (its dictionary of words) and falls back to each
# character's commonest reading. A name with no dictionary word in it is read character by
# character, so those readings can be cached per character: a roster of 100,000 names then costs
# dictionary lookups instead of 100,000 runs of pypinyin's pipeline (some 20 µs each).
_SHORT_NAME = 6


def _has_phrase(name: str) -> bool:
    return any(
        name[start:end] in PHRASES_DICT
        for start in range(len(name) - 1)
        for end in range(start + 2, len(name) + 1)
    )


@lru_cache(maxsize=32768)
def _char_syllables(char: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(char, style=Style.NORMAL, errors="ignore"))


def _readings(name: str) -> list[str]:
    """What `lazy_pinyin(name, style=NORMAL, errors="ignore")` gives, faster for short names."""
    if len(name) <= _SHORT_NAME and not _has_phrase(name):
        return [syllable for char in name for syllable in _char_syllables(char)]
    return lazy_pinyin(name, style=Style.NORMAL, errors="ignore")


def name_syllables(name: str) -> list[str]:
    syllables = _readings(name)
    if name and name[0] in _SURNAME_READINGS and syllables:
        syllables[0] = _SURNAME_READINGS[name[0]]
    return [s.lower() for s in syllables if s.isascii()]


@lru_cache(maxsize=65536)
def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin without spaces, initials): 张三 -> ("zhangsan", "zs"). Cached: a roster
    repeats names, and pypinyin takes some 20 µs a name."""
    syllables = name_syllables(name)
    return "".join(syllables), "".join(s[0] for s in syllables if s)
