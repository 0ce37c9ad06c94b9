"""Rules of the NBS statistical division codes (统计用区划代码). Pure functions, no Django.

A full code has 12 digits, PP CC DD TTT VVV: province, city, county, township, village. The first
six equal GB/T 2260. Trimmed to its level a code becomes a path that extends its parent's path.
"""

import re

LEVEL_DIGITS = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}

_VILLAGE_SUFFIXES = ("村民委员会", "居民委员会", "村委会", "居委会")


class DivisionCodeError(ValueError):
    """The text is not a division code of a supported level."""


def normalize_code(text: str) -> str:
    """Accept 2, 4, 6, 9 or 12 digits (12-digit codes padded with zeros are trimmed)."""
    code = re.sub(r"\s+", "", text or "")
    if not code.isdigit() or not code.isascii():
        raise DivisionCodeError(text)
    if len(code) == 12:
        for digits in (2, 4, 6, 9):
            if code[digits:] == "0" * (12 - digits):
                return code[:digits]
        return code
    if len(code) not in (2, 4, 6, 9):
        raise DivisionCodeError(text)
    return code


def level_of(code: str) -> int:
    for level, digits in LEVEL_DIGITS.items():
        if len(code) == digits:
            return level
    raise DivisionCodeError(code)


def full_code(path: str) -> str:
    """The 12-digit code of an official unit: 530113105 -> 530113105000."""
    return path.ljust(12, "0")


def township_kind(code: str, name: str) -> str:
    """街道, 镇 or 乡: by the name's ending, else by the township number (001-099 街道 …)."""
    for kind in ("街道", "镇", "乡", "苏木"):
        if name.endswith(kind):
            return kind
    number = int(code[6:9])
    if number < 100:
        return "街道"
    return "镇" if number < 200 else "乡"


def village_kind(name: str) -> str:
    if "居民委员会" in name or "居委会" in name or name.endswith("社区"):
        return "社区"
    if "村民委员会" in name or "村委会" in name or name.endswith("村"):
        return "村"
    return ""


def village_short_name(name: str) -> str:
    """碑棋社区居民委员会 -> 碑棋社区, 瓦房村村民委员会 -> 瓦房村, 新街居委会 -> 新街社区."""
    for suffix in _VILLAGE_SUFFIXES:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            if stem.endswith(("村", "社区", "居", "区", "场", "队")):
                return stem
            return stem + ("村" if suffix.startswith("村") else "社区")
    return name


def local_child_path(parent_path: str, number: int) -> str:
    """Grids extend a village path by two digits, villager groups extend a grid path by two."""
    if not 1 <= number <= 99:
        raise DivisionCodeError(str(number))
    return f"{parent_path}{number:02d}"
