"""Files the journal hands out: the class summary as an XLSX workbook.

The workbook holds numbers, not text, so that a spreadsheet program can sort, sum and chart
them: the averages are decimals shown with two places, the finals and the absences integers.
Every cell is written by `xlsx_cell`, which keeps names as text (never a formula).
"""

from __future__ import annotations

import re
from io import BytesIO
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ejournal.core.spreadsheets import CellValue, xlsx_cell
from ejournal.schools.models import Period, SchoolClass

from .selectors import Summary, mean

AVERAGE_FORMAT = "0.00"
COUNT_FORMAT = "0"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The header takes rows 3–4 (subjects over "ср. балл" / "итог"); the students start at 5.
TITLE_ROW, HEADER_ROW, SUBHEADER_ROW, FIRST_ROW = 1, 3, 4, 5
FIRST_SUBJECT_COLUMN = 3  # after "№" and "Ученик"
FINAL_WIDTH = 6  # the "итог" column of a subject

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="F0F2F5")
_THIN = Side(style="thin", color="C8CDD3")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def class_summary_xlsx(*, summary: Summary, school_class: SchoolClass, period: Period) -> bytes:
    """One sheet for the period: a title row, a two-row bold header (each subject over its
    average and final mark), a row per student, the class's averages and totals below; the
    header and the names stay in view when scrolling."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 -- a new workbook has its sheet
    sheet.title = _sheet_title(f"{school_class.label}, {period}")
    title = summary_title(school_class=school_class, period=period)
    workbook.properties.title = title
    workbook.properties.creator = school_class.school.name

    subjects = summary.subjects
    after_subjects = FIRST_SUBJECT_COLUMN + 2 * len(subjects)
    average_col, absences_col, lates_col = after_subjects, after_subjects + 1, after_subjects + 2

    xlsx_cell(sheet, TITLE_ROW, 1, title).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=lates_col)

    # The header: "№", "Ученик" and the totals span both header rows; a subject spans two columns.
    for column, text in (
        (1, "№"),
        (2, "Ученик"),
        (average_col, "Средний балл"),
        (absences_col, "Пропуски (н)"),
        (lates_col, "Опоздания (оп)"),
    ):
        xlsx_cell(sheet, HEADER_ROW, column, text)
        sheet.merge_cells(
            start_row=HEADER_ROW, start_column=column, end_row=SUBHEADER_ROW, end_column=column
        )
    for index, subject in enumerate(subjects):
        column = FIRST_SUBJECT_COLUMN + 2 * index
        xlsx_cell(sheet, HEADER_ROW, column, subject.name)
        sheet.merge_cells(
            start_row=HEADER_ROW, start_column=column, end_row=HEADER_ROW, end_column=column + 1
        )
        xlsx_cell(sheet, SUBHEADER_ROW, column, "ср. балл")
        xlsx_cell(sheet, SUBHEADER_ROW, column + 1, "итог")
    for row in sheet.iter_rows(min_row=HEADER_ROW, max_row=SUBHEADER_ROW, max_col=lates_col):
        for cell in row:
            cell.font, cell.fill, cell.alignment, cell.border = _BOLD, _HEADER_FILL, _CENTER, _BOX

    row_number = FIRST_ROW
    for number, line in enumerate(summary.rows, start=1):
        values: list[CellValue] = [number, line.student.full_name]
        for average, final in zip(line.averages, line.finals, strict=True):
            values += [average, final]
        values += [line.average, line.absences, line.lates]
        _write_row(sheet, row_number, values, average_col=average_col)
        row_number += 1

    footer: list[CellValue] = [None, "Средний по классу"]
    for class_average in summary.class_averages:
        footer += [class_average, None]
    footer += [mean(line.average for line in summary.rows), summary.absences, summary.lates]
    _write_row(sheet, row_number, footer, average_col=average_col)
    for cell in sheet[row_number]:
        cell.font = _BOLD
        cell.border = Border(top=Side(style="medium"))

    _set_widths(sheet, summary, lates_col=lates_col)
    sheet.row_dimensions[HEADER_ROW].height = 32
    sheet.freeze_panes = f"{get_column_letter(FIRST_SUBJECT_COLUMN)}{FIRST_ROW}"
    sheet.print_title_rows = f"{HEADER_ROW}:{SUBHEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)

    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _write_row(sheet: Worksheet, row: int, values: list[CellValue], *, average_col: int) -> None:
    """Numbers as numbers: averages with two decimals, marks and counts as integers."""
    for column, value in enumerate(values, start=1):
        cell = xlsx_cell(sheet, row, column, value)
        if column == 1:
            cell.number_format = COUNT_FORMAT
        elif column >= FIRST_SUBJECT_COLUMN:
            subject_average = column < average_col and (column - FIRST_SUBJECT_COLUMN) % 2 == 0
            is_average = subject_average or column == average_col
            cell.number_format = AVERAGE_FORMAT if is_average else COUNT_FORMAT
            cell.alignment = Alignment(horizontal="right")


def _set_widths(sheet: Worksheet, summary: Summary, *, lates_col: int) -> None:
    names = [line.student.full_name for line in summary.rows]
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = min(
        max([len("Средний по классу"), *map(len, names)]) + 2, 45
    )
    for index, subject in enumerate(summary.subjects):
        # The subject's two columns hold its name on at most two lines, never breaking a word
        # ("Изобразительное / искусство"); bold letters are wider, hence the margin.
        longest_word = max(map(len, subject.name.split()), default=0)
        both = min(max(longest_word, len(subject.name) // 2) + 4, 30)
        column = FIRST_SUBJECT_COLUMN + 2 * index
        sheet.column_dimensions[get_column_letter(column)].width = max(9, both - FINAL_WIDTH)
        sheet.column_dimensions[get_column_letter(column + 1)].width = FINAL_WIDTH
    for column in range(lates_col - 2, lates_col + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14


def _sheet_title(text: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "-", text)[:31]


def summary_title(*, school_class: SchoolClass, period: Period) -> str:
    """ "Школа №1399 · Сводка класса 6А · 2 четверть 2026/2027 (05.11.2026–28.12.2026)"."""
    return (
        f"{school_class.school.name} · Сводка класса {school_class.label} · "
        f"{period} {school_class.year} ({period.starts_on:%d.%m.%Y}–{period.ends_on:%d.%m.%Y})"
    )


# Russian letters in Latin, as on a passport (ICAO 9303) but readable: "четверть" → "chetvert".
_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}  # fmt: skip
_TRANSLIT = str.maketrans(
    {**_LATIN, **{cyr.upper(): lat.capitalize() for cyr, lat in _LATIN.items()}}
)


def transliterate(text: str) -> str:
    """Cyrillic to Latin letters, keeping the case: "6А" → "6A", "Щи" → "Shchi"."""
    return text.translate(_TRANSLIT)


def summary_filename(*, school_class: SchoolClass, period: Period) -> str:
    """ "сводка-6А-2-четверть.xlsx": the file's name in Russian."""
    return _slug(f"сводка {school_class.label} {period}") + ".xlsx"


def attachment_disposition(filename: str) -> str:
    """A Content-Disposition for a download: an ASCII `filename` every client understands and
    the UTF-8 one (RFC 6266, RFC 5987) that browsers prefer.

    "сводка-6А-2-четверть.xlsx" → attachment; filename="svodka-6A-2-chetvert.xlsx";
    filename*=UTF-8''%D1%81%D0%B2...
    """
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", transliterate(filename)).strip("-") or "file"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _slug(text: str) -> str:
    return re.sub(r"[^\w.]+", "-", text).strip("-")
