"""Class labels as people write them: "6А", "6 а", "10-Б", even "6A" with a Latin letter."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# Latin letters that look like Cyrillic ones and end up in spreadsheets typed on the wrong layout.
_LATIN_LOOKALIKES = str.maketrans("ABEKMHOPCTXY", "АВЕКМНОРСТХУ")
_LABEL_RE = re.compile(r"^\s*(\d{1,2})\s*[-\s]?\s*([A-Za-zА-Яа-яЁё])\s*$")


def parse_class_label(label: str) -> tuple[int, str]:
    """(grade, Cyrillic capital letter), or ValidationError with a message in Russian."""
    match = _LABEL_RE.match(label or "")
    if not match:
        raise ValidationError(
            f"Класс «{label}» не распознан: ожидается номер и буква, например 6А."
        )
    grade = int(match.group(1))
    letter = match.group(2).upper().translate(_LATIN_LOOKALIKES)
    if not 1 <= grade <= 11:
        raise ValidationError(f"Класс «{label}»: номер класса должен быть от 1 до 11.")
    if not re.fullmatch(r"[А-ЯЁ]", letter):
        raise ValidationError(f"Класс «{label}»: буква класса должна быть русской.")
    return grade, letter
