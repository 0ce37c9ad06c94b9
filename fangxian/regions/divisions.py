"""Where a place is: free text such as 湖北省武汉市, 武汉, 湖北武昌区 or 广东深圳 resolved into a
GB/T 2260 division code (2 digits for a province, 4 for a city, 6 for a county) and its name.

Pure functions over the NBS tables (provinces.csv, cities.csv, areas.csv in
settings.DIVISIONS_DIR), read once and cached; `load_tables` and `resolve` take no Django, only
`default_tables()` reads the setting. Hong Kong, Macau and Taiwan are not in the NBS tables and
are added at province level with their GB/T 2260 codes (81, 82, 71).

Resolution reads the text left to right as a chain province → city → county, where any level may
be skipped (湖北武昌区) or start the chain (武汉, 会泽县), and each name may be the official one
(湖北省, 武汉市, 广西壮族自治区) or its short form (湖北, 武汉, 广西). The chain that reads the
most characters wins; when several do (鼓楼区 is in 南京, 徐州, 福州 and 开封), the answer is the
deepest unit they all lie in (江苏鼓楼区 → 江苏省), or nothing when they share no province.
Text before the first place name (从, 来自) and after the last (火车站) is ignored.
"""

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# GB/T 2260 codes of the provinces the NBS statistical tables leave out.
EXTRA_PROVINCES = {"71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区"}

# Province abbreviations (简称), as in 省外入滇人员.
PROVINCE_ABBREVIATIONS = {
    "11": "京",
    "12": "津",
    "13": "冀",
    "14": "晋",
    "15": "蒙",
    "21": "辽",
    "22": "吉",
    "23": "黑",
    "31": "沪",
    "32": "苏",
    "33": "浙",
    "34": "皖",
    "35": "闽",
    "36": "赣",
    "37": "鲁",
    "41": "豫",
    "42": "鄂",
    "43": "湘",
    "44": "粤",
    "45": "桂",
    "46": "琼",
    "50": "渝",
    "51": "川",
    "52": "黔",
    "53": "滇",
    "54": "藏",
    "61": "陕",
    "62": "甘",
    "63": "青",
    "64": "宁",
    "65": "新",
    "71": "台",
    "81": "港",
    "82": "澳",
}

# City rows of the NBS tables that are placeholders, not places: they get no names to match.
_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}

# Endings dropped for the short form, longest first: 新疆维吾尔自治区 → 新疆维吾尔 → 新疆.
_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "林区",
    "新区",
    "地区",
    "省",
    "市",
    "区",
    "县",
    "旗",
    "盟",
)

# The peoples named in autonomous units' names (蒙古 also appears without 族: 巴音郭楞蒙古自治州).
_PEOPLES_NAMES = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 "
    "东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 "
    "乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
)
_PEOPLES = sorted(_PEOPLES_NAMES.split(), key=len, reverse=True)  # longest first

_IGNORED = re.compile(r"[\s·•,，、。.;；:：/\\|()（）\[\]【】\"'“”‘’-]+")
_DIGITS = re.compile(r"\d{2}(?:\d{2}){0,2}")
_LEVEL_LENGTHS = (2, 4, 6)


@dataclass(frozen=True)
class Division:
    """A unit of the division tree: `code` (2, 4 or 6 digits), its own `name` (武昌区) and its
    `full_name` from the province down (湖北省武汉市武昌区)."""

    code: str
    name: str
    full_name: str

    @property
    def level(self) -> int:
        return len(self.code) // 2


@dataclass(frozen=True)
class DivisionTables:
    names: dict[str, str]  # code -> official name (placeholders included, for the hierarchy)
    aliases: dict[str, tuple[str, ...]]  # a name as people write it -> the codes it may mean
    longest: int  # length of the longest alias


def short_names(name: str) -> list[str]:
    """The shorter forms a name is written in, longest first, none under two characters:
    广西壮族自治区 → [广西壮族, 广西]; 武汉市 → [武汉]; 和县 → []. The peoples are dropped only
    from autonomous units' names (东乡区 stays 东乡)."""
    forms: list[str] = []
    stem = name
    for suffix in _SUFFIXES:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= 2:
            stem = stem[: -len(suffix)]
            forms.append(stem)
            break
    while "自治" in name:
        base = stem.removesuffix("族")
        shorter = None
        for people in _PEOPLES:
            # A one-character people (白, 水, 土) is dropped only before 族: 大理白族 → 大理.
            if base.endswith(people) and (len(people) > 1 or base != stem):
                shorter = base[: -len(people)]
                break
        if shorter is None or len(shorter) < 2:
            break
        stem = shorter
        forms.append(stem)
    return forms


def build_tables(names: dict[str, str]) -> DivisionTables:
    """Index the units by every name they go by. A name that is some unit's official name is
    not also a short form of another (吉林市 is the city); a province's short form is not also
    another unit's (海南 is the province, not 海南藏族自治州)."""
    official: dict[str, set[str]] = {}
    short: dict[str, set[str]] = {}
    for code, name in names.items():
        if name in _PLACEHOLDERS:
            continue
        official.setdefault(name, set()).add(code)
        for form in short_names(name):
            short.setdefault(form, set()).add(code)
    aliases: dict[str, tuple[str, ...]] = {}
    for alias in official.keys() | short.keys():
        codes = official.get(alias) or short[alias]
        provinces = {code for code in codes if len(code) == 2}
        aliases[alias] = tuple(sorted(provinces or codes))
    return DivisionTables(names=dict(names), aliases=aliases, longest=max(map(len, aliases)))


def _read(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


@functools.cache
def load_tables(directory: str) -> DivisionTables:
    """Provinces, cities and counties from the NBS tables in `directory` (cached per directory)."""
    base = Path(directory)
    names = dict(EXTRA_PROVINCES)
    for table in ("provinces.csv", "cities.csv", "areas.csv"):
        names.update(_read(base / table))
    return build_tables(names)


def default_tables() -> DivisionTables:
    from django.conf import settings

    return load_tables(str(settings.DIVISIONS_DIR))


def normalize(text: str) -> str:
    """NFKC (full-width → half-width), without spaces and punctuation."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text or ""))


def division(code: str, tables: DivisionTables) -> Division | None:
    """The unit with this code, or None."""
    if code not in tables.names:
        return None
    parts = [
        tables.names[code[:length]]
        for length in _LEVEL_LENGTHS
        if length <= len(code) and tables.names.get(code[:length], "") not in _PLACEHOLDERS
    ]
    return Division(code=code, name=tables.names[code], full_name="".join(parts))


def division_name(code: str, tables: DivisionTables) -> str:
    """The full name of a code (湖北省武汉市), or the code itself when it is unknown."""
    found = division(code, tables)
    return found.full_name if found else code


def _matches(tables: DivisionTables, text: str, start: int, parent: str):
    """(code, end) of every unit under `parent` whose name is written at `start`."""
    for length in range(min(tables.longest, len(text) - start), 1, -1):
        for code in tables.aliases.get(text[start : start + length], ()):
            if code.startswith(parent) and len(code) > len(parent):
                yield code, start + length


def _longest_chains(tables: DivisionTables, text: str, start: int, parent: str):
    """(end, last codes) of the chains under `parent` that read the most text from `start`."""
    best_end, best = start, {parent} if parent else set()
    for code, end in _matches(tables, text, start, parent):
        chain_end, codes = _longest_chains(tables, text, end, code)
        if chain_end > best_end:
            best_end, best = chain_end, set(codes)
        elif chain_end == best_end:
            best |= codes
    return best_end, best


def _common_unit(codes: set[str], tables: DivisionTables) -> str | None:
    """The deepest unit containing all `codes`."""
    for length in reversed(_LEVEL_LENGTHS):
        prefixes = {code[:length] for code in codes if len(code) >= length}
        if len(prefixes) == 1 and all(len(code) >= length for code in codes):
            (prefix,) = prefixes
            if prefix in tables.names:
                return prefix
    return None


def _scan(tables: DivisionTables, text: str, start: int) -> tuple[str | None, int, int]:
    """The first place named at or after `start`: (code or None if ambiguous, where its name
    starts, where it ends); (None, len, len) when there is none."""
    for position in range(start, len(text) - 1):
        end, codes = _longest_chains(tables, text, position, "")
        if end > position:
            return _common_unit(codes, tables), position, end
    return None, len(text), len(text)


def resolve(text: str, tables: DivisionTables | None = None) -> Division | None:
    """The most specific unit the text names unambiguously, or None (see the module docstring).
    A bare code (42, 4201, 420106) resolves to its unit."""
    tables = tables or default_tables()
    cleaned = normalize(text)
    if _DIGITS.fullmatch(cleaned):
        return division(cleaned, tables)
    code, _start, _end = _scan(tables, cleaned, 0)
    return division(code, tables) if code else None


def resolve_many(text: str, tables: DivisionTables | None = None) -> list[Division]:
    """Every place named in a text, in order and each once (途经: 武汉、长沙 → 武汉市, 长沙市).
    Names written one after the other are read as one place when they chain (湖北武汉 is 武汉市)
    and as several when they do not (武汉长沙); ambiguous ones are left out."""
    tables = tables or default_tables()
    found: list[Division] = []
    for part in re.split(r"[\s,，、;；/\\|]+|→|->|—+", unicodedata.normalize("NFKC", text or "")):
        cleaned = normalize(part)
        position = 0
        while position < len(cleaned) - 1:
            code, _start, position = _scan(tables, cleaned, position)
            place = division(code, tables) if code else None
            if place and place not in found:
                found.append(place)
    return found
