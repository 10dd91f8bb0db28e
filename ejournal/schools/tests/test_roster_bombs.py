"""Files made to exhaust the server: small on disk, huge unpacked, or a million blank rows.

Each is refused at once, with one message in Russian, before anything big is unpacked.
"""

from __future__ import annotations

import io
import random
import re
import time
import zipfile
from collections.abc import Callable, Iterable

import pytest

from ejournal.schools.roster import xlsx
from ejournal.schools.roster.parse import RosterFileError, read_roster
from ejournal.schools.roster.testing import pupils, roster_csv, roster_xlsx

MB = 1024 * 1024
BOMB = re.escape("не похож на обычную таблицу: в распакованном виде он слишком велик")
TOO_MANY_LINES = re.escape("строк, считая пустые")
# Refusing reads the archive's table of contents or a few thousand rows: well under this.
FAST = 2.0
SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)


def _chunks(head: bytes, body: bytes, times: int, tail: bytes) -> Iterable[bytes]:
    yield head
    for _ in range(times):
        yield body
    yield tail


def _workbook(members: dict[str, Callable[[], Iterable[bytes]]]) -> bytes:
    """A real workbook with some parts replaced or added, each written from its chunks."""
    source, out = io.BytesIO(roster_xlsx(pupils(2))), io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename in members:
                continue
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml" and "xl/sharedStrings.xml" in members:
                override = (
                    f'<Override PartName="/xl/sharedStrings.xml" '
                    f'ContentType="{SHARED_STRINGS_TYPE}"/></Types>'
                )
                data = data.replace(b"</Types>", override.encode())
            zout.writestr(item, data)
        for name, chunks in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            with zout.open(info, "w") as part:
                for chunk in chunks():
                    part.write(chunk)
    return out.getvalue()


def _refused_fast(content: bytes, message: str, filename: str = "list.xlsx") -> None:
    started = time.perf_counter()
    with pytest.raises(RosterFileError, match=message):
        read_roster(filename=filename, content=content)
    assert time.perf_counter() - started < FAST


def test_shared_strings_that_unpack_a_thousandfold_are_refused_before_openpyxl_reads_them():
    # Millions of tiny strings: openpyxl would hold every one of them in memory.
    sst = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    strings = b"<si><t>x</t></si>" * 60_000  # about 1 MB
    content = _workbook({"xl/sharedStrings.xml": lambda: _chunks(sst, strings, 40, b"</sst>")})
    assert len(content) < 200 * 1024  # 40 MB of strings in a small file

    _refused_fast(content, BOMB)


def test_a_sheet_of_a_million_empty_rows_in_13_kb_is_refused():
    head = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    content = _workbook(
        {
            "xl/worksheets/sheet1.xml": lambda: _chunks(
                head, b"<row/>" * 1000, 1000, b"</sheetData></worksheet>"
            )
        }
    )
    assert len(content) < 40 * 1024

    _refused_fast(content, BOMB)


def test_parts_that_add_up_to_more_than_the_limit_are_refused_though_each_looks_ordinary():
    noise = random.Random(0).randbytes(40 * 1024)  # incompressible, so the ratio stays ordinary
    part = noise + b" " * (2 * MB - len(noise))
    members = {f"xl/media/image{n}.bin": lambda: [part] for n in range(30)}
    content = _workbook(members)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        infos = [i for i in archive.infolist() if i.filename.startswith("xl/media/")]
    assert all(i.file_size < xlsx.MAX_RATIO * i.compress_size for i in infos)
    assert sum(i.file_size for i in infos) > xlsx.MAX_UNPACKED_BYTES

    _refused_fast(content, BOMB)


def test_an_archive_of_thousands_of_parts_is_refused():
    members = {f"xl/media/part{n}.xml": lambda: [b"<x/>"] for n in range(xlsx.MAX_MEMBERS + 1)}

    _refused_fast(_workbook(members), BOMB)


def test_a_sheet_that_jumps_to_row_1048576_is_refused_at_the_line_limit():
    # Tiny and ordinary to unzip, but openpyxl yields every missing row before the last one.
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1048576"><c r="A1048576" t="inlineStr"><is><t>6A</t></is></c>'
        b"</row></sheetData></worksheet>"
    )
    content = _workbook({"xl/worksheets/sheet1.xml": lambda: [sheet]})

    _refused_fast(content, TOO_MANY_LINES)


def test_a_csv_of_a_million_blank_lines_is_refused_at_the_line_limit():
    content = roster_csv(pupils(1)) + b";;;;;\r\n" * 1_000_000

    _refused_fast(content, TOO_MANY_LINES, filename="list.csv")


def test_blank_lines_count_towards_the_limit_with_the_pupils_rows(settings):
    settings.EJOURNAL_ROSTER_MAX_ROWS = 3
    lines = settings.EJOURNAL_ROSTER_MAX_ROWS + 1000  # the header and blank lines besides
    ok = roster_csv(pupils(3)) + b"\r\n" * (lines - 4)
    assert len(read_roster(filename="list.csv", content=ok)) == 3

    with pytest.raises(RosterFileError, match=f"В файле больше {lines} строк, считая пустые"):
        read_roster(filename="list.csv", content=ok + b"\r\n")


def test_an_ordinary_large_roster_passes_the_archive_check():
    content = roster_xlsx(pupils(2000, ["5А", "6Б"]))

    xlsx.check_archive("big.xlsx", content)
    assert len(read_roster(filename="big.xlsx", content=content)) == 2000
