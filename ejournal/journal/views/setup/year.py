"""The school-wide set-up pages: the index, bells, holidays, making lessons from the timetable."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ejournal.core.http import SchoolRequest, curator_required
from ejournal.schools.forms import post_data, submit
from ejournal.schools.selectors import current_year, period_current, year_classes, year_periods

from ... import services
from ...forms.setup import BellsForm, HolidayDeleteForm, HolidayForm, LessonsGenerateForm
from ...selectors.setup import school_bells, year_holidays
from ...services.holidays import HolidayAdded


@curator_required
@require_GET
def index(request: SchoolRequest) -> HttpResponse:
    """ "Расписание": the set-up pages, and the year's classes with a link to each one's week."""
    year = current_year(school=request.school)
    classes = year_classes(school=request.school, year=year)
    return render(request, "journal/setup_index.html", {"year": year, "classes": classes})


@curator_required
@require_http_methods(["GET", "POST"])
def bells(request: SchoolRequest) -> HttpResponse:
    """ "Звонки": every lesson's start and end in one form, or the default schedule."""
    if request.method == "POST" and "default" in request.POST:
        services.bells_set_default(school=request.school, actor=request.user)
        messages.success(request, "Установлено расписание звонков по умолчанию.")
        return redirect("setup:bells")
    current = school_bells(school=request.school)
    initial = {}
    for bell in current:
        initial[f"start_{bell.number}"] = bell.starts_at
        initial[f"end_{bell.number}"] = bell.ends_at
    form = BellsForm(post_data(request), initial=initial)
    saved = submit(
        request,
        form,
        lambda data: services.bells_set(
            school=request.school, times=data["times"], actor=request.user
        ),
    )
    if saved is not None:
        messages.success(request, f"Расписание звонков сохранено: уроков — {len(saved)}.")
        return redirect("setup:bells")
    return render(request, "journal/setup_bells.html", {"form": form, "bells": current})


@curator_required
@require_http_methods(["GET", "POST"])
def holidays(request: SchoolRequest) -> HttpResponse:
    """ "Каникулы и праздники" of the current year: the list, each with a delete button, and a
    form to add one."""
    year = current_year(school=request.school)
    form = HolidayForm(post_data(request))
    added = submit(
        request,
        form,
        lambda data: services.holiday_create(
            school=request.school, year=year, actor=request.user, **data
        ),
    )
    if added is not None:
        messages.success(request, _added_message(added))
        return redirect("setup:holidays")
    return render(
        request,
        "journal/setup_holidays.html",
        {"form": form, "year": year, "holidays": year_holidays(school=request.school, year=year)},
    )


def _added_message(added: HolidayAdded) -> str:
    """ "Добавлено: Карантин. Отменено уроков: 12. Уроки с оценками или отметками о
    посещаемости остались: 2." (the counts only when there are any)."""
    parts = [f"Добавлено: {added.holiday.name}."]
    if added.cancelled:
        parts.append(f"Отменено уроков: {added.cancelled}.")
    if added.kept:
        parts.append(f"Уроки с оценками или отметками о посещаемости остались: {added.kept}.")
    return " ".join(parts)


@curator_required
@require_POST
def holiday_delete(request: SchoolRequest) -> HttpResponse:
    """Delete one of the year's holidays; the lessons it cancelled are planned again."""
    year = current_year(school=request.school)
    form = HolidayDeleteForm(request.POST, holidays=year_holidays(school=request.school, year=year))
    if not form.is_valid():
        messages.error(request, "Таких каникул или праздника нет: возможно, их уже удалили.")
        return redirect("setup:holidays")
    holiday = form.cleaned_data["holiday"]
    replanned = services.holiday_delete(holiday=holiday, actor=request.user)
    again = f" Снова по расписанию уроков: {replanned}." if replanned else ""
    messages.success(request, f"Удалено: {holiday.name}.{again}")
    return redirect("setup:holidays")


@curator_required
@require_http_methods(["GET", "POST"])
def lessons_generate(request: SchoolRequest) -> HttpResponse:
    """ "Создать уроки": the timetable's lessons for a range of dates (by default from today to
    the end of the current period), for one class or all. Lessons that exist are kept."""
    year = current_year(school=request.school)
    today = request.school.today()
    period = period_current(periods=year_periods(year=year), day=today)
    end = period.ends_on if period is not None and period.ends_on >= today else year.ends_on
    form = LessonsGenerateForm(
        post_data(request),
        classes=year_classes(school=request.school, year=year),
        initial={"starts_on": today, "ends_on": end},
    )
    made = submit(
        request,
        form,
        lambda data: services.lessons_generate(
            school=request.school,
            start=data["starts_on"],
            end=data["ends_on"],
            school_class=data["school_class"],
            actor=request.user,
        ),
    )
    if made is not None:
        data = form.cleaned_data
        whom = data["school_class"].label if data["school_class"] else "всех классов"
        messages.success(
            request,
            f"Создано уроков: {made} ({whom}, {data['starts_on']:%d.%m.%Y}–"
            f"{data['ends_on']:%d.%m.%Y}).",
        )
        return redirect("setup:lessons_generate")
    return render(request, "journal/setup_lessons.html", {"form": form, "year": year})
