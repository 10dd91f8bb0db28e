"""One view for every method: the school, the token, the method, the envelope.

csrf_exempt: the calls carry a token in their parameters, never a cookie, and the view
touches neither the session nor request.user, so no session cookie is read or set."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from ejournal.core.db_router import replica_reads
from ejournal.schools.models import School

from . import messages, methods
from .protocol import (
    POST_ONLY,
    UNKNOWN_METHOD,
    Caller,
    EljurError,
    answer,
    params,
    refusal,
    school_of,
    token_user,
)


@csrf_exempt
@sensitive_post_parameters("password")
@sensitive_variables("args")
@require_http_methods(["GET", "POST"])
def call(request: HttpRequest, method: str) -> JsonResponse:
    """`/apiv3/<method>` and `/api/<method>`: GET, or a POST form."""
    args = params(request)
    try:
        school, from_vendor = school_of(request, args)
        # A school's host runs in its time zone already (TenantMiddleware).
        with timezone.override(school.timezone if from_vendor else timezone.get_current_timezone()):
            return answer(_result(request, method.lower(), school, args))
    except EljurError as error:
        return refusal(error)


def _result(request: HttpRequest, method: str, school: School, args: dict[str, str]) -> Any:
    if method == "auth":
        return methods.auth(request, school, args)
    writer = messages.WRITES.get(method)
    if writer is not None:
        if method.startswith("send") and request.method != "POST":
            raise EljurError(POST_ONLY)
        return writer(Caller(school=school, user=token_user(school, args), args=args))
    handler = methods.METHODS.get(method) or messages.READS.get(method)
    if handler is None:
        raise EljurError(UNKNOWN_METHOD)
    with replica_reads(school.pk):  # these only read
        return handler(Caller(school=school, user=token_user(school, args), args=args))
