"""The journal's own codes in the error envelope (core.errors), besides the shared ones."""

from __future__ import annotations

import enum


class JournalErrorCode(enum.StrEnum):
    INVALID_VALUE = "invalid_value"  # a cell's text is not a mark, "н" or "оп"
