"""The curator's invitations page and the downloads that carry the plain codes.

A plain code exists only in the response that issues it, so issuing and rendering the file
share one transaction: if the file can't be made, no code is left issued (or revoked).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ejournal.core.http import SchoolRequest, curator_required
from ejournal.core.plural import count_ru
from ejournal.schools.access import access_class_param, access_student, access_teacher
from ejournal.schools.forms import post_data
from ejournal.schools.models import School, Student
from ejournal.schools.roles import Role
from ejournal.schools.selectors import current_year

from .cards import invitations_csv
from .forms import IssueForm
from .pdf import invitations_pdf
from .selectors import invitation_overview
from .services import (
    REISSUABLE_ROLES,
    IssuedInvitation,
    invitation_reissue,
    invitations_issue,
    nothing_to_issue_message,
)


def _download(
    *, school: School, issued: list[IssuedInvitation], fmt: str, role: Role, label: str
) -> HttpResponse:
    """The file as an attachment: `invitations-6А-parent-2026-11-26.pdf`."""
    today = school.today()
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


@curator_required
@require_http_methods(["GET", "POST"])
@never_cache
def issue(request: SchoolRequest) -> HttpResponse:
    """ "Пригласительные коды": the form that issues a class's codes and answers with the file,
    above the counts of codes per class. `?class=ID` (the class page's link) preselects the
    class."""
    school = request.school
    year = current_year(school=school)
    preselected = access_class_param(school=school, value=request.GET.get("class"))
    form = IssueForm(
        post_data(request),
        school=school,
        year=year,
        initial={"school_class": preselected.pk if preselected else None},
    )
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
                return _download(
                    school=school,
                    issued=issued,
                    fmt=form.cleaned_data["format"],
                    role=role,
                    label=school_class.label if school_class else "",
                )
        notice = nothing_to_issue_message(role, school_class)
    days = settings.EJOURNAL_INVITATION_DAYS
    context = {
        "form": form,
        "notice": notice,
        "year": year,
        "validity": count_ru(days, "день", "дня", "дней"),
        "overview": invitation_overview(school=school, year=year),
    }
    return render(request, "invitations/issue.html", context)


# What the confirmation page of a reissue says, by role: its title and whose codes stop working.
_REISSUE_TITLES = {
    Role.STUDENT: ("Новый код ученика", "ученика"),
    Role.PARENT: ("Новые коды родителей", "родителей"),
    Role.TEACHER: ("Новый код учителя", "учителя"),
}


@curator_required
@require_http_methods(["GET", "POST"])
@never_cache
def reissue(request: SchoolRequest, role: str, person_id: int) -> HttpResponse:
    """A lost paper: new codes for one student, their parents or one teacher, as a PDF; the
    person's earlier unused codes of that role stop working.

    GET asks first (the buttons in every row of a class are one click away from voiding a
    printed code); only the POST of that page, which carries `confirmed`, reissues. A POST
    without it (an old page) changes nothing and is sent to the question.
    """
    if role not in REISSUABLE_ROLES:
        raise Http404
    school = request.school
    # Someone who left is found, so that the service can say why no code is issued.
    person = (
        access_teacher(school=school, teacher_id=person_id, include_archived=True)
        if role == Role.TEACHER
        else access_student(school=school, student_id=person_id, include_archived=True)
    )
    if request.method == "GET":
        title, whose = _REISSUE_TITLES[Role(role)]
        back = (
            reverse("schools:class_detail", args=[person.school_class_id])
            if isinstance(person, Student)
            else reverse("schools:teacher_list")
        )
        return render(
            request,
            "invitations/reissue_confirm.html",
            {"role": role, "person": person, "title": title, "whose": whose, "back_url": back},
        )
    if request.POST.get("confirmed") != "yes":
        return redirect("invitations:reissue", role=role, person_id=person.pk)
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
