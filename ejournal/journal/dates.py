"""Weeks as the school sees them. (Today at the school is `School.today()`.)"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError


def week_start_of(day: dt.date) -> dt.date:
    """The Monday of the day's week."""
    return day - dt.timedelta(days=day.weekday())


def diary_week_start(today: dt.date) -> dt.date:
    """The Monday of the week the diary opens at: this week, and on Sunday, when the school
    week is over and families look at what Monday brings, the next one."""
    if today.isoweekday() == 7:
        return week_start_of(today + dt.timedelta(days=1))
    return week_start_of(today)


# The days a diary may be asked for: outside, the front ends refuse the date (and date
# arithmetic around it stays safe).
EARLIEST, LATEST = dt.date(2000, 1, 3), dt.date(2100, 12, 27)


# The longest range a diary may be asked for at once (a quarter holds about ten weeks).
DIARY_RANGE_MAX_DAYS = 93


def date_range_check(first: dt.date, last: dt.date) -> None:
    """A diary's range as the APIs take it: `first` not after `last`, at most
    DIARY_RANGE_MAX_DAYS days; else a ValidationError for `days`, in Russian."""
    if first > last:
        raise ValidationError({"days": "Начало периода позже его конца."})
    if (last - first).days + 1 > DIARY_RANGE_MAX_DAYS:
        raise ValidationError(
            {"days": f"Можно запросить не больше {DIARY_RANGE_MAX_DAYS} дней за раз."}
        )
