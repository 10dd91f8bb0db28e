from __future__ import annotations

from django.db import transaction

from ejournal.schools.models import School
from ejournal.schools.roles import Role

from .models import User


def user_create(
    *,
    school: School | None,
    role: Role,
    login: str,
    password: str | None,
    last_name: str = "",
    first_name: str = "",
    middle_name: str = "",
    email: str = "",
) -> User:
    """An account at a school (or a platform operator's, with no school)."""
    with transaction.atomic():
        user = User(
            school=school,
            role=role,
            login=login,
            last_name=last_name,
            first_name=first_name,
            middle_name=middle_name,
            email=email,
        )
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.full_clean()
        user.save()
    return user
