"""The diary of a student, as the student and the parents read it (and the school's staff).

Each page fetches the student through `access_student_for_diary`: another family's child is a
404. A parent's switcher lists only their own children; the child last opened is remembered in
the session, so that "Дневник" opens that child again.

The week opens at today: today's card has the id `today`, and the links that lead to this
week ("Дневник", "Текущая неделя", the tabs) end in `#today`, so a phone scrolls to it without
a script. Days in a row of one vacation without lessons are one card.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_POST

from ejournal.accounts.models import User
from ejournal.core.db_router import replica_reads_view
from ejournal.core.http import SchoolRequest, role_required
from ejournal.core.params import chosen
from ejournal.schools.models import Period, Student
from ejournal.schools.roles import Role
from ejournal.schools.selectors import period_current, year_periods

from .. import selectors, services
from ..access import access_student_for_diary, can_read_remarks, students_for_user
from ..charts import marks_chart
from ..dates import EARLIEST, LATEST, diary_week_start, week_start_of
from ..models import Holiday
from ..querysets import week_bounds
from ..selectors import DiaryDay, DiaryWeek

# Who may open a diary page at all; which diary is access_student_for_diary's question.
DIARY_READERS = (Role.STUDENT, Role.PARENT, Role.TEACHER, Role.CURATOR)
CHILD_SESSION_KEY = "diary_student_id"
TODAY_ANCHOR = "today"


@dataclass(frozen=True)
class DiarySection:
    """A card of the week: one day, or several days in a row of one holiday without lessons."""

    days: list[DiaryDay]
    anchor: str  # the card's id: "today" for today's, else "d2026-12-07"

    @property
    def holiday(self) -> Holiday | None:
        return self.days[0].holiday

    @property
    def spans_days(self) -> bool:
        return len(self.days) > 1


def _sections(week: DiaryWeek, today: dt.date) -> list[DiarySection]:
    """The week's cards: a day without lessons in the same holiday as the day before (also
    without lessons) joins that day's card."""
    runs: list[list[DiaryDay]] = []
    for day in week.days:
        previous = runs[-1][-1] if runs else None
        joins = (
            previous is not None
            and day.holiday is not None
            and day.holiday == previous.holiday
            and not day.lessons
            and not previous.lessons
        )
        if joins:
            runs[-1].append(day)
        else:
            runs.append([day])
    return [
        DiarySection(
            days=run,
            anchor=TODAY_ANCHOR
            if any(day.date == today for day in run)
            else f"d{run[0].date.isoformat()}",
        )
        for run in runs
    ]


def _date(value: str | None) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        return None
    return day if EARLIEST <= day <= LATEST else None


def _family(request: SchoolRequest) -> list[Student] | None:
    """A parent's children (for the access check and the switcher, one query); None for others."""
    return students_for_user(request.user) if request.user.role == Role.PARENT else None


def _children(
    request: SchoolRequest, student: Student, family: list[Student] | None
) -> list[Student]:
    """A parent's children for the switcher (and the one opened, remembered); else nobody."""
    if family is None:
        return []
    if request.session.get(CHILD_SESSION_KEY) != student.pk:
        request.session[CHILD_SESSION_KEY] = student.pk
    return family


@role_required(Role.STUDENT, Role.PARENT)
@require_GET
def diary_home(request: SchoolRequest) -> HttpResponse:
    """ "Дневник": the student's own week; a parent's child last opened, or the first one."""
    students = students_for_user(request.user)
    if not students:
        if request.user.role == Role.PARENT:
            return render(request, "journal/diary_no_children.html")
        raise Http404  # a student's account closes when the record is archived
    remembered = request.session.get(CHILD_SESSION_KEY)
    student = next((s for s in students if s.pk == remembered), students[0])
    url = reverse("journal:diary_week", kwargs={"student_id": student.pk})
    return redirect(f"{url}#{TODAY_ANCHOR}")


@replica_reads_view
@role_required(*DIARY_READERS)
@require_GET
def diary_week(request: SchoolRequest, student_id: int) -> HttpResponse:
    """A week of the diary, Monday to Saturday; `?week=` any day of it (default: this week,
    on Sunday the next)."""
    family = _family(request)
    student = access_student_for_diary(user=request.user, student_id=student_id, family=family)
    today = student.school.today()
    current = diary_week_start(today)
    monday = week_start_of(_date(request.GET.get("week")) or current)
    user: User = request.user
    is_parent = user.role == Role.PARENT
    # Read only if the page's week is not in the cache ({% journalcache %}, core.freshness).
    week = SimpleLazyObject(lambda: selectors.diary_week(student=student, week_start=monday))
    return render(
        request,
        "journal/diary_week.html",
        {
            "student": student,
            "week_start": monday,
            "week": week,
            "sections": SimpleLazyObject(lambda: _sections(week, today)),  # type: ignore[arg-type]
            "week_end": week_bounds(monday)[1],
            "today": today,
            "this_week": current,
            "children": _children(request, student, family),
            "switch_view": "journal:diary_week",
            "switch_query": f"?week={monday.isoformat()}"
            + (f"#{TODAY_ANCHOR}" if monday == current else ""),
            "show_remarks": can_read_remarks(user, student),
            "is_parent": is_parent,
            "can_sign": is_parent and monday <= today,
            "own_signature": selectors.week_signature(parent=user, student=student, week=monday)
            if is_parent
            else None,
        },
    )


@dataclass
class PeriodMarks:
    """The marks page's subjects with their charts, read when the page first asks."""

    student: Student
    period: Period | None
    today: dt.date

    @cached_property
    def subjects(self) -> list[selectors.SubjectMarks]:
        if self.period is None:
            return []
        return selectors.marks_for_period(student=self.student, period=self.period)

    @cached_property
    def rows(self) -> list[tuple[selectors.SubjectMarks, Any]]:
        school, period = self.student.school, self.period
        return [
            (
                item,
                marks_chart(
                    item.points,
                    starts_on=period.starts_on,
                    # A period under way is drawn up to today, so its marks are not squeezed.
                    ends_on=min(period.ends_on, max(self.today, item.points[-1].date)),
                    scale=(school.mark_min, school.mark_max),
                )
                if period and item.points
                else None,
            )
            for item in self.subjects
        ]

    @cached_property
    def average(self) -> Decimal | None:
        return selectors.mean(item.average for item in self.subjects)


def _period(periods: list[Period], period_id: str | None, today: dt.date) -> Period | None:
    """The period asked for, if it is one of the year's; else the current one."""
    with contextlib.suppress(Http404):  # a stale or mistyped link opens the current period
        asked = chosen(periods, period_id)
        if asked is not None:
            return asked
    return period_current(periods=periods, day=today)


@replica_reads_view
@role_required(*DIARY_READERS)
@require_GET
def marks(request: SchoolRequest, student_id: int) -> HttpResponse:
    """ "Оценки": each subject's marks in the period, averages, finals and a chart."""
    family = _family(request)
    student = access_student_for_diary(user=request.user, student_id=student_id, family=family)
    school = student.school
    periods = year_periods(year=student.school_class.year)
    today = school.today()
    period = _period(periods, request.GET.get("period"), today)
    return render(
        request,
        "journal/marks.html",
        {
            "student": student,
            "periods": periods,
            "period": period,
            "today": today,
            # Read only if the period's page is not in the cache ({% journalcache %}).
            "marks": PeriodMarks(student=student, period=period, today=today),
            "children": _children(request, student, family),
            "switch_view": "journal:marks",
            "switch_query": f"?period={period.pk}" if period else "",
        },
    )


@replica_reads_view
@role_required(*DIARY_READERS)
@require_GET
def marks_year(request: SchoolRequest, student_id: int) -> HttpResponse:
    """ "Итоговые": the whole year on one page, every subject by period (marks, average, final),
    in a fixed number of queries however many marks the year holds."""
    family = _family(request)
    student = access_student_for_diary(user=request.user, student_id=student_id, family=family)
    return render(
        request,
        "journal/marks_year.html",
        {
            "student": student,
            # Read only if the year is not in the cache ({% journalcache %}, core.freshness).
            "year": SimpleLazyObject(lambda: selectors.marks_for_year(student=student)),
            "today": student.school.today(),
            "children": _children(request, student, family),
            "switch_view": "journal:marks_year",
            "switch_query": "",
        },
    )


@role_required(Role.PARENT)
@require_POST
def week_sign(request: SchoolRequest, student_id: int) -> HttpResponse:
    """ "Неделя просмотрена": a linked parent's signature on the week (`week`, its Monday)."""
    family = _family(request)
    student = access_student_for_diary(user=request.user, student_id=student_id, family=family)
    week_start = _date(request.POST.get("week"))
    if week_start is None:
        raise BadRequest("No week to sign")  # the Russian 400 page; the form always sends one
    try:
        services.week_sign(parent=request.user, student=student, week_start=week_start)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Неделя с {week_start:%d.%m.%Y} подписана.")
    url = reverse("journal:diary_week", kwargs={"student_id": student.pk})
    return redirect(f"{url}?week={week_start_of(week_start).isoformat()}")
