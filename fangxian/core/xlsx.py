"""Rosters (花名册) as townships send them upward: an .xlsx with a merged title, a 填报单位/填报日期
line, one header row and numbered rows. Generic: knows nothing of our apps.

openpyxl's write-only workbook streams rows to a temporary file, so memory stays flat however
long the list. Write-only sheets have no `merge_cells()`, but they keep the `merged_cells` ranges of
an ordinary sheet and write them after the rows, so the title is merged as in a normal workbook;
widths, frozen panes and print titles are declared before the first row, as write-only mode asks.
"""

import unicodedata
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date
from os import PathLike
from typing import IO, Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT_FORMAT = "@"  # Excel's "Text": the cell keeps what it holds, also after an edit
HEADER_ROW = 3  # title, 填报单位/填报日期, headers
MIN_WIDTH = 6
MAX_WIDTH = 60


@dataclass(frozen=True)
class Column:
    """One column of a roster. `text` columns (ID numbers, phones) are written as strings typed
    "@", so Excel never turns 530113198506153114 into 5.30113E+17; `width` is in characters (a
    Chinese character counts two) and defaults to what the header needs."""

    header: str
    width: float | None = None
    text: bool = False
    number_format: str | None = None


def display_width(text: str) -> int:
    """Width of `text` in Excel's character units: full-width (Chinese) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _width(column: Column) -> float:
    wanted = max(column.width or 0, display_width(str(column.header)) + 2, MIN_WIDTH)
    return min(wanted, MAX_WIDTH)


def write_roster(
    stream_or_path: IO[bytes] | str | PathLike,
    *,
    title: str,
    unit: str,
    day: date,
    columns: list[Column],
    rows: Iterable[Sequence[Any]],
    sheet_name: str,
) -> int:
    """Write a roster and return the number of data rows written.

    Row 1 is `title`, merged across the columns, bold and centred; row 2 holds the reporting unit
    (left) and date (right); row 3 the headers, the first being 序号; then one row per item of
    `rows` (values in the order of `columns`), numbered from 1. `rows` is consumed once, lazily:
    pass a generator over `queryset.iterator(chunk_size=...)` to keep memory flat.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_name))
    every = [Column(header=_("No."), width=6), *columns]
    last = len(every)

    # Declared before the first row: write-only sheets write these at the top of the sheet.
    for index, column in enumerate(every, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _width(column)
    sheet.row_dimensions[1].height = 30
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"  # title, unit line and headers stay in view
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"  # headers on every printed page
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = True  # printed lists are ruled, without a border per cell

    title_style = WriteOnlyCell(sheet)
    title_style.font = Font(bold=True, size=16)
    title_style.alignment = Alignment(horizontal="center", vertical="center")
    sheet.append([_cell(sheet, title, template=title_style)])

    split = max(1, last // 2)  # the unit over the left half, the date over the right
    unit_line = _("Reporting unit: %(unit)s") % {"unit": unit}
    date_line = _("Reporting date: %(date)s") % {"date": date_format(day, "DATE_FORMAT")}
    right = WriteOnlyCell(sheet)
    right.alignment = Alignment(horizontal="right")
    sheet.append(
        [_cell(sheet, unit_line), *[None] * (split - 1), _cell(sheet, date_line, template=right)]
    )

    header_style = WriteOnlyCell(sheet)
    header_style.font = Font(bold=True)
    header_style.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.append([_cell(sheet, str(column.header), template=header_style) for column in every])

    templates = [_template(sheet, column) for column in columns]
    count = 0
    for count, row in enumerate(rows, start=1):  # after the loop: the number of rows
        sheet.append(
            [count]
            + [
                _cell(sheet, value, template=template, text=column.text)
                for column, template, value in zip(columns, templates, row, strict=True)
            ]
        )

    # Write-only sheets keep merged ranges and write them after the rows.
    sheet.merged_cells.add(CellRange(min_col=1, min_row=1, max_col=last, max_row=1))
    if split > 1:
        sheet.merged_cells.add(CellRange(min_col=1, min_row=2, max_col=split, max_row=2))
    if last - split > 1:  # with a single column the date sits alone in column 2
        sheet.merged_cells.add(CellRange(min_col=split + 1, min_row=2, max_col=last, max_row=2))
    workbook.save(stream_or_path)
    return count


def _sheet_title(name: str) -> str:
    """Excel refuses sheet names over 31 characters or with []:*?/\\ in them."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in str(name)).strip("'")
    return cleaned[:31] or "Sheet1"


def _template(sheet, column: Column) -> Cell | None:
    """A styled cell whose style the column's cells copy (None: plain values, default style)."""
    if not column.text and not column.number_format:
        return None
    template = WriteOnlyCell(sheet)
    template.number_format = TEXT_FORMAT if column.text else column.number_format
    return template


def _cell(sheet, value: Any, *, template: Cell | None = None, text: bool = False) -> Any:
    """A value as written: a plain value where the default style will do, else a styled cell.

    Strings lose the control characters Excel refuses (one stray character in an address must not
    fail a township's export) and stay strings even when they start with "=": a name typed as
    =HYPERLINK(...) is text in our ledger and must not become a live formula in someone's Excel.
    """
    if value == "":
        value = None  # an empty cell, not an empty string
    elif text and value is not None:
        value = str(value)  # an ID number handed over as an int still lands as text
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    formula_like = isinstance(value, str) and value.startswith("=")
    if template is None and not formula_like:
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if template is not None:
        cell._style = copy(template._style)  # one style lookup per column, not one per cell
    if formula_like:
        cell.data_type = "s"
    return cell
