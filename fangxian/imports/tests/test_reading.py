"""Reading uploaded rosters: formats told by content, CSV encodings and delimiters, streaming."""

import codecs
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from fangxian.imports.reading import (
    ReadError,
    column_letter,
    read_table,
    sniff_delimiter,
    value_at,
)
from fangxian.imports.tests import builders

HEADER = ["序号", "姓名", "身份证号", "联系电话", "从何地返回"]
AFTERNOON = datetime(2020, 1, 23, 14, 30)  # noqa: DTZ001 (spreadsheet cells are naive)
RARE_NAME = "𠮷野"  # 𠮷 is outside GBK: only GB18030 (and UTF-8) can carry it


def roster_rows(name: str = "张三") -> list[list[object]]:
    return [
        ["乌龙镇返乡人员排查登记表", "", "", "", ""],
        HEADER,
        ["1", name, builders.valid_id(11), "13812345678", "武汉，孝感"],
        ["2", "李四", builders.valid_id(12), "13912345678", "上海"],
    ]


def read_all(path: Path, **kwargs) -> tuple[object, list[list[object]]]:
    table = read_table(path, **kwargs)
    return table, list(table.rows)


# --- workbooks -----------------------------------------------------------------------------


def test_xlsx_cells_keep_their_types(tmp_path):
    path = builders.write_xlsx(
        tmp_path / "types.xlsx",
        [["姓名", 12, 36.5, True, date(2020, 1, 23), AFTERNOON, None, "x"]],
    )
    table, rows = read_all(path)
    assert (table.format, table.encoding, table.sheet_name) == ("xlsx", None, "Sheet1")
    # calamine gives every number as a float, even one written as an int.
    assert rows == [["姓名", 12.0, 36.5, True, date(2020, 1, 23), AFTERNOON, None, "x"]]
    assert type(rows[0][4]) is date


def test_xlsx_rows_is_an_iterator(tmp_path):
    path = builders.write_xlsx(tmp_path / "r.xlsx", [["姓名"], ["张三"]])
    table = read_table(path)
    assert isinstance(table.rows, Iterator)
    assert not isinstance(table.rows, list)


def test_row_and_column_indexes_are_the_sheets_own(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active["C3"] = "姓名"
    workbook.active["D4"] = "张三"
    workbook.save(tmp_path / "offset.xlsx")
    _, rows = read_all(tmp_path / "offset.xlsx")
    assert rows[2][2] == "姓名"
    assert rows[3][3] == "张三"
    assert rows[0] == [None, None, None, None]


def test_merged_title_keeps_its_text_in_the_first_cell(tmp_path):
    path = tmp_path / "wulong.xlsx"
    builders.write_wulong_roster(path)
    _, rows = read_all(path)
    assert rows[0][0] == builders.TITLE
    assert rows[0][1:] == [None] * 11


def test_wulong_roster_arrives_with_excel_damage_visible(tmp_path):
    path = tmp_path / "wulong.xlsx"
    expected = builders.write_wulong_roster(path)
    table, rows = read_all(path)
    assert table.sheet_name == "返乡人员"
    assert len(rows) == expected["footer_row"] + 1
    first = rows[expected["first_data_row"]]
    second = rows[expected["first_data_row"] + 1]
    assert first[3] == expected["clean"]  # text stays text
    assert isinstance(second[3], float)  # the number Excel made of an ID
    assert first[7] == date(2020, 1, 23)  # a real date cell
    assert second[7] == 43854.0  # a serial without a date format
    assert rows[expected["footer_row"]][0] == "填表人：吴十"


def test_the_first_visible_non_empty_sheet_is_chosen(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "说明"  # empty
    hidden = workbook.create_sheet("旧表")
    hidden["A1"] = "不要读我"
    hidden.sheet_state = "hidden"
    roster = workbook.create_sheet("花名册")
    roster["A1"] = "姓名"
    workbook.save(tmp_path / "sheets.xlsx")
    table, rows = read_all(tmp_path / "sheets.xlsx")
    assert table.sheet_name == "花名册"
    assert table.sheet_names == ("说明", "花名册")
    assert rows == [["姓名"]]


def test_a_sheet_can_be_chosen_by_name(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "第一"
    workbook.create_sheet("第二")["A1"] = "第二"
    workbook.save(tmp_path / "two.xlsx")
    table, rows = read_all(tmp_path / "two.xlsx", sheet="第二")
    assert (table.sheet_name, rows) == ("第二", [["第二"]])


def test_an_unknown_sheet_name_is_refused_with_the_choices(tmp_path):
    path = builders.write_xlsx(tmp_path / "one.xlsx", [["姓名"]], title="花名册")
    with pytest.raises(ReadError) as caught:
        read_table(path, sheet="汇总")
    assert caught.value.code == "sheet_not_found"
    assert caught.value.params == {"sheet": "汇总", "available": "花名册"}


def test_a_workbook_without_content_is_empty(tmp_path):
    openpyxl.Workbook().save(tmp_path / "blank.xlsx")
    with pytest.raises(ReadError) as caught:
        read_table(tmp_path / "blank.xlsx")
    assert caught.value.code == "empty"


def test_the_content_decides_the_format_not_the_name(tmp_path):
    path = builders.write_xlsx(tmp_path / "upload.tmp", [["姓名"], ["张三"]])
    table, rows = read_all(path, filename="花名册.xlsx")
    assert (table.format, rows) == ("xlsx", [["姓名"], ["张三"]])
    misnamed = builders.write_xlsx(tmp_path / "really-xlsx.xls", [["姓名"]])
    assert read_table(misnamed).format == "xlsx"


def test_ods_is_read(tmp_path):
    path = builders.write_ods(
        tmp_path / "roster.ods",
        [["姓名", "体温", "返回时间", "居家"], ["张三", 36.5, date(2020, 1, 23), True]],
        title="花名册",
    )
    table, rows = read_all(path)
    assert (table.format, table.sheet_name) == ("ods", "花名册")
    assert rows == [["姓名", "体温", "返回时间", "居家"], ["张三", 36.5, date(2020, 1, 23), True]]


def test_a_word_document_is_unsupported(tmp_path):
    path = tmp_path / "通知.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ReadError) as caught:
        read_table(path)
    assert (caught.value.code, caught.value.params) == ("unsupported_format", {"extension": "docx"})


def test_a_pdf_is_unsupported(tmp_path):
    path = tmp_path / "名单.pdf"
    path.write_bytes(b"%PDF-1.4\n\x00\x01\x02binary")
    with pytest.raises(ReadError) as caught:
        read_table(path)
    assert caught.value.code == "unsupported_format"


def test_a_damaged_xlsx_is_unreadable(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(ReadError) as caught:
        read_table(path)
    assert caught.value.code == "unreadable"


def test_an_html_table_saved_as_xls_is_named_as_such(tmp_path):
    path = tmp_path / "导出.xls"
    path.write_text("<html><body><table><tr><td>姓名</td></tr></table></body></html>")
    with pytest.raises(ReadError) as caught:
        read_table(path)
    assert (caught.value.code, caught.value.params) == ("html_disguised", {"extension": "xls"})


def test_an_ole_file_holding_an_encrypted_package_is_password_protected(tmp_path):
    # What Excel writes for a password-protected .xlsx: an OLE container, not a zip.
    path = tmp_path / "加密.xlsx"
    header = bytes.fromhex("D0CF11E0A1B11AE1")
    path.write_bytes(header + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le"))
    with pytest.raises(ReadError) as caught:
        read_table(path)
    assert caught.value.code == "password_protected"


def test_an_empty_file_is_empty(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(ReadError) as caught:
        read_table(path)
    assert caught.value.code == "empty"


def test_a_big_sheet_streams_every_row(tmp_path):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("大表")
    sheet.append(HEADER)
    for index in range(20_000):
        sheet.append([index + 1, f"张{index}", builders.valid_id(index % 1000), None, "武汉"])
    workbook.save(tmp_path / "big.xlsx")
    table = read_table(tmp_path / "big.xlsx")
    assert isinstance(table.rows, Iterator)
    count = 0
    last = None
    for count, row in enumerate(table.rows, start=1):  # noqa: B007 (last row checked below)
        last = row
    assert count == 20_001
    assert last[:2] == [20_000.0, "张19999"]


# --- CSV -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030")],
)
@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_csv_encodings_and_delimiters_are_detected(tmp_path, encoding, reported, delimiter):
    path = builders.write_csv(
        tmp_path / "roster.csv", roster_rows(), encoding=encoding, delimiter=delimiter
    )
    table, rows = read_all(path)
    assert (table.format, table.encoding, table.delimiter) == ("csv", reported, delimiter)
    assert rows[1] == HEADER
    assert rows[2][1] == "张三"
    assert rows[2][4] == "武汉，孝感"  # the Chinese comma is text, never a delimiter
    assert rows[0][1] is None  # empty cells are None, as in workbooks


def test_gb18030_carries_a_name_outside_gbk(tmp_path):
    with pytest.raises(UnicodeEncodeError):
        RARE_NAME.encode("gbk")
    path = builders.write_csv(tmp_path / "rare.csv", roster_rows(RARE_NAME), encoding="gb18030")
    table, rows = read_all(path)
    assert table.encoding == "gb18030"
    assert rows[2][1] == RARE_NAME


def test_a_late_gbk_byte_still_switches_the_whole_file_to_gb18030(tmp_path):
    rows = [HEADER] + [[str(i), "Zhang", "x", "1", "y"] for i in range(20_000)]
    rows.append(["20001", "王五", "x", "1", "y"])
    path = builders.write_csv(tmp_path / "late.csv", rows, encoding="gbk")
    assert path.stat().st_size > 128 * 1024  # the GBK bytes are far beyond any prefix
    table, read = read_all(path)
    assert table.encoding == "gb18030"
    assert read[-1][1] == "王五"


def test_a_file_no_encoding_decodes_is_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes("姓名,电话\n张三,1\n".encode() + b"\xff\xfe\xff broken\n")
    with pytest.raises(ReadError) as caught:
        read_table(path)
    assert (caught.value.code, caught.value.params) == ("encoding", {"tried": "utf-8, gb18030"})


def test_excel_unicode_text_is_utf16_with_tabs(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "姓名\t电话\r\n张三\t138\r\n".encode("utf-16-le"))
    table, rows = read_all(path)
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert rows == [["姓名", "电话"], ["张三", "138"]]


def test_semicolons_are_detected(tmp_path):
    path = builders.write_csv(tmp_path / "s.csv", roster_rows(), encoding="utf-8", delimiter=";")
    table, rows = read_all(path)
    assert table.delimiter == ";"
    assert rows[1] == HEADER


def test_tab_separated_text_saved_as_xls_is_read_as_csv(tmp_path):
    path = builders.write_csv(tmp_path / "导出.xls", roster_rows(), encoding="gbk", delimiter="\t")
    table, rows = read_all(path)
    assert (table.format, table.delimiter) == ("csv", "\t")
    assert rows[1] == HEADER


def test_a_csv_of_blank_lines_is_empty(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_bytes(codecs.BOM_UTF8 + b",,,\r\n,,,\r\n")
    with pytest.raises(ReadError) as caught:
        read_table(path)
    assert caught.value.code == "empty"


def test_quoted_cells_keep_delimiters_and_line_breaks(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('姓名,住址\n张三,"瓦房村,一组\n3号"\n', encoding="utf-8")
    _, rows = read_all(path)
    assert rows == [["姓名", "住址"], ["张三", "瓦房村,一组\n3号"]]


def test_csv_rows_stream(tmp_path):
    path = builders.write_csv(tmp_path / "r.csv", roster_rows(), encoding="utf-8")
    table = read_table(path)
    assert isinstance(table.rows, Iterator)
    assert next(table.rows)[0] == "乌龙镇返乡人员排查登记表"


def test_a_title_line_without_delimiters_does_not_sway_the_delimiter():
    sample = "乌龙镇返乡人员排查登记表\n姓名\t住址\t电话\n张三\t瓦房村,一组\t138\n李四\t碑棋\t139\n"
    assert sniff_delimiter(sample) == "\t"


# --- helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ")])
def test_column_letters_are_excels(index, letters):
    assert column_letter(index) == letters


def test_value_at_tolerates_short_rows():
    assert value_at(["a"], 0) == "a"
    assert value_at(["a"], 3) is None
    assert value_at(["a"], None) is None
