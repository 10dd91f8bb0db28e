"""The curator's "Журнал действий": who did what in the school, and when."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ejournal.core.http import SchoolRequest, curator_required

from .forms import EventFilterForm
from .models import AuditEvent
from .selectors import (
    event_changes,
    event_label,
    event_target,
    event_target_url,
    school_events,
)

PAGE_SIZE = 50


@dataclass(frozen=True)
class EventRow:
    event: AuditEvent
    label: str
    target: str
    target_url: str
    changes: list[tuple[str, str, str]]


@curator_required
@require_GET
def events(request: SchoolRequest) -> HttpResponse:
    """The school's events, newest first, filtered by action, actor, dates and target."""
    form = EventFilterForm(request.GET)
    found = school_events(school_id=request.school.pk, filters=form.filters())
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        EventRow(
            event=event,
            label=event_label(event),
            target=event_target(event),
            target_url=event_target_url(event),
            changes=event_changes(event),
        )
        for event in page.object_list
    ]
    return render(
        request,
        "audit/events.html",
        {"form": form, "page": page, "rows": rows, "filtered": bool(request.GET.keys() - {"page"})},
    )
