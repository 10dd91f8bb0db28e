"""Small display helpers of the diary and marks pages: `{% load diary %}`."""

from __future__ import annotations

from django import template

from ejournal.schools.models import School, Teacher

register = template.Library()


@register.filter
def initials(teacher: Teacher | None) -> str:
    """ "Петров Олег Николаевич" → "Петров О. Н." (a phone's line is short)."""
    if teacher is None:
        return ""
    letters = " ".join(f"{name[0]}." for name in (teacher.first_name, teacher.middle_name) if name)
    return f"{teacher.last_name} {letters}".strip()


@register.filter
def mark_band(value: int | None, school: School) -> str:
    """ "high", "mid" or "low" on the school's scale, for the mark's colour: on 1–5 a 5 and a 4
    are high, a 3 mid, a 2 and a 1 low; a 1–10 scale is cut at the same fractions."""
    if value is None:
        return ""
    span = school.mark_max - school.mark_min
    share = (value - school.mark_min) / span if span else 1
    if share >= 0.75:
        return "high"
    if share >= 0.5:
        return "mid"
    return "low"
