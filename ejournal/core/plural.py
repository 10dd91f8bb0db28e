"""Russian plural forms: "1 день", "2 дня", "5 дней", "21 день", "11 дней"."""

from __future__ import annotations


def plural_ru(n: int, one: str, few: str, many: str) -> str:
    """The form of the noun that goes with `n`: plural_ru(n, "день", "дня", "дней").

    `one` after 1, 21, 101…; `few` after 2–4, 22–24…; `many` after 0, 5–20, 25–30…
    (11–14 take `many` whatever their last digit).
    """
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def count_ru(n: int, one: str, few: str, many: str) -> str:
    """The number with its noun: count_ru(180, "день", "дня", "дней") → "180 дней"."""
    return f"{n} {plural_ru(n, one, few, many)}"
