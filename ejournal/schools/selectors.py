from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import AcademicYear, School, SchoolClass


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
