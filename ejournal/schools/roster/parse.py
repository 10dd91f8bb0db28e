"""Reading a roster file (CSV or XLSX bytes) into raw rows with their line numbers.

Nothing here judges the values: that is `rows.py`. This module only answers "what does each
line of the file say", or raises RosterFileError with one message in Russian for a file that
can't be read at all.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings

Cell = str | dt.date

# The columns, in the order a file without a header must follow.
FIELDS = ("class_label", "last_name", "first_name", "middle_name", "birth_date", "parent_email")
FIELD_LABELS = {
    "class_label": "Класс",
    "last_name": "Фамилия",
    "first_name": "Имя",
    "middle_name": "Отчество",
    "birth_date": "Дата рождения",
    "parent_email": "Email родителя",
}
# A header may leave out the optional columns; a file without a header has all six in order.
REQUIRED_FIELDS = ("class_label", "last_name", "first_name", "birth_date")

# Header cells as people write them, after _header_key(): lowercase, ё → е, no brackets.
_ALIASES = {
    "class_label": {"класс", "class", "class label"},
    "last_name": {"фамилия", "last name", "lastname", "surname", "family name"},
    "first_name": {"имя", "first name", "firstname", "given name"},
    "middle_name": {"отчество", "middle name", "middlename", "patronymic"},
    "birth_date": {"дата рождения", "birth date", "birthdate", "date of birth", "дата рожд"},
    "parent_email": {
        "email родителя",
        "e mail родителя",
        "почта родителя",
        "электронная почта родителя",
        "parent email",
        "parent e mail",
    },
}
_ALIAS_TO_FIELD = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and .doc) container
# Columns read from a spreadsheet: enough for a roster with a few extra columns.
_MAX_COLUMNS = 30
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

COLUMNS_HINT = (
    "Нужны столбцы: Класс, Фамилия, Имя, Отчество, Дата рождения и, по желанию, Email родителя."
)


class RosterFileError(Exception):
    """The file as a whole can't be read; the message is for the curator, in Russian."""


@dataclass(frozen=True)
class RawRow:
    """One non-blank data line: its number in the file and its cells by field name."""

    line: int
    values: dict[str, Cell]

    def get(self, name: str) -> Cell:
        return self.values.get(name, "")


def read_roster(*, filename: str, content: bytes) -> list[RawRow]:
    """The data rows of a CSV or XLSX roster, header excluded, blank lines skipped."""
    check_roster_size(len(content))
    if not content.strip():
        raise RosterFileError("Файл пуст: в нём нет ни одной строки.")
    if content.startswith(_OLE_MAGIC) or filename.lower().endswith(".xls"):
        raise RosterFileError(
            f"Файл «{filename}» в старом формате Excel (.xls). Сохраните его как "
            "«Книга Excel (.xlsx)» или «CSV (разделители — точка с запятой)» и загрузите снова."
        )
    if content.startswith(_XLSX_MAGIC):
        lines = _xlsx_lines(filename, content)
    elif filename.lower().endswith(".xlsx"):
        raise _unreadable(filename)
    else:
        lines = _csv_lines(filename, content)
    return _rows(lines)


def check_roster_size(size: int) -> None:
    """RosterFileError for a file over the limit: an upload is measured before it is read."""
    if size > settings.EJOURNAL_ROSTER_MAX_BYTES:
        raise RosterFileError(
            f"Файл слишком большой: {megabytes(size)} МБ. "
            f"Можно загрузить не больше {megabytes(settings.EJOURNAL_ROSTER_MAX_BYTES)} МБ."
        )


def megabytes(size: int) -> str:
    """10, 10,5: megabytes with one decimal, a comma, and no trailing ",0"."""
    text = f"{size / (1024 * 1024):.1f}"
    return text.removesuffix(".0").replace(".", ",")


def _unreadable(filename: str) -> RosterFileError:
    return RosterFileError(
        f"Не удалось прочитать файл «{filename}»: нужна таблица в формате XLSX или CSV."
    )


def _decode(filename: str, content: bytes) -> str:
    """UTF-8 with or without a BOM, else cp1251: what Russian Excel writes as "CSV"."""
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL_CHARS.search(text):
            # Binary data (an image, a PDF, a zipped document) decodes as cp1251 too.
            break
        return text
    raise _unreadable(filename)


def _delimiter(text: str) -> str:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _csv_lines(filename: str, content: bytes) -> Iterator[tuple[int, list[Cell]]]:
    text = _decode(filename, content)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        for cells in reader:
            yield reader.line_num, [cell.strip() for cell in cells]
    except csv.Error as error:
        raise RosterFileError(
            f"Строка {reader.line_num}: файл CSV повреждён или в ячейке слишком много текста. "
            "Сохраните таблицу заново."
        ) from error


def _xlsx_lines(filename: str, content: bytes) -> Iterator[tuple[int, list[Cell]]]:
    from openpyxl import load_workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # BadZipFile, KeyError, ValueError...: any broken workbook
        raise _unreadable(filename) from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if not isinstance(sheet, ReadOnlyWorksheet):
            raise _unreadable(filename)
        # Some programs record the used range wrongly (A1:A1); read to the last row instead.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(max_col=_MAX_COLUMNS, values_only=True)
        for number, values in enumerate(rows, 1):
            yield number, [_xlsx_cell(value) for value in values]
    except RosterFileError:
        raise
    except Exception as error:  # a sheet whose XML breaks off in the middle
        raise _unreadable(filename) from error
    finally:
        workbook.close()


def _xlsx_cell(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header_key(cell: Cell) -> str:
    text = unicodedata.normalize("NFC", str(cell)).lower().replace("ё", "е")
    text = re.sub(r"\(.*?\)", " ", text)  # "Дата рождения (ДД.ММ.ГГГГ)"
    text = re.sub(r"[\s_\-*:.]+", " ", text)
    return text.strip()


def _header(cells: list[Cell]) -> dict[int, str] | None:
    """Column index → field for a header line, None if the line is data."""
    found: dict[int, str] = {}
    for index, cell in enumerate(cells):
        name = _ALIAS_TO_FIELD.get(_header_key(cell)) if isinstance(cell, str) else None
        if name is None:
            continue
        if name in found.values():
            raise RosterFileError(f"Столбец «{FIELD_LABELS[name]}» указан в заголовке дважды.")
        found[index] = name
    if not found:
        return None
    missing = [FIELD_LABELS[name] for name in REQUIRED_FIELDS if name not in found.values()]
    if missing:
        listed = ", ".join(f"«{label}»" for label in missing)
        raise RosterFileError(f"В заголовке нет столбцов: {listed}. {COLUMNS_HINT}")
    return found


def _rows(lines: Iterable[tuple[int, list[Cell]]]) -> list[RawRow]:
    max_rows = settings.EJOURNAL_ROSTER_MAX_ROWS
    columns: dict[int, str] = {}
    seen_first = False
    rows: list[RawRow] = []
    for line, cells in lines:
        if not any(cell != "" for cell in cells):
            continue
        if not seen_first:
            seen_first = True
            header = _header(cells)
            columns = header or dict(enumerate(FIELDS))
            if header is not None:
                continue
        if len(rows) == max_rows:
            raise RosterFileError(
                f"В файле больше {max_rows} строк с учениками. "
                "Разделите список на несколько файлов."
            )
        values = {name: cells[index] for index, name in columns.items() if index < len(cells)}
        rows.append(RawRow(line=line, values=values))
    if not rows:
        if seen_first:
            raise RosterFileError("В файле только заголовок: строк с учениками в нём нет.")
        raise RosterFileError("Файл пуст: в нём нет ни одной строки.")
    return rows
