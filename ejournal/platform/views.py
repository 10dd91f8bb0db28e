"""The platform operator's pages, on the platform's own domain: schools, counts and health.

"Службе технической поддержки данные пользователей не доступны": no page here shows a
person's name, email, login or marks.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET

from ejournal.accounts.views.login import FlowLoginView

from .health import cache_checks, database_check, letters_outbox, task_queue
from .http import operator_required, platform_only
from .selectors import ROLE_HEADINGS, school_stats, schools_ordered

SCHOOLS_PER_PAGE = 100


@method_decorator(platform_only, name="dispatch")
class OperatorLoginView(FlowLoginView):
    """The operator's login: the same flow and throttling as a school's, with no school."""

    template_name = "platform/login.html"
    next_page = "platform:dashboard"


@method_decorator(platform_only, name="dispatch")
class OperatorLogoutView(auth_views.LogoutView):
    next_page = "platform:login"


@operator_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    page = Paginator(schools_ordered(), SCHOOLS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "platform/dashboard.html",
        {
            "page": page,
            "stats": school_stats(list(page.object_list)),
            "roles": ROLE_HEADINGS,
            "checks": [database_check(), *cache_checks()],
            "tasks": task_queue(),
            "letters": letters_outbox(),
        },
    )
