from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import AcademicYear, School, SchoolClass, Student, Teacher


def current_year(*, school: School) -> AcademicYear:
    """The school year in progress or, between years, the latest one."""
    today = timezone.localdate()
    years = AcademicYear.objects.filter(school=school)
    return years.filter(starts_on__lte=today).order_by("-starts_on").first() or years.latest(
        "starts_on"
    )


def classes_for_year(*, school: School, year: AcademicYear) -> QuerySet[SchoolClass]:
    """The year's classes with their active student counts and class teachers, in one query."""
    return (
        SchoolClass.objects.filter(school=school, year=year)
        .select_related("class_teacher")
        .annotate(student_count=Count("students", filter=Q(students__archived_at__isnull=True)))
        .order_by("grade", "letter")
    )


def class_roster(*, school: School, school_class: SchoolClass) -> QuerySet[Student]:
    """The class's active students with `parent_count` (linked parent accounts), in one query.

    Whether a student has an account of their own is `student.user_id is not None`.
    """
    return (
        Student.objects.active()
        .filter(school=school, school_class=school_class)
        .annotate(parent_count=Count("guardianships", filter=Q(guardianships__school=school)))
        .order_by("last_name", "first_name", "middle_name", "pk")
    )


def active_teachers(*, school: School) -> QuerySet[Teacher]:
    """The school's teachers who have not left, by name."""
    return Teacher.objects.filter(school=school, archived_at__isnull=True).order_by(
        "last_name", "first_name", "middle_name", "pk"
    )


def teachers_with_homerooms(*, school: School, year: AcademicYear) -> QuerySet[Teacher]:
    """Active teachers with the classes they lead in `year` (`year_homerooms`), in two queries."""
    homerooms = SchoolClass.objects.filter(school=school, year=year).order_by("grade", "letter")
    return active_teachers(school=school).prefetch_related(
        Prefetch("homerooms", queryset=homerooms, to_attr="year_homerooms")
    )


def year_classes(*, school: School, year: AcademicYear) -> QuerySet[SchoolClass]:
    """The year's classes in label order, for a choice of class."""
    return SchoolClass.objects.filter(school=school, year=year).order_by("grade", "letter")


def classes_to_move_to(*, student: Student) -> QuerySet[SchoolClass]:
    """The classes of the student's school and year other than the student's own."""
    current = student.school_class
    return (
        SchoolClass.objects.filter(school_id=student.school_id, year_id=current.year_id)
        .exclude(pk=current.pk)
        .order_by("grade", "letter")
    )
