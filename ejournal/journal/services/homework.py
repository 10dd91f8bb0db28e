"""Homework: set at a lesson with its text and files, due at a later lesson (the rule is
selectors.homework's). Every change is audited on the lesson it was set at.

- No later lesson (the end of the year, or lessons not made yet): the homework has no due
  lesson and the diary shows it under the lesson it was set at; `lessons_generate` gives it
  the next lesson once one is made.
- Its due lesson is cancelled: it moves to the next lesson after that one (or to none), and
  stays there if the lesson is restored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from ejournal.accounts.models import User
from ejournal.audit.models import AuditAction
from ejournal.audit.services import audit_record, audit_record_many
from ejournal.core.freshness import journal_changed
from ejournal.schools.models import School, SchoolClass

from ..models import HOMEWORK_TEXT_MAX, Homework, HomeworkFile, Lesson
from ..selectors.homework import default_due_lesson, due_lesson_on, due_lessons
from ._common import require_lesson_editor

HOMEWORK_FILE_MAX_BYTES = 10 * 1024 * 1024
HOMEWORK_FILES_PER_LESSON = 10


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else ""


def _due_text(due: Lesson | None) -> str:
    return _iso(due.date if due is not None else None)


def _audit(
    lesson: Lesson, actor: User | None, before: dict[str, Any], after: dict[str, Any]
) -> None:
    audit_record(
        school=lesson.school,
        actor=actor,
        action=AuditAction.LESSON_UPDATED,
        target=lesson,
        before=before,
        after=after,
    )


def _state(homework: Homework | None) -> dict[str, str]:
    if homework is None:
        return {"homework": "", "homework_due": ""}
    return {"homework": homework.text, "homework_due": _due_text(homework.due_lesson)}


def _due_lesson(lesson: Lesson, due_on: dt.date | None) -> Lesson | None:
    if due_on is None:
        return default_due_lesson(lesson=lesson)
    due = due_lesson_on(lesson=lesson, day=due_on)
    if due is None:
        raise ValidationError(
            {
                "homework_due": f"{due_on:%d.%m.%Y} после этого урока нет урока"
                f" «{lesson.subject.name}» у {lesson.school_class.label}: выберите другой день."
            }
        )
    return due


def _locked(lesson: Lesson) -> Homework | None:
    """The lesson's homework, locked for this transaction. The lesson's row is locked first:
    when there is no homework yet there is no row to lock, and two saves at once (a double
    click, two tabs) would both insert it."""
    Lesson.objects.select_for_update().filter(school_id=lesson.school_id, pk=lesson.pk).first()
    return (
        Homework.objects.select_for_update(of=("self",))
        .select_related("due_lesson")
        .filter(school_id=lesson.school_id, lesson=lesson)
        .first()
    )


def homework_set(
    *, lesson: Lesson, actor: User, text: str, due_on: dt.date | None = None
) -> Homework | None:
    """Set the homework of the lesson: its text and the date of the lesson it is due at
    (None: the next lesson). Empty text without files removes it (and returns None)."""
    require_lesson_editor(actor, lesson)
    text = text.strip()
    if len(text) > HOMEWORK_TEXT_MAX:
        raise ValidationError(
            {"homework": f"Домашнее задание длиннее {HOMEWORK_TEXT_MAX} знаков: сократите его."}
        )
    with transaction.atomic():
        homework = _locked(lesson)
        before = _state(homework)
        if not text and (homework is None or not homework.files.exists()):
            if homework is not None:
                homework.delete()
                _audit(lesson, actor, before, _state(None))
            return None
        due = _due_lesson(lesson, due_on)
        if homework is None:
            homework = Homework(school_id=lesson.school_id, lesson=lesson)
        homework.text, homework.due_lesson = text, due
        homework.full_clean(exclude=["school", "lesson", "due_lesson"], validate_constraints=False)
        homework.save()
        if _state(homework) != before:
            _audit(lesson, actor, before, _state(homework))
    return homework


def homework_file_add(
    *, lesson: Lesson, upload: File[Any], actor: User, name: str = ""
) -> HomeworkFile:
    """Attach a file to the lesson's homework (made, due at the next lesson, if there is none
    yet): up to 10 files of 10 MB each."""
    require_lesson_editor(actor, lesson)
    if upload.size is not None and upload.size > HOMEWORK_FILE_MAX_BYTES:
        raise ValidationError({"file": "Файл больше 10 МБ."})
    display = (name or upload.name or "файл").strip().rsplit("/", 1)[-1][:255]
    with transaction.atomic():
        homework = _locked(lesson)
        if homework is None:
            homework = Homework.objects.create(
                school_id=lesson.school_id,
                lesson=lesson,
                due_lesson=default_due_lesson(lesson=lesson),
            )
        count = HomeworkFile.objects.filter(school_id=lesson.school_id, homework=homework).count()
        if count >= HOMEWORK_FILES_PER_LESSON:
            raise ValidationError(
                {"file": f"К уроку можно приложить не больше {HOMEWORK_FILES_PER_LESSON} файлов."}
            )
        homework_file = HomeworkFile(school_id=lesson.school_id, homework=homework, name=display)
        homework_file.file.save(display, upload, save=False)
        homework_file.full_clean(exclude=["school", "homework"], validate_constraints=False)
        homework_file.save()
        _audit(lesson, actor, {}, {"homework_file": display})
    return homework_file


def homework_file_delete(*, homework_file: HomeworkFile, lesson: Lesson, actor: User) -> None:
    """Remove a file of the homework set at `lesson` (the homework too, if nothing is left)."""
    require_lesson_editor(actor, lesson)
    with transaction.atomic():
        homework = _locked(lesson)
        if homework is None or homework_file.homework_id != homework.pk:
            raise ValidationError("Этого файла у домашнего задания урока нет.")
        homework_file.delete()
        if not homework.text and not homework.files.exists():
            homework.delete()
        _audit(lesson, actor, {"homework_file": homework_file.name}, {})
        transaction.on_commit(lambda: homework_file.file.delete(save=False))


def homework_move_off(*, school: School, lessons: QuerySet[Lesson], actor: User | None) -> int:
    """The lessons are cancelled: homework due at one of them is due at the next lesson after
    it (or, with none, waits without one). Call inside the cancelling transaction, once the
    lessons are cancelled. A fixed number of queries however many move (a quarantine of the
    whole school); each move is audited on the lesson the homework was set at. Returns how
    many moved."""
    after_cancelled = due_lessons(
        school_id=OuterRef("school_id"),
        school_class_id=OuterRef("lesson__school_class_id"),
        subject_id=OuterRef("lesson__subject_id"),
        group_id=OuterRef("lesson__group_id"),
        after=OuterRef("due_lesson__date"),
    )
    moving = list(
        Homework.objects.select_for_update(of=("self",))
        .filter(school=school, due_lesson__in=lessons)
        .select_related("lesson", "due_lesson")
        .annotate(
            next_due=Subquery(after_cancelled.values("pk")[:1]),
            next_due_on=Subquery(after_cancelled.values("date")[:1]),
        )
    )
    changes = []
    now = timezone.now()
    for homework in moving:
        before = _state(homework)
        homework.due_lesson_id, homework.updated_at = homework.next_due, now
        after = {**before, "homework_due": _iso(homework.next_due_on)}
        changes.append((homework.lesson, before, after))
    Homework.objects.bulk_update(moving, ["due_lesson", "updated_at"], batch_size=500)
    journal_changed(school_id=school.pk)  # bulk_update sends no signal
    audit_record_many(
        school=school, actor=actor, action=AuditAction.LESSON_UPDATED, changes=changes
    )
    return len(moving)


def homework_schedule_waiting(*, school: School, classes: list[SchoolClass]) -> int:
    """Homework of these classes without a due lesson gets the next lesson, if one exists now
    (after `lessons_generate` made more). Two queries; returns how many were scheduled."""
    waiting = list(
        Homework.objects.filter(
            school=school, due_lesson__isnull=True, lesson__school_class__in=classes
        )
        .annotate(
            next_due=Subquery(
                due_lessons(
                    school_id=OuterRef("school_id"),
                    school_class_id=OuterRef("lesson__school_class_id"),
                    subject_id=OuterRef("lesson__subject_id"),
                    group_id=OuterRef("lesson__group_id"),
                    after=OuterRef("lesson__date"),
                ).values("pk")[:1]
            )
        )
        .exclude(next_due=None)
    )
    for homework in waiting:
        homework.due_lesson_id = homework.next_due
    Homework.objects.bulk_update(waiting, ["due_lesson"], batch_size=500)
    journal_changed(school_id=school.pk)  # bulk_update sends no signal
    return len(waiting)
