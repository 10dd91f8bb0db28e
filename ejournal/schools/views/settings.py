"""The curator's "Настройки школы": name, division of the year, mark scale, closing periods;
and the current year's periods with their state."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ejournal.core.http import SchoolRequest, curator_required

from .. import services
from ..forms import SchoolSettingsForm, post_data, submit
from ..models import Period, School
from ..selectors import current_year
from .periods import period_rows


@curator_required
@require_http_methods(["GET", "POST"])
def school_settings(request: SchoolRequest) -> HttpResponse:
    """The settings form, and the current year's periods with their dates and state (open or
    closed, with the buttons to close or reopen each)."""
    # A copy for the service: a refused change must not leak into the page's header.
    school = School.objects.get(pk=request.school.pk)
    form = SchoolSettingsForm(
        post_data(request),
        initial={
            "name": school.name,
            "period_kind": school.period_kind,
            "mark_min": school.mark_min,
            "mark_max": school.mark_max,
            "close_periods_after_days": school.close_periods_after_days,
        },
    )
    updated = submit(
        request,
        form,
        lambda data: services.school_settings_update(school=school, actor=request.user, **data),
    )
    if updated is not None:
        messages.success(request, "Настройки школы сохранены.")
        return redirect("schools:school_settings")
    year = current_year(school=request.school)
    periods = Period.objects.filter(school=request.school, year=year).order_by("number")
    return render(
        request,
        "schools/school_settings.html",
        {"form": form, "year": year, "periods": period_rows(request.school, periods)},
    )
