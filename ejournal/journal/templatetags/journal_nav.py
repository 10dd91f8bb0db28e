"""The journal's part of the navigation: a class teacher's links to the classes they lead."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Subquery
from django.utils import timezone

from ejournal.schools.models import AcademicYear, SchoolClass
from ejournal.schools.roles import Role

register = template.Library()

_CACHE_ATTR = "_journal_homerooms"


def homerooms_of(user: Any) -> list[SchoolClass]:
    """The classes of the current school year that the teacher leads, by label: one query.

    The current year is the one in progress or, between years, the latest that has begun (as
    `schools.selectors.current_year`; none before the first year begins), found by a subquery
    of the same statement.
    """
    if not user.is_authenticated or user.role != Role.TEACHER or user.school_id is None:
        return []
    year = (
        AcademicYear.objects.filter(school_id=user.school_id, starts_on__lte=timezone.localdate())
        .order_by("-starts_on")
        .values("pk")[:1]
    )
    return list(
        SchoolClass.objects.filter(
            school_id=user.school_id,
            year=Subquery(year),
            class_teacher__user=user,
            class_teacher__archived_at__isnull=True,
        ).order_by("grade", "letter")
    )


@register.simple_tag(takes_context=True)
def homerooms(context: template.Context) -> list[SchoolClass]:
    """`{% homerooms as classes %}`: the user's homerooms, looked up once per request."""
    user = context.get("user")
    if user is None:
        return []
    request = context.get("request")
    if request is None:
        return homerooms_of(user)
    if not hasattr(request, _CACHE_ATTR):
        setattr(request, _CACHE_ATTR, homerooms_of(user))
    found: list[SchoolClass] = getattr(request, _CACHE_ATTR)
    return found
