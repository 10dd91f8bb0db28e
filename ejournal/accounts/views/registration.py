"""Registration by invitation code ("/hello" is printed on the invitations) and the profile.

The steps, their state and their throttles are accounts.flows (the API's as well): these
views parse the forms, call the flows and render.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from ejournal.audit.models import AuditAction
from ejournal.audit.services import audit_record
from ejournal.core.http import SchoolRequest, client_address, role_required, school_required
from ejournal.schools.roles import Role

from ..access import access_api_token
from ..api_tokens import api_token_revoke, api_tokens_for_user
from ..flows.codes import child_add as child_add_flow
from ..flows.registration import (
    registration_complete,
    registration_done,
    registration_start,
    registration_state,
)
from ..forms.profile import NamesForm
from ..forms.registration import ChildAddForm, HelloForm, RegisterForm
from ..registration import CODE_UNUSABLE, MAX_EXTRA_CODES, InvitationUnusable, Registrant
from ..selectors import parent_children

SCHOOL_ROLES = (Role.STUDENT, Role.PARENT, Role.TEACHER, Role.CURATOR)
# Roles whose names the school doesn't keep, so the user gives and edits them.
OWN_NAME_ROLES = (Role.PARENT, Role.CURATOR)

View = Callable[..., HttpResponse]


def anonymous_only(view: View) -> View:
    """Registration is for visitors: a logged-in user is sent to their start page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            messages.info(
                request,
                "Вы уже вошли в журнал. Чтобы зарегистрировать другой аккаунт, сначала выйдите.",
            )
            return redirect("home")
        return view(request, *args, **kwargs)

    return wrapper


def _start_again(request: SchoolRequest) -> HttpResponse:
    messages.error(request, CODE_UNUSABLE)
    return redirect("accounts:hello")


@school_required
@anonymous_only
@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def hello(request: SchoolRequest) -> HttpResponse:
    """ "Регистрация": the invitation code, from the form or from the printed QR code."""
    if request.method == "POST":
        form = HelloForm(request.POST)
        if form.is_valid():
            try:
                registration_start(
                    request.session,
                    school=request.school,
                    code=form.cleaned_data["code"],
                    client_address=client_address(request),
                )
            except ValidationError as refusal:
                form.add_error("code", refusal)
            else:
                return redirect("accounts:register")
    else:
        form = HelloForm(initial={"code": request.GET.get("code", "")[:64]})
    response = render(request, "accounts/hello.html", {"form": form})
    # The page may carry the code in its address (?code=): the requests it makes (styles,
    # scripts, links, the form) send only the origin as Referer. Not "no-referrer": with it
    # browsers send "Origin: null" on the form's POST, which the CSRF check refuses.
    response["Referrer-Policy"] = "strict-origin"
    return response


@school_required
@anonymous_only
@never_cache
@sensitive_post_parameters("password", "password2", "extra_codes")
@require_http_methods(["GET", "POST"])
def register(request: SchoolRequest) -> HttpResponse:
    """The second step: login, password, contact details; for parents, more children."""
    try:
        registrant = registration_state(request.session, school=request.school)
    except InvitationUnusable:
        return _start_again(request)
    if registrant is None:
        return redirect("accounts:hello")
    address = client_address(request)
    if request.method != "POST":
        form = RegisterForm(school=request.school, registrant=registrant, address=address)
        return _register_page(request, form, add_field=False)

    form = RegisterForm(request.POST, school=request.school, registrant=registrant, address=address)
    if "add_code" in request.POST:
        # Without JavaScript, "У меня есть еще один пригласительный код" submits the form:
        # check the codes typed so far and show one more field.
        form.is_valid()
        for name in list(form.errors):
            if name != "extra_codes":
                del form.errors[name]
        return _register_page(request, form, add_field=True)
    if form.is_valid():
        data = form.cleaned_data
        try:
            registration_complete(
                request.session,
                school=request.school,
                registrant=registrant,
                children=form.checked_children,
                login=data["login"],
                password=data["password"],
                email=data.get("email", ""),
                last_name=data.get("last_name", ""),
                first_name=data.get("first_name", ""),
                middle_name=data.get("middle_name", ""),
            )
        except InvitationUnusable:
            return _start_again(request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("accounts:registered")
    return _register_page(request, form, add_field=False)


def _register_page(request: SchoolRequest, form: RegisterForm, *, add_field: bool) -> HttpResponse:
    inputs = form.extra_code_inputs()
    if add_field and len(inputs) < MAX_EXTRA_CODES:
        inputs.append({"number": len(inputs) + 2, "value": ""})
    context = {
        "form": form,
        "registrant": registrant_for_template(form.registrant),
        "extra_inputs": inputs,
        "can_add_code": len(inputs) < MAX_EXTRA_CODES,
        "max_extra_codes": MAX_EXTRA_CODES,
    }
    return render(request, "accounts/register.html", context)


def registrant_for_template(registrant: Registrant) -> dict[str, Any]:
    role = registrant.role
    return {
        "role": role,
        "role_label": role.label,
        "is_parent": role == Role.PARENT,
        "names_from_school": registrant.names_from_school,
        "full_name": " ".join(n for n in registrant.names if n),
        "birth_date": registrant.birth_date,
        "class_label": registrant.invitation.class_label,
    }


@school_required
@anonymous_only
@never_cache
@require_http_methods(["GET"])
def registered(request: SchoolRequest) -> HttpResponse:
    """ "Регистрация в системе успешно завершена" and an invitation to log in."""
    done = registration_done(request.session)
    return render(request, "accounts/registered.html", {"done": done})


@role_required(*SCHOOL_ROLES)
@never_cache
@require_http_methods(["GET", "POST"])
def profile(request: SchoolRequest) -> HttpResponse:
    """The user's own page: login, role, name, email and its status; a parent's children;
    the apps logged in with a token ("Приложения и устройства")."""
    user = request.user
    names_editable = user.role in OWN_NAME_ROLES
    form = None
    if names_editable:
        before = {
            "last_name": user.last_name,
            "first_name": user.first_name,
            "middle_name": user.middle_name,
        }
        form = NamesForm(request.POST or None, instance=user)
        if request.method == "POST" and form.is_valid():
            if form.has_changed():
                form.save()
                audit_record(
                    school=request.school,
                    actor=user,
                    action=AuditAction.PROFILE_UPDATED,
                    target=user,
                    before=before,
                    after={name: form.cleaned_data[name] for name in before},
                )
            messages.success(request, "Данные сохранены.")
            return redirect("accounts:profile")
    elif request.method == "POST":
        return HttpResponse(status=405)

    person: Any = None
    if user.role == Role.STUDENT:
        person = getattr(user, "student", None)
    elif user.role == Role.TEACHER:
        person = getattr(user, "teacher", None)
    context = {
        "form": form,
        "person": person,
        "children": list(parent_children(user)) if user.role == Role.PARENT else [],
        "api_tokens": list(api_tokens_for_user(user)),
    }
    return render(request, "accounts/profile.html", context)


@role_required(Role.PARENT)
@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def child_add(request: SchoolRequest) -> HttpResponse:
    """ "Добавить ребёнка по пригласительному коду"."""
    form = ChildAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            student = child_add_flow(
                school=request.school,
                parent=request.user,
                code=form.cleaned_data["code"],
                client_address=client_address(request),
            )
        except ValidationError as refusal:
            form.add_error("code", refusal)
        else:
            messages.success(
                request,
                f"{student.short_name} ({student.school_class.label}) — в списке ваших детей.",
            )
            return redirect("accounts:profile")
    return render(request, "accounts/child_add.html", {"form": form})


@role_required(*SCHOOL_ROLES)
@require_http_methods(["POST"])
def api_token_revoke_view(request: SchoolRequest, token_id: int) -> HttpResponse:
    """ "Отозвать": the app logged in with this token must log in again."""
    token = access_api_token(user=request.user, token_id=token_id)
    api_token_revoke(token=token, actor=request.user)
    messages.success(request, f"Доступ приложения «{token.device}» отозван.")
    return redirect("accounts:profile")
