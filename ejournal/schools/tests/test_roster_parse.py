"""Reading roster files: encodings, delimiters, headers, XLSX cells, and unreadable files."""

import datetime as dt
import io
import re
import unicodedata
import zipfile

import pytest

from ejournal.schools.roster.parse import RosterFileError, read_roster
from ejournal.schools.roster.testing import HEADER, roster_csv, roster_xlsx

ROW = ("6А", "Николаев", "Василий", "Петрович", "14.03.2013", "mama@example.com")
EXPECTED = {
    "class_label": "6А",
    "last_name": "Николаев",
    "first_name": "Василий",
    "middle_name": "Петрович",
    "birth_date": "14.03.2013",
    "parent_email": "mama@example.com",
}


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom"),
    [
        ("utf-8", ";", False),
        ("utf-8", ";", True),
        ("utf-8", ",", True),
        ("cp1251", ";", False),
        ("cp1251", ",", False),
        ("utf-8", "\t", False),
    ],
)
def test_csv_is_read_in_utf8_with_or_without_bom_or_cp1251_with_either_delimiter(
    encoding, delimiter, bom
):
    content = roster_csv([ROW], encoding=encoding, delimiter=delimiter, bom=bom)
    rows = read_roster(filename="list.csv", content=content)
    assert [(row.line, row.values) for row in rows] == [(2, EXPECTED)]


def test_a_file_without_a_header_is_read_by_position_from_line_one():
    rows = read_roster(filename="list.csv", content=roster_csv([ROW, ROW[:5]], header=None))
    assert [row.line for row in rows] == [1, 2]
    assert rows[0].values == EXPECTED
    assert rows[1].get("parent_email") == ""


def test_english_headers_in_any_case_and_order_are_recognized_and_extra_columns_ignored():
    header = ("№", "FIRST_NAME", "Last Name", "class", "Birth date", "Parent email", "Примечание")
    row = ("1", "Василий", "Николаев", "6А", "14.03.2013", "mama@example.com", "переведён")
    rows = read_roster(filename="list.csv", content=roster_csv([row], header=header))
    without_middle_name = {k: v for k, v in EXPECTED.items() if k != "middle_name"}
    assert rows[0].values == without_middle_name
    assert rows[0].get("middle_name") == ""


def test_russian_header_variants_are_recognized():
    header = ("КЛАСС", "фамилия", "Имя", "Отчество", "Дата рождения (ДД.ММ.ГГГГ)", "Почта родителя")
    rows = read_roster(filename="list.csv", content=roster_csv([ROW], header=header))
    assert rows[0].values == EXPECTED


def test_blank_lines_are_skipped_and_line_numbers_stay_those_of_the_file():
    content = roster_csv([ROW, ("",) * 6, ROW], bom=True).replace(b"\r\n", b"\r\n\r\n", 1)
    rows = read_roster(filename="list.csv", content=content)
    assert [row.line for row in rows] == [3, 5]


def test_xlsx_date_cells_become_dates_and_numbers_become_text():
    row = ("6А", "Николаев", "Василий", None, dt.datetime(2013, 3, 14), 12345)
    rows = read_roster(filename="list.xlsx", content=roster_xlsx([row]))
    assert rows[0].line == 2
    assert rows[0].values == {
        "class_label": "6А",
        "last_name": "Николаев",
        "first_name": "Василий",
        "middle_name": "",
        "birth_date": dt.date(2013, 3, 14),
        "parent_email": "12345",
    }


def test_xlsx_without_a_header_is_read_by_position():
    rows = read_roster(filename="list.xlsx", content=roster_xlsx([ROW, ROW], header=None))
    assert [row.line for row in rows] == [1, 2]
    assert rows[1].values == EXPECTED


def test_a_header_without_a_required_column_names_it():
    header = ("Класс", "Фамилия", "Имя", "Отчество")
    with pytest.raises(RosterFileError, match="В заголовке нет столбцов: «Дата рождения»"):
        read_roster(filename="list.csv", content=roster_csv([ROW[:4]], header=header))


def test_a_column_named_twice_in_the_header_is_refused():
    header = ("Класс", "Фамилия", "Имя", "Фамилия", "Дата рождения")
    with pytest.raises(RosterFileError, match="Столбец «Фамилия» указан в заголовке дважды"):
        read_roster(filename="list.csv", content=roster_csv([ROW[:5]], header=header))


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("list.csv", b"", "Файл пуст"),
        ("list.csv", b"\r\n ;;;\r\n", "в нём нет ни одной строки"),
        ("list.csv", roster_csv([]), "В файле только заголовок"),
        (
            "photo.png",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "нужна таблица в формате XLSX или CSV",
        ),
        ("list.xlsx", b"PK\x03\x04 not really a workbook", "нужна таблица в формате XLSX или CSV"),
        ("list.xlsx", "Класс;Фамилия".encode(), "нужна таблица в формате XLSX или CSV"),
        (
            "list.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
            "в старом формате Excel (.xls)",
        ),
    ],
)
def test_a_file_that_cannot_be_read_gets_one_clear_message_in_russian(filename, content, message):
    with pytest.raises(RosterFileError, match=re.escape(message)):
        read_roster(filename=filename, content=content)


def _padded(size: int) -> bytes:
    """A one-row roster padded to `size` bytes with lines of spaces (blank, and not many)."""
    return (roster_csv([ROW]) + (b" " * 1023 + b"\n") * (size // 1024)).ljust(size, b" ")[:size]


def test_a_file_over_the_size_limit_is_refused_with_its_size_and_the_limit(settings):
    settings.EJOURNAL_ROSTER_MAX_BYTES = 1024 * 1024
    assert len(read_roster(filename="list.csv", content=_padded(1024 * 1024))) == 1
    content = _padded(1536 * 1024)
    with pytest.raises(
        RosterFileError, match=r"Файл слишком большой: 1,5 МБ\. Можно загрузить не больше 1 МБ\."
    ):
        read_roster(filename="list.csv", content=content)


def test_a_csv_cell_over_the_csv_field_limit_is_refused_in_russian():
    content = roster_csv([ROW]) + b"6A;" + b"x" * 200_000 + b"\r\n"
    with pytest.raises(RosterFileError, match="Строка 3: файл CSV повреждён"):
        read_roster(filename="list.csv", content=content)


def test_a_file_over_the_row_limit_is_refused(settings):
    settings.EJOURNAL_ROSTER_MAX_ROWS = 3
    read_roster(filename="list.csv", content=roster_csv([ROW] * 3))
    with pytest.raises(RosterFileError, match="В файле больше 3 строк с учениками"):
        read_roster(filename="list.csv", content=roster_csv([ROW] * 4))


def test_an_xlsx_whose_used_range_is_recorded_wrongly_is_read_to_its_last_row():
    content = roster_xlsx([ROW, ROW, ROW])
    source, patched = io.BytesIO(content), io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(patched, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A1"', data)
                assert count == 1
            zout.writestr(item, data)
    rows = read_roster(filename="list.xlsx", content=patched.getvalue())
    assert [row.line for row in rows] == [2, 3, 4]
    assert rows[2].values == EXPECTED


def test_an_xlsx_with_a_broken_sheet_is_unreadable_not_a_crash():
    content = roster_xlsx([ROW])
    source, patched = io.BytesIO(content), io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(patched, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            zout.writestr(item, data)
    with pytest.raises(RosterFileError, match="нужна таблица в формате XLSX или CSV"):
        read_roster(filename="list.xlsx", content=patched.getvalue())


# Encodings: cp1251 only for a file that is really cp1251


ENCODING_MESSAGE = "Сохраните таблицу в кодировке UTF-8"


@pytest.mark.parametrize("header", [HEADER, None])
def test_a_utf8_file_with_one_damaged_byte_is_refused_not_read_as_cp1251_gibberish(header):
    good = roster_csv([ROW, ROW], header=header)
    content = good.replace("Василий".encode(), "Васи".encode() + b"\xff", 1)
    with pytest.raises(RosterFileError, match=ENCODING_MESSAGE):
        read_roster(filename="list.csv", content=content)


def test_a_file_in_another_single_byte_encoding_is_refused_not_read_as_cp1251():
    content = b"6A;M\xfcller;J\xfcrgen;;14.03.2013\r\n"  # Latin-1: ü would come out as ь
    with pytest.raises(RosterFileError, match=ENCODING_MESSAGE):
        read_roster(filename="list.csv", content=content)


def test_a_cp1251_file_with_dashes_and_quotes_is_still_read():
    row = ("6А", "Салтыков-Щедрин", "Ёжик", "«Петрович»", "14.03.2013", "mama@example.com")
    rows = read_roster(filename="list.csv", content=roster_csv([row], encoding="cp1251"))
    assert rows[0].get("last_name") == "Салтыков-Щедрин"
    assert rows[0].get("first_name") == "Ёжик"


# Unicode: names written the Mac way (NFD) read as everyone else's


def test_csv_and_xlsx_cells_in_nfd_are_read_as_nfc():
    nfd_row = tuple(unicodedata.normalize("NFD", str(cell)) for cell in ("6Й", "Соловьёв", "Йорик"))
    assert nfd_row[1] != "Соловьёв"  # ё is two code points here
    for filename, content in (
        ("list.csv", roster_csv([(*nfd_row, "", "14.03.2013", "")])),
        ("list.xlsx", roster_xlsx([(*nfd_row, "", "14.03.2013", "")])),
    ):
        (row,) = read_roster(filename=filename, content=content)
        assert (row.get("class_label"), row.get("last_name"), row.get("first_name")) == (
            "6Й",
            "Соловьёв",
            "Йорик",
        )
