"""The roster writer (core.xlsx): layout, text columns, widths, and a file on disk."""

import io
from datetime import date

from django.utils.translation import gettext as _

from fangxian.core.xlsx import Column, display_width, write_roster
from tests.assertions import assert_xlsx_rows, load_xlsx

COLUMNS = [
    Column("姓名"),
    Column("证件号码", width=22, text=True),
    Column("出生日期", number_format="yyyy-mm-dd"),
    Column("年龄"),
]


def _roster(rows, columns=COLUMNS, stream=None) -> tuple[int, io.BytesIO]:
    stream = stream or io.BytesIO()
    count = write_roster(
        stream,
        title="乌龙镇人员台账",
        unit="乌龙镇人民政府",
        day=date(2026, 11, 3),
        columns=columns,
        rows=iter(rows),
        sheet_name="人员台账",
    )
    return count, stream


def test_rows_are_numbered_under_title_unit_and_headers():
    count, stream = _roster(
        [("张三", "530113198506153114", date(1985, 6, 15), 41), ("李四", "", None, None)]
    )
    assert count == 2
    assert_xlsx_rows(
        stream.getvalue(),
        [
            ["乌龙镇人员台账"],
            [
                _("Reporting unit: %(unit)s") % {"unit": "乌龙镇人民政府"},
                None,
                _("Reporting date: %(date)s") % {"date": "2026年11月3日"},
            ],
            [_("No."), "姓名", "证件号码", "出生日期", "年龄"],
            [1, "张三", "530113198506153114", date(1985, 6, 15), 41],
            [2, "李四"],
        ],
    )


def test_title_and_both_halves_of_the_unit_line_are_merged():
    _count, stream = _roster([])
    sheet = load_xlsx(stream.getvalue())
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:E1", "A2:B2", "C2:E2"}
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$3:$3"


def test_a_number_in_a_text_column_is_written_as_text():
    _count, stream = _roster([("张三", 530113198506153114, None, None)])
    cell = load_xlsx(stream.getvalue())["C4"]
    assert (cell.value, cell.data_type, cell.number_format) == ("530113198506153114", "s", "@")


def test_widths_fit_chinese_headers():
    columns = [Column("与户主关系"), Column("证件号码", width=22, text=True)]
    _count, stream = _roster([], columns=columns)
    widths = load_xlsx(stream.getvalue()).column_dimensions
    assert widths["B"].width == display_width("与户主关系") + 2 == 12
    assert widths["C"].width == 22


def test_a_roster_can_be_written_to_a_path(tmp_path):
    path = tmp_path / "roster.xlsx"
    count = write_roster(
        path,
        title="t",
        unit="u",
        day=date(2026, 1, 1),
        columns=[Column("a")],
        rows=[["x"]],
        sheet_name="a/b:c",
    )
    sheet = load_xlsx(path)
    assert count == 1
    assert sheet.title == "a_b_c"
    assert sheet["B4"].value == "x"


def test_a_value_that_looks_like_a_formula_stays_text():
    _count, stream = _roster([('=HYPERLINK("http://evil.example","点我")', "=1+1", None, None)])
    sheet = load_xlsx(stream.getvalue())
    assert sheet["B4"].data_type == sheet["C4"].data_type == "s"
    assert sheet["C4"].value == "=1+1"


def test_control_characters_are_dropped_instead_of_failing_the_export():
    _count, stream = _roster([("张\x0b三", "", None, None)])
    assert load_xlsx(stream.getvalue())["B4"].value == "张三"
