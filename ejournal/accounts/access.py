"""Fetching an account named in a URL: only this school's accounts; anything else is 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from ejournal.schools.models import School

from .api_tokens import api_tokens_for_user
from .models import ApiToken, User


def access_user(*, school: School, user_id: int) -> User:
    """An account of this school, with its school, student or teacher record and the class.

    The platform operator has no school, so no school's curator can reach that account.
    """
    return get_object_or_404(
        User.objects.select_related("school", "student__school_class", "teacher"),
        school=school,
        pk=user_id,
    )


def access_api_token(*, user: User, token_id: int) -> ApiToken:
    """One of the user's own live tokens: another user's, or an expired one, is 404."""
    tokens = api_tokens_for_user(user).select_related("school", "user")
    return get_object_or_404(tokens, pk=token_id)
