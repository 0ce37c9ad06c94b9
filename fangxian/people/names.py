"""Pinyin keys for names, so that typing `zs` or `zhangs` finds 张三. Pure, no Django."""

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

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


def name_syllables(name: str) -> list[str]:
    syllables = lazy_pinyin(name, style=Style.NORMAL, errors="ignore")
    if name and name[0] in _SURNAME_READINGS and syllables:
        syllables[0] = _SURNAME_READINGS[name[0]]
    return [s.lower() for s in syllables if s.isascii()]


@lru_cache(maxsize=65536)
def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin without spaces, initials): 张三 -> ("zhangsan", "zs"). Cached: a roster
    repeats names, and pypinyin takes some 20 µs a name."""
    syllables = name_syllables(name)
    return "".join(syllables), "".join(s[0] for s in syllables if s)
