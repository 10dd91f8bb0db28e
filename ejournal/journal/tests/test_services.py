"""Marks, attendance, finals, lesson edits, remarks and signatures: what they write, refuse and
audit."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.core.testing.factories import SubjectFactory, TeacherFactory
from ejournal.core.testing.journal_factories import GroupFactory, LessonFactory
from ejournal.journal.access import JournalAccessError, access_lesson_for_edit
from ejournal.journal.models import (
    AbsenceReason,
    Attendance,
    AttendanceStatus,
    FinalMark,
    Homework,
    LessonStatus,
    Mark,
    WeekSignature,
)
from ejournal.journal.services import (
    attendance_set,
    final_mark_set,
    homework_file_add,
    lesson_update,
    mark_delete,
    mark_set,
    remark_add,
    week_sign,
)

from .conftest import MONDAY, TODAY

pytestmark = pytest.mark.django_db


def _events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


# Marks


def test_a_mark_is_set_then_changed_and_each_change_is_audited_with_before_and_after(
    math_lesson, nikolaev, petrov
):
    mark = mark_set(lesson=math_lesson, student=nikolaev, value=4, actor=petrov.user)
    mark_set(
        lesson=math_lesson,
        student=nikolaev,
        value=5,
        weight=2,
        comment=" устно ",
        actor=petrov.user,
    )
    mark.refresh_from_db()
    assert (mark.value, mark.weight, mark.comment, mark.author) == (5, 2, "устно", petrov.user)
    created, changed = _events(AuditAction.MARK_SET)
    base = {"lesson_id": math_lesson.pk, "subject_id": math_lesson.subject_id}
    assert (created.target_type, created.target_id) == ("student", nikolaev.pk)
    assert created.before == {}
    assert created.after == {**base, "value": 4, "weight": 1, "comment": ""}
    assert changed.before == created.after
    assert changed.after == {**base, "value": 5, "weight": 2, "comment": "устно"}
    assert changed.actor == petrov.user


def test_setting_the_same_mark_again_records_nothing(math_lesson, nikolaev, petrov):
    mark_set(lesson=math_lesson, student=nikolaev, value=4, actor=petrov.user)
    mark_set(lesson=math_lesson, student=nikolaev, value=4, actor=petrov.user)
    assert len(_events(AuditAction.MARK_SET)) == 1


@pytest.mark.parametrize(
    ("value", "weight", "message"),
    [
        (6, 1, "Оценка — целое число от 1 до 5."),
        (0, 1, "Оценка — целое число от 1 до 5."),
        (5, 0, "Вес оценки — от 1 до 5."),
        (5, 6, "Вес оценки — от 1 до 5."),
    ],
)
def test_a_mark_off_the_scale_or_with_a_bad_weight_is_refused_with_the_reason(
    math_lesson, nikolaev, petrov, value, weight, message
):
    with pytest.raises(ValidationError) as refused:
        mark_set(
            lesson=math_lesson, student=nikolaev, value=value, weight=weight, actor=petrov.user
        )
    assert refused.value.messages == [message]
    assert not Mark.objects.exists()


def test_the_scale_is_the_schools(school, math_lesson, nikolaev, petrov):
    school.mark_max = 10
    school.save(update_fields=["mark_max"])
    assert mark_set(lesson=math_lesson, student=nikolaev, value=9, actor=petrov.user).value == 9


def test_a_student_of_another_class_or_who_left_gets_no_mark(
    math_lesson, borisov, nikolaev, petrov
):
    with pytest.raises(ValidationError, match=re.escape("Борисов П. не учится в классе 6А")):
        mark_set(lesson=math_lesson, student=borisov, value=5, actor=petrov.user)
    nikolaev.archived_at = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    nikolaev.save(update_fields=["archived_at"])
    with pytest.raises(ValidationError, match="не учится"):
        mark_set(lesson=math_lesson, student=nikolaev, value=5, actor=petrov.user)


def test_a_group_lesson_takes_marks_for_its_members_only(
    school, class_6a, petrov, nikolaev, ershova, bells
):
    english = SubjectFactory(school=school, name="Английский язык")
    group = GroupFactory(
        school_class=class_6a, subject=english, name="1 группа", members=[nikolaev]
    )
    lesson = LessonFactory(
        school_class=class_6a, subject=english, teacher=petrov, group=group, date=TODAY
    )
    mark_set(lesson=lesson, student=nikolaev, value=5, actor=petrov.user)
    with pytest.raises(ValidationError, match=re.escape("Ершова Д. не входит в группу «1 группа»")):
        mark_set(lesson=lesson, student=ershova, value=5, actor=petrov.user)


def test_a_cancelled_or_future_lesson_takes_no_marks(math_lesson, nikolaev, petrov):
    lesson_update(lesson=math_lesson, actor=petrov.user, status=LessonStatus.CANCELLED)
    with pytest.raises(ValidationError, match=re.escape("Урок отменён: оценка не ставится.")):
        mark_set(lesson=math_lesson, student=nikolaev, value=5, actor=petrov.user)
    future = LessonFactory(
        school_class=math_lesson.school_class,
        subject=math_lesson.subject,
        teacher=petrov,
        date=TODAY + dt.timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="Урок ещё не прошёл"):
        mark_set(lesson=future, student=nikolaev, value=5, actor=petrov.user)


def test_only_the_lessons_teachers_set_marks(
    math_lesson, nikolaev, ivanova, sidorova, curator, nikolaeva
):
    for actor in (ivanova.user, sidorova.user, curator, nikolaeva, nikolaev.user):
        with pytest.raises(JournalAccessError):
            mark_set(lesson=math_lesson, student=nikolaev, value=5, actor=actor)


def test_a_substitute_sets_marks_at_the_lesson_they_give(
    math_lesson, nikolaev, petrov, sidorova, curator
):
    lesson_update(lesson=math_lesson, actor=curator, teacher=sidorova)
    assert mark_set(lesson=math_lesson, student=nikolaev, value=3, actor=sidorova.user)
    substitution = _events(AuditAction.LESSON_UPDATED)[0]
    assert substitution.before == {"teacher_id": petrov.pk}
    assert substitution.after == {"teacher_id": sidorova.pk}


def test_deleting_a_mark_is_audited_with_what_it_was(math_lesson, nikolaev, petrov):
    mark_set(lesson=math_lesson, student=nikolaev, value=2, actor=petrov.user)
    assert mark_delete(lesson=math_lesson, student=nikolaev, actor=petrov.user) is True
    assert mark_delete(lesson=math_lesson, student=nikolaev, actor=petrov.user) is False
    (deleted,) = _events(AuditAction.MARK_DELETED)
    assert deleted.before["value"] == 2
    assert deleted.after == {}
    assert not Mark.objects.exists()


# Attendance


def test_attendance_is_set_changed_and_cleared_with_an_audit_trail(math_lesson, nikolaev, petrov):
    attendance_set(
        lesson=math_lesson, student=nikolaev, status="absent", reason="illness", actor=petrov.user
    )
    row = attendance_set(lesson=math_lesson, student=nikolaev, status="late", actor=petrov.user)
    assert (row.status, row.reason) == (AttendanceStatus.LATE, AbsenceReason.NONE)
    assert (
        attendance_set(lesson=math_lesson, student=nikolaev, status=None, actor=petrov.user) is None
    )
    assert not Attendance.objects.exists()
    first, second = _events(AuditAction.ATTENDANCE_SET)
    assert first.after["status"] == "absent"
    assert first.after["reason"] == "illness"
    assert second.before["status"] == "absent"
    assert second.after["status"] == "late"
    (event,) = _events(AuditAction.ATTENDANCE_CLEARED)
    assert event.before["status"] == "late"


def test_attendance_knows_only_absent_and_late(math_lesson, nikolaev, petrov):
    with pytest.raises(ValidationError, match="«н» или «оп»"):
        attendance_set(lesson=math_lesson, student=nikolaev, status="present", actor=petrov.user)


def test_attendance_at_a_cancelled_lesson_is_refused(math_lesson, nikolaev, petrov):
    lesson_update(lesson=math_lesson, actor=petrov.user, status=LessonStatus.CANCELLED)
    with pytest.raises(ValidationError, match="Урок отменён"):
        attendance_set(lesson=math_lesson, student=nikolaev, status="absent", actor=petrov.user)


# Final marks


def test_a_final_mark_is_set_changed_and_cleared_by_the_subjects_teacher(
    school, nikolaev, math, petrov
):
    quarter = nikolaev.school_class.year.periods.get(number=1)
    final_mark_set(student=nikolaev, subject=math, period=quarter, value=4, actor=petrov.user)
    final = final_mark_set(
        student=nikolaev, subject=math, period=quarter, value=5, actor=petrov.user
    )
    assert final.value == 5
    with pytest.raises(ValidationError, match="от 1 до 5"):
        final_mark_set(student=nikolaev, subject=math, period=quarter, value=7, actor=petrov.user)
    assert (
        final_mark_set(
            student=nikolaev, subject=math, period=quarter, value=None, actor=petrov.user
        )
        is None
    )
    assert not FinalMark.objects.exists()
    assert [e.after.get("value") for e in _events(AuditAction.FINAL_MARK_SET)] == [4, 5]
    (deleted,) = _events(AuditAction.FINAL_MARK_DELETED)
    assert deleted.before == {"subject_id": math.pk, "period_id": quarter.pk, "value": 5}


def test_only_a_teacher_of_the_class_and_subject_sets_finals(
    nikolaev, math, ivanova, sidorova, curator
):
    quarter = nikolaev.school_class.year.periods.get(number=1)
    for actor in (ivanova.user, sidorova.user, curator):
        with pytest.raises(JournalAccessError):
            final_mark_set(student=nikolaev, subject=math, period=quarter, value=5, actor=actor)


# Lessons


def test_lesson_update_changes_only_the_given_fields_and_audits_them(math_lesson, petrov):
    lesson_update(lesson=math_lesson, actor=petrov.user, topic="Дроби", homework="№ 12")
    lesson_update(lesson=math_lesson, actor=petrov.user, control_type="test")
    math_lesson.refresh_from_db()
    assert (math_lesson.topic, math_lesson.control_type) == ("Дроби", "test")
    assert Homework.objects.get(lesson=math_lesson).text == "№ 12"
    topic, homework, control = _events(AuditAction.LESSON_UPDATED)
    assert (topic.before, topic.after) == ({"topic": ""}, {"topic": "Дроби"})
    # No later lesson of the subject: no due date.
    assert homework.before == {"homework": "", "homework_due": ""}
    assert homework.after == {"homework": "№ 12", "homework_due": ""}
    assert control.after == {"control_type": "test"}


def test_the_curator_moves_and_cancels_a_lesson_but_does_not_write_its_topic(math_lesson, curator):
    lesson_update(lesson=math_lesson, actor=curator, room="305")
    with pytest.raises(JournalAccessError):
        lesson_update(lesson=math_lesson, actor=curator, topic="Дроби")


def test_a_lesson_with_marks_cannot_be_cancelled(math_lesson, nikolaev, petrov):
    mark_set(lesson=math_lesson, student=nikolaev, value=5, actor=petrov.user)
    with pytest.raises(ValidationError, match="сначала удалите"):
        lesson_update(lesson=math_lesson, actor=petrov.user, status=LessonStatus.CANCELLED)


def test_a_substitute_must_be_a_teacher_of_the_school(math_lesson, curator, other_school):
    stranger = TeacherFactory(school=other_school)
    with pytest.raises(ValidationError, match="только учитель этой школы"):
        lesson_update(lesson=math_lesson, actor=curator, teacher=stranger)


def test_homework_files_are_attached_by_the_lessons_teacher(math_lesson, petrov, ivanova):
    upload = SimpleUploadedFile("задание.pdf", b"%PDF-1.4", content_type="application/pdf")
    homework_file = homework_file_add(lesson=math_lesson, upload=upload, actor=petrov.user)
    assert homework_file.name == "задание.pdf"
    assert homework_file.file.read() == b"%PDF-1.4"
    with pytest.raises(JournalAccessError):
        homework_file_add(lesson=math_lesson, upload=upload, actor=ivanova.user)


# Remarks and signatures


def test_a_remark_is_written_by_a_teacher_of_the_class_not_by_a_parent(
    math_lesson, nikolaev, petrov, ivanova, nikolaeva, sidorova
):
    assert remark_add(student=nikolaev, text="  Забыл\n тетрадь ", actor=ivanova.user).text == (
        "Забыл тетрадь"
    )
    remark_add(student=nikolaev, text="Болтал", actor=petrov.user, lesson=math_lesson)
    for actor in (nikolaeva, sidorova.user):
        with pytest.raises(JournalAccessError):
            remark_add(student=nikolaev, text="Молодец", actor=actor)
    with pytest.raises(ValidationError, match="Напишите текст"):
        remark_add(student=nikolaev, text="  ", actor=ivanova.user)


def test_a_remark_is_audited_with_its_lesson_subject_and_text(
    math_lesson, nikolaev, petrov, ivanova
):
    remark_add(student=nikolaev, text="Болтал", actor=petrov.user, lesson=math_lesson)
    remark_add(student=nikolaev, text="Забыл тетрадь", actor=ivanova.user)

    at_lesson, without = _events(AuditAction.REMARK_ADDED)
    assert (at_lesson.actor, at_lesson.target_type, at_lesson.target_id) == (
        petrov.user,
        "student",
        nikolaev.pk,
    )
    assert at_lesson.after == {
        "lesson_id": math_lesson.pk,
        "subject_id": math_lesson.subject_id,
        "text": "Болтал",
    }
    assert (without.actor, without.before, without.after) == (
        ivanova.user,
        {},
        {"text": "Забыл тетрадь"},
    )


def test_a_refused_remark_records_nothing(nikolaev, ivanova, nikolaeva):
    with pytest.raises(ValidationError):
        remark_add(student=nikolaev, text=" ", actor=ivanova.user)
    with pytest.raises(JournalAccessError):
        remark_add(student=nikolaev, text="Молодец", actor=nikolaeva)
    assert _events(AuditAction.REMARK_ADDED) == []


def test_a_linked_parent_signs_a_week_once_and_another_family_may_not(
    nikolaev, nikolaeva, borisova
):
    first = week_sign(parent=nikolaeva, student=nikolaev, week_start=MONDAY)
    again = week_sign(parent=nikolaeva, student=nikolaev, week_start=MONDAY)
    assert first.pk == again.pk
    assert WeekSignature.objects.count() == 1
    with pytest.raises(JournalAccessError):
        week_sign(parent=borisova, student=nikolaev, week_start=MONDAY)
    with pytest.raises(ValidationError, match="с понедельника"):
        week_sign(parent=nikolaeva, student=nikolaev, week_start=TODAY)
    with pytest.raises(ValidationError, match="ещё не началась"):
        week_sign(parent=nikolaeva, student=nikolaev, week_start=MONDAY + dt.timedelta(days=7))


def test_putting_a_mark_costs_a_fixed_few_queries(
    math_lesson, nikolaev, petrov, django_assert_num_queries
):
    teacher = type(petrov.user).objects.get(pk=petrov.user.pk)
    lesson = access_lesson_for_edit(user=teacher, lesson_id=math_lesson.pk)
    # The lesson's period (closed?), savepoints, the row locked, the insert (in its own
    # savepoint), the audit event.
    with django_assert_num_queries(8):
        mark_set(lesson=lesson, student=nikolaev, value=4, actor=teacher)
    # The period, savepoints, the row locked, the update, the audit event.
    with django_assert_num_queries(6):
        mark_set(lesson=lesson, student=nikolaev, value=5, actor=teacher)
