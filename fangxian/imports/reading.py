"""Read an uploaded roster (.xlsx, .xls, .ods or .csv) into rows of raw cell values.

Pure: no Django, no database, so the same code serves the upload view, a command and hypothesis.
Nothing here interprets a value: header detection lives in headers.py and the cell rules in
cells.py. What this module promises is that rows keep the types the file gave them, that row and
column indexes are the sheet's own (row 0 is spreadsheet row 1, column 0 is column A), so messages
can point at the cell the user sees, and that an empty cell is None whatever the format.

The format is decided by the file's content, not its name: uploads arrive under temporary names,
WPS saves .et files that are really .xls, and government systems export "xls" files that are
tab-separated text or HTML tables.

Failures raise ReadError(code, **params); fangxian.imports.messages turns codes into sentences.
"""

import codecs
import csv
import io
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta
from itertools import islice
from pathlib import Path

from python_calamine import (
    CalamineError,
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

# What a cell can hold once read. datetime is a subclass of date; timedelta comes from duration
# cells, which a roster should not have but calamine can produce.
Cell = str | int | float | bool | date | time | timedelta | None

FORMATS = ("xlsx", "xlsb", "xls", "ods", "csv")

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
# The file names calamine recognises by extension; any other name is opened from memory, where
# calamine looks at the content instead.
_NATIVE_SUFFIXES = {
    "xlsx": {".xlsx", ".xlsm"},
    "xlsb": {".xlsb"},
    "xls": {".xls"},
    "ods": {".ods"},
}
# Names under which a text file is still read as CSV. Legacy systems write tab-separated text
# under .xls and Excel opens it, so users expect us to as well; WPS uses .et for its own format.
_TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".xls", ".et", ""}
_SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".et"}
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# An encrypted (password-protected) .xlsx is an OLE container holding a stream of this name.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

_CHUNK = 1 << 20  # bytes read at a time while checking an encoding
_SNIFF_BYTES = 64 * 1024  # prefix used to choose the delimiter
_SNIFF_ROWS = 50
DELIMITERS = (",", "\t", ";")  # the Chinese comma "，" separates words inside cells, never fields


class ReadError(ValueError):
    """The file cannot be read as a table. `code` names the problem, `params` fill its message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class Table:
    """One sheet of an uploaded file, its rows still to be read.

    `rows` is an iterator so that a large CSV streams; iterate it once. Iterating may raise
    ReadError (a CSV broken half-way). Rows of a workbook all have the sheet's width; CSV rows
    have as many cells as their line.
    """

    format: str  # one of FORMATS: what the content turned out to be, whatever the name said
    encoding: str | None  # CSV only: "utf-8-sig", "utf-8", "gb18030" or "utf-16"
    sheet_name: str | None  # workbooks only
    rows: Iterator[list[Cell]]
    sheet_names: tuple[str, ...] = ()  # visible worksheets, so the user can pick another
    delimiter: str | None = None  # CSV only


def read_table(path: Path, *, filename: str | None = None, sheet: str | None = None) -> Table:
    """Open `path` and return its first non-empty visible sheet (or the sheet named `sheet`).

    `filename` is the name the user uploaded, when `path` is a temporary file; it only matters
    for telling a CSV from an unsupported document, as the content decides everything else.
    """
    path = Path(path)
    suffix = Path(filename).suffix.lower() if filename else path.suffix.lower()
    kind = detect_format(path, suffix=suffix)
    if kind == "csv":
        return _read_csv(path)
    return _read_workbook(path, kind=kind, sheet=sheet)


def detect_format(path: Path, *, suffix: str) -> str:
    """Tell the format from the first bytes, using the name only where the bytes cannot say."""
    try:
        with path.open("rb") as file:
            head = file.read(8192)
    except OSError as error:
        raise ReadError("unreadable", format=suffix.lstrip(".") or "?") from error
    if not head:
        raise ReadError("empty")
    if head.startswith(_ZIP_MAGIC):
        return _zip_format(path, suffix=suffix)
    if head.startswith(_OLE_MAGIC):
        return "xls"
    if _looks_like_html(head):
        raise ReadError("html_disguised", extension=suffix.lstrip("."))
    is_text = b"\x00" not in head or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if suffix in _TEXT_SUFFIXES and is_text:
        return "csv"
    if suffix in _SPREADSHEET_SUFFIXES:
        # Named like a workbook but neither a workbook nor text: damaged or truncated.
        raise ReadError("unreadable", format=suffix.lstrip("."))
    raise ReadError("unsupported_format", extension=suffix.lstrip("."))


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how Excel names the column, for messages."""
    if index < 0:
        raise ValueError(f"column index {index} is negative")
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def value_at(row: list[Cell], index: int | None) -> Cell:
    """The cell at `index`, or None when the row is shorter (CSV lines may be ragged)."""
    if index is None or index >= len(row):
        return None
    return row[index]


# --- workbooks -----------------------------------------------------------------------------


def _zip_format(path: Path, *, suffix: str) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype") if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError) as error:
        raise ReadError("unreadable", format=suffix.lstrip(".") or "zip") from error
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if mimetype.strip() == _ODS_MIMETYPE or "content.xml" in names:
        return "ods"
    # A .docx, .pptx or plain archive.
    raise ReadError("unsupported_format", extension=suffix.lstrip(".") or "zip")


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip(codecs.BOM_UTF8).lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) or (
        start.startswith(b"<") and b"<table" in start
    )


def _read_workbook(path: Path, *, kind: str, sheet: str | None) -> Table:
    workbook = _open_workbook(path, kind=kind)
    try:
        visible = tuple(
            meta.name
            for meta in workbook.sheets_metadata
            if meta.typ == SheetTypeEnum.WorkSheet and meta.visible == SheetVisibleEnum.Visible
        )
        chosen = _choose_sheet(workbook, visible=visible, sheet=sheet, kind=kind)
    finally:
        # The sheet holds its own copy of the cells; the file is not needed any more.
        workbook.close()
    return Table(
        format=kind,
        encoding=None,
        sheet_name=chosen.name,
        rows=_sheet_rows(chosen),
        sheet_names=visible,
    )


def _open_workbook(path: Path, *, kind: str) -> CalamineWorkbook:
    try:
        if path.suffix.lower() in _NATIVE_SUFFIXES[kind]:
            return CalamineWorkbook.from_path(path)
        with path.open("rb") as file:
            return CalamineWorkbook.from_filelike(file)
    except PasswordError as error:
        raise ReadError("password_protected") from error
    except (CalamineError, OSError, ValueError) as error:
        if kind == "xls" and _is_encrypted_ole(path):
            raise ReadError("password_protected") from error
        raise ReadError("unreadable", format=kind) from error
    except BaseException as error:
        # A malformed file can make the Rust reader panic; pyo3 raises that as PanicException,
        # which derives from BaseException. It is the file's fault, not a reason to crash.
        if type(error).__name__ == "PanicException":
            raise ReadError("unreadable", format=kind) from error
        raise


def _is_encrypted_ole(path: Path) -> bool:
    overlap = len(_ENCRYPTED_PACKAGE)
    previous = b""
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            if _ENCRYPTED_PACKAGE in previous + chunk:
                return True
            previous = chunk[-overlap:]
    return False


def _choose_sheet(
    workbook: CalamineWorkbook, *, visible: tuple[str, ...], sheet: str | None, kind: str
) -> CalamineSheet:
    try:
        if sheet is not None:
            if sheet not in workbook.sheet_names:
                raise ReadError("sheet_not_found", sheet=sheet, available="、".join(visible))
            return workbook.get_sheet_by_name(sheet)
        for name in visible:
            candidate = workbook.get_sheet_by_name(name)
            if candidate.start is not None:
                return candidate
    except CalamineError as error:
        raise ReadError("unreadable", format=kind) from error
    raise ReadError("empty")


def _sheet_rows(sheet: CalamineSheet) -> Iterator[list[Cell]]:
    """Yield the sheet's rows with Excel's own coordinates and None for empty cells.

    calamine yields empty rows above the used area but drops the empty columns to its left;
    padding them back keeps column indexes equal to the letters the user sees. It returns empty
    and error cells (#N/A, #REF!) alike as "".
    """
    start = sheet.start
    if start is None:  # iter_rows() cannot cope with an empty sheet
        return
    left = [None] * start[1]
    for raw in sheet.iter_rows():
        yield left + [None if isinstance(value, str) and value == "" else value for value in raw]


# --- CSV -----------------------------------------------------------------------------------


def _read_csv(path: Path) -> Table:
    encoding = detect_encoding(path)
    prefix, whole = _decoded_prefix(path, encoding)
    if whole and not prefix.strip(" \t\r\n,;\ufeff"):
        raise ReadError("empty")
    if not whole and "\n" in prefix:
        prefix = prefix[: prefix.rindex("\n") + 1]  # drop the line the prefix cut
    delimiter = sniff_delimiter(prefix)
    return Table(
        format="csv",
        encoding=encoding,
        sheet_name=None,
        rows=_csv_rows(path, encoding=encoding, delimiter=delimiter),
        delimiter=delimiter,
    )


def detect_encoding(path: Path) -> str:
    """Name the encoding that decodes the whole file without a single error.

    A byte-order mark decides; otherwise UTF-8, then GB18030 (a superset of GBK, which is what
    Excel on Chinese Windows writes). Each candidate is checked on the whole file, chunk by
    chunk, so a bad byte near the end still rules it out: a CSV decoded in the wrong encoding
    would store garbled names. No guessing beyond that: a file neither decodes is refused.
    """
    with path.open("rb") as file:
        start = file.read(4)
    if start.startswith(codecs.BOM_UTF8):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" export: UTF-16 with a BOM, tab-separated.
        candidates = ("utf-16",)
    else:
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        if _decodes(path, encoding):
            return encoding
    raise ReadError("encoding", tried=", ".join(candidates))


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as file:
            while chunk := file.read(_CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _decoded_prefix(path: Path, encoding: str) -> tuple[str, bool]:
    """The start of the file as text, and whether it is the whole file."""
    with path.open("rb") as file:
        head = file.read(_SNIFF_BYTES + 1)
    whole = len(head) <= _SNIFF_BYTES
    # final=False keeps a character cut at the end of the prefix from raising.
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    return decoder.decode(head[:_SNIFF_BYTES], final=whole), whole


def sniff_delimiter(sample: str) -> str:
    """Choose the delimiter most lines agree on.

    csv.Sniffer is easily fooled by Chinese text; instead count, for each candidate, how many of
    the first lines split into the same number (more than one) of fields. Title rows without
    delimiters and addresses with a stray comma in a tab-separated file do not sway the vote.
    """
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
        try:
            widths = [len(row) for row in islice(reader, _SNIFF_ROWS) if len(row) > 1]
        except csv.Error:
            continue
        if not widths:
            continue
        width, agreeing = Counter(widths).most_common(1)[0]
        score = (agreeing, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(path: Path, *, encoding: str, delimiter: str) -> Iterator[list[Cell]]:
    with path.open(encoding=encoding, errors="strict", newline="") as file:
        reader = csv.reader(file, delimiter=delimiter)
        try:
            for row in reader:
                yield [cell if cell != "" else None for cell in row]
        except (csv.Error, UnicodeDecodeError) as error:
            raise ReadError("unreadable", format="csv") from error
