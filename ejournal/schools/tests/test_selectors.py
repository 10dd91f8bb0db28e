"""The school's "now": today in the school's time zone, the current year, the current period
and the period a day belongs to (schools.selectors), as every page and API asks them."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path

import pytest
import time_machine

from ejournal import journal
from ejournal.core.testing.factories import SchoolClassFactory
from ejournal.schools.models import Period
from ejournal.schools.selectors import (
    current_year,
    period_current,
    periods_holding,
    year_periods,
)
from ejournal.schools.services import academic_year_create, school_create

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")


def _quarter(number: int, starts_on: dt.date, ends_on: dt.date) -> Period:
    return Period(number=number, starts_on=starts_on, ends_on=ends_on)


QUARTERS = [
    _quarter(1, dt.date(2026, 9, 1), dt.date(2026, 10, 25)),
    _quarter(2, dt.date(2026, 11, 5), dt.date(2026, 12, 28)),
    _quarter(3, dt.date(2027, 1, 9), dt.date(2027, 3, 21)),
    _quarter(4, dt.date(2027, 3, 30), dt.date(2027, 5, 31)),
]


@pytest.mark.parametrize(
    ("day", "number"),
    [
        (dt.date(2026, 11, 26), 2),  # under way
        (dt.date(2026, 11, 5), 2),  # its first day
        (dt.date(2026, 10, 30), 1),  # a vacation: the one before it
        (dt.date(2026, 8, 20), 1),  # before the year: its first
        (dt.date(2027, 7, 1), 4),  # after it: its last
    ],
)
def test_the_current_period_is_the_one_under_way_else_the_one_before_else_the_first(day, number):
    period = period_current(periods=QUARTERS, day=day)
    assert period is not None
    assert period.number == number


def test_a_year_without_periods_has_no_current_one():
    assert period_current(periods=[], day=dt.date(2026, 11, 26)) is None


@pytest.mark.django_db
def test_the_period_of_a_day_is_the_one_holding_it_and_none_in_a_vacation(school):
    year = current_year(school=school)
    school_class = SchoolClassFactory(school=school, year=year)
    first, second = year_periods(year=year)[:2]
    holding = {
        day: list(periods_holding(school=school, school_class_id=school_class.pk, day=day))
        for day in (first.ends_on, second.starts_on, first.ends_on + dt.timedelta(days=1))
    }
    assert list(holding.values()) == [[first], [second], []]


@pytest.mark.django_db
def test_the_current_year_turns_on_the_schools_own_first_of_september():
    """At 20:00 in Moscow on 31 August it is already 1 September in Kamchatka: the server's
    date would still give last year."""
    with time_machine.travel(dt.datetime(2026, 11, 26, 12, tzinfo=MOSCOW), tick=False):
        school = school_create(number="41", name="Школа №41", timezone_name="Asia/Kamchatka")
    new_year = academic_year_create(school=school, start_year=2027)
    with time_machine.travel(dt.datetime(2027, 8, 31, 20, tzinfo=MOSCOW), tick=False):
        assert school.today() == dt.date(2027, 9, 1)
        assert current_year(school=school) == new_year


def test_the_journal_asks_these_rules_instead_of_computing_today_or_a_period_itself():
    """The server's date, or a period picked by its start date in a page, drifts from the rule
    (it did: the menu's year took the server's date, five pages had their own period rule)."""
    root = Path(journal.__file__).parent
    by_hand = re.compile(r"localdate\(|\b(?:p|period)\.starts_on <= ")
    found = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("*.py"))
        if "tests" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if by_hand.search(line)
    ]
    assert found == []
