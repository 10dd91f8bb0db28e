"""Reading the first sheet of an XLSX roster, after making sure the archive is not a bomb.

An XLSX file is a ZIP archive of XML. A few kilobytes can unpack into hundreds of megabytes
(openpyxl reads the shared strings into memory even in read-only mode), so the archive's
table of contents is checked first: nothing is unpacked from a file that claims too much.
Python's zipfile never unpacks more than a member's declared size, so the declared sizes
are what counts.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Iterator

from .errors import RosterFileError, unreadable

Cell = str | dt.date

# A roster of 10,000 pupils unpacks into a few megabytes; a workbook has a dozen parts.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 200
# XML compresses 5 to 20 times; more than this, for a part big enough to matter, is a bomb.
MAX_RATIO = 100
RATIO_CHECKED_FROM = 1024 * 1024
# Columns read from a spreadsheet: enough for a roster with a few extra columns.
MAX_COLUMNS = 30


def check_archive(filename: str, content: bytes) -> None:
    """RosterFileError, one message for every way an archive can unpack into too much."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise unreadable(filename) from error
    unpacked = sum(member.file_size for member in members)
    if (
        len(members) > MAX_MEMBERS
        or unpacked > MAX_UNPACKED_BYTES
        or any(_ratio_too_high(member) for member in members)
    ):
        raise RosterFileError(
            f"Файл «{filename}» не похож на обычную таблицу: в распакованном виде он слишком "
            "велик. Откройте его в Excel, сохраните как «Книга Excel (.xlsx)» или "
            "«CSV (разделители — точка с запятой)» и загрузите снова."
        )


def _ratio_too_high(member: zipfile.ZipInfo) -> bool:
    if member.file_size < RATIO_CHECKED_FROM:
        return False
    return member.file_size > MAX_RATIO * max(member.compress_size, 1)


def xlsx_lines(filename: str, content: bytes) -> Iterator[tuple[int, list[Cell]]]:
    """(row number, cells) of the first sheet, blank rows included: the caller counts them.

    The archive is checked at once, before anything is unpacked.
    """
    check_archive(filename, content)
    return _sheet_lines(filename, content)


def _sheet_lines(filename: str, content: bytes) -> Iterator[tuple[int, list[Cell]]]:
    from openpyxl import load_workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # BadZipFile, KeyError, ValueError...: any broken workbook
        raise unreadable(filename) from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if not isinstance(sheet, ReadOnlyWorksheet):
            raise unreadable(filename)
        # Some programs record the used range wrongly (A1:A1); read to the last row instead.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        for number, values in enumerate(rows, 1):
            yield number, [_cell(value) for value in values]
    except RosterFileError:
        raise
    except Exception as error:  # a sheet whose XML breaks off in the middle
        raise unreadable(filename) from error
    finally:
        workbook.close()


def _cell(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return text_cell(str(value))


def text_cell(value: str) -> str:
    """A text cell as the checks expect it: NFC (a Mac's "й" is two code points), trimmed."""
    return unicodedata.normalize("NFC", value).strip()
