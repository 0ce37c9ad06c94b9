"""Find the header row of a roster and map its columns to our fields. Pure, no Django.

Real sheets put a merged title (乌龙镇返乡人员排查登记表) and a 填报单位/填报日期 line above the
header, sometimes split the header over two rows under group titles (返回信息), and spell every
column their own way (身份证号, 身份证号码, 公民身份号码 …). Headers are compared after
normalising away what does not change their meaning (full-width forms, spaces and line breaks,
a trailing colon, a required-field star, a unit in brackets), first exactly, then by a
conservative containment that refuses anything that could belong to two fields or to someone
else (同行人身份证号 is not the returnee's ID number).

Failures raise HeaderError(code, **params); fangxian.imports.messages turns codes into sentences.
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import NamedTuple

from fangxian.imports.cells import text
from fangxian.imports.reading import column_letter

# The 返乡人员排查登记表 columns (DOMAIN.md §3) and the spellings seen for them. The first
# spelling is the one our own template and exports use.
FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "serial": ("序号",),
    "name": ("姓名", "名字", "人员姓名", "返乡人员姓名"),
    "sex": ("性别",),
    "id_number": (
        "身份证号",
        "身份证号码",
        "公民身份号码",
        "证件号码",
        "身份证",
        "居民身份证号码",
        "身份证件号码",
        "公民身份证号码",
        "证件号",
    ),
    "document_type": ("证件类型",),
    "phone": ("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "电话号码"),
    "address": (
        "现住址",
        "住址",
        "家庭住址",
        "现居住地址",
        "居住地址",
        "现住址（村组）",
        "村组",
        "家庭地址",
        "现居住地",
        "详细地址",
        "地址",
        "企业地址",
        "经营地址",
    ),
    "village": (
        "村(社区)",
        "所在村(社区)",
        "所在村",
        "所属村",
        "村名",
        "村",
        "社区",
        "村(居)",
        "所属村(社区)",
        "村居",
    ),
    "group": ("组", "村民小组", "小组", "所属组", "村民组"),
    "origin": (
        "从何地返回",
        "返回地",
        "来自何地",
        "从何地来",
        "出发地",
        "返乡前所在地",
        "从何地返乡",
        "从何处返回",
        "来源地",
    ),
    "returned_on": (
        "返回时间",
        "返乡时间",
        "返回日期",
        "到达时间",
        "抵达时间",
        "返乡日期",
        "到达日期",
        "抵达日期",
        "回乡时间",
    ),
    "transport": ("交通方式", "交通工具", "出行方式", "返回方式", "返乡方式"),
    "transport_number": (
        "车次/航班/车牌",
        "车次",
        "航班号",
        "车牌号",
        "车次/航班号/车牌号",
        "航班",
        "车牌",
        "车牌号码",
        "车次/航班号",
    ),
    "via": ("途经地", "途经", "途径地", "途经地区", "途经城市", "中转地"),
    "companions": ("同行人员", "同行人"),
    "temperature": ("体温", "体温(℃)", "测量体温", "当日体温"),
    "symptoms": ("症状", "有无症状", "是否有症状", "健康状况", "身体状况"),
    "contact_history": ("接触史", "密切接触史", "有无接触史", "疫区接触史", "接触情况"),
    "home_quarantine": ("是否居家隔离", "居家隔离", "是否隔离", "是否居家观察"),
    "responsible": ("包保责任人", "责任人", "包保人", "包保干部", "包联责任人"),
    "screener": ("排查人", "排查人员", "登记人"),
    "screened_on": ("排查日期", "排查时间", "登记日期", "登记时间"),
    "notes": ("备注", "说明"),
    # A county's quarantine list (隔离名单, order_rows.py).
    "quarantine_kind": (
        "管控类型",
        "隔离方式",
        "隔离类型",
        "管控方式",
        "管控措施",
        "隔离管控方式",
        "管控类别",
    ),
    "order_reason": ("原因", "隔离原因", "管控原因", "隔离事由", "管控事由"),
    "starts_on": (
        "开始日期",
        "隔离开始日期",
        "开始时间",
        "隔离开始时间",
        "起始日期",
        "管控开始日期",
        "管控开始时间",
        "隔离起始日期",
    ),
    "days": ("天数", "隔离天数", "管控天数", "隔离期限", "隔离期(天)", "期限(天)"),
    # A township's enterprise list (企业台账, enterprise_rows.py); its 联系电话 is "phone".
    "enterprise_name": ("企业名称", "单位名称", "企业(单位)名称", "企业名", "商户名称"),
    "uscc": ("统一社会信用代码", "社会信用代码", "信用代码", "统一信用代码", "营业执照号"),
    "industry": ("所属行业", "行业", "行业类别", "行业类型"),
    "workers_count": ("员工人数", "规模", "职工人数", "从业人数", "用工人数", "企业规模"),
    "contact_name": ("联系人", "企业联系人", "联系人姓名"),
    "lead_name": ("防疫负责人", "疫情防控负责人", "防疫责任人"),
    "lead_phone": ("防疫负责人电话", "防疫负责人联系电话", "防疫负责人手机", "疫情防控负责人电话"),
}
FIELDS = tuple(FIELD_SYNONYMS)
# Without one of these a row cannot name a person (or, in an enterprise list, an enterprise),
# so it cannot be the header of a roster.
KEY_FIELDS = ("name", "id_number", "enterprise_name", "uscc")

# Rows above the header that are not it: the merged title and the filing line.
_TITLE_WORDS = ("登记表", "花名册", "统计表", "名单", "一览表", "排查表")
_FILING_PREFIXES = ("填报单位", "填报日期", "填表日期", "填报时间", "填表单位")
# Words that make a header about someone other than the person on the row: 同行人身份证号,
# 紧急联系人电话, 户主姓名. They only stop the containment match; 同行人员 still matches exactly.
_OTHER_PERSON = (
    "同行",
    "紧急",
    "家属",
    "家长",
    "户主",
    "监护人",
    "联系人",
    "亲属",
    "配偶",
    "父亲",
    "母亲",
    "陪同",
    "随行",
    "预计",
)
_SHORT_MATCH_MAX_LENGTH = 6  # "返乡人员姓名" may end in 姓名, "是否有智能手机" may not end in 手机

_BRACKETS = str.maketrans({"【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")"})
_BRACKETED = re.compile(r"\([^()]*\)")
_SEPARATORS = re.compile(r"[\s/、,;|\\]+")
_UNIT_SUFFIX = re.compile(r"(?:°c|℃)$")


class HeaderError(ValueError):
    """No usable header was found. `code` names the problem, `params` fill its message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class Column(NamedTuple):
    index: int  # 0-based, as in the rows; reading.column_letter(index) names it for people
    header: str  # the header as written (cleaned of spaces), the lower row's for two-row headers
    field: str | None  # None: not recognised


@dataclass(frozen=True)
class HeaderMatch:
    header_row: int  # 0-based index of the last header row; data starts below it
    header_rows: int  # 1, or 2 for a group row above the real names
    columns: list[Column]  # left to right up to the last header; columns[i].index == i
    mapping: dict[str, int]  # field → column index; the leftmost column wins
    conflicts: list[Column] = field(default_factory=list)  # later columns for a mapped field
    unknown: list[Column] = field(default_factory=list)  # headers written but not recognised
    preamble: list[str] = field(default_factory=list)  # title and filing lines above the header

    @property
    def first_data_row(self) -> int:
        return self.header_row + 1


def normalize_header(value: object) -> str:
    """The comparable form of a header: NFKC, lower case, no spaces or separators, brackets
    unified, no leading required-star, no trailing colon."""
    shown = unicodedata.normalize("NFKC", text(value)).casefold().translate(_BRACKETS)
    shown = _SEPARATORS.sub("", shown)
    return shown.strip("*:")


def _bare(normalized: str) -> str:
    """The header without bracketed asides or a unit: 身份证号码(18位) → 身份证号码."""
    return _UNIT_SUFFIX.sub("", _BRACKETED.sub("", normalized)).strip("*:")


def _build_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for name, spellings in FIELD_SYNONYMS.items():
        for spelling in spellings:
            for form in (normalize_header(spelling), _bare(normalize_header(spelling))):
                if index.setdefault(form, name) != name:
                    raise ValueError(f"header {spelling!r} is listed for two fields")
    return index


_INDEX = _build_index()


def match_header(value: object) -> str | None:
    """The field a header names, or None when it is unknown or could be two fields."""
    normalized = normalize_header(value)
    if not normalized:
        return None
    for form in (normalized, _bare(normalized)):
        if form in _INDEX:
            return _INDEX[form]
    bare = _bare(normalized)
    if any(word in bare for word in _OTHER_PERSON):
        return None
    candidates = {
        name
        for spelling, name in _INDEX.items()
        if (len(spelling) >= 3 and spelling in bare)
        or (len(spelling) == 2 and len(bare) <= _SHORT_MATCH_MAX_LENGTH and bare.endswith(spelling))
    }
    return candidates.pop() if len(candidates) == 1 else None


def _shown(value: object) -> str:
    """A header as the user wrote it, for display: only spaces and line breaks tidied (NFKC
    would turn （℃） into (°C), which the user would not recognise as theirs)."""
    if isinstance(value, str):
        return " ".join(value.split())
    return text(value)


def _is_title(texts: list[str]) -> bool:
    """A merged title: a single cell, or a row saying 登记表/名单 … that names no fields (a
    header may well have a column 是否在重点人员名单内)."""
    filled = [shown for shown in texts if shown]
    if len(filled) == 1:
        return True
    titled = any(word in shown for shown in filled for word in _TITLE_WORDS)
    return titled and sum(match_header(shown) is not None for shown in filled) < 2


def _is_filing_line(texts: list[str]) -> bool:
    return any(normalize_header(shown).startswith(_FILING_PREFIXES) for shown in texts if shown)


def _columns(texts: list[str]) -> list[Column]:
    """One Column per position up to the last header, so columns[i].index == i; a column
    without a header (under a merged cell, or left blank) has header "" and no field."""
    last = max((index for index, shown in enumerate(texts) if shown), default=-1)
    return [
        Column(index, shown, match_header(shown)) for index, shown in enumerate(texts[: last + 1])
    ]


def _score(columns: list[Column]) -> int:
    return len({column.field for column in columns if column.field})


def _has_key(columns: list[Column]) -> bool:
    return any(column.field in KEY_FIELDS for column in columns)


def _combine(upper: list[str], lower: list[str]) -> list[str]:
    """Two header rows as one: the lower row's name where it has one, else the upper's (a
    header merged down over both rows keeps its text in the upper cell only)."""
    width = max(len(upper), len(lower))
    upper = upper + [""] * (width - len(upper))
    lower = lower + [""] * (width - len(lower))
    return [below or above for above, below in zip(upper, lower, strict=True)]


def find_header(rows: list[list[object]], *, max_scan: int = 15) -> HeaderMatch:
    """Find the header among the first `max_scan` rows and map its columns.

    The header is the row (or pair of rows) that names the most known fields, at least two and
    one of them the name or the ID number. Titles, filing lines and blank rows are skipped.
    A pair wins over a single row only when it names strictly more fields, so a header followed
    by a sparse data row is not mistaken for a two-row header.
    """
    texts = [[_shown(value) for value in row] for row in rows[:max_scan]]
    skipped = [not any(row) or _is_title(row) or _is_filing_line(row) for row in texts]
    best: tuple[int, int, int, list[Column]] | None = None  # score, last row, rows, columns
    keyless_row: int | None = None
    for index, row in enumerate(texts):
        if skipped[index]:
            continue
        candidates = [(index, 1, _columns(row))]
        if index + 1 < len(texts) and not skipped[index + 1]:
            candidates.append((index + 1, 2, _columns(_combine(row, texts[index + 1]))))
        for last, height, columns in candidates:
            score = _score(columns)
            if score < 2:
                continue
            if not _has_key(columns):
                keyless_row = last if keyless_row is None else keyless_row
                continue
            if best is None or score > best[0]:
                best = (score, last, height, columns)
    if best is None:
        if keyless_row is not None:
            raise HeaderError("missing_key_column", row=keyless_row + 1)
        raise HeaderError("no_header", scanned=len(texts))
    _, last, height, columns = best
    preamble = [
        " ".join(shown for shown in texts[index] if shown)
        for index in range(last - height + 1)
        if any(texts[index])
    ]
    return _match(header_row=last, header_rows=height, columns=columns, preamble=preamble)


def _match(
    *, header_row: int, header_rows: int, columns: list[Column], preamble: list[str]
) -> HeaderMatch:
    mapping: dict[str, int] = {}
    conflicts: list[Column] = []
    for column in columns:
        if column.field is None:
            continue
        if column.field in mapping:
            conflicts.append(column)
        else:
            mapping[column.field] = column.index
    return HeaderMatch(
        header_row=header_row,
        header_rows=header_rows,
        columns=columns,
        mapping=mapping,
        conflicts=conflicts,
        unknown=[column for column in columns if column.header and column.field is None],
        preamble=preamble,
    )


def apply_mapping_override(match: HeaderMatch, overrides: dict[str, int | None]) -> HeaderMatch:
    """A new match with the user's corrections: {field: column index} maps a column, {field:
    None} ignores the field. A column feeds one field only, so mapping it elsewhere takes it
    from the field it had. A column without a header may be mapped too (a phone column under a
    header merged over two columns). Afterwards `unknown` lists every headed column that feeds
    nothing."""
    by_index = {column.index: column for column in match.columns}
    mapping = dict(match.mapping)
    for name, index in overrides.items():
        if name not in FIELD_SYNONYMS:
            raise HeaderError("unknown_field", field=name)
        if index is not None and index not in by_index:
            shown = column_letter(index) if index >= 0 else str(index)
            raise HeaderError(
                "column_out_of_range", column=shown, last=column_letter(len(match.columns) - 1)
            )
    for name, index in overrides.items():
        mapping.pop(name, None)
        if index is not None:
            for other, taken in list(mapping.items()):
                if taken == index:
                    del mapping[other]
            mapping[name] = index
    assigned = {index: name for name, index in mapping.items()}
    columns = []
    for column in match.columns:
        if column.index in assigned:
            name = assigned[column.index]
        elif column.field in mapping and column.field not in overrides:
            name = column.field  # still a second column for a field the user left alone
        else:
            name = None
        columns.append(column._replace(field=name))
    return replace(
        match,
        columns=columns,
        mapping=mapping,
        conflicts=[c for c in columns if c.field and mapping.get(c.field) != c.index],
        unknown=[c for c in columns if c.header and c.field is None],
    )


def split_header(
    rows: Iterable[list[object]], *, max_scan: int = 15
) -> tuple[HeaderMatch, Iterator[tuple[int, list[object]]]]:
    """Find the header in a stream of rows and return it with the data rows that follow,
    each with its 0-based row index in the file, without reading the stream ahead."""
    stream = iter(rows)
    head = list(islice(stream, max_scan))
    match = find_header(head, max_scan=max_scan)

    def data() -> Iterator[tuple[int, list[object]]]:
        yield from enumerate(head[match.first_data_row :], start=match.first_data_row)
        yield from enumerate(stream, start=len(head))

    return match, data()


_FILING_DATE = re.compile(r"(?:填报|填表)(?:日期|时间)\s*[:：]?\s*(\d{4})\s*[年./-]")


def year_from_preamble(preamble: list[str]) -> int | None:
    """The year of a 填报日期 line above the table, for dates written as 2月3日 below it."""
    for line in preamble:
        found = _FILING_DATE.search(unicodedata.normalize("NFKC", line))
        if found and 2000 <= int(found[1]) <= 2099:
            return int(found[1])
    return None
