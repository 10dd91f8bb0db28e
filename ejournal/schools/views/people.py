"""The curator's pages for students (add, edit, move, "Выбыл") and teachers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from ejournal.core.http import SchoolRequest, curator_required

from .. import services
from ..access import access_class_param, access_student, access_teacher
from ..forms import (
    StudentCreateForm,
    StudentForm,
    StudentMoveForm,
    TeacherForm,
    post_data,
    submit,
)
from ..models import Student, Teacher
from ..selectors import classes_to_move_to, current_year, teachers_with_homerooms, year_classes

# Students


@curator_required
@require_http_methods(["GET", "POST"])
def student_create(request: SchoolRequest) -> HttpResponse:
    """A new student; `?class=ID` preselects the class."""
    school_class = access_class_param(school=request.school, value=request.GET.get("class"))
    classes = year_classes(school=request.school, year=current_year(school=request.school))
    form = StudentCreateForm(
        post_data(request),
        classes=classes,
        initial={"school_class": school_class.pk if school_class else None},
    )
    student = submit(
        request,
        form,
        lambda data: services.student_create(school=request.school, actor=request.user, **data),
    )
    if student is not None:
        label = student.school_class.label
        messages.success(request, f"{student.full_name}: ученик добавлен в класс {label}.")
        return redirect("schools:class_detail", class_id=student.school_class_id)
    return render(
        request, "schools/student_form.html", {"form": form, "school_class": school_class}
    )


@curator_required
@require_http_methods(["GET", "POST"])
def student_edit(request: SchoolRequest, student_id: int) -> HttpResponse:
    student = access_student(school=request.school, student_id=student_id)
    name = student.full_name  # as saved: a refused change must not show in the heading
    form = StudentForm(
        post_data(request),
        initial={f: getattr(student, f) for f in StudentForm.base_fields},
    )
    updated = submit(
        request,
        form,
        lambda data: services.student_update(student=student, actor=request.user, **data),
    )
    if updated is not None:
        messages.success(request, f"{student.full_name}: данные ученика сохранены.")
        return redirect("schools:class_detail", class_id=student.school_class_id)
    return render(
        request,
        "schools/student_form.html",
        {"form": form, "student": student, "name": name, "school_class": student.school_class},
    )


@curator_required
@require_http_methods(["GET", "POST"])
def student_move(request: SchoolRequest, student_id: int) -> HttpResponse:
    """Into another class of the same year; back to the class the student left."""
    student = access_student(school=request.school, student_id=student_id)
    from_class = student.school_class
    classes = classes_to_move_to(student=student)
    form = StudentMoveForm(post_data(request), classes=classes)
    moved = submit(
        request,
        form,
        lambda data: services.student_move(student=student, actor=request.user, **data),
    )
    if moved is not None:
        label = student.school_class.label
        messages.success(request, f"{student.full_name} переведён(а) в класс {label}.")
        return redirect("schools:class_detail", class_id=from_class.pk)
    return render(
        request,
        "schools/student_move.html",
        {"form": form, "student": student, "classes": classes},
    )


@curator_required
@require_http_methods(["GET", "POST"])
def student_archive(request: SchoolRequest, student_id: int) -> HttpResponse:
    """ "Выбыл": a confirmation page on GET, the change on POST."""
    student = access_student(school=request.school, student_id=student_id)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.student_archive(student=student, actor=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, f"{student.full_name} отмечен(а) как выбывший(ая).")
            return redirect("schools:class_detail", class_id=student.school_class_id)
    return _confirm_archive(
        request,
        person=student,
        heading="Отметить, что ученик выбыл?",
        detail=f"Класс {student.school_class.label}, дата рождения {student.birth_date:%d.%m.%Y}.",
        consequences=(
            "Ученик исчезнет из списка класса, его неиспользованные пригласительные коды и коды "
            "его родителей перестанут действовать, вход в журнал по его аккаунту закроется. "
            "Запись ученика и его оценки сохраняются."
        ),
        cancel_url=reverse("schools:class_detail", args=[student.school_class_id]),
        errors=errors,
    )


def _confirm_archive(
    request: SchoolRequest, *, person: Student | Teacher, errors: list[str], **context: Any
) -> HttpResponse:
    return render(
        request, "schools/confirm_archive.html", {"person": person, "errors": errors, **context}
    )


# Teachers


@curator_required
@require_GET
def teacher_list(request: SchoolRequest) -> HttpResponse:
    """ "Учителя": active teachers, their accounts and this year's classes they lead."""
    year = current_year(school=request.school)
    teachers = teachers_with_homerooms(school=request.school, year=year)
    return render(request, "schools/teacher_list.html", {"teachers": teachers, "year": year})


@curator_required
@require_http_methods(["GET", "POST"])
def teacher_create(request: SchoolRequest) -> HttpResponse:
    form = TeacherForm(post_data(request))
    teacher = submit(
        request,
        form,
        lambda data: services.teacher_create(school=request.school, actor=request.user, **data),
    )
    if teacher is not None:
        messages.success(request, f"{teacher.full_name}: учитель добавлен.")
        return redirect("schools:teacher_list")
    return render(request, "schools/teacher_form.html", {"form": form})


@curator_required
@require_http_methods(["GET", "POST"])
def teacher_edit(request: SchoolRequest, teacher_id: int) -> HttpResponse:
    teacher = access_teacher(school=request.school, teacher_id=teacher_id)
    name = teacher.full_name  # as saved: a refused change must not show in the heading
    form = TeacherForm(
        post_data(request),
        initial={f: getattr(teacher, f) for f in TeacherForm.base_fields},
    )
    updated = submit(
        request,
        form,
        lambda data: services.teacher_update(teacher=teacher, actor=request.user, **data),
    )
    if updated is not None:
        messages.success(request, f"{teacher.full_name}: данные учителя сохранены.")
        return redirect("schools:teacher_list")
    return render(
        request, "schools/teacher_form.html", {"form": form, "teacher": teacher, "name": name}
    )


@curator_required
@require_http_methods(["GET", "POST"])
def teacher_archive(request: SchoolRequest, teacher_id: int) -> HttpResponse:
    """ "Выбыл" for a teacher: a confirmation page on GET, the change on POST."""
    teacher = access_teacher(school=request.school, teacher_id=teacher_id)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.teacher_archive(teacher=teacher, actor=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, f"{teacher.full_name} отмечен(а) как выбывший(ая).")
            return redirect("schools:teacher_list")
    return _confirm_archive(
        request,
        person=teacher,
        heading="Отметить, что учитель выбыл?",
        detail="",
        consequences=(
            "Учитель исчезнет из списка учителей, его неиспользованные пригласительные коды "
            "перестанут действовать, вход в журнал по его аккаунту закроется."
        ),
        cancel_url=reverse("schools:teacher_list"),
        errors=errors,
    )
