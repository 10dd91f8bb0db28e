"""The one way the product writes spreadsheet cells: text stays text, numbers stay numbers."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings

from ejournal.core.spreadsheets import csv_cell, csv_text, xlsx_cell


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_csv_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (-3, "-3"),
        (Decimal("-4.50"), "-4.50"),
        (5, "5"),
        (dt.date(2027, 5, 25), "2027-05-25"),
        (None, ""),
        ("Николаев", "Николаев"),
        ("a=b", "a=b"),
    ],
)
def test_csv_numbers_dates_and_plain_text_are_written_as_they_are(value, written):
    assert csv_cell(value) == written


def test_csv_text_writes_every_row_through_the_guard():
    assert csv_text([["name", "n"], ["=1+1", -1]]) == "name,n\n'=1+1,-1\n"


def _first_sheet(content):
    return openpyxl.load_workbook(io.BytesIO(content)).active


def test_xlsx_text_is_a_string_cell_and_numbers_stay_numbers():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    xlsx_cell(sheet, 1, 1, '=HYPERLINK("http://x","y")')
    xlsx_cell(sheet, 1, 2, -2)
    xlsx_cell(sheet, 1, 3, "bell\x07")
    out = io.BytesIO()
    workbook.save(out)

    read = _first_sheet(out.getvalue())
    assert (read["A1"].data_type, read["A1"].value) == ("s", '=HYPERLINK("http://x","y")')
    assert (read["B1"].data_type, read["B1"].value) == ("n", -2)
    assert read["C1"].value == "bell"


# Ways of writing a cell other than through ejournal.core.spreadsheets.
_DIRECT_WRITES = re.compile(
    r"csv\.(writer|DictWriter)\(|\.cell\([^)]*,[^)]*,|\.cell\([^)]*value=|\.value\s*=[^=]"
    r"|\bsheet\.append\("
)


def test_the_product_writes_spreadsheet_cells_only_through_the_helper():
    """A new export that writes cells itself would bypass the guard against formulas."""
    root = Path(settings.BASE_DIR) / "ejournal"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if not {"tests", "testing", "e2e", "migrations"} & set(path.relative_to(root).parts)
        and path.name != "testing.py"
        and path != root / "core" / "spreadsheets.py"
        and re.search(r"^\s*(import|from) (csv|openpyxl)\b", path.read_text(), re.MULTILINE)
        and _DIRECT_WRITES.search(path.read_text())
    ]
    assert offenders == []
