"""The rejected rows of an import as an .xlsx: the original cells, then what is wrong."""

from typing import BinaryIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from fangxian.imports.models import ImportJob, ImportRow


def write_rejected(*, job: ImportJob, stream: BinaryIO) -> int:
    """Write the rejected rows (errors and duplicates) with every cell as text, so that ID
    numbers survive the round trip through Excel; returns the number of rows written."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Rejected rows"))
    sheet.append([_("Row"), *job.headers, _("What is wrong")])
    count = 0
    rows = job.rows.filter(action__in=[ImportRow.Action.ERROR, ImportRow.Action.DUPLICATE])
    for row in rows.order_by("row_number").iterator(chunk_size=2000):
        problems = "；".join(
            f"{e['column']}：{e['message']}" if e["column"] else e["message"] for e in row.errors
        )
        cells = []
        for value in [row.row_number, *row.cells, problems]:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.number_format = "@"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    book.save(stream)
    return count
