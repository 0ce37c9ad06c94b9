"""Domain assertions shared by the tests (STYLE §9), as RapidPro's `assertExcelSheet`."""

import io
from collections.abc import Sequence
from datetime import datetime
from os import PathLike
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

XlsxSource = bytes | str | PathLike


def load_xlsx(source: XlsxSource) -> Worksheet:
    """The first sheet of an .xlsx (bytes or a path), read in openpyxl's normal mode so that cell
    types, number formats and merged ranges can be checked too."""
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    return openpyxl.load_workbook(source).worksheets[0]


def _plain(value: Any) -> Any:
    # openpyxl reads every date cell as a datetime; a midnight one is the date that was written.
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    return value


def _trimmed(row: Sequence[Any]) -> list[Any]:
    values = [_plain(v) for v in row]
    while values and values[-1] is None:
        values.pop()
    return values


def assert_xlsx_rows(
    source: XlsxSource, expected_rows: Sequence[Sequence[Any]], *, start_row: int = 1
) -> None:
    """The sheet holds exactly `expected_rows` from `start_row` (1-based) to its last row.

    Trailing empty cells are ignored on both sides and midnight datetimes compare equal to dates,
    so `[1, "张三", date(1985, 6, 15)]` matches what openpyxl reads back.
    """
    sheet = load_xlsx(source)
    found = [_trimmed(row) for row in sheet.iter_rows(min_row=start_row, values_only=True)]
    expected = [_trimmed(row) for row in expected_rows]
    differences = [
        f"row {start_row + i}: {got!r} != {want!r}"
        for i, (got, want) in enumerate(zip(found, expected, strict=False))
        if got != want
    ]
    if len(found) != len(expected):
        differences.append(f"{len(found)} rows from row {start_row}, expected {len(expected)}")
    assert not differences, "\n".join(differences)


def xlsx_text(source: XlsxSource) -> str:
    """Every non-empty cell of every sheet, one per line: what a reader of the file sees, for
    checks that look for names and numbers in an answer."""
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    workbook = openpyxl.load_workbook(source, read_only=True)
    try:
        return "\n".join(
            str(_plain(value))
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    finally:
        workbook.close()
