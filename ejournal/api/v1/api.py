"""/api/v1: the native JSON API for the mobile app, on a school's address only.

Token auth on every endpoint but the token login; every error in the envelope of
core.errors; the OpenAPI document at /api/v1/openapi.json, its page at /api/v1/docs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Router

from ejournal.core.db_router import replica_reads_view

from . import auth, family, me, teacher
from .docs import Docs
from .errors import errors_install
from .rendering import RENDERER
from .security import TokenAuth


def school_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The API exists at a school's address only: on the platform's domain, 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "school", None) is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


api = NinjaAPI(
    title="Электронный журнал: API",
    version="1",
    description="The native API of the school journal. Log in with POST /auth/token, then "
    "send `Authorization: Bearer <token>`. Every error: "
    '`{"errors": [{"param", "code", "message"}]}`.',
    auth=TokenAuth(),
    renderer=RENDERER,
    urls_namespace="api-v1",
    docs=Docs(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    docs_decorator=school_only,
)
api.add_decorator(school_only, mode="view")
api.add_decorator(replica_reads_view, mode="view")  # GETs may read a moment old
errors_install(api)
api.add_router("", auth.router)
api.add_router("", me.router)
api.add_router("", family.router)
api.add_router("", teacher.router)

# Any other address under /api/v1: the envelope's 404, not the site's HTML page.
fallback = Router()


@fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    raise Http404


api.add_router("", fallback)
