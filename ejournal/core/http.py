"""Request typing and the guards every school page uses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

if TYPE_CHECKING:
    from ejournal.accounts.models import User
    from ejournal.schools.models import School


class SchoolRequest(HttpRequest):
    """A request at a school's address (TenantMiddleware sets `school`)."""

    school: School
    user: User  # type: ignore[assignment]


View = TypeVar("View", bound=Callable[..., HttpResponse])


def school_required(view: View) -> View:
    """The view serves a school's address only: the platform's bare domain gets 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "school", None) is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def role_required(*roles: str) -> Callable[[View], View]:
    """Logged-in users of these roles at this school; anyone else logged in gets 404."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if getattr(request, "school", None) is None:
                raise Http404
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.user.role not in roles:  # type: ignore[union-attr]
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


curator_required = role_required("curator")


def client_address(request: HttpRequest) -> str:
    """The client's IP address. Behind EJOURNAL_TRUSTED_PROXIES proxies, taken from the
    X-Forwarded-For entry the nearest trusted proxy added, which a client can't forge."""
    proxies = settings.EJOURNAL_TRUSTED_PROXIES
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies and forwarded[-proxies]:
            return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))
