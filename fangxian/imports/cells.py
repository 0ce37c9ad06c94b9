"""Rules for the values found in real rosters. Pure functions, no Django, so hypothesis can
hammer them.

Each rule takes a raw cell as reading.py delivers it (str, int, float, bool, date, datetime,
time or None) and returns a clean value or raises CellError(code, **params). The rules never
guess: a date that reads two ways, or an ID number Excel has already mangled, is an error that
names the trap, because a wrong value stored silently is worse than a row sent back.
Blank cells are not errors here (the rules return "" or None); whether a field is required is the
importer's decision.
"""

import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from fangxian.people import idnumber


class CellError(ValueError):
    """A cell value that cannot be used. `code` names the problem, `params` fill its message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


# --- text ----------------------------------------------------------------------------------

# Zero-width characters and soft hyphens come with text pasted from web pages and chat apps;
# they are invisible and make two equal names differ. Removed before NFKC so that the result is
# stable when cleaned again.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")


def text(value: object) -> str:
    """The cell as clean text: NFKC (full-width → half-width), trimmed, inner spaces collapsed.

    Whole numbers lose Excel's ".0" (a house number 12 arrives as 12.0); None is "".
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"  # as Excel shows a logical cell
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds" if value.second else "minutes")
    if isinstance(value, time):
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    if isinstance(value, date | timedelta):
        return str(value)
    return text(str(value))


@lru_cache(maxsize=16384)
def _clean_text(value: str) -> str:
    """Cached: a roster repeats its sexes, places, dates and group names on every row."""
    if value.isascii():
        return " ".join(value.split())
    cleaned = unicodedata.normalize("NFKC", _INVISIBLE.sub("", value))
    return " ".join(cleaned.split())


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# --- ID numbers ----------------------------------------------------------------------------

# How Excel shows a long number in a General cell (1.10101E+17), and how programs print a float.
_SCIENTIFIC = re.compile(r"[0-9](?:\.[0-9]+)?E\+?[0-9]+", re.IGNORECASE)
# A float written out as text by some tool on the way: "110101199003077000.0".
_FLOAT_TEXT = re.compile(r"[0-9]{15,18}\.0+")


def id_number_cell(value: object) -> str:
    """The ID number as text for idnumber.parse, or CellError when Excel has damaged it.

    A numeric cell is always damaged: Excel keeps 15 significant digits, so an 18-digit number
    has already lost its last three, and even an intact one proves the column was not text.
    A string ending in 000 whose check character fails is what such a number becomes once the
    column is re-typed as text. Neither is repaired: the missing digits cannot be known.
    """
    if value is None:
        return ""
    if _is_number(value):
        raise CellError("id_excel_number", value=_excel_display(value))
    shown = text(value)
    if _SCIENTIFIC.fullmatch(shown) or _FLOAT_TEXT.fullmatch(shown):
        raise CellError("id_excel_number", value=shown)
    number = idnumber.normalize(shown)
    first17 = number[:17]
    if (
        len(number) == 18
        and number.endswith("000")
        and first17.isascii()
        and first17.isdigit()
        and idnumber.check_char(first17) != number[17]
    ):
        raise CellError("id_excel_truncated", value=number)
    return number


def _excel_display(number: float) -> str:
    """Show a number as Excel's General format does, so the user recognises it: 1.10101E+17."""
    if not math.isfinite(number) or abs(number) < 1e11:
        return text(number)
    mantissa, exponent = f"{number:.5E}".split("E")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}E+{int(exponent):02d}"


# --- dates ---------------------------------------------------------------------------------

# Excel serials accepted as dates: 20000 is 1954-10-03, 80000 is 2119-01-10. Smaller numbers are
# far more likely to be something else (a count, 2.3 meaning 2月3日) than a date.
SERIAL_MIN = 20000
SERIAL_MAX = 80000
_EXCEL_EPOCH = date(1899, 12, 30)

_TIME = r"(?:[ T]?\d{1,2}(?::\d{1,2}){1,2}(?:\.\d+)?|[ ]?\d{1,2}时(?:\d{1,2}分(?:\d{1,2}秒)?)?)?"
_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern + _TIME))
    for kind, pattern in (
        ("ymd", r"(?P<y>\d{4})(?P<sep>[./-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"),
        ("ymd", r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?"),
        ("ymd", r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
        ("dmy", r"(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})"),
        ("md", r"(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?"),
        ("md", r"(?P<m>\d{1,2})(?P<sep>[./-])(?P<d>\d{1,2})"),
        # Two-digit years: 20.2.3 could be 2020 or 1920, 2/3/20 could be three different days.
        ("yy", r"\d{2}(?P<sep>[./-])\d{1,2}(?P=sep)\d{1,2}"),
        ("yy", r"\d{2}年\d{1,2}月\d{1,2}[日号]?"),
        ("yy", r"\d{1,2}(?P<sep>[./-])\d{1,2}(?P=sep)\d{2}"),
        ("yy", r"\d{6}"),
    )
)
_AROUND_SEPARATORS = re.compile(r"\s*([./\-年月日号])\s*")


def from_excel_serial(serial: float) -> date:
    """The day of an Excel serial number; the fraction (the time) is dropped.

    Excel counts 1900-01-01 as 1 and wrongly believes 1900 was a leap year (Lotus did), so
    serial 60 is a 29 February that never was and later serials are one day ahead.
    """
    day = int(serial)
    if day < 1 or day == 60:
        raise CellError("date_unreadable", value=text(serial))
    if day < 60:
        return date(1899, 12, 31) + timedelta(days=day)
    return _EXCEL_EPOCH + timedelta(days=day)


def date_cell(
    value: object,
    *,
    year: int | None,
    earliest: date | None = None,
    latest: date | None = None,
) -> date | None:
    """The date a cell means, or None for a blank cell.

    Understands real date cells, Excel serials, 20200203 typed as a number, and the spellings
    2020.2.3, 2020/2/3, 2020-02-03, 2020年2月3日 (or 号), 20200203, with or without a time.
    Month and day alone (2月3日, 2.3, 2-3, 2/3; month first, as Chinese is written) take `year`,
    the import's context, and are refused without it. Two-digit years and day/month orders that
    read two ways are refused rather than guessed. `earliest`/`latest` bound plausible dates.
    """
    found = _date(value, year=year)
    if found is None:
        return None
    if (earliest and found < earliest) or (latest and found > latest):
        raise CellError(
            "date_out_of_range",
            value=text(value),
            earliest=earliest.isoformat() if earliest else "",
            latest=latest.isoformat() if latest else "",
        )
    return found


def _date(value: object, *, year: int | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if _is_number(value):
        return _date_from_number(value)
    if not isinstance(value, str):  # bool, time, timedelta: no day in them
        raise CellError("date_unreadable", value=text(value))
    return _date_from_text(value, year)


@lru_cache(maxsize=4096)
def _date_from_text(value: str, year: int | None) -> date | None:
    """Cached (dates repeat down a column); a CellError is raised again each time, not cached."""
    shown = text(value)
    if not shown:
        return None
    compact = _AROUND_SEPARATORS.sub(r"\1", shown)
    for kind, pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(compact)
        if match:
            return _date_from_match(kind, match, shown=shown, year=year)
    raise CellError("date_unreadable", value=shown)


def _date_from_number(number: float) -> date:
    shown = text(number)
    if not math.isfinite(number):
        raise CellError("date_unreadable", value=shown)
    if float(number).is_integer() and 19000101 <= number <= 21001231:
        # 20200203 typed into a General cell: Excel kept it as a number.
        return _make_date(int(shown[:4]), int(shown[4:6]), int(shown[6:]), shown=shown)
    if SERIAL_MIN <= number < SERIAL_MAX:
        return from_excel_serial(number)
    if 1 <= number < 13 and not float(number).is_integer():
        # 2.3 typed for 2月3日 became a number; 2.10 became 2.1, so the day cannot be trusted.
        raise CellError("date_ambiguous", value=shown)
    raise CellError("date_unreadable", value=shown)


def _date_from_match(kind: str, match: re.Match[str], *, shown: str, year: int | None) -> date:
    if kind == "yy":
        raise CellError("date_ambiguous", value=shown)
    if kind == "md":
        if year is None:
            raise CellError("date_needs_year", value=shown)
        return _make_date(year, int(match["m"]), int(match["d"]), shown=shown)
    if kind == "dmy":
        first, second, full_year = int(match["a"]), int(match["b"]), int(match["y"])
        readings = {
            day
            for day in (
                _try_date(full_year, first, second),  # month first (US)
                _try_date(full_year, second, first),  # day first (UK)
            )
            if day is not None
        }
        if len(readings) > 1:
            raise CellError("date_ambiguous", value=shown)
        if not readings:
            raise CellError("date_unreadable", value=shown)
        return readings.pop()
    return _make_date(int(match["y"]), int(match["m"]), int(match["d"]), shown=shown)


def _try_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _make_date(year: int, month: int, day: int, *, shown: str) -> date:
    found = _try_date(year, month, day)
    if found is None:
        raise CellError("date_unreadable", value=shown)
    return found


# --- phones --------------------------------------------------------------------------------

_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0[1-9][0-9]{8,10}")
# What people put between two numbers in one cell.
_PHONE_LIST = re.compile(r"[/、,;|]|\s{2,}|或")
_PHONE_NOISE = re.compile(r"[\s\-.()]")


def phone_cell(value: object) -> str:
    """A mobile number (11 digits) or a landline as 0871-12345678; "" for a blank cell.

    Numeric cells are fine (Excel turns 13812345678 into 13812345678.0), spaces, dashes, dots
    and brackets go, and a +86, 0086 or 86 country prefix is dropped. Two numbers in one cell
    are refused: which one to call is for the user to say.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        raise CellError("phone_unreadable", value=text(value))
    shown = text(value)
    if not shown:
        return ""
    if _is_number(value) and not float(value).is_integer():
        raise CellError("phone_unreadable", value=shown)
    parts = [part for part in _PHONE_LIST.split(shown) if sum(c.isdigit() for c in part) >= 7]
    if len(parts) > 1:
        raise CellError("phone_several", value=shown)
    digits = _PHONE_NOISE.sub("", shown)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086") and len(digits) == 15:
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if _MOBILE.fullmatch(digits):
        return digits
    if _LANDLINE.fullmatch(digits):
        # 010 and 02x are the only three-digit area codes; all others have four digits.
        area = digits[:3] if digits[1] in "12" else digits[:4]
        local = digits[len(area) :]
        if len(local) in (7, 8):
            return f"{area}-{local}"
    raise CellError("phone_unreadable", value=shown)


# --- sex, temperature, yes/no --------------------------------------------------------------

_SEXES = {
    "男": "M",
    "男性": "M",
    "m": "M",
    "male": "M",
    "1": "M",
    "女": "F",
    "女性": "F",
    "f": "F",
    "female": "F",
    "2": "F",
}


def sex_cell(value: object) -> str:
    """ "M", "F" or "" (blank). 1 and 2 follow GB/T 2261.1 (1 male, 2 female)."""
    shown = text(value)
    if not shown:
        return ""
    sex = _SEXES.get(shown.replace(" ", "").casefold())
    if sex is None:
        raise CellError("sex_unreadable", value=shown)
    return sex


TEMPERATURE_MIN = Decimal("34")
TEMPERATURE_MAX = Decimal("43")
_TENTH = Decimal("0.1")
_TEMPERATURE = re.compile(r"[0-9]{2}(?:\.[0-9]+)?")
# NFKC has already turned ℃ into °C.
_TEMPERATURE_UNIT = re.compile(r"(?:°c|°|度|c)$")


def temperature_cell(value: object) -> Decimal | None:
    """Body temperature in °C to a tenth of a degree, or None for a blank cell.

    "36.5", "36.5℃", "36.5度" and 36.5 are fine. "36,5" (a decimal comma or two readings?),
    "正常" (a word instead of a reading) and values outside 34–43 °C (a typo, or Fahrenheit)
    are refused.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError("temperature_unreadable", value=text(value))
    shown = text(value)
    if not shown:
        return None
    number = _TEMPERATURE_UNIT.sub("", shown.replace(" ", "").casefold())
    if not _TEMPERATURE.fullmatch(number):
        raise CellError("temperature_unreadable", value=shown)
    reading = Decimal(number).quantize(_TENTH, rounding=ROUND_HALF_UP)
    if not TEMPERATURE_MIN <= reading <= TEMPERATURE_MAX:
        raise CellError(
            "temperature_out_of_range",
            value=shown,
            low=str(TEMPERATURE_MIN),
            high=str(TEMPERATURE_MAX),
        )
    return reading


_YES = {"是", "有", "y", "yes", "√", "✓", "✔", "1", "true", "对"}
_NO = {"否", "无", "没有", "n", "no", "×", "✗", "✘", "0", "false", "不是"}


def yes_no_cell(value: object) -> bool | None:
    """True, False or None (blank) from 是/否, 有/无, Y/N, √/×, 1/0 or a logical cell.

    A Latin x is refused: some tick boxes with it, others cross out with it.
    """
    if isinstance(value, bool):
        return value
    shown = text(value)
    if not shown:
        return None
    key = shown.replace(" ", "").casefold()
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise CellError("yes_no_unreadable", value=shown)


# --- whole rows ----------------------------------------------------------------------------


def is_blank_row(row: list[object]) -> bool:
    """True when no cell has visible content (spaces and invisible characters do not count)."""
    return all(not text(value) for value in row)


# Signature and total lines under the table. Names of people never start with these words and a
# data row starts with a serial number or a name, so a prefix is safe for them; 说明, 备注 and 注
# are only a footer with a colon ("备注：以上人员均已…"), as 备注 alone is a column header.
_FOOTER_PREFIXES = (
    "填表人",
    "填报人",
    "审核人",
    "审批人",
    "制表人",
    "统计人",
    "负责人",
    "单位负责人",
    "分管领导",
    "合计",
    "总计",
    "小计",
)
_FOOTER_NOTE = re.compile(r"(?:说明|备注|注|联系电话|电话|填报单位|填报日期|填表日期)[:(]")


def is_footer_row(row: list[object]) -> bool:
    """True for the lines under a roster: 填表人/审核人 signatures, 合计 totals, 说明： notes.

    Only the first non-empty cell is looked at, so a data row whose notes column says
    "备注：…" or whose responsible-person column says "负责人：张三" stays a data row.
    """
    first = next((shown for value in row if (shown := text(value))), "")
    if not first:
        return False
    first = first.replace(" ", "")
    return first.startswith(_FOOTER_PREFIXES) or bool(_FOOTER_NOTE.match(first))
