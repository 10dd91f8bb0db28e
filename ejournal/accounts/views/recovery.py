"""Password recovery by a confirmed address: "Забыли пароль?"."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from ejournal.audit.models import AuditAction
from ejournal.core.http import SchoolRequest, client_address, school_required

from ..forms.password import NewPasswordForm
from ..forms.recovery import RecoveryForm
from ..models import User
from ..recovery import recovery_request, user_password_set
from ..tokens import recovery_token_generator


@school_required
def recovery(request: SchoolRequest) -> HttpResponse:
    """ "Восстановление пароля": the same answer whether or not the address is known."""
    form = RecoveryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            recovery_request(
                school=request.school,
                email=form.cleaned_data["email"],
                client_address=client_address(request),
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            return redirect("accounts:recovery_sent")
    return render(request, "accounts/recovery.html", {"form": form})


@school_required
def recovery_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/recovery_sent.html")


@method_decorator(school_required, name="dispatch")
class RecoveryConfirmView(PasswordResetConfirmView):
    """The link from the letter (Django's view): the token moves from the URL to the
    session before the form is shown, so it can't leak through the Referer header."""

    template_name = "accounts/recovery_confirm.html"
    form_class = NewPasswordForm
    token_generator = recovery_token_generator
    success_url = reverse_lazy("accounts:recovery_done")
    title = "Новый пароль"

    def get_user(self, uidb64: str) -> User | None:  # type: ignore[override]
        user = super().get_user(uidb64)
        school = self.request.school  # type: ignore[attr-defined]
        if user is None or user.school_id != school.id or not user.is_active:
            return None
        return user  # type: ignore[no-any-return]

    def form_valid(self, form: Any) -> HttpResponse:
        user_password_set(
            user=form.user,
            password=form.cleaned_data["new_password1"],
            action=AuditAction.PASSWORD_RECOVERED,
        )
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


recovery_confirm = RecoveryConfirmView.as_view()


@school_required
def recovery_done(request: HttpRequest) -> HttpResponse:
    """ "Пароль изменён", and the way to log in."""
    return render(request, "accounts/recovery_done.html")
