"""Reading the product's spreadsheets back as another program does: LibreOffice.

`make test` installs LibreOffice (Debian's libreoffice-calc-nogui) when it is missing.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

# LibreOffice's CSV filter options: comma, double quote, UTF-8, from line 1; on import, cells
# starting with "=" are evaluated as formulas (as a user opening the file would see them).
_CSV_IMPORT = "CSV:44,34,76,1,,0,false,true,false,false,false,-1,true"
_CSV_EXPORT = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false"


def libreoffice_rows(content: bytes, folder: Path, *, name: str) -> list[list[str]]:
    """The file's first sheet as LibreOffice shows it (formulas replaced by their results),
    converted to CSV rows. `name` is the file's name, whose extension says its format."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is needed: `make test` installs it."  # noqa: S101
    source = folder / name
    source.write_bytes(content)
    out = folder / "libreoffice-out"
    subprocess.run(  # noqa: S603 -- a fixed command on a file the test wrote
        [
            soffice,
            f"-env:UserInstallation=file://{folder}/libreoffice-profile",
            "--headless",
            *(["--infilter=" + _CSV_IMPORT] if source.suffix == ".csv" else []),
            "--convert-to",
            _CSV_EXPORT,
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = (out / (source.stem + ".csv")).read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))
