"""The journal's audit for a class: who changed which mark, attendance or final mark, and when.

The services record these events with the student as the target and the cell's state in
`before`/`after`: lesson_id and subject_id (marks, attendance), period_id (finals) and the
values. This selector turns them into readable rows for the class teacher and the curator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.schools.models import Period, SchoolClass, Student, Subject

from ..models import AbsenceReason, AttendanceStatus, Lesson

MARK_ACTIONS = (AuditAction.MARK_SET, AuditAction.MARK_DELETED)
ATTENDANCE_ACTIONS = (AuditAction.ATTENDANCE_SET, AuditAction.ATTENDANCE_CLEARED)
FINAL_ACTIONS = (AuditAction.FINAL_MARK_SET, AuditAction.FINAL_MARK_DELETED)
JOURNAL_CELL_ACTIONS = (*MARK_ACTIONS, *ATTENDANCE_ACTIONS, *FINAL_ACTIONS)


@dataclass(frozen=True)
class JournalAuditEntry:
    event: AuditEvent  # with `actor` loaded; event.created_at is when
    kind: str  # "mark", "attendance" or "final"
    student: Student | None
    subject: Subject | None
    lesson: Lesson | None  # marks and attendance
    period: Period | None  # final marks
    before: str  # "4", "5 ×2 (устно)", "н (Болезнь)", "оп" or "" when there was none
    after: str  # likewise; "" once deleted or cleared


def _display(kind: str, state: dict[str, Any]) -> str:
    if not state:
        return ""
    if kind == "attendance":
        status = AttendanceStatus(state["status"]).label if state.get("status") else ""
        reason = state.get("reason") or ""
        return f"{status} ({AbsenceReason(reason).label})" if reason else str(status)
    text = str(state.get("value", ""))
    if state.get("weight", 1) != 1:
        text += f" ×{state['weight']}"
    if state.get("comment"):
        text += f" ({state['comment']})"
    return text


def _kind(action: str) -> str:
    if action in MARK_ACTIONS:
        return "mark"
    if action in ATTENDANCE_ACTIONS:
        return "attendance"
    return "final"


def journal_audit(
    *,
    school_class: SchoolClass,
    subject: Subject | None = None,
    student: Student | None = None,
    since: dt.date | None = None,
    limit: int = 200,
) -> list[JournalAuditEntry]:
    """The newest mark, attendance and final mark changes of the class's students (optionally
    of one subject or student, since a date): five queries whatever the number of events."""
    school_id = school_class.school_id
    class_students = Student.objects.filter(school_id=school_id, school_class=school_class)
    events_qs = AuditEvent.objects.filter(
        school_id=school_id,
        action__in=JOURNAL_CELL_ACTIONS,
        target_type="student",
        target_id__in=class_students.values("pk"),
    )
    if subject is not None:
        events_qs = events_qs.filter(
            Q(after__subject_id=subject.pk) | Q(before__subject_id=subject.pk)
        )
    if student is not None:
        events_qs = events_qs.filter(target_id=student.pk)
    if since is not None:
        events_qs = events_qs.filter(created_at__date__gte=since)
    events = list(events_qs.select_related("actor").order_by("-created_at", "-pk")[:limit])
    states = [event.after or event.before for event in events]
    students = {s.pk: s for s in class_students}
    subjects = {s.pk: s for s in Subject.objects.filter(school_id=school_id)}
    periods = {
        p.pk: p for p in Period.objects.filter(school_id=school_id, year=school_class.year_id)
    }
    lesson_ids = {state["lesson_id"] for state in states if state.get("lesson_id")}
    lessons = {
        lesson.pk: lesson
        for lesson in Lesson.objects.filter(school_id=school_id, pk__in=lesson_ids or [0])
    }
    return [
        JournalAuditEntry(
            event=event,
            kind=_kind(event.action),
            student=students.get(event.target_id or 0),
            subject=subjects.get(state.get("subject_id") or 0),
            lesson=lessons.get(state.get("lesson_id") or 0),
            period=periods.get(state.get("period_id") or 0),
            before=_display(_kind(event.action), event.before),
            after=_display(_kind(event.action), event.after),
        )
        for event, state in zip(events, states, strict=True)
    ]
