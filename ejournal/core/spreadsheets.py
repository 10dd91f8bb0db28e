"""Every cell of every XLSX and CSV file the product writes: text stays text.

A spreadsheet program runs a cell that starts with "=" as a formula, and in a CSV file also
one that starts with "+", "-", "@", a tab or a carriage return (OWASP: CSV injection): a pupil
or a school named `=HYPERLINK("http://x","y")` would put a live link, or worse, into the file
a class teacher opens. So:

- in XLSX, text is stored as a string cell (openpyxl would take "=…" for a formula);
- in CSV, text starting with one of those characters gets an apostrophe in front, which
  spreadsheet programs read as "this is text" (OWASP's advice).

Numbers are not text: a number the product writes (a mark, an average, a count, a negative
one too) is passed as int or Decimal and written as it is, never prefixed. A value that is
text ("+7 495 …", "-1" typed into a name) is guarded even when it looks like a number, since
a spreadsheet would otherwise turn it into a number or a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING, Cell, MergedCell
from openpyxl.worksheet.worksheet import Worksheet

CellValue = str | int | Decimal | dt.date | None
# What makes a spreadsheet program read a CSV cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def xlsx_cell(sheet: Worksheet, row: int, column: int, value: CellValue) -> Cell | MergedCell:
    """Write `value` into the sheet's cell: text as a string cell, numbers and dates as they
    are. Characters XLSX cannot hold (control characters other than tab and line breaks) are
    dropped rather than failing the whole file."""
    cell = sheet.cell(row, column)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = TYPE_STRING  # not TYPE_FORMULA, whatever it starts with
    else:
        cell.value = value
    return cell


def csv_cell(value: CellValue) -> str:
    """One CSV cell: text a spreadsheet would run as a formula gets a leading apostrophe;
    numbers (negative too) and dates are written as they are, nothing as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_text(rows: Iterable[Sequence[CellValue]]) -> str:
    """The rows (the header first, if any) as CSV text, every cell through `csv_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return out.getvalue()
