"""Every refusal of /api/v1 in the one envelope of core.errors, whatever raised it.

Ninja's own errors (a body that does not validate, a missing token, a 404) and Django's
(PermissionDenied, Http404) are turned into `{"errors": [{"param", "code", "message"}]}`;
an endpoint refuses with `ApiError`, built from a service's ValidationError where it has one.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from ejournal.core.errors import ErrorCode, ErrorItem, error_envelope


class ApiErrorCode(enum.StrEnum):
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    INVALID_LOGIN = "invalid_login"
    THROTTLED = "throttled"
    PASSWORD_CHANGE_REQUIRED = "password_change_required"  # noqa: S105  (a code)


MESSAGES = {
    401: (ApiErrorCode.UNAUTHORIZED, "Нужен действующий токен: войдите в приложении снова."),
    403: (ApiErrorCode.FORBIDDEN, "Недостаточно прав."),
    404: (ApiErrorCode.NOT_FOUND, "Не найдено."),
}
# Ninja's one 400: a body it cannot parse.
UNREADABLE_BODY = "Тело запроса не читается: ожидается JSON."
# Pydantic's error types in the user's words; any other: "Неверное значение."
FIELD_MESSAGES = {
    "missing": "Обязательное поле.",
    "string_too_short": "Поле не может быть пустым.",
    "string_too_long": "Слишком длинное значение.",
    "string_type": "Ожидается строка.",
    "int_parsing": "Ожидается целое число.",
}


class ApiError(Exception):
    """A refusal with its status and the envelope's errors (and, throttled, the wait)."""

    def __init__(
        self, status: int, errors: list[ErrorItem], *, retry_after: int | None = None
    ) -> None:
        super().__init__(status, errors)
        self.status = status
        self.errors = errors
        self.retry_after = retry_after


def _plain(status: int) -> list[ErrorItem]:
    code, message = MESSAGES[status]
    return [{"param": None, "code": code, "message": message}]


def _field_errors(exc: NinjaValidationError) -> list[ErrorItem]:
    items: list[ErrorItem] = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())[1:]]
        kind = str(error.get("type", ""))
        items.append(
            {
                "param": ".".join(location) or None,
                "code": ErrorCode.INVALID,
                "message": FIELD_MESSAGES.get(kind, "Неверное значение."),
            }
        )
    return items


def errors_install(api: NinjaAPI) -> None:
    """Answers every error of `api` with the envelope."""

    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    def api_error(request: HttpRequest, exc: Any) -> HttpResponse:
        body: dict[str, Any] = dict(error_envelope(exc.errors))
        if exc.retry_after is not None:
            body["retry_after"] = exc.retry_after
        response = respond(request, exc.status, body)
        if exc.retry_after is not None:
            response["Retry-After"] = str(exc.retry_after)
        return response

    def validation(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 422, dict(error_envelope(_field_errors(exc))))

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        """Ninja's own: 401 (AuthenticationError) and its one 400, an unparsable body."""
        if exc.status_code in MESSAGES:
            return respond(request, exc.status_code, dict(error_envelope(_plain(exc.status_code))))
        unreadable: ErrorItem = {
            "param": None,
            "code": ErrorCode.INVALID,
            "message": UNREADABLE_BODY,
        }
        return respond(request, 400, dict(error_envelope([unreadable])))

    def plain(status: int) -> Callable[[HttpRequest, Any], HttpResponse]:
        return lambda request, exc: respond(request, status, dict(error_envelope(_plain(status))))

    # Ninja types a handler's `exc` as the class or an instance; each gets an instance.
    api.add_exception_handler(ApiError, api_error)
    api.add_exception_handler(NinjaValidationError, validation)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, plain(404))
    api.add_exception_handler(PermissionDenied, plain(403))
