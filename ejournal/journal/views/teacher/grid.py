"""The class journal for a subject and period: students by lessons, filled from the keyboard.

The page is readable without JavaScript; static/js/grid.js makes the cells the user may fill
editable and posts each change on its own to `cell_save` / `final_save`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from ejournal.accounts.models import User
from ejournal.core.freshness import cached_class_read
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
from ...models import AbsenceReason, Group, Lesson, LessonStatus
from ...selectors import Grid, class_groups, class_roster, teacher_grid
from ...services.marks import WEIGHT_MAX, WEIGHT_MIN
from .home import teaching_staff
from .presenters import (
    LOCKED_FINAL,
    CellView,
    Column,
    average_text,
    cell_view,
    column_css,
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
class RowBody:
    """A pupil's row as every viewer sees it: the cells, the average, the final mark."""

    cells_html: SafeString
    average: str
    final: CellView


@dataclass(frozen=True)
class GridBody:
    """What the grid shows the same to every viewer: the columns' lessons and the pupils' rows
    by student id. Kept under the pupils' and the school's versions (core.freshness)."""

    lessons: list[Lesson]
    rows: dict[int, RowBody]


@dataclass(frozen=True)
class RowForms:
    """What a row's forms need from the request: the remark form (for those who may add
    remarks) and the final mark's form without JavaScript."""

    can_remark: bool
    remark_url: str  # with STUDENT_SLOT for the student's id
    csrf_token: str
    here: str
    period_id: int
    group_id: int | None


@dataclass(frozen=True)
class Row:
    student: Student
    body: RowBody
    final_url: str  # "" when the user may not set it

    def tr(self, forms: RowForms) -> SafeString:
        """The whole row, written in Python with html.escape like its cells: a grid has 30
        of them, and the template language (then format_html) spent most of a page's time
        on their forms."""
        student, final = self.student, self.body.final
        name = escape(student.short_name)
        token = escape(forms.csrf_token)
        csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        remark = ""
        if forms.can_remark:
            url = escape(forms.remark_url.replace(str(STUDENT_SLOT), str(student.pk)))
            remark = (
                '<details class="g-remark"><summary title="Замечание ученику">✎'
                f'<span class="g-sr"> Замечание: {name}</span></summary>'
                f'<form method="post" action="{url}">{csrf}'
                f'<input type="hidden" name="next" value="{escape(forms.here)}">'
                f'<label for="remark-{student.pk}">Замечание: {name}</label>'
                f'<textarea id="remark-{student.pk}" name="text" rows="3" maxlength="500" '
                "required></textarea>"
                '<p class="help">Увидят только родители.</p>'
                '<button type="submit" class="small">Сохранить замечание</button>'
                "</form></details>"
            )
        final_attrs = f' data-url="{escape(self.final_url)}"' if self.final_url else ""
        if final.text:
            final_attrs += f' data-text="{escape(final.text)}"'
        final_form = ""
        if self.final_url:
            group = (
                f'<input type="hidden" name="group" value="{forms.group_id}">'
                if forms.group_id is not None
                else ""
            )
            final_form = (
                f'<noscript><form method="post" action="{escape(self.final_url)}" '
                f'class="g-final-form">{csrf}'
                f'<input type="hidden" name="period" value="{forms.period_id}">{group}'
                f'<input name="value" value="{escape(final.text)}" size="2" '
                f'aria-label="Итоговая оценка: {name}">'
                '<button type="submit" class="small">OK</button></form></noscript>'
            )
        return mark_safe(  # noqa: S308 -- every value escaped above
            f'<tr data-student="{student.pk}"><th scope="row" class="g-student">'
            f'<span class="g-name">{escape(student.last_name)} {escape(student.first_name)}'
            f"</span>{remark}</th>{self.body.cells_html}"
            f'<td class="g-avg">{escape(self.body.average)}</td>'
            f'<td class="c g-fin"{final_attrs}>{final.html}{final_form}</td></tr>'
        )


def may_add_remarks(user: User, journal: Journal) -> bool:
    """The remark form by each name: for the class's teachers and the curator (the service
    checks again)."""
    if user.role == Role.CURATOR:
        return True
    teacher = teacher_of(user)
    return journal.can_edit or (
        teacher is not None and journal.school_class.class_teacher_id == teacher.id
    )


def _body(data: Grid, *, today: dt.date, school: School) -> GridBody:
    css = [
        column_css(today=lesson.date == today, cancelled=lesson.status == LessonStatus.CANCELLED)
        for lesson in data.lessons
    ]
    return GridBody(
        lessons=data.lessons,
        rows={
            row.student.pk: RowBody(
                cells_html=mark_safe(  # noqa: S308 -- CellView.td escapes
                    "".join(
                        cell_view(
                            mark=c.mark,
                            attendance=c.attendance,
                            lesson=c.lesson,
                            school=school,
                            column_css=column_css_,
                        ).td()
                        for c, column_css_ in zip(row.cells, css, strict=True)
                    )
                ),
                average=average_text(row.average),
                final=final_view(row.final, school),
            )
            for row in data.rows
        },
    )


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
    group_id = group.pk if group is not None else None
    roster = class_roster(school_id=school.pk, school_class_id=school_class.pk, group_id=group_id)
    body = cached_class_read(
        "grid",
        school_id=school.pk,
        student_ids=[student.pk for student in roster],
        parts=[school_class.pk, journal.subject.pk, period.pk, group_id, today],
        read=lambda: _body(
            teacher_grid(
                school_class=school_class,
                subject=journal.subject,
                period=period,
                group=group,
                roster=roster,
            ),
            today=today,
            school=school,
        ),
    )
    editable = lessons_editable_by(user=user, lessons=body.lessons)
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
        for lesson in body.lessons
    ]
    finals = (
        final_setters(
            teacher=teacher_of(user),
            school_class=school_class,
            subject=journal.subject,
            students=roster,
        )
        if journal.can_edit and not closed
        else set()
    )
    final_url = reverse(
        "journal:final",
        kwargs={"class_id": class_id, "subject_id": subject_id, "student_id": STUDENT_SLOT},
    )
    forms = RowForms(
        can_remark=may_add_remarks(user, journal),
        remark_url=reverse("journal:remark_add", args=[STUDENT_SLOT]),
        csrf_token=get_token(request),
        here=request.get_full_path(),
        period_id=period.pk,
        group_id=group_id,
    )
    rows = [
        Row(
            student=student,
            body=body.rows[student.pk],
            final_url=(
                final_url.replace(str(STUDENT_SLOT), str(student.pk))
                if student.pk in finals
                else ""
            ),
        ).tr(forms)
        for student in roster
    ]
    lesson_url = reverse("journal:lesson", args=[LESSON_SLOT])
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
        "heads": mark_safe(  # noqa: S308 -- Column.th escapes
            "".join(
                column.th(lesson_url.replace(str(LESSON_SLOT), str(column.lesson.pk)))
                for column in columns
            )
        ),
        "months": months_of(columns),
        "rows": rows,
        "rows_html": mark_safe("".join(rows)),  # noqa: S308 -- Row.tr escapes
        "can_fill": any(not column.locked for column in columns) or bool(finals),
        "read_only": read_only,
        "closed": closed,
        "locked_final": closed or LOCKED_FINAL,
        "cell_url": reverse(
            "journal:cell", kwargs={"lesson_id": LESSON_SLOT, "student_id": STUDENT_SLOT}
        ),
        "csrf_token_value": forms.csrf_token,
        "scale": range(school.mark_min, school.mark_max + 1),
        "weights": range(WEIGHT_MIN, WEIGHT_MAX + 1),
        "reasons": AbsenceReason.choices,
        "today": today,
    }
    return render(request, "journal/grid.html", context)
