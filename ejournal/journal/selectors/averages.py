"""The weighted average of marks: Σ value·weight / Σ weight, to two decimals."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

CENT = Decimal("0.01")


class Weighted(Protocol):
    """A mark, or anything with its value and weight (read-only, so frozen dataclasses fit)."""

    @property
    def value(self) -> int: ...

    @property
    def weight(self) -> int: ...


def average_of_sums(weighted_sum: int | Decimal, weights: int | Decimal) -> Decimal | None:
    """Σ value·weight and Σ weight → the average rounded half up to 0.01; None without weight."""
    if not weights:
        return None
    return (Decimal(weighted_sum) / Decimal(weights)).quantize(CENT, rounding=ROUND_HALF_UP)


def weighted_average(marks: Iterable[Weighted]) -> Decimal | None:
    """4 (×1), 5 (×2) → 4.67; None without marks."""
    total = weights = 0
    for mark in marks:
        total += mark.value * mark.weight
        weights += mark.weight
    return average_of_sums(total, weights)


def mean(values: Iterable[Decimal | None]) -> Decimal | None:
    """The plain mean of the averages that exist, to 0.01; None if none does."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    return (sum(present, Decimal(0)) / len(present)).quantize(CENT, rounding=ROUND_HALF_UP)
