"""What the grid posts: one cell (a mark and attendance), a final mark, a remark.

`cell_save` and `final_save` answer JSON: {"ok": true, "cell": {...}, "average": "4,67"} or,
with status 400, {"ok": false, "errors": [{"param", "code", "message"}]} in Russian (the
envelope of core.errors). Each request changes one cell, so two teachers filling the same grid
lose nothing; what a typed cell means is services.cell_set's, and the services audit every
change. A user who may not change the cell gets a 404, as everywhere in the journal.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ejournal.core.errors import ErrorItem, error_envelope, error_list, form_errors
from ejournal.core.http import SchoolRequest
from ejournal.schools.models import Period

from ...access import (
    JournalAccessError,
    access_journal,
    access_lesson_for_edit,
    access_student_for_remark,
    access_student_of_class,
)
from ...forms.teacher import CellForm, FinalMarkForm, RemarkForm
from ...selectors import row_average
from ...services import cell_set, final_mark_set
from ...services import remark_add as remark_add_service
from .grid import grid_url
from .home import teaching_staff
from .presenters import average_text, cell_view, final_view


def refused(errors: list[ErrorItem]) -> JsonResponse:
    return JsonResponse({"ok": False, **error_envelope(errors)}, status=400)


def wants_json(request: HttpRequest) -> bool:
    """grid.js asks for JSON; a plain form post (no JavaScript) gets a redirect."""
    return "application/json" in request.headers.get("Accept", "")


@teaching_staff
@require_POST
def cell_save(request: SchoolRequest, lesson_id: int, student_id: int) -> HttpResponse:
    """One cell of the grid: `value` as typed ("5", "5*2", "н", "оп 4", "" to clear), and from
    the cell's details form `weight`, `comment` and `reason`."""
    lesson = access_lesson_for_edit(user=request.user, lesson_id=lesson_id)
    student = access_student_of_class(
        user=request.user, school_class_id=lesson.school_class_id, student_id=student_id
    )
    form = CellForm(request.POST, school=request.school)
    if not form.is_valid():
        return refused(form_errors(form))
    try:
        cell = cell_set(lesson=lesson, student=student, actor=request.user, **form.cell())
    except ValidationError as error:
        return refused(error_list(error))
    view = cell_view(
        mark=cell.mark, attendance=cell.attendance, lesson=lesson, school=request.school
    )
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
    student = access_student_of_class(
        user=request.user, school_class_id=journal.school_class.pk, student_id=student_id
    )
    form = FinalMarkForm(request.POST, school=request.school)
    period = final = None
    errors: list[ErrorItem] = []
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
            errors = error_list(error)
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
    errors: list[ErrorItem] = []
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
            errors = error_list(error)
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
