"""The API's page: Swagger UI from Ninja's own static files, under the strict CSP.

Ninja's template keeps its settings in an inline JSON block and has no <h1>; ours passes
the document's address in a data attribute to a static init script (static/js/api-docs.js)
and loads nothing from a CDN. Swagger UI's stylesheet draws its icons as `data:` images,
which this page alone allows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from csp.constants import SELF
from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI


class Docs(DocsBase):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        context = {"api": api, "openapi_url": self.get_openapi_url(api, kwargs)}

        @csp_update({"img-src": [SELF, "data:"]})
        def page(request: HttpRequest) -> HttpResponse:
            return render(request, "api/docs.html", context)

        return cast(HttpResponse, page(request))
