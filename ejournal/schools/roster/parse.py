"""Reading a roster file (CSV or XLSX bytes) into raw rows with their line numbers.

Nothing here judges the values: that is `rows.py`. This module only answers "what does each
line of the file say", or raises RosterFileError with one message in Russian for a file that
can't be read at all.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings

from ejournal.core.uploads import megabytes

from .errors import RosterFileError, unreadable
from .xlsx import Cell, text_cell, xlsx_lines

__all__ = ["FIELDS", "Cell", "RawRow", "RosterFileError", "check_roster_size", "read_roster"]

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
# Control bytes mean the same in UTF-8 and cp1251: binary data (an image, a PDF).
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ASCII = bytes(range(0x80))
# Lines of a file, blank ones included, beyond the pupils' rows: a header and blank lines
# between classes. A file of nothing but blank rows is refused before it is read through.
SPARE_LINES = 1000
# Well-formed UTF-8 sequences of two to four bytes.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_RUSSIAN_LETTER = re.compile(r"[А-Яа-яЁё]")
_RUSSIAN_WORD = re.compile(r"[А-Яа-яЁё]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_WORD = re.compile(r"[^\W\d_]+")

COLUMNS_HINT = (
    "Нужны столбцы: Класс, Фамилия, Имя, Отчество, Дата рождения и, по желанию, Email родителя."
)


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
        lines = xlsx_lines(filename, content)
    elif filename.lower().endswith(".xlsx"):
        raise unreadable(filename)
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


def _decode(filename: str, content: bytes) -> str:
    """UTF-8 with or without a BOM, else cp1251: what Russian Excel writes as "CSV".

    cp1251 decodes nearly any bytes, so it is taken only for a file that is not UTF-8 and
    reads as Russian text: a UTF-8 file with one damaged byte would otherwise come out as
    "РќРёРєРѕР»Р°РµРІ" without a word of warning.
    """
    if _CONTROL_BYTES.search(content):
        raise unreadable(filename)
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = content.decode("cp1251")
    except UnicodeDecodeError:
        text = ""
    if not text or _damaged_utf8(content) or not _russian(text):
        raise RosterFileError(
            f"Файл «{filename}» не удалось прочитать: часть букв в нём записана с ошибкой или "
            "в незнакомой кодировке. Сохраните таблицу в кодировке UTF-8 (в Excel: «Сохранить "
            "как» → «CSV UTF-8») и загрузите снова."
        )
    return text


def _damaged_utf8(content: bytes) -> bool:
    """Most bytes above ASCII form well-formed UTF-8 sequences: UTF-8 with a damaged byte."""
    high_bytes = len(content.translate(None, _ASCII))
    utf8_bytes = sum(len(sequence) for sequence in _UTF8_SEQUENCE.findall(content))
    return utf8_bytes * 2 > high_bytes


def _russian(text: str) -> bool:
    """cp1251 that is Russian: what is not ASCII is Russian letters, in Russian words.

    A Latin-1 "Müller" decodes as "Mьller": a Russian letter, in a word of Latin ones.
    """
    non_ascii = len(_NON_ASCII.findall(text))
    russian = len(_RUSSIAN_LETTER.findall(text))
    words = [word for word in _WORD.findall(text) if _NON_ASCII.search(word)]
    russian_words = sum(1 for word in words if _RUSSIAN_WORD.fullmatch(word))
    return russian >= 0.8 * non_ascii and russian_words >= 0.9 * len(words)


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
            yield reader.line_num, [text_cell(cell) for cell in cells]
    except csv.Error as error:
        raise RosterFileError(
            f"Строка {reader.line_num}: файл CSV повреждён или в ячейке слишком много текста. "
            "Сохраните таблицу заново."
        ) from error


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
    max_lines = max_rows + SPARE_LINES
    columns: dict[int, str] = {}
    seen_first = False
    rows: list[RawRow] = []
    for line, cells in lines:
        # Every line counts, blank or not: a sheet of a million empty rows is refused at once.
        if line > max_lines:
            raise RosterFileError(
                f"В файле больше {max_lines} строк, считая пустые. Удалите пустые строки "
                "в конце таблицы или разделите список на несколько файлов."
            )
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
