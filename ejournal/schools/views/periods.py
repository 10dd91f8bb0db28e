"""The curator closes and reopens periods: the year's periods with their state (on the
settings page), and a confirmation page for each change (GET), the change itself on POST."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ejournal.core.http import SchoolRequest, curator_required

from .. import services
from ..access import access_period
from ..models import Period, School
from ..selectors import period_is_closed


@dataclass(frozen=True)
class PeriodRow:
    period: Period
    closed: bool
    closes_on: dt.date | None  # the day the school's rule closes it; None without a rule


def period_rows(school: School, periods: Iterable[Period]) -> list[PeriodRow]:
    return [
        PeriodRow(
            period=period,
            closed=period_is_closed(period=period, school=school),
            closes_on=period.auto_closes_on(school.close_periods_after_days),
        )
        for period in periods
    ]


@curator_required
@require_http_methods(["GET", "POST"])
def period_close(request: SchoolRequest, period_id: int) -> HttpResponse:
    """ "Закрыть период": teachers can no longer change its marks, attendance and finals."""
    return _period_change(request, period_id, close=True)


@curator_required
@require_http_methods(["GET", "POST"])
def period_reopen(request: SchoolRequest, period_id: int) -> HttpResponse:
    """ "Открыть период": its marks can be changed again, whatever the school's rule says."""
    return _period_change(request, period_id, close=False)


def _period_change(request: SchoolRequest, period_id: int, *, close: bool) -> HttpResponse:
    period = access_period(school=request.school, period_id=period_id)
    errors: list[str] = []
    if request.method == "POST":
        change = services.period_close if close else services.period_reopen
        try:
            change(school=request.school, period=period, actor=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            done = "закрыт" if close else "открыт"
            messages.success(request, f"Период «{period}» {done}.")
            return redirect("schools:school_settings")
    if close:
        heading = f"Закрыть период «{period}»?"
        consequences = (
            "Учителя не смогут ставить, менять и стирать оценки, отметки о посещаемости и "
            "итоговые оценки за этот период; журнал покажет, что период закрыт. Темы уроков и "
            "домашние задания менять можно. Открыть его снова можно в настройках школы."
        )
    else:
        heading = f"Открыть период «{period}» снова?"
        consequences = (
            "Учителя снова смогут менять оценки, посещаемость и итоговые оценки за этот период. "
            "Период останется открытым, даже когда по правилу школы он уже закрылся бы, "
            "пока вы не закроете его снова."
        )
    return render(
        request,
        "schools/period_confirm.html",
        {
            "period": period,
            "heading": heading,
            "consequences": consequences,
            "button": "Закрыть период" if close else "Открыть период",
            "cancel_url": reverse("schools:school_settings"),
            "errors": errors,
        },
    )
