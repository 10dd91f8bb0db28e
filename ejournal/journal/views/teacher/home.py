"""The teacher's "Журнал": today's lessons and the year's journals."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ejournal.core.http import SchoolRequest, role_required
from ejournal.schools.roles import Role
from ejournal.schools.selectors import current_year

from ...access import teacher_of
from ...selectors import teacher_day, teacher_journals
from .queries import class_journals

teaching_staff = role_required(Role.TEACHER, Role.CURATOR)


@teaching_staff
@require_GET
def teacher_home(request: SchoolRequest) -> HttpResponse:
    """A teacher's lessons today and the journals they teach this year, and the journals of
    the classes they are class teacher of; for the curator, every class's journals (to read)."""
    school = request.school
    year = current_year(school=school)
    today = school.today()
    teacher = teacher_of(request.user)
    context = {"year": year, "today": today, "teacher": teacher}
    if teacher is not None:
        context["lessons"] = teacher_day(teacher=teacher, day=today)
        context["journals"] = teacher_journals(teacher=teacher, year=year)
        context["homerooms"] = class_journals(school=school, year=year, class_teacher=teacher)
    elif request.user.role == Role.CURATOR:
        context["all_classes"] = class_journals(school=school, year=year)
    return render(request, "journal/teacher_home.html", context)
