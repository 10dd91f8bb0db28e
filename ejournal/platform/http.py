"""The guard of the operator's pages: the platform's own domain and the operator's role only."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from ejournal.core.http import View
from ejournal.schools.roles import Role


def platform_only(view: View) -> View:
    """The view serves the platform's bare domain only: every school address gets 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "school", None) is not None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def operator_required(view: View) -> View:
    """The platform operator on the platform's domain; a visitor is sent to log in, anyone
    else (there is no one else here: SchoolUserMiddleware ends a school's session) gets 404."""

    @platform_only
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("platform:login"))
        if request.user.role != Role.OPERATOR:  # type: ignore[union-attr]
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]
