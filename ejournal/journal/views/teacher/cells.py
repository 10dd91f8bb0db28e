"""What the grid posts: one cell (a mark and attendance), a final mark, a remark.

`cell_save` and `final_save` answer JSON: {"ok": true, "cell": {...}, "average": "4,67"} or,
with status 400, {"ok": false, "errors": [{"param", "code", "message"}]} in Russian. Each
request changes one cell, so two teachers filling the same grid lose nothing; the services
audit every change. A user who may not change the cell gets a 404, as everywhere in the journal.
"""

from __future__ import annotations

import enum
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ejournal.accounts.models import User
from ejournal.core.http import SchoolRequest
from ejournal.schools.models import Period, Student

from ...access import (
    JournalAccessError,
    access_journal,
    access_lesson_for_edit,
    access_student_for_remark,
)
from ...forms.teacher import CellForm, FinalMarkForm, RemarkForm
from ...models import Attendance, Lesson, Mark
from ...services import attendance_set, final_mark_set, mark_delete, mark_set
from ...services import remark_add as remark_add_service
from .grid import grid_url
from .home import teaching_staff
from .presenters import average_text, cell_view, default_weight, final_view
from .queries import row_average


class ErrorCode(enum.StrEnum):
    """The `code` of an error in a JSON answer."""

    INVALID = "invalid"  # a field the form could not read (Django's own code when it has one)
    INVALID_VALUE = "invalid_value"  # the cell's text is not a mark, "н" or "оп"
    REFUSED = "refused"  # the journal's rules refuse it: the scale, the weight, the lesson


def error_list(error: ValidationError, *, code: str) -> list[dict[str, Any]]:
    """A ValidationError (a form's or a service's) as the envelope's list of errors."""
    fields = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
    return [
        {"param": param, "code": item.code or code, "message": message}
        for param, items in fields.items()
        for item in items
        for message in item.messages
    ]


def form_errors(form: forms.Form) -> list[dict[str, Any]]:
    return [
        {
            "param": None if name == NON_FIELD_ERRORS else name,
            "code": item.code or ErrorCode.INVALID,
            "message": message,
        }
        for name, items in form.errors.as_data().items()
        for item in items
        for message in item.messages
    ]


def refused(errors: list[dict[str, Any]]) -> JsonResponse:
    return JsonResponse({"ok": False, "errors": errors}, status=400)


def wants_json(request: HttpRequest) -> bool:
    """grid.js asks for JSON; a plain form post (no JavaScript) gets a redirect."""
    return "application/json" in request.headers.get("Accept", "")


def _student_of_class(request: SchoolRequest, student_id: int, school_class_id: int) -> Student:
    """An active student of the class, or 404: a student of another class is never in the
    grid, and a 404 does not say whether the id exists."""
    student = (
        Student.objects.active()
        .select_related("school", "school_class")
        .filter(school_id=request.school.pk, school_class_id=school_class_id, pk=student_id)
        .first()
    )
    if student is None:
        raise JournalAccessError
    return student


def _save_cell(
    form: CellForm, *, lesson: Lesson, student: Student, actor: User
) -> tuple[Mark | None, Attendance | None]:
    """Make the cell hold what was typed: a mark (or none) and attendance (or none). Comment,
    weight and reason that the request leaves out are kept (the weight: the lesson's default)."""
    entry = form.cleaned_data["value"]
    cell = {"school_id": lesson.school_id, "lesson": lesson, "student": student}
    current_mark = Mark.objects.filter(**cell).first()
    current_attendance = Attendance.objects.filter(**cell).first()
    with transaction.atomic():
        mark: Mark | None = None
        if entry.mark is not None:
            weight = next(
                (w for w in (entry.weight, form.cleaned_data["weight"]) if w is not None),
                default_weight(lesson),
            )
            comment = (
                form.cleaned_data["comment"]
                if form.given("comment")
                else (current_mark.comment if current_mark else "")
            )
            mark = mark_set(
                lesson=lesson,
                student=student,
                value=entry.mark,
                weight=weight,
                comment=comment,
                actor=actor,
            )
        elif current_mark is not None:
            mark_delete(lesson=lesson, student=student, actor=actor)
        attendance: Attendance | None = None
        if entry.status is not None:
            reason = (
                form.cleaned_data["reason"]
                if form.given("reason")
                else (current_attendance.reason if current_attendance else "")
            )
            attendance = attendance_set(
                lesson=lesson, student=student, status=entry.status, reason=reason, actor=actor
            )
        elif current_attendance is not None:
            attendance_set(lesson=lesson, student=student, status=None, actor=actor)
    return mark, attendance


@teaching_staff
@require_POST
def cell_save(request: SchoolRequest, lesson_id: int, student_id: int) -> HttpResponse:
    """One cell of the grid: `value` as typed ("5", "5*2", "н", "оп 4", "" to clear), and from
    the cell's details form `weight`, `comment` and `reason`."""
    lesson = access_lesson_for_edit(user=request.user, lesson_id=lesson_id)
    student = _student_of_class(request, student_id, lesson.school_class_id)
    form = CellForm(request.POST, school=request.school)
    if not form.is_valid():
        return refused(form_errors(form))
    try:
        mark, attendance = _save_cell(form, lesson=lesson, student=student, actor=request.user)
    except ValidationError as error:
        return refused(error_list(error, code=ErrorCode.REFUSED))
    view = cell_view(mark=mark, attendance=attendance, lesson=lesson, school=request.school)
    average = row_average(lesson=lesson, student=student, group_id=form.cleaned_data["group"])
    return JsonResponse(
        {"ok": True, "cell": view.as_json(), "average": average_text(average) or None}
    )


@teaching_staff
@require_POST
def final_save(
    request: SchoolRequest, class_id: int, subject_id: int, student_id: int
) -> HttpResponse:
    """A student's final mark for a period (`period`, `value`; an empty value clears it). JSON
    for grid.js; a redirect back to the grid, with the outcome as a message, for a plain form."""
    journal = access_journal(user=request.user, class_id=class_id, subject_id=subject_id)
    student = _student_of_class(request, student_id, journal.school_class.pk)
    form = FinalMarkForm(request.POST, school=request.school)
    period = final = None
    errors: list[dict[str, Any]] = []
    if form.is_valid():
        period = Period.objects.filter(
            school_id=request.school.pk,
            year_id=journal.school_class.year_id,
            pk=form.cleaned_data["period"],
        ).first()
        if period is None:
            raise JournalAccessError
        try:
            final = final_mark_set(
                student=student,
                subject=journal.subject,
                period=period,
                value=form.cleaned_data["value"],
                actor=request.user,
            )
        except ValidationError as error:
            errors = error_list(error, code=ErrorCode.REFUSED)
    else:
        errors = form_errors(form)
    if wants_json(request):
        if errors:
            return refused(errors)
        return JsonResponse({"ok": True, "cell": final_view(final, request.school).as_json()})
    if errors:
        for item in errors:
            messages.error(request, f"{student.short_name}: {item['message']}")
    elif final is None:
        messages.success(request, f"{student.short_name}: итоговая оценка стёрта.")
    else:
        messages.success(request, f"{student.short_name}: итоговая оценка {final.value}.")
    group_id = form.cleaned_data.get("group")  # a refused group is left out of the way back
    return redirect(grid_url(class_id, subject_id, period=period, group_id=group_id))


@teaching_staff
@require_POST
def remark_add(request: SchoolRequest, student_id: int) -> HttpResponse:
    """A remark about a student ("Замечание"), for the parents to read in the diary; `lesson`:
    the lesson it is about (optional). Back to the page the form was on, with the outcome as a
    message. A pupil the user does not teach or lead is a 404, as an id that does not exist."""
    student = access_student_for_remark(user=request.user, student_id=student_id)
    form = RemarkForm(request.POST)
    errors: list[dict[str, Any]] = []
    if form.is_valid():
        lesson_id = form.cleaned_data["lesson"]
        lesson = (
            access_lesson_for_edit(user=request.user, lesson_id=lesson_id) if lesson_id else None
        )
        try:
            remark_add_service(
                student=student, text=form.cleaned_data["text"], actor=request.user, lesson=lesson
            )
        except ValidationError as error:
            errors = error_list(error, code=ErrorCode.REFUSED)
    else:
        errors = form_errors(form)
    if wants_json(request):
        return refused(errors) if errors else JsonResponse({"ok": True})
    if errors:
        for item in errors:
            messages.error(request, f"Замечание не сохранено: {item['message']}")
    else:
        messages.success(
            request, f"Замечание для {student.short_name} сохранено: его увидят родители."
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("journal:teacher_home")
    return redirect(back)
