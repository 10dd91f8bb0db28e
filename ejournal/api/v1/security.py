"""Who is calling: `Authorization: Bearer <token>`, a token of this school's user only."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from ejournal.accounts.api_tokens import api_token_user
from ejournal.accounts.models import User


class TokenAuth(HttpBearer):
    """A live token of an active user of `request.school` (another school's token, an
    expired or revoked one: 401). Sets `request.user` for the endpoints."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        school = getattr(request, "school", None)
        if school is None or not token:
            return None
        user = api_token_user(school=school, key=token)
        if user is not None:
            request.user = user
        return user
