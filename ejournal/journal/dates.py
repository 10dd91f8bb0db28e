"""Weeks as the school sees them. (Today at the school is `School.today()`.)"""

from __future__ import annotations

import datetime as dt


def week_start_of(day: dt.date) -> dt.date:
    """The Monday of the day's week."""
    return day - dt.timedelta(days=day.weekday())


def diary_week_start(today: dt.date) -> dt.date:
    """The Monday of the week the diary opens at: this week, and on Sunday, when the school
    week is over and families look at what Monday brings, the next one."""
    if today.isoweekday() == 7:
        return week_start_of(today + dt.timedelta(days=1))
    return week_start_of(today)
