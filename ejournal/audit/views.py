"""The curator's "Журнал действий": who did what in the school, and when."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from ejournal.core.http import SchoolRequest, curator_required

from .forms import EventFilterForm
from .models import AuditEvent
from .selectors import event_changes, event_target, school_events

PAGE_SIZE = 50


@dataclass(frozen=True)
class EventRow:
    event: AuditEvent
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
            target=event_target(event),
            target_url=_target_url(event),
            changes=event_changes(event),
        )
        for event in page.object_list
    ]
    return render(
        request,
        "audit/events.html",
        {"form": form, "page": page, "rows": rows, "filtered": bool(request.GET.keys() - {"page"})},
    )


def _target_url(event: AuditEvent) -> str:
    """The page of a target that still exists in this school (its name was found)."""
    if not getattr(event, "target_name", "") or event.target_id is None:
        return ""
    if event.target_type == "user":
        return reverse("accounts:support_user", args=[event.target_id])
    if event.target_type == "schoolclass":
        return reverse("schools:class_detail", args=[event.target_id])
    return ""
