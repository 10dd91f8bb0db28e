"""Which school a request is for, from its host."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.utils import timezone

from ejournal.core.tenancy import is_generic_host

from .hosts import school_for_host

Handler = Callable[[HttpRequest], HttpResponse]


class TenantMiddleware:
    """Sets request.school from the host; an unknown host gets a plain 404 and no data.

    The generic hosts (core.tenancy.is_generic_host: the platform's bare base domain and
    `api.` under it) are served with request.school = None.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        host = request.get_host()
        school = None if is_generic_host(host) else school_for_host(host)
        if school is None and not is_generic_host(host):
            return HttpResponseNotFound("Not Found", content_type="text/plain")
        request.school = school  # type: ignore[attr-defined]
        # Dates ("today", the current school year) and times are the school's own.
        with timezone.override(school.timezone if school else None):
            return self.get_response(request)
