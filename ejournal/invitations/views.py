"""The curator's invitations page and the downloads that carry the plain codes.

A plain code exists only in the response that issues it, so issuing and rendering the file
share one transaction: if the file can't be made, no code is left issued (or revoked).
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ejournal.accounts.models import Role
from ejournal.core.http import SchoolRequest, curator_required
from ejournal.schools.models import School, SchoolClass, Student
from ejournal.schools.selectors import current_year

from .access import access_student_for_school, access_teacher_for_school
from .cards import invitations_csv
from .forms import IssueForm
from .pdf import invitations_pdf
from .selectors import invitation_overview
from .services import REISSUABLE_ROLES, IssuedInvitation, invitation_reissue, invitations_issue


def _download(
    *, school: School, issued: list[IssuedInvitation], fmt: str, role: Role, label: str
) -> HttpResponse:
    """The file as an attachment: `invitations-6А-parent-2026-11-26.pdf`."""
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(school.timezone))
    filename = (
        "-".join(p for p in ("invitations", label, role.value, f"{today:%Y-%m-%d}") if p)
        + f".{fmt}"
    )
    if fmt == "csv":
        # The byte order mark makes Excel read the Cyrillic names as UTF-8.
        body = ("\ufeff" + invitations_csv(school=school, issued=issued)).encode()
        content_type = "text/csv; charset=utf-8"
    else:
        body = invitations_pdf(school=school, issued=issued)
        content_type = "application/pdf"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


def _nothing_to_issue(role: Role, school_class: SchoolClass | None) -> str:
    where = f"в классе {school_class.label}" if school_class else "в классах этого учебного года"
    if role == Role.STUDENT:
        return f"Выдавать нечего: у всех учеников {where} уже есть аккаунты."
    if role == Role.PARENT:
        return f"Выдавать нечего: {where} нет учеников."
    return "Выдавать нечего: у всех учителей уже есть аккаунты."


@curator_required
@never_cache
def issue(request: SchoolRequest) -> HttpResponse:
    """ "Пригласительные коды": the form that issues a class's codes and answers with the file,
    above the counts of codes per class."""
    school = request.school
    year = current_year(school=school)
    form = IssueForm(request.POST or None, school=school, year=year)
    notice = ""
    if request.method == "POST" and form.is_valid():
        role = Role(form.cleaned_data["role"])
        school_class = form.cleaned_data["school_class"]
        with transaction.atomic():
            issued = invitations_issue(
                school=school,
                role=role,
                actor=request.user,
                school_class=school_class,
                revoke_previous=form.cleaned_data["revoke_previous"],
            )
            if issued:
                label = ""
                if role in (Role.STUDENT, Role.PARENT):
                    label = school_class.label if school_class else "all"
                return _download(
                    school=school,
                    issued=issued,
                    fmt=form.cleaned_data["format"],
                    role=role,
                    label=label,
                )
        notice = _nothing_to_issue(role, school_class)
    context = {
        "form": form,
        "notice": notice,
        "year": year,
        "days": settings.EJOURNAL_INVITATION_DAYS,
        "overview": invitation_overview(school=school, year=year),
    }
    return render(request, "invitations/issue.html", context)


@curator_required
@require_POST
@never_cache
def reissue(request: SchoolRequest, role: str, person_id: int) -> HttpResponse:
    """A lost paper: new codes for one student, their parents or one teacher, as a PDF; the
    person's earlier unused codes of that role stop working."""
    if role not in REISSUABLE_ROLES:
        raise Http404
    school = request.school
    person = (
        access_teacher_for_school(school=school, teacher_id=person_id)
        if role == Role.TEACHER
        else access_student_for_school(school=school, student_id=person_id)
    )
    try:
        with transaction.atomic():
            issued = invitation_reissue(
                school=school, role=Role(role), person=person, actor=request.user
            )
            label = person.school_class.label if isinstance(person, Student) else ""
            return _download(school=school, issued=issued, fmt="pdf", role=Role(role), label=label)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("invitations:issue")
