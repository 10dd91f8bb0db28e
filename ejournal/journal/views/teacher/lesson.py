"""A lesson's page: its topic, homework (due at which lesson) and files, control work, room,
status and teacher. A homework file over the limit is stopped while it streams in: the page
answers 413 with the reason under the file field."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ejournal.core.http import SchoolRequest
from ejournal.core.params import parse_id
from ejournal.core.uploads import limit_upload, upload_limit
from ejournal.schools.forms import add_service_errors
from ejournal.schools.selectors import active_teachers, period_current, year_periods

from ...access import JournalAccessError, access_lesson_for_view, can_edit_lesson, is_curator
from ...forms.teacher import HomeworkFileForm, LessonForm
from ...models import Homework, HomeworkFile, Lesson
from ...selectors.homework import due_choices, lesson_homework
from ...services import homework_file_add, homework_file_delete, lesson_update
from ...services.homework import HOMEWORK_FILE_MAX_BYTES
from .grid import grid_url
from .home import teaching_staff

ACTIONS = ("save", "file_add", "file_delete")


def journal_url(lesson: Lesson) -> str:
    """The grid the lesson is a column of: its period, and its group's grid for a group."""
    periods = year_periods(year=lesson.school_class.year)
    period = period_current(periods=periods, day=lesson.date)
    return grid_url(
        lesson.school_class_id, lesson.subject_id, period=period, group_id=lesson.group_id
    )


def _initial(lesson: Lesson, homework: Homework | None, later: list[Lesson]) -> dict[str, Any]:
    due = homework.due_lesson if homework is not None else None
    chosen = due is not None and bool(later) and due.date != later[0].date
    return {
        "topic": lesson.topic,
        "homework": homework.text if homework is not None else "",
        "homework_due": due.date.isoformat() if chosen and due is not None else "",
        "control_type": lesson.control_type,
        "room": lesson.room,
        "status": lesson.status,
        "teacher": lesson.teacher_id,
    }


@teaching_staff
@require_http_methods(["GET", "POST"])
@limit_upload(lambda: HOMEWORK_FILE_MAX_BYTES)
def lesson_edit(request: SchoolRequest, lesson_id: int) -> HttpResponse:
    """Whoever sees the journal sees the lesson; its teachers change it and its files; the
    curator changes its frame (status, room, a substitute). Each change goes through
    lesson_update and is audited; after a POST the page redirects (to the grid after a save)."""
    user = request.user
    lesson = access_lesson_for_view(user=user, lesson_id=lesson_id)
    content = can_edit_lesson(user, lesson)
    frame = content or is_curator(user, lesson.school_id)
    stopped = upload_limit(request)
    action = request.POST.get("action", "save") if request.method == "POST" else None
    if stopped.exceeded:
        action = "file_add"  # whatever came before the file, only the file was being sent
    if action is not None and action not in ACTIONS:
        raise BadRequest("Unknown lesson action")  # the Russian 400 page
    if action is not None and not (content if action.startswith("file_") else frame):
        raise JournalAccessError
    set_here = lesson_homework(lesson=lesson)
    later = due_choices(lesson=lesson) if content else []
    form = (
        LessonForm(
            request.POST if action == "save" else None,
            initial=_initial(lesson, set_here.homework, later),
            content=content,
            due_choices=later,
            teachers=None if content else active_teachers(school=request.school),
        )
        if frame
        else None
    )
    file_form = (
        HomeworkFileForm(request.POST, request.FILES, upload_stopped=stopped)
        if action == "file_add"
        else None
    )

    if action == "save" and form is not None and form.is_valid():
        try:
            lesson_update(lesson=lesson, actor=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Урок {lesson.date:%d.%m} сохранён.")
            return redirect(journal_url(lesson))
    elif action == "file_add" and file_form is not None and file_form.is_valid():
        try:
            added = homework_file_add(
                lesson=lesson, upload=file_form.cleaned_data["file"], actor=user
            )
        except ValidationError as error:
            add_service_errors(file_form, error)
        else:
            messages.success(request, f"Файл «{added.name}» приложен к домашнему заданию.")
            return redirect("journal:lesson", lesson_id=lesson.pk)
    elif action == "file_delete":
        file_id = parse_id(request.POST.get("file"))
        doomed = (
            HomeworkFile.objects.filter(
                school_id=lesson.school_id, homework__lesson=lesson, pk=file_id
            ).first()
            if file_id
            else None
        )
        if doomed is None:
            raise JournalAccessError
        homework_file_delete(homework_file=doomed, lesson=lesson, actor=user)
        messages.success(request, f"Файл «{doomed.name}» удалён.")
        return redirect("journal:lesson", lesson_id=lesson.pk)

    return render(
        request,
        "journal/lesson_form.html",
        {
            "lesson": lesson,
            "form": form,
            "file_form": file_form or (HomeworkFileForm() if content else None),
            "content": content,
            "homework": set_here.homework,
            "files": set_here.files,
            "journal_url": journal_url(lesson),
        },
        status=413 if stopped.exceeded else 200,
    )
