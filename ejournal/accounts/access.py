"""Fetching an account named in a URL: only this school's accounts; anything else is 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from ejournal.schools.models import School

from .models import User


def access_user(*, school: School, user_id: int) -> User:
    """An account of this school, with its school, student or teacher record and the class.

    The platform operator has no school, so no school's curator can reach that account.
    """
    return get_object_or_404(
        User.objects.select_related("school", "student__school_class", "teacher"),
        school=school,
        pk=user_id,
    )
