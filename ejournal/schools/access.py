"""Fetching a record named in a URL: only the request's school's records; anything else is 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from ejournal.core.params import parse_id

from .models import Period, School, SchoolClass, Student, Teacher


def access_class(*, school: School, class_id: int) -> SchoolClass:
    """A class of this school (any year), with its year and class teacher."""
    return get_object_or_404(
        SchoolClass.objects.select_related("year", "class_teacher"), school=school, pk=class_id
    )


def access_class_param(*, school: School, value: str | None) -> SchoolClass | None:
    """The class a query parameter (`?class=ID`) names: None when absent, 404 when it is not
    an id or not one of this school's classes, like any other foreign id."""
    class_id = parse_id(value)
    return access_class(school=school, class_id=class_id) if class_id else None


def access_student(*, school: School, student_id: int, include_archived: bool = False) -> Student:
    """A student of this school, with the class.

    A student who left (archived) is 404 to the pages that change a record; the invitation
    pages take `include_archived=True`, so that a stale page's button gets the service's
    "выбыл(а) из школы" instead of a bare 404.
    """
    students = Student.objects.select_related("school_class")
    if not include_archived:
        students = students.active()
    return get_object_or_404(students, school=school, pk=student_id)


def access_teacher(*, school: School, teacher_id: int, include_archived: bool = False) -> Teacher:
    """A teacher of this school; one who left (archived) is 404 unless `include_archived`."""
    teachers = Teacher.objects.all()
    if not include_archived:
        teachers = teachers.filter(archived_at__isnull=True)
    return get_object_or_404(teachers, school=school, pk=teacher_id)


def access_period(*, school: School, period_id: int) -> Period:
    """A period of this school (any year), with its year."""
    return get_object_or_404(Period.objects.select_related("year"), school=school, pk=period_id)
