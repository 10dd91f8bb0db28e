"""Logging an app in (a token for a login and a password), and the user's tokens."""

# No `from __future__ import annotations`: Ninja reads the endpoints' annotations at import.
from django.core.exceptions import ValidationError
from django.views.decorators.debug import sensitive_variables
from ninja import Router, Status

from ejournal.accounts.access import access_api_token
from ejournal.accounts.api_tokens import api_token_create, api_token_revoke, api_tokens_for_user
from ejournal.accounts.flows.login import login_attempt
from ejournal.accounts.flows.throttled import Throttled
from ejournal.accounts.models import ApiToken
from ejournal.core.errors import error_list
from ejournal.core.http import SchoolRequest, client_address

from .errors import ApiError, ApiErrorCode
from .schemas import Errors, TokenCreated, TokenOut, TokenRequest

MUST_CHANGE_FIRST = (
    "Куратор установил вам временный пароль: смените его на сайте школы, затем войдите снова."
)

router = Router(tags=["auth"])


@router.post(
    "/auth/token",
    auth=None,
    response={201: TokenCreated, 400: Errors, 401: Errors, 403: Errors, 422: Errors, 429: Errors},
    summary="Get a token for a login and a password",
)
@sensitive_variables("payload")
def token_create(request: SchoolRequest, payload: TokenRequest) -> Status:
    """The web login's rule and throttle (accounts.flows.login): after the free failures,
    even the right password waits (429 with `retry_after`). A temporary password the curator
    set gets no token (403): the web asks to change it first, and so does the app."""
    try:
        logged_in = login_attempt(
            school=request.school,
            login=payload.login,
            password=payload.password,
            client_address=client_address(request),
        )
    except Throttled as refusal:
        raise ApiError(429, error_list(refusal), retry_after=refusal.wait) from refusal
    except ValidationError as refusal:
        raise ApiError(401, error_list(refusal)) from refusal
    if logged_in.user.must_change_password:
        code = ApiErrorCode.PASSWORD_CHANGE_REQUIRED
        raise ApiError(403, [{"param": None, "code": code, "message": MUST_CHANGE_FIRST}])
    token, key = api_token_create(user=logged_in.user, device=payload.device)
    return Status(201, TokenCreated(id=token.pk, token=key, expires_at=token.expires_at))


@router.get("/tokens", response={200: list[TokenOut], 401: Errors}, summary="The user's tokens")
def token_list(request: SchoolRequest) -> list[ApiToken]:
    return list(api_tokens_for_user(request.user))


@router.delete(
    "/tokens/{id:token_id}",
    response={204: None, 401: Errors, 404: Errors},
    summary="Revoke one of the user's tokens",
)
def token_delete(request: SchoolRequest, token_id: int) -> Status:
    token = access_api_token(user=request.user, token_id=token_id)
    api_token_revoke(token=token, actor=request.user)
    return Status(204, None)
