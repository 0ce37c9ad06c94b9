"""Resident ID number rules (GB 11643). Pure functions, no Django, so hypothesis can hammer them.

Errors carry a code and parameters; people.validators turns them into Chinese messages.
"""

import operator
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from stdnum import numdb

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# Residence permits for Hong Kong, Macau and Taiwan residents use these area codes.
PERMIT_AREAS = {"810000", "820000", "830000"}
# County codes known from elsewhere than python-stdnum's table, which lags behind GB/T 2260 (it
# lacks e.g. 临平区 330113 and 钱塘区 330114, both 2021). The people app registers the counties of
# the NBS division tables here at start-up (register_area_codes); these two stay as a floor.
_EXTRA_AREAS: set[str] = {"330113", "330114"}


def register_area_codes(codes: set[str] | frozenset[str]) -> None:
    """Accept these six-digit county codes as existing (e.g. from the current NBS tables)."""
    _EXTRA_AREAS.update(code for code in codes if len(code) == 6 and code.isdigit())


EARLIEST_BIRTH = date(1880, 1, 1)

_SPACES = re.compile(r"[\s\u3000\u00a0-]+")


class IdNumberError(ValueError):
    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class ParsedIdNumber:
    number: str
    area_code: str
    birth_date: date
    sex: str  # "M" or "F"

    @property
    def is_permit(self) -> bool:
        return self.area_code in PERMIT_AREAS


def normalize(text: str) -> str:
    """Full-width to half-width (NFKC), drop spaces and dashes, upper-case the x."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text or "")).upper()


def check_char(first17: str) -> str:
    if len(first17) != len(WEIGHTS):
        raise ValueError("check_char takes the first 17 characters")
    total = sum(map(operator.mul, map(int, first17), WEIGHTS))
    return CHECK_CHARS[total % 11]


def upgrade_15(number: str) -> str:
    """A 15-digit first-generation number: insert the century 19 and compute the check."""
    first17 = number[:6] + "19" + number[6:]
    return first17 + check_char(first17)


@lru_cache(maxsize=8192)
def area_code_exists(area: str) -> bool:
    """True when the six digits were ever a county-level code of GB/T 2260 (any vintage: the code
    is the county at the time of issue and may since have been abolished)."""
    if area in PERMIT_AREAS or area in _EXTRA_AREAS:
        return True
    info = {key for _, props in numdb.get("cn/loc").info(area) for key in props}
    return "county" in info


def parse(text: str, *, today: date | None = None) -> ParsedIdNumber:
    """Normalise and check a resident ID number; raise IdNumberError saying what is wrong."""
    number = normalize(text)
    if not number:
        raise IdNumberError("empty")
    if len(number) == 15 and number.isdigit():
        number = upgrade_15(number)
    if len(number) != 18:
        raise IdNumberError("length", length=len(number))
    if not (number[:17].isdigit() and number[:17].isascii()):
        bad = next(i for i, c in enumerate(number[:17]) if not c.isdigit() or not c.isascii())
        raise IdNumberError("character", position=bad + 1, char=number[bad])
    if not (number[17].isdigit() and number[17].isascii()) and number[17] != "X":
        raise IdNumberError("check_character", char=number[17])
    area = number[:6]
    if not area_code_exists(area):
        raise IdNumberError("area", area=area)
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError("birth_date", text=number[6:14]) from None
    if birth < EARLIEST_BIRTH or birth > (today or date.today()):  # noqa: DTZ011 (a calendar date)
        raise IdNumberError("birth_range", birth=birth.isoformat())
    expected = check_char(number[:17])
    if number[17] != expected:
        raise IdNumberError("check_digit", expected=expected, actual=number[17])
    return ParsedIdNumber(
        number=number,
        area_code=area,
        birth_date=birth,
        sex="M" if int(number[16]) % 2 == 1 else "F",
    )


def make(area: str, birth: date, sequence: int) -> str:
    """Build a valid number (for the demo and the tests): sequence 0-999, odd for men."""
    first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
