"""Reads about an account that its pages and the API share."""

from __future__ import annotations

from django.db.models import QuerySet

from ejournal.schools.models import Guardianship

from .models import User


def parent_children(parent: User) -> QuerySet[Guardianship]:
    """A parent's links to their children, with each child's class, in name order."""
    if parent.school_id is None:
        return Guardianship.objects.none()
    return (
        Guardianship.objects.filter(school_id=parent.school_id, parent=parent)
        .select_related("student__school_class")
        .order_by("student__last_name", "student__first_name", "pk")
    )
