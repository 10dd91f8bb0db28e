"""Email confirmation: "Обновление информации о пользователе" and the link from the letter."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters

from ejournal.core.http import SchoolRequest, school_required

from ..email_confirmation import user_email_confirm, user_email_update
from ..forms.email import EmailUpdateForm
from ..tokens import email_confirmation_token_user
from .login import safe_next_url, with_next


@school_required
@login_required
@sensitive_post_parameters("current_password")
def email_update(request: SchoolRequest) -> HttpResponse:
    """The address and a confirmation letter; the user may go on browsing meanwhile."""
    user = request.user
    next_url = safe_next_url(request)
    if request.method == "POST":
        form = EmailUpdateForm(request.POST)
        if form.is_valid():
            try:
                user_email_update(
                    user=user,
                    email=form.cleaned_data["email"],
                    current_password=form.cleaned_data["current_password"],
                )
            except ValidationError as refusal:
                form.add_error(None, refusal)
            else:
                messages.success(
                    request,
                    f"Письмо для подтверждения отправлено на адрес {user.email}. "
                    "Откройте его и перейдите по ссылке.",
                )
                return redirect(with_next("accounts:email_update", next_url))
    else:
        form = EmailUpdateForm(initial={"email": user.email})
    return render(
        request,
        "accounts/email_update.html",
        {
            "form": form,
            "next_url": next_url,
            "email_confirmed": user.email_confirmed_at is not None,
        },
    )


@school_required
def email_confirm(request: SchoolRequest, token: str) -> HttpResponse:
    """The link from the letter. GET only shows a button: mail scanners open links, and
    must not confirm an address; the POST of that button confirms it."""
    user = email_confirmation_token_user(school_id=request.school.id, token=token)
    if user is None:
        return render(request, "accounts/email_confirm.html", {"valid": False})
    if request.method == "POST":
        user_email_confirm(user=user)
        messages.success(request, "Адрес электронной почты подтверждён. Спасибо!")
        return redirect("home")
    return render(request, "accounts/email_confirm.html", {"valid": True, "email": user.email})
