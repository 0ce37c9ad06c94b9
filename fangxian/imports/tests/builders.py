"""Messy rosters made on the spot, as townships really sent them: titles, filing lines, two-row
headers, IDs that Excel turned into numbers, dates in every spelling, footers."""

import csv
import zipfile
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl

from fangxian.people import idnumber

TITLE = "乌龙镇返乡人员排查登记表"
FILING = "填报单位：瓦房村  填报日期：2020年2月3日"
AREA = "530113"


def valid_id(sequence: int, *, birth: date = date(1990, 1, 1), area: str = AREA) -> str:
    return idnumber.make(area, birth, sequence)


def id_with_x() -> str:
    """A valid number whose check character is X."""
    return next(n for n in (valid_id(seq) for seq in range(1000)) if n.endswith("X"))


def truncated_id() -> str:
    """What an 18-digit number becomes after Excel: the last three digits are 000 and the check
    character (now 0) is wrong."""
    for sequence in range(1000):
        number = valid_id(sequence)
        damaged = number[:15] + "000"
        if idnumber.check_char(damaged[:17]) != "0":
            return damaged
    raise AssertionError("unreachable")


def full_width(value: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in value)


# Column layout of the Wulong roster below (0-based).
ROSTER_COLUMNS = {
    "serial": 0,
    "name": 1,
    "sex": 2,
    "id_number": 3,
    "phone": 4,
    "address": 5,
    "origin": 6,
    "returned_on": 7,
    "transport": 8,
    "temperature": 9,
    "home_quarantine": 10,
    "notes": 11,
}


def write_wulong_roster(path: Path) -> dict[str, object]:
    """The roster of issue 3: a merged title, a filing line, a two-row header with a group
    title 返回信息, data rows with damaged and clean IDs, every date spelling, blank rows and a
    signature footer. Returns what a correct import must find."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "返乡人员"
    sheet["A1"] = TITLE
    sheet.merge_cells("A1:L1")
    sheet["A2"] = FILING
    sheet.merge_cells("A2:L2")
    upper = ["序号", "姓名", "性别", "身份证号码", "联系电话", "现住址（村组）", "返回信息"]
    upper += [None, None, "体温（℃）", "是否居家隔离", "备注"]
    lower = [None] * 6 + ["从何地返回", "返回时间", "交通方式"] + [None] * 3
    sheet.append(upper)
    sheet.append(lower)
    for column in "ABCDEFJKL":
        sheet.merge_cells(f"{column}3:{column}4")
    sheet.merge_cells("G3:I3")

    clean, with_x, damaged = valid_id(11), id_with_x(), truncated_id()
    numeric = int(next(n for n in (valid_id(s) for s in range(20, 99)) if n.isdigit()))
    rows = [
        [1, "张三", "男", clean, "138 1234 5678", "瓦房村一组", "武汉", date(2020, 1, 23)],
        [2, "李四", "女", numeric, 13912345678, "瓦房村二组", "孝感", 43854],
        [
            3,
            "王 五",
            "男",
            full_width(clean),
            "+86 137-0000-1111",
            "瓦房村三组",
            "武汉",
            "2020.1.25",
        ],
        [4, "赵　六", "女", with_x.lower(), "0871-65123456", "瓦房村一组", "黄冈", "2020年1月26日"],
        None,
        [5, "钱七", "男", damaged, "13600001111", "瓦房村四组", "上海", "1月27日"],
        [6, "孙八", "女", f"{float(numeric):.5E}", "13800002222", "瓦房村二组", "广州", "20200128"],
        [
            7,
            "周九",
            "男",
            valid_id(33),
            "1390000 3333",
            "瓦房村一组",
            "深圳",
            datetime(2020, 1, 29, 14, 30),  # noqa: DTZ001 (spreadsheet cells are naive)
        ],
    ]
    tails = [
        ["自驾", 36.5, "是", None],
        ["火车", "36.8℃", "否", None],
        ["飞机", "36.4度", "√", "已入户"],
        ["大巴", 37.2, "×", None],
        None,
        ["自驾", "36.6", "是", None],
        ["火车", "36.5", "否", None],
        ["自驾", "36.7", "是", None],
    ]
    for row, tail in zip(rows, tails, strict=True):
        sheet.append(row + tail if row else [])
    sheet.append([])
    sheet.append(["填表人：吴十", None, None, "审核人：郑十一", None, "联系电话：0871-65123456"])
    workbook.save(path)
    return {
        "header_row": 3,
        "first_data_row": 4,
        "names": ["张三", "李四", "王 五", "赵 六", "钱七", "孙八", "周九"],
        "clean": clean,
        "with_x": with_x,
        "damaged": damaged,
        "data_rows": [4, 5, 6, 7, 9, 10, 11],
        "blank_rows": [8, 12],
        "footer_row": 13,
    }


def write_xlsx(path: Path, rows: list[list[object]], *, title: str = "Sheet1") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list[object]], *, encoding: str, delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as file:
        csv.writer(file, delimiter=delimiter).writerows(rows)
    return path


_ODS_CELL = {
    str: lambda v: (
        f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p>'
        "</table:table-cell>"
    ),
    bool: lambda v: (
        f'<table:table-cell office:value-type="boolean" office:boolean-value="{str(v).lower()}"/>'
    ),
    float: lambda v: f'<table:table-cell office:value-type="float" office:value="{v!r}"/>',
    int: lambda v: f'<table:table-cell office:value-type="float" office:value="{v}"/>',
    date: lambda v: (
        f'<table:table-cell office:value-type="date" office:date-value="{v.isoformat()}"/>'
    ),
    type(None): lambda v: "<table:table-cell/>",
}


def write_ods(path: Path, rows: list[list[object]], *, title: str = "Sheet1") -> Path:
    """A minimal OpenDocument spreadsheet: no ODS writer is installed, and the format is a zip
    of a few XML files, so we write them ourselves."""
    body = "".join(
        "<table:table-row>"
        + "".join(
            _ODS_CELL[type(value) if type(value) in _ODS_CELL else date](value) for value in row
        )
        + "</table:table-row>"
        for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{escape(title)}">{body}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        # The mimetype entry must come first and stay uncompressed.
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return path
