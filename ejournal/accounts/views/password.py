"""Changing one's own password: "Сменить пароль"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters

from ejournal.audit.models import AuditAction
from ejournal.core.http import SchoolRequest, school_required

from ..forms.password import PasswordChangeForm
from ..recovery import user_password_set
from .login import safe_next_url


@sensitive_post_parameters()
@school_required
@login_required
def password_change(request: SchoolRequest) -> HttpResponse:
    """The current password and a new one twice. Every other session of the user ends;
    this one stays. A temporary password set by the curator leads here and nowhere else
    (PasswordChangeRequiredMiddleware) until it is changed."""
    user = request.user
    next_url = safe_next_url(request)
    forced = user.must_change_password
    if request.method == "POST":
        form = PasswordChangeForm(user, request.POST)
        if form.is_valid():
            user_password_set(
                user=user,
                password=form.cleaned_data["new_password1"],
                action=AuditAction.PASSWORD_CHANGED,
            )
            update_session_auth_hash(request, user)
            messages.success(request, "Пароль изменён.")
            return redirect(next_url)
    else:
        form = PasswordChangeForm(user)
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "next_url": next_url, "forced": forced},
    )
