"""`cell_set`: what a cell of the journal (a mark and an attendance) holds after a change, for
the grid and the API alike. Each rule once; the grid's view tests check the same through HTTP."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.journal.models import (
    AbsenceReason,
    Attendance,
    AttendanceStatus,
    ControlType,
    Mark,
)
from ejournal.journal.services import attendance_set, cell_set, mark_default_weight, mark_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def cell(math_lesson, nikolaev, petrov):
    return {"lesson": math_lesson, "student": nikolaev, "actor": petrov.user}


def _held(lesson, student):
    mark = Mark.objects.filter(lesson=lesson, student=student).first()
    attendance = Attendance.objects.filter(lesson=lesson, student=student).first()
    return (
        (mark.value, mark.weight, mark.comment) if mark else None,
        (attendance.status, attendance.reason) if attendance else None,
    )


def test_a_mark_without_a_weight_has_the_lessons_default_twice_at_a_control_work(
    cell, math_lesson, nikolaev
):
    assert mark_default_weight(math_lesson) == 1
    assert cell_set(**cell, mark=4).mark.weight == 1
    math_lesson.control_type = ControlType.TEST
    math_lesson.save()
    assert mark_default_weight(math_lesson) == 2
    assert cell_set(**cell, mark=5).mark.weight == 2


def test_mark_set_without_a_weight_also_counts_a_control_work_twice(math_lesson, nikolaev, petrov):
    math_lesson.control_type = ControlType.TEST
    math_lesson.save()
    mark = mark_set(lesson=math_lesson, student=nikolaev, value=5, actor=petrov.user)
    assert mark.weight == 2


def test_a_given_weight_wins_and_a_mark_retyped_without_one_gets_the_default_again(
    cell, math_lesson, nikolaev
):
    cell_set(**cell, mark=5, weight=3)
    assert _held(math_lesson, nikolaev)[0] == (5, 3, "")
    cell_set(**cell, mark=4)
    assert _held(math_lesson, nikolaev)[0] == (4, 1, "")


def test_a_comment_not_given_is_kept_and_an_empty_one_clears_it(cell, math_lesson, nikolaev):
    cell_set(**cell, mark=5, comment="устно")
    cell_set(**cell, mark=4)
    assert _held(math_lesson, nikolaev)[0] == (4, 1, "устно")
    cell_set(**cell, mark=4, comment="")
    assert _held(math_lesson, nikolaev)[0] == (4, 1, "")


def test_a_reason_not_given_is_kept_and_a_given_one_replaces_it(cell, math_lesson, nikolaev):
    cell_set(**cell, status=AttendanceStatus.ABSENT, reason=AbsenceReason.ILLNESS)
    cell_set(**cell, status=AttendanceStatus.LATE)
    assert _held(math_lesson, nikolaev)[1] == (AttendanceStatus.LATE, AbsenceReason.ILLNESS)
    cell_set(**cell, status=AttendanceStatus.LATE, reason=AbsenceReason.UNEXCUSED)
    assert _held(math_lesson, nikolaev)[1] == (AttendanceStatus.LATE, AbsenceReason.UNEXCUSED)


def test_a_part_not_given_is_kept_and_none_deletes_it_audited(cell, math_lesson, nikolaev):
    cell_set(**cell, mark=4, status=AttendanceStatus.LATE)
    kept = cell_set(**cell, mark=5)
    assert (kept.mark.value, kept.attendance.status) == (5, AttendanceStatus.LATE)
    kept = cell_set(**cell, status=None)
    assert (kept.mark.value, kept.attendance) == (5, None)
    assert cell_set(**cell, mark=None) == cell_set(**cell)
    assert _held(math_lesson, nikolaev) == (None, None)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {AuditAction.MARK_DELETED, AuditAction.ATTENDANCE_CLEARED} <= actions


def test_clearing_an_empty_cell_writes_and_records_nothing(cell):
    result = cell_set(**cell, mark=None, status=None)
    assert (result.mark, result.attendance) == (None, None)
    assert not AuditEvent.objects.exists()


def test_a_refused_part_writes_neither(cell, math_lesson, nikolaev):
    attendance_set(**cell, status=AttendanceStatus.ABSENT)
    with pytest.raises(ValidationError) as caught:
        cell_set(**cell, mark=5, status="sick")
    assert caught.value.message_dict == {"status": ["Отметка о посещаемости: «н» или «оп»."]}
    assert _held(math_lesson, nikolaev) == (None, (AttendanceStatus.ABSENT, ""))
    assert not AuditEvent.objects.filter(action=AuditAction.MARK_SET).exists()


def test_the_cell_is_the_outermost_transaction(cell):
    """Front ends call it as it is; a caller's transaction around it is a mistake."""
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        cell_set(**cell, mark=5)
