"""The people named in an invitations URL, fetched within the request's school: otherwise 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from ejournal.schools.models import School, Student, Teacher


def access_student_for_school(*, school: School, student_id: int) -> Student:
    return get_object_or_404(
        Student.objects.select_related("school_class"), school=school, pk=student_id
    )


def access_teacher_for_school(*, school: School, teacher_id: int) -> Teacher:
    return get_object_or_404(Teacher, school=school, pk=teacher_id)
