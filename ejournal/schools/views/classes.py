"""The curator's class pages: the year's classes, one class's students, creating and editing."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from ejournal.core.http import SchoolRequest, curator_required

from .. import services
from ..access import access_class
from ..forms import ClassCreateForm, ClassEditForm, post_data, submit
from ..selectors import active_teachers, class_roster, classes_for_year, current_year


@curator_required
@require_GET
def class_list(request: SchoolRequest) -> HttpResponse:
    """ "Классы": this year's classes with their class teachers and student counts."""
    year = current_year(school=request.school)
    classes = classes_for_year(school=request.school, year=year)
    return render(request, "schools/class_list.html", {"year": year, "classes": classes})


@curator_required
@require_http_methods(["GET", "POST"])
def class_create(request: SchoolRequest) -> HttpResponse:
    year = current_year(school=request.school)
    teachers = active_teachers(school=request.school)
    form = ClassCreateForm(post_data(request), teachers=teachers)
    school_class = submit(
        request,
        form,
        lambda data: services.class_create(
            school=request.school,
            year=year,
            grade=data["label"][0],
            letter=data["label"][1],
            class_teacher=data["class_teacher"],
            actor=request.user,
        ),
    )
    if school_class is not None:
        messages.success(request, f"Класс {school_class.label} создан.")
        return redirect("schools:class_detail", class_id=school_class.pk)
    return render(request, "schools/class_form.html", {"form": form, "year": year})


@curator_required
@require_GET
def class_detail(request: SchoolRequest, class_id: int) -> HttpResponse:
    """A class's active students with their account status, and the invitation buttons."""
    school_class = access_class(school=request.school, class_id=class_id)
    students = class_roster(school=request.school, school_class=school_class)
    return render(
        request, "schools/class_detail.html", {"school_class": school_class, "students": students}
    )


@curator_required
@require_http_methods(["GET", "POST"])
def class_edit(request: SchoolRequest, class_id: int) -> HttpResponse:
    """The class teacher; the label stays (a class of another label is another class)."""
    school_class = access_class(school=request.school, class_id=class_id)
    teachers = active_teachers(school=request.school)
    form = ClassEditForm(
        post_data(request),
        teachers=teachers,
        initial={"class_teacher": school_class.class_teacher_id},
    )
    updated = submit(
        request,
        form,
        lambda data: services.class_update(school_class=school_class, actor=request.user, **data),
    )
    if updated is not None:
        messages.success(request, f"Класс {school_class.label}: изменения сохранены.")
        return redirect("schools:class_detail", class_id=school_class.pk)
    return render(
        request,
        "schools/class_form.html",
        {"form": form, "school_class": school_class, "year": school_class.year},
    )
