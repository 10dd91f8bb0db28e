"""The class journal for a subject and period: students by lessons, filled from the keyboard.

The page is readable without JavaScript; static/js/grid.js makes the cells the user may fill
editable and posts each change on its own to `cell_save` / `final_save`.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from ejournal.accounts.models import User
from ejournal.core.http import SchoolRequest
from ejournal.core.params import chosen
from ejournal.schools.models import Period, School, SchoolClass, Student
from ejournal.schools.roles import Role
from ejournal.schools.selectors import (
    period_closed_reason,
    period_current,
    period_is_closed,
    year_periods,
)

from ...access import Journal, access_journal, lessons_editable_by, teacher_of
from ...models import AbsenceReason, Group
from ...selectors import Grid, class_groups, teacher_grid
from ...services.marks import WEIGHT_MAX, WEIGHT_MIN
from .home import teaching_staff
from .presenters import (
    LOCKED_FINAL,
    CellView,
    Column,
    average_text,
    cell_view,
    column_lock,
    final_view,
    months_of,
)
from .queries import final_setters

# Placeholders in the cell URL that grid.js fills with a lesson's and a student's id.
LESSON_SLOT, STUDENT_SLOT = 11111111, 22222222


def grid_url(
    school_class_id: int,
    subject_id: int,
    *,
    period: Period | None = None,
    group_id: int | None = None,
) -> str:
    url = reverse("journal:grid", kwargs={"class_id": school_class_id, "subject_id": subject_id})
    query = {"period": period.pk if period else None, "group": group_id}
    params = urlencode({name: value for name, value in query.items() if value is not None})
    return f"{url}?{params}" if params else url


@dataclass(frozen=True)
class Row:
    student: Student
    cells: list[CellView]
    average: str
    final: CellView
    final_url: str  # "" when the user may not set it

    @property
    def cells_html(self) -> SafeString:
        return mark_safe("".join(cell.td() for cell in self.cells))  # noqa: S308 -- CellView.td escapes


def may_add_remarks(user: User, journal: Journal) -> bool:
    """The remark form by each name: for the class's teachers and the curator (the service
    checks again)."""
    if user.role == Role.CURATOR:
        return True
    teacher = teacher_of(user)
    return journal.can_edit or (
        teacher is not None and journal.school_class.class_teacher_id == teacher.id
    )


def _rows(data: Grid, columns: list[Column], *, finals: set[int], school: School) -> list[Row]:
    """The grid's rows as the page shows them; `finals`: whose final mark the user may set."""
    final_kwargs = {"class_id": data.school_class.pk, "subject_id": data.subject.pk}
    return [
        Row(
            student=row.student,
            cells=[
                cell_view(
                    mark=c.mark,
                    attendance=c.attendance,
                    lesson=c.lesson,
                    school=school,
                    column_css=column.css,
                )
                for c, column in zip(row.cells, columns, strict=True)
            ],
            average=average_text(row.average),
            final=final_view(row.final, school),
            final_url=(
                reverse("journal:final", kwargs={**final_kwargs, "student_id": row.student.pk})
                if row.student.pk in finals
                else ""
            ),
        )
        for row in data.rows
    ]


@teaching_staff
@require_GET
def grid(request: SchoolRequest, class_id: int, subject_id: int) -> HttpResponse:
    """`?period=ID` (default: the current one) and `?group=ID` (default: the whole class).

    Columns the user may not fill carry the reason (a cancelled or future lesson, another
    teacher's lesson, a read-only journal, a closed period), which grid.js shows when one is
    typed into; a closed period is read-only for everyone, finals included, with a banner.
    A fixed number of queries whatever the number of students and lessons (pinned in
    tests/test_views_teacher.py).
    """
    user = request.user
    journal = access_journal(user=user, class_id=class_id, subject_id=subject_id)
    school_class: SchoolClass = journal.school_class
    school = request.school
    today = school.today()
    periods = year_periods(year=school_class.year)
    period = chosen(periods, request.GET.get("period")) or period_current(
        periods=periods, day=today
    )
    if period is None:
        raise Http404
    groups = class_groups(school_class=school_class, subject=journal.subject)
    group: Group | None = chosen(groups, request.GET.get("group"))
    data = teacher_grid(
        school_class=school_class, subject=journal.subject, period=period, group=group
    )
    group_id = group.pk if group is not None else None
    editable = lessons_editable_by(user=user, lessons=data.lessons)
    read_only = not journal.can_edit and not editable
    closed = period_closed_reason(period) if period_is_closed(period=period, school=school) else ""
    columns = [
        Column(
            lesson=lesson,
            locked=column_lock(
                lesson,
                editable=lesson.pk in editable,
                read_only=read_only,
                today=today,
                closed=closed,
            ),
            today=lesson.date == today,
        )
        for lesson in data.lessons
    ]
    finals = (
        final_setters(
            teacher=teacher_of(user),
            school_class=school_class,
            subject=journal.subject,
            students=[row.student for row in data.rows],
        )
        if journal.can_edit and not closed
        else set()
    )
    rows = _rows(data, columns, finals=finals, school=school)
    context = {
        "journal": journal,
        "school_class": school_class,
        "subject": journal.subject,
        "period": period,
        "periods": [
            (p, grid_url(class_id, subject_id, period=p, group_id=group_id)) for p in periods
        ],
        "group": group,
        "groups": [
            (g, grid_url(class_id, subject_id, period=period, group_id=g.pk)) for g in groups
        ],
        "whole_class_url": grid_url(class_id, subject_id, period=period),
        "columns": columns,
        "months": months_of(columns),
        "rows": rows,
        "can_fill": any(not column.locked for column in columns) or bool(finals),
        "read_only": read_only,
        "closed": closed,
        "can_remark": may_add_remarks(user, journal),
        "locked_final": closed or LOCKED_FINAL,
        "cell_url": reverse(
            "journal:cell", kwargs={"lesson_id": LESSON_SLOT, "student_id": STUDENT_SLOT}
        ),
        "csrf_token_value": get_token(request),
        "here": request.get_full_path(),
        "scale": range(school.mark_min, school.mark_max + 1),
        "weights": range(WEIGHT_MIN, WEIGHT_MAX + 1),
        "reasons": AbsenceReason.choices,
        "today": today,
    }
    return render(request, "journal/grid.html", context)
