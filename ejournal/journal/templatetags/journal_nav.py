"""The journal's part of the navigation: a class teacher's links to the classes they lead."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Subquery

from ejournal.core.freshness import cached_user_read
from ejournal.schools.models import School, SchoolClass
from ejournal.schools.roles import Role
from ejournal.schools.selectors import years_begun

register = template.Library()

_CACHE_ATTR = "_journal_homerooms"


def homerooms_of(user: Any, *, school: School) -> list[SchoolClass]:
    """The classes of the current school year that the teacher leads at the school, by label:
    one query.

    The current year is the latest that has begun (`schools.selectors.years_begun`, as
    `current_year`; none before the first year begins), found by a subquery of the same
    statement.
    """
    if not user.is_authenticated or user.role != Role.TEACHER or user.school_id != school.pk:
        return []
    year = years_begun(school=school).values("pk")[:1]
    # Kept under the school's version (classes, years, teachers) and the user's.
    return cached_user_read(
        "homerooms",
        school_id=school.pk,
        user_id=user.pk,
        parts=[school.today()],
        read=lambda: list(
            SchoolClass.objects.filter(
                school_id=school.pk,
                year=Subquery(year),
                class_teacher__user=user,
                class_teacher__archived_at__isnull=True,
            ).order_by("grade", "letter")
        ),
    )


@register.simple_tag(takes_context=True)
def homerooms(context: template.Context) -> list[SchoolClass]:
    """`{% homerooms as classes %}`: the user's homerooms at the request's school, looked up
    once per request; none without a school (the platform's site)."""
    user = context.get("user")
    request = context.get("request")
    school = getattr(request, "school", None)
    if user is None or school is None:
        return []
    if not hasattr(request, _CACHE_ATTR):
        setattr(request, _CACHE_ATTR, homerooms_of(user, school=school))
    found: list[SchoolClass] = getattr(request, _CACHE_ATTR)
    return found
