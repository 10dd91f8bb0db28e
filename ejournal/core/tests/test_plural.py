"""Russian plural forms of a noun after a number."""

import pytest

from ejournal.core.plural import count_ru, plural_ru


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "дней"),
        (1, "день"),
        (2, "дня"),
        (4, "дня"),
        (5, "дней"),
        (11, "дней"),
        (12, "дней"),
        (14, "дней"),
        (21, "день"),
        (22, "дня"),
        (25, "дней"),
        (101, "день"),
        (111, "дней"),
        (112, "дней"),
        (180, "дней"),
        (1001, "день"),
        (-1, "день"),
    ],
)
def test_plural_ru_picks_the_form_that_follows_the_number(n, expected):
    assert plural_ru(n, "день", "дня", "дней") == expected


def test_count_ru_writes_the_number_with_its_noun():
    assert count_ru(180, "день", "дня", "дней") == "180 дней"
    assert count_ru(31, "день", "дня", "дней") == "31 день"
