"""Unified social credit codes (统一社会信用代码, GB 32100-2015). Pure rules, no Django.

18 characters over `0-9A-HJ-NPQRTUWXY` (no I, O, S, V, Z): the registering authority (1), the
kind of body (1), the region code (6, GB/T 2260), the organisation code (9) and a check
character. The arithmetic is python-stdnum's `stdnum.cn.uscc`; this module only normalises
(full-width characters, spaces, lower case) and says which rule failed, so that the form can
name it in Chinese.
"""

import unicodedata
from dataclasses import dataclass

from stdnum.cn import uscc as _stdnum_uscc

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
LENGTH = 18

WRONG_LENGTH = "length"
BAD_CHARACTER = "character"
BAD_CHECK = "check"


@dataclass(frozen=True)
class UsccError(ValueError):
    kind: str  # WRONG_LENGTH, BAD_CHARACTER or BAD_CHECK
    detail: str = ""  # the character that is not allowed, or the check character expected


def normalize(value: str) -> str:
    """NFKC (full-width → half-width), drop spaces and hyphens, upper case."""
    text = unicodedata.normalize("NFKC", value or "")
    return "".join(ch for ch in text if not ch.isspace() and ch != "-").upper()


def check_character(first17: str) -> str:
    """The check character of the first 17 characters: (31 - sum mod 31) mod 31 with weights
    3^i mod 31 (1 3 9 27 19 26 …), through stdnum."""
    return _stdnum_uscc.calc_check_digit(first17)


def validate(value: str) -> str:
    """The code normalised, or UsccError naming the rule it breaks."""
    code = normalize(value)
    if len(code) != LENGTH:
        raise UsccError(WRONG_LENGTH, str(len(code)))
    bad = next((ch for ch in code if ch not in ALPHABET), None)
    if bad is not None:
        raise UsccError(BAD_CHARACTER, bad)
    expected = check_character(code[:-1])
    if code[-1] != expected:
        raise UsccError(BAD_CHECK, expected)
    return code


def region_code(code: str) -> str:
    """Characters 3–8: the GB/T 2260 code of the registering region."""
    return code[2:8]
