"""The curator's account support: "Пользователи", one account, "Сменить пароль"."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from ejournal.core.http import SchoolRequest, curator_required

from ..access import access_user
from ..forms.support import GENERATE, SupportPasswordForm, UserSearchForm
from ..models import User
from ..support import PAGE_SIZE, user_card, user_password_set_by_curator, user_rows, user_search


@curator_required
@require_GET
def user_list(request: SchoolRequest) -> HttpResponse:
    """ "Пользователи": the school's accounts, searched by name, login or class, by role."""
    form = UserSearchForm(request.GET)
    query, role = "", ""
    if form.is_valid():
        query, role = form.cleaned_data["q"], form.cleaned_data["role"]
    users = user_search(school=request.school, query=query, role=role)
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/support_user_list.html",
        {
            "form": form,
            "page": page,
            "rows": user_rows(list(page.object_list)),
            "searched": bool(query or role),
        },
    )


@curator_required
@require_GET
def user_detail(request: SchoolRequest, user_id: int) -> HttpResponse:
    user = access_user(school=request.school, user_id=user_id)
    return _detail(request, user, SupportPasswordForm())


@sensitive_post_parameters("password", "password2")
@never_cache
@curator_required
@require_POST
def user_password(request: SchoolRequest, user_id: int) -> HttpResponse:
    """ "Сменить пароль". A generated password is shown on this response only, never cached.

    Only the forms behind the page's "Создать временный пароль…" and "Задать пароль
    самому…" disclosures carry `confirmed`; a POST without it (an old page, a stray
    click) changes nothing and goes back to the account.
    """
    user = access_user(school=request.school, user_id=user_id)
    if request.POST.get("confirmed") != "yes":
        return redirect("accounts:support_user", user_id=user.pk)
    form = SupportPasswordForm(request.POST)
    if form.is_valid():
        typed = form.typed_password()
        try:
            password = user_password_set_by_curator(curator=request.user, user=user, password=typed)
        except ValidationError as error:
            form.add_error("password" if typed is not None else None, error)
        else:
            return render(
                request,
                "accounts/support_password_done.html",
                {
                    "account": user,
                    "temporary_password": password if typed is None else "",
                    "notice_sent": bool(user.email and user.email_confirmed_at),
                },
            )
    return _detail(request, user, form, mode=form.data.get("mode", GENERATE))


def _detail(
    request: SchoolRequest, user: User, form: SupportPasswordForm, *, mode: str = ""
) -> HttpResponse:
    card = user_card(school=request.school, user=user, viewer=request.user)
    return render(
        request,
        "accounts/support_user_detail.html",
        {"card": card, "account": user, "form": form, "failed_mode": mode},
    )
