"""The curator's account support (DESIGN §5, point 9): find a user, see the login, set a password.

"Куратор журнала может посмотреть логин и изменить пароль любого пользователя." The curator
never sees a password hash, nor a password except the temporary one they have just set.
"""

from .selectors import (
    PAGE_SIZE,
    SEARCH_MAX_LENGTH,
    Relative,
    UserCard,
    UserRow,
    account_name,
    email_confirmed,
    mask_email,
    user_card,
    user_rows,
    user_search,
)
from .services import password_set_notice, temporary_password, user_password_set_by_curator

__all__ = [
    "PAGE_SIZE",
    "SEARCH_MAX_LENGTH",
    "Relative",
    "UserCard",
    "UserRow",
    "account_name",
    "email_confirmed",
    "mask_email",
    "password_set_notice",
    "temporary_password",
    "user_card",
    "user_password_set_by_curator",
    "user_rows",
    "user_search",
]
