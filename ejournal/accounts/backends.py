from django.contrib.auth.backends import BaseBackend

from .identity import user_by_id
from .models import User


class SchoolLoginBackend(BaseBackend):
    """The user of a session. It authenticates nobody: every login goes through
    `flows.login.login_attempt`, which throttles, so Django's `authenticate()` is no way
    around the delays."""

    def get_user(self, user_id: int) -> User | None:
        return user_by_id(user_id)
