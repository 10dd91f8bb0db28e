"""The class teacher's pages, which the curator sees too: the class summary for a period, its
XLSX file, and the audit of the class's marks and attendance.

Anyone else gets a 404 (`access_class_for_class_teacher`), as for a class that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ejournal.core.http import SchoolRequest, role_required
from ejournal.core.params import chosen
from ejournal.schools.models import Period, SchoolClass, Student, Subject
from ejournal.schools.roles import Role
from ejournal.schools.selectors import period_current, year_periods

from ..access import access_class_for_class_teacher
from ..exports import (
    XLSX_CONTENT_TYPE,
    attachment_disposition,
    class_summary_xlsx,
    summary_filename,
)
from ..models import Lesson
from ..selectors import class_summary, journal_audit, mean

AUDIT_LIMIT = 200

# Students and parents never reach these pages; teachers and curators are checked per class.
class_teacher_page = role_required(Role.TEACHER, Role.CURATOR)


@dataclass(frozen=True)
class SummaryLine:
    """A student's row as the table shows it: (average, final) per subject."""

    student: Student
    cells: list[tuple[Decimal | None, int | None]]
    average: Decimal | None
    absences: int
    lates: int


def _chosen_period(
    request: SchoolRequest, school_class: SchoolClass
) -> tuple[Period, list[Period]]:
    """`?period=ID` among the class's year's periods (another id is a 404), else the current one."""
    periods = year_periods(year=school_class.year)
    period = chosen(periods, request.GET.get("period")) or period_current(
        periods=periods, day=school_class.school.today()
    )
    if period is None:
        raise Http404("Нет такого периода.")
    return period, periods


@class_teacher_page
@require_GET
def summary(request: SchoolRequest, class_id: int) -> HttpResponse:
    """ "Сводка класса 6А": each student's weighted averages (and finals) per subject, absences
    and lates, the class's averages below; a period switcher and the XLSX link."""
    school_class = access_class_for_class_teacher(user=request.user, class_id=class_id)
    period, periods = _chosen_period(request, school_class)
    found = class_summary(school_class=school_class, period=period)
    lines = [
        SummaryLine(
            student=row.student,
            cells=list(zip(row.averages, row.finals, strict=True)),
            average=row.average,
            absences=row.absences,
            lates=row.lates,
        )
        for row in found.rows
    ]
    return render(
        request,
        "journal/class_summary.html",
        {
            "school_class": school_class,
            "period": period,
            "periods": periods,
            "summary": found,
            "lines": lines,
            "class_average": mean(row.average for row in found.rows),
        },
    )


@class_teacher_page
@require_GET
def summary_xlsx(request: SchoolRequest, class_id: int) -> HttpResponse:
    """The summary of `?period=ID` (else the current period) as an XLSX download."""
    school_class = access_class_for_class_teacher(user=request.user, class_id=class_id)
    period, _ = _chosen_period(request, school_class)
    found = class_summary(school_class=school_class, period=period)
    body = class_summary_xlsx(summary=found, school_class=school_class, period=period)
    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_disposition(
        summary_filename(school_class=school_class, period=period)
    )
    # Children's marks: no shared cache keeps a copy, and a browser does not keep one either.
    response["Cache-Control"] = "private, no-store"
    return response


class AuditFilterForm(forms.Form):
    """The audit's filters; the choices are the lists the view has fetched already, so the
    form costs no query of its own."""

    def __init__(
        self, data: Any, *, subjects: list[Subject], students: list[Student], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.subjects = {s.pk: s for s in subjects}
        self.students = {s.pk: s for s in students}
        self.fields["subject"] = _choice("Предмет", ((s.pk, s.name) for s in subjects))
        self.fields["student"] = _choice(
            "Ученик",
            ((s.pk, s.full_name + (" (выбыл)" if s.archived_at else "")) for s in students),
        )

    def chosen(self) -> tuple[Subject | None, Student | None]:
        """The valid filters; an invalid one is left out (and its error shown on the form)."""
        data = self.cleaned_data if self.is_valid() else {}
        subject, student = data.get("subject"), data.get("student")
        return (
            self.subjects.get(subject) if subject else None,
            self.students.get(student) if student else None,
        )


def _choice(label: str, choices: Iterable[tuple[int, str]]) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, required=False, coerce=int, empty_value=None, choices=[("", "Все"), *choices]
    )


@class_teacher_page
@require_GET
def audit(request: SchoolRequest, class_id: int) -> HttpResponse:
    """ "Журнал изменений оценок 6А": who changed which mark, attendance or final mark of the
    class's students, and when, newest first; filtered by subject and student."""
    school_class = access_class_for_class_teacher(user=request.user, class_id=class_id)
    school_id = school_class.school_id
    subjects = list(
        Subject.objects.filter(
            school_id=school_id,
            pk__in=Lesson.objects.filter(school_id=school_id, school_class=school_class).values(
                "subject_id"
            ),
        ).order_by("name", "pk")
    )
    students = list(
        Student.objects.filter(school_id=school_id, school_class=school_class).order_by(
            "last_name", "first_name", "middle_name", "pk"
        )
    )
    form = AuditFilterForm(request.GET or None, subjects=subjects, students=students)
    subject, student = form.chosen()
    entries = journal_audit(
        school_class=school_class, subject=subject, student=student, limit=AUDIT_LIMIT
    )
    return render(
        request,
        "journal/class_audit.html",
        {
            "school_class": school_class,
            "form": form,
            "entries": entries,
            "filtered": bool(request.GET),
            "limited": len(entries) == AUDIT_LIMIT,
            "limit": AUDIT_LIMIT,
        },
    )
