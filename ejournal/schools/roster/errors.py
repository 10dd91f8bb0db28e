"""The error for a roster file that can't be read at all."""

from __future__ import annotations


class RosterFileError(Exception):
    """The file as a whole can't be read; the message is for the curator, in Russian."""


def unreadable(filename: str) -> RosterFileError:
    return RosterFileError(
        f"Не удалось прочитать файл «{filename}»: нужна таблица в формате XLSX или CSV."
    )
