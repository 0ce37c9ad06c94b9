"""What a search box query means. Pure, no Django: returns the kind of match to run."""

import re
import unicodedata
from dataclasses import dataclass

_DIGITS = re.compile(r"^\d{3,18}[Xx]?$")
_LETTERS = re.compile(r"^[a-z]+$")


@dataclass(frozen=True)
class Query:
    kind: str  # "digits" | "pinyin" | "name" | "empty"
    text: str


def classify(raw: str) -> Query:
    """Digits search ID numbers (by their last digits, or whole) and phones; latin letters
    search pinyin (initials `zs` or a full-pinyin prefix `zhangs`); anything else the name."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw or ""))
    if not text:
        return Query("empty", "")
    if _DIGITS.match(text):
        return Query("digits", text.upper())
    if _LETTERS.match(text.lower()):
        return Query("pinyin", text.lower())
    return Query("name", text)
