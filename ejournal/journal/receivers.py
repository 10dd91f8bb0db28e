"""The journal's answers to what the schools app asks (schools/signals.py): its marks, which
the school's settings must not leave behind."""

from typing import Any

from django.db.models import Q
from django.dispatch import receiver

from ejournal.schools.models import AcademicYear, School
from ejournal.schools.signals import marks_outside_scale, year_final_marks

from .models import FinalMark, Mark


@receiver(marks_outside_scale)
def marks_outside_scale_count(
    sender: type, *, school: School, mark_min: int, mark_max: int, **kwargs: Any
) -> int:
    """The school's marks and final marks outside mark_min..mark_max."""
    outside = Q(value__lt=mark_min) | Q(value__gt=mark_max)
    return (
        Mark.objects.filter(outside, school=school).count()
        + FinalMark.objects.filter(outside, school=school).count()
    )


@receiver(year_final_marks)
def year_final_marks_count(
    sender: type, *, school: School, year: AcademicYear, **kwargs: Any
) -> int:
    return FinalMark.objects.filter(school=school, period__year=year).count()
