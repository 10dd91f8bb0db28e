"""Holidays (vacations and public holidays), set up by the curator or a command (actor=None),
and what they do to lessons already made for their days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from ejournal.accounts.models import User
from ejournal.audit.models import AuditAction
from ejournal.audit.services import audit_record
from ejournal.core.freshness import journal_changed
from ejournal.schools.models import AcademicYear, School, SchoolClass

from ..models import Attendance, Holiday, HolidayKind, Lesson, LessonStatus, Mark
from ._common import require_curator_or_system
from .homework import homework_move_off, homework_schedule_waiting


@dataclass(frozen=True)
class HolidayAdded:
    holiday: Holiday
    cancelled: int  # lessons already made for its days, now cancelled
    kept: int  # lessons of its days with marks or attendance: they took place, left as they are


def _holiday_state(holiday: Holiday) -> dict[str, Any]:
    return {
        "name": holiday.name,
        "kind": holiday.kind,
        "starts_on": holiday.starts_on.isoformat(),
        "ends_on": holiday.ends_on.isoformat(),
    }


def _lessons_on(holiday: Holiday) -> QuerySet[Lesson]:
    """The lessons made for the holiday's days, in the classes of its year."""
    return Lesson.objects.filter(
        school_id=holiday.school_id,
        school_class__year_id=holiday.year_id,
        date__gte=holiday.starts_on,
        date__lte=holiday.ends_on,
    )


def holiday_create(
    *,
    school: School,
    year: AcademicYear,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    kind: str = HolidayKind.VACATION,
    actor: User | None,
) -> HolidayAdded:
    """Days without lessons within the school year; audited.

    `lessons_generate` makes no lessons there from now on, and the planned lessons already
    made for those days are cancelled by it (`Lesson.cancelled_by`, so that deleting the
    holiday plans them again). A lesson that already has marks or attendance took place: it
    stays as it is, with its marks, and is counted as kept.
    """
    require_curator_or_system(actor, school)
    if year.school_id != school.pk:
        raise ValidationError("Учебный год другой школы.")
    if starts_on < year.starts_on or ends_on > year.ends_on:
        raise ValidationError(f"Даты должны быть внутри учебного года {year}.")
    holiday = Holiday(
        school=school, year=year, name=name.strip(), starts_on=starts_on, ends_on=ends_on, kind=kind
    )
    with transaction.atomic():
        holiday.full_clean()
        holiday.save()
        planned = _lessons_on(holiday).filter(status=LessonStatus.PLANNED)
        took_place = planned.filter(
            Exists(Mark.objects.filter(school_id=school.pk, lesson=OuterRef("pk")))
            | Exists(Attendance.objects.filter(school_id=school.pk, lesson=OuterRef("pk")))
        )
        kept = took_place.count()
        cancelled = planned.exclude(pk__in=took_place.values("pk")).update(
            status=LessonStatus.CANCELLED, cancelled_by=holiday, updated_at=timezone.now()
        )
        journal_changed(school_id=school.pk)  # update() sends no signal
        homework_move_off(school=school, lessons=holiday.cancelled_lessons.all(), actor=actor)
        audit_record(
            school=school,
            actor=actor,
            action=AuditAction.HOLIDAY_CREATED,
            target=holiday,
            after={**_holiday_state(holiday), "lessons_cancelled": cancelled, "lessons_kept": kept},
        )
    return HolidayAdded(holiday=holiday, cancelled=cancelled, kept=kept)


def holiday_delete(*, holiday: Holiday, actor: User | None) -> int:
    """Remove the holiday; audited. The lessons it cancelled are planned again, except where
    another holiday still covers their day (that one now holds them); lessons cancelled by
    hand stay cancelled. Days that never had lessons get none here: "Создать уроки" makes
    them. Returns how many lessons were planned again."""
    require_curator_or_system(actor, holiday.school)
    with transaction.atomic():
        now = timezone.now()
        held = holiday.cancelled_lessons.filter(
            school_id=holiday.school_id, status=LessonStatus.CANCELLED
        )
        overlapping = Holiday.objects.filter(
            school_id=holiday.school_id,
            year_id=holiday.year_id,
            starts_on__lte=holiday.ends_on,
            ends_on__gte=holiday.starts_on,
        ).exclude(pk=holiday.pk)
        for other in overlapping:
            held.filter(date__gte=other.starts_on, date__lte=other.ends_on).update(
                cancelled_by=other, updated_at=now
            )
        replanned = held.update(status=LessonStatus.PLANNED, cancelled_by=None, updated_at=now)
        journal_changed(school_id=holiday.school_id)  # update() sends no signal
        # Homework left without a lesson to be due at may have one again.
        homework_schedule_waiting(
            school=holiday.school,
            classes=list(
                SchoolClass.objects.filter(school_id=holiday.school_id, year_id=holiday.year_id)
            ),
        )
        audit_record(
            school=holiday.school,
            actor=actor,
            action=AuditAction.HOLIDAY_DELETED,
            target=holiday,
            before=_holiday_state(holiday),
            after={"lessons_replanned": replanned},
        )
        holiday.delete()
    return replanned
