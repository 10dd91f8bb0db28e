from typing import Any

from django.contrib.auth.backends import BaseBackend
from django.http import HttpRequest

from .models import User


class SchoolLoginBackend(BaseBackend):
    """Authenticates a login at the school of the request's host, whatever the login's case."""

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if request is None or username is None or password is None:
            return None
        school = getattr(request, "school", None)
        user = User.objects.for_login(school_id=school.id if school else None, login=username)
        if user is None:
            # Hash anyway so an unknown login takes as long as a wrong password.
            User().set_password(password)
            return None
        if user.check_password(password) and user.is_active:
            return user
        return None

    def get_user(self, user_id: int) -> User | None:
        return User.objects.filter(pk=user_id, is_active=True).first()
