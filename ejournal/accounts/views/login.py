from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme

from ejournal.core.http import school_required

from ..devices import device_remember
from ..email_confirmation import email_confirmation_needed
from ..forms.login import LoginForm


def safe_next_url(request: HttpRequest, default: str = "home") -> str:
    """`next` from the query or the form if it is a path on this host, else `default`.

    Only paths: "//evil.example", "/\\evil.example" and absolute URLs are refused by
    Django's check, and a path stays on the school's host by construction.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default)


def with_next(url_name: str, target: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': target})}"


@method_decorator(school_required, name="dispatch")
class LoginView(auth_views.LoginView):
    """ "Вход в журнал". Django's view: a new session key on login, `next` kept to this host.

    Right after logging in, a user with a temporary password goes to "Сменить пароль"
    (and can't leave it: PasswordChangeRequiredMiddleware); one whose address awaits
    confirmation, or a parent without one, goes once to "Обновление информации о
    пользователе" — with `next` carried along in both cases.
    """

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        device_remember(self.request, response, form.account_key)
        return response

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        """Django's check, and only a path: no scheme, no host, nothing relative."""
        target = super().get_redirect_url(*args, **kwargs)
        return target if target.startswith("/") else ""

    def get_success_url(self) -> str:
        target = super().get_success_url()  # `next` if safe, else LOGIN_REDIRECT_URL
        user = self.request.user
        if getattr(user, "must_change_password", False):
            return with_next("accounts:password_change", target)
        if email_confirmation_needed(user):  # type: ignore[arg-type]
            return with_next("accounts:email_update", target)
        return target


@method_decorator(school_required, name="dispatch")
class LogoutView(auth_views.LogoutView):
    """Ends the session on the server (POST only)."""
