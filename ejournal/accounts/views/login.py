from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme

from ejournal.core.http import client_address, school_required

from ..devices import device_from, device_remember
from ..email_confirmation import email_confirmation_needed
from ..flows.login import login_attempt
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


class FlowLoginView(auth_views.LoginView):
    """Django's login view (a new session key on login, `next` kept to this host) over
    `flows.login.login_attempt`, for a school's address and the platform's alike."""

    # Fields only, not an AuthenticationForm: the flow authenticates.
    authentication_form = LoginForm  # type: ignore[assignment]
    redirect_authenticated_user = True

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        del kwargs["request"]  # the form is fields only
        return kwargs

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        request = self.request
        try:
            logged_in = login_attempt(
                school=getattr(request, "school", None),
                login=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                client_address=client_address(request),
                device=device_from(request),
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
            return self.form_invalid(form)  # type: ignore[arg-type]
        auth_login(request, logged_in.user)
        response = HttpResponseRedirect(self.get_success_url())
        device_remember(request, response, logged_in.account_key)
        return response


@method_decorator(school_required, name="dispatch")
class LoginView(FlowLoginView):
    """ "Вход в журнал".

    Right after logging in, a user with a temporary password goes to "Сменить пароль"
    (and can't leave it: PasswordChangeRequiredMiddleware); one whose address awaits
    confirmation, or a parent without one, goes once to "Обновление информации о
    пользователе" — with `next` carried along in both cases.
    """

    template_name = "accounts/login.html"

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
