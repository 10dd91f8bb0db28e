"""The curator's roster import: upload and check a file, look at the preview, apply it."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ejournal.core.http import SchoolRequest, curator_required
from ejournal.core.uploads import limit_upload, upload_limit

from ..roster.access import access_roster_import
from ..roster.forms import RosterUploadForm
from ..roster.rows import RosterCheck
from ..roster.services import (
    RosterRejected,
    roster_apply,
    roster_import_check,
    roster_import_create,
)

# The pages list this many rows and errors at most, and say how many there are in all.
ROWS_SHOWN = 300
ERRORS_SHOWN = 500


@curator_required
@require_http_methods(["GET", "POST"])
@limit_upload(lambda: settings.EJOURNAL_ROSTER_MAX_BYTES)
def roster_import(request: SchoolRequest) -> HttpResponse:
    """The upload form; a file with errors comes back with the list of them and nothing stored;
    a file over the limit is stopped while it streams in (413)."""
    limit = upload_limit(request)
    form = RosterUploadForm()
    check: RosterCheck | None = None
    if request.method == "POST":
        form = RosterUploadForm(request.POST, request.FILES, upload_stopped=limit.exceeded)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                stored = roster_import_create(
                    school=request.school,
                    actor=request.user,
                    filename=upload.name or "roster",
                    content=upload.read(),
                )
            except RosterRejected as rejected:
                check = rejected.check
            else:
                return redirect("schools:roster_preview", import_id=stored.pk)
    return render(
        request,
        "schools/roster_import.html",
        {
            "form": form,
            "check": check,
            "errors_shown": check.errors[:ERRORS_SHOWN] if check else [],
        },
        status=413 if limit.exceeded else 200,
    )


@curator_required
@require_http_methods(["GET", "POST"])
def roster_preview(request: SchoolRequest, import_id: int) -> HttpResponse:
    """What the checked file will do; POST applies it."""
    stored = access_roster_import(school=request.school, import_id=import_id)
    if stored.applied_at is not None:
        applied_at = timezone.localtime(stored.applied_at)
        messages.info(
            request, f"Список «{stored.filename}» уже загружен {applied_at:%d.%m.%Y в %H:%M}."
        )
        return redirect("schools:roster_import")
    if request.method == "POST":
        try:
            summary = roster_apply(roster_import=stored, actor=request.user)
        except RosterRejected as rejected:
            first = rejected.errors[0]
            reason = first.message if first.line is None else "Ошибки перечислены ниже."
            messages.error(request, f"Список не загружен, ничего не изменилось. {reason}")
            return redirect("schools:roster_preview", import_id=stored.pk)
        messages.success(request, f"Список «{stored.filename}» загружен. {summary.describe()}")
        return redirect("schools:class_list")
    check = roster_import_check(roster_import=stored)
    notes = {skipped.row.line: f"пропущен: {skipped.reason}" for skipped in check.skipped}
    notes.update(
        (moved.row.line, f"переводится из {moved.from_label}, {moved.from_year}")
        for moved in check.to_move
    )
    return render(
        request,
        "schools/roster_preview.html",
        {
            "roster_import": stored,
            "check": check,
            "rows_shown": [(row, notes.get(row.line, "")) for row in check.rows[:ROWS_SHOWN]],
            "moved_shown": check.to_move[:ROWS_SHOWN],
            "skipped_shown": check.skipped[:ROWS_SHOWN],
            "errors_shown": check.errors[:ERRORS_SHOWN],
        },
    )
