"""Sentences for the import problems raised by reading.py, headers.py and cells.py.

The pure modules raise codes with parameters; this is the one place that says them to people,
in English source strings that the catalog translates. Each says what is wrong and what to do.
Parameters: `value` is the cell as the user sees it; `row` and `column` are 1-based / lettered.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from fangxian.imports.cells import CellError
from fangxian.imports.headers import HeaderError
from fangxian.imports.reading import ReadError

READ_MESSAGES: dict[str, Promise] = {
    "empty": _("The file is empty: no sheet in it has any content."),
    "unsupported_format": _(
        "Files of type “%(extension)s” cannot be imported. Upload an Excel workbook (.xlsx or "
        ".xls), an OpenDocument spreadsheet (.ods) or a CSV file."
    ),
    "unreadable": _(
        "The file cannot be read as %(format)s: it may be damaged or incomplete. Open it in "
        "Excel or WPS, save it again as .xlsx and upload that file."
    ),
    "password_protected": _(
        "The workbook is protected by a password. Open it, remove the password (File › Info › "
        "Protect Workbook), save it and upload it again."
    ),
    "html_disguised": _(
        "This file is a web page or XML export saved under the name .%(extension)s, not a real "
        "workbook. Open it in Excel or WPS, save it as .xlsx and upload that file."
    ),
    "encoding": _(
        "The CSV file is not in a text encoding we can read safely (tried %(tried)s). Save it "
        "from Excel as “CSV UTF-8”, or better as .xlsx, and upload it again."
    ),
    "sheet_not_found": _(
        "The workbook has no sheet named “%(sheet)s”. Visible sheets: %(available)s."
    ),
}

HEADER_MESSAGES: dict[str, Promise] = {
    "no_header": _(
        "No header row was found in the first %(scanned)s rows. The table needs a row of column "
        "names such as 姓名, 身份证号 and 联系电话 above the data; download the template to see "
        "one."
    ),
    "missing_key_column": _(
        "Row %(row)s looks like the header, but it has neither a 姓名 (name) nor a 身份证号 (ID "
        "number) column. Add one of them so that each row says whom it is about."
    ),
    "unknown_field": _("“%(field)s” is not a field that can be imported."),
    "column_out_of_range": _(
        "There is no column %(column)s in the header; choose a column from A to %(last)s."
    ),
}

CELL_MESSAGES: dict[str, Promise] = {
    "id_excel_number": _(
        "Excel has turned this ID number into a number (%(value)s) and lost its last digits. "
        "Format the column as Text in Excel, type the number in again and upload the file again."
    ),
    "id_excel_truncated": _(
        "The ID number %(value)s ends in 000 and its check character is wrong: Excel has "
        "probably cut its last digits while it was stored as a number. Type the full number in "
        "again in a column formatted as Text."
    ),
    "date_unreadable": _(
        "“%(value)s” is not a date that exists or that we can read. Write it like 2020-02-03 or "
        "2020年2月3日."
    ),
    "date_needs_year": _(
        "“%(value)s” has no year. Write the full date, like 2020年2月3日, or give the year for "
        "this import."
    ),
    "date_ambiguous": _(
        "“%(value)s” can be read as more than one date. Write it with a four-digit year first, "
        "like 2020-02-03 or 2020年2月3日."
    ),
    "date_out_of_range": _(
        "The date %(value)s is outside the expected period (%(earliest)s to %(latest)s). Check "
        "the year."
    ),
    "phone_unreadable": _(
        "“%(value)s” is not a phone number we recognise. Enter an 11-digit mobile number, or a "
        "landline with its area code like 0871-12345678."
    ),
    "phone_several": _(
        "“%(value)s” holds more than one phone number. Keep the one to call in this column and "
        "move the other to the notes."
    ),
    "sex_unreadable": _("“%(value)s” is not a sex we recognise. Enter 男 or 女."),
    "temperature_unreadable": _(
        "“%(value)s” is not a temperature reading. Enter the reading in degrees Celsius, like 36.5."
    ),
    "temperature_out_of_range": _(
        "The temperature %(value)s is outside %(low)s–%(high)s °C. Check the reading; it must "
        "be in degrees Celsius."
    ),
    "yes_no_unreadable": _("“%(value)s” is not a yes or no answer. Enter 是 or 否."),
}

MESSAGES: dict[str, Promise] = {**READ_MESSAGES, **HEADER_MESSAGES, **CELL_MESSAGES}


def message_for(error: ReadError | HeaderError | CellError) -> str:
    """The translated sentence for an import error, its parameters filled in."""
    if isinstance(error, ReadError):
        template = READ_MESSAGES[error.code]
    elif isinstance(error, HeaderError):
        template = HEADER_MESSAGES[error.code]
    else:
        template = CELL_MESSAGES[error.code]
    return str(template) % error.params
