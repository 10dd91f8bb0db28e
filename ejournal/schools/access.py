"""Fetching a record named in a URL: only the request's school's records; anything else is 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from .models import School, SchoolClass, Student, Teacher


def access_class(*, school: School, class_id: int) -> SchoolClass:
    """A class of this school (any year), with its year and class teacher."""
    return get_object_or_404(
        SchoolClass.objects.select_related("year", "class_teacher"), school=school, pk=class_id
    )


def access_student(*, school: School, student_id: int) -> Student:
    """An active student of this school, with the class; a student who left (archived) is 404."""
    return get_object_or_404(
        Student.objects.active().select_related("school_class"), school=school, pk=student_id
    )


def access_teacher(*, school: School, teacher_id: int) -> Teacher:
    """An active teacher of this school; a teacher who left (archived) is 404."""
    return get_object_or_404(Teacher, school=school, pk=teacher_id, archived_at__isnull=True)
