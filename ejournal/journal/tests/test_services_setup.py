"""Setting up the year: bells, holidays, groups, assignments, timetable, and lessons from it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.core.testing.factories import StudentFactory, SubjectFactory
from ejournal.core.testing.journal_factories import (
    AttendanceFactory,
    GroupFactory,
    HolidayFactory,
    LessonFactory,
    MarkFactory,
)
from ejournal.journal.access import JournalAccessError
from ejournal.journal.models import Bell, GroupMembership, Holiday, Lesson, LessonStatus
from ejournal.journal.services import (
    assignment_create,
    bells_set,
    bells_set_default,
    group_create,
    group_members_set,
    holiday_create,
    holiday_delete,
    homework_set,
    lesson_update,
    lessons_generate,
    timetable_entry_set,
)
from ejournal.schools.selectors import current_year

pytestmark = pytest.mark.django_db


def test_default_bells_are_seven_lessons_from_half_past_eight_and_setting_them_again_replaces(
    school,
):
    bells_set_default(school=school)
    bells_set_default(school=school)
    bells = list(Bell.objects.filter(school=school).order_by("number"))
    assert [b.number for b in bells] == [1, 2, 3, 4, 5, 6, 7]
    assert (bells[0].starts_at, bells[0].ends_at) == (dt.time(8, 30), dt.time(9, 15))
    assert bells[1].starts_at == dt.time(9, 25)


def test_bells_that_overlap_are_refused(school):
    with pytest.raises(ValidationError, match="начинается раньше"):
        bells_set(
            school=school,
            times=[(dt.time(8, 30), dt.time(9, 15)), (dt.time(9, 0), dt.time(9, 45))],
            actor=None,
        )


def test_the_curator_sets_up_the_year_and_a_teacher_or_another_schools_curator_may_not(
    school, curator, other_curator, petrov
):
    bells_set_default(school=school, actor=curator)
    for actor in (petrov.user, other_curator):
        with pytest.raises(JournalAccessError):
            bells_set_default(school=school, actor=actor)


def test_a_holiday_must_lie_within_the_school_year(school):
    year = current_year(school=school)
    added = holiday_create(
        school=school,
        year=year,
        name="Осенние каникулы",
        starts_on=dt.date(2026, 10, 27),
        ends_on=dt.date(2026, 11, 4),
        actor=None,
    )
    assert added.holiday.name == "Осенние каникулы"
    with pytest.raises(ValidationError, match="внутри учебного года"):
        holiday_create(
            school=school,
            year=year,
            name="Лето",
            starts_on=dt.date(2027, 6, 1),
            ends_on=dt.date(2027, 8, 31),
            actor=None,
        )


def test_a_group_holds_students_of_its_class_only(class_6a, class_6b, nikolaev, ershova, borisov):
    english = SubjectFactory(school=class_6a.school, name="Английский язык")
    group = group_create(
        school_class=class_6a, subject=english, name="1 группа", students=[nikolaev], actor=None
    )
    group_members_set(group=group, students=[ershova], actor=None)
    assert list(GroupMembership.objects.values_list("student_id", flat=True)) == [ershova.pk]
    with pytest.raises(ValidationError, match="не учится в классе 6А"):
        group_members_set(group=group, students=[borisov], actor=None)
    with pytest.raises(ValidationError, match="уже есть"):
        group_create(school_class=class_6a, subject=english, name="1 группа", actor=None)


def test_an_assignment_is_refused_twice_and_for_another_classs_group(
    school, class_6a, class_6b, math, petrov
):
    with pytest.raises(ValidationError, match="уже ведёт"):
        assignment_create(
            school=school, teacher=petrov, school_class=class_6a, subject=math, actor=None
        )
    group_6b = GroupFactory(school_class=class_6b, subject=math)
    with pytest.raises(ValidationError, match="не группа этого класса"):
        assignment_create(
            school=school,
            teacher=petrov,
            school_class=class_6a,
            subject=math,
            group=group_6b,
            actor=None,
        )


def test_a_timetable_slot_is_replaced_and_a_teacher_cannot_be_in_two_classes_at_once(
    bells, class_6a, class_6b, math, russian, petrov, ivanova
):
    def put(school_class, subject, teacher, group=None):
        return timetable_entry_set(
            school_class=school_class,
            weekday=1,
            number=1,
            subject=subject,
            teacher=teacher,
            group=group,
            room="12",
            actor=None,
        )

    first = put(class_6a, math, petrov)
    second = put(class_6a, russian, ivanova)
    assert second.pk == first.pk
    assert second.subject == russian
    with pytest.raises(ValidationError, match="Иванова Мария Петровна в это время ведёт урок в 6А"):
        put(class_6b, math, ivanova)
    group = GroupFactory(school_class=class_6a, subject=math)
    with pytest.raises(ValidationError, match="уже стоит другой урок"):
        put(class_6a, math, petrov, group)


def test_a_timetable_lesson_number_needs_a_bell(class_6a, math, petrov):
    with pytest.raises(ValidationError, match="нет урока 9"):
        timetable_entry_set(
            school_class=class_6a, weekday=1, number=9, subject=math, teacher=petrov, actor=None
        )


@pytest.fixture
def week_of_timetable(bells, class_6a, math, russian, petrov, ivanova):
    """Математика on Monday and Thursday, Русский язык on Tuesday, at lesson 1."""
    for weekday, subject, teacher in ((1, math, petrov), (4, math, petrov), (2, russian, ivanova)):
        timetable_entry_set(
            school_class=class_6a,
            weekday=weekday,
            number=1,
            subject=subject,
            teacher=teacher,
            actor=None,
        )


def test_lessons_are_generated_on_timetable_days_and_not_on_holidays(
    school, class_6a, week_of_timetable
):
    HolidayFactory(
        school=school,
        name="День народного единства",
        starts_on=dt.date(2026, 11, 2),
        ends_on=dt.date(2026, 11, 4),
    )
    made = lessons_generate(school=school, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 14))
    dates = sorted(Lesson.objects.values_list("date", flat=True))
    # Sunday 1 has no lessons and Monday 2 to Wednesday 4 are the holiday.
    assert dates == [dt.date(2026, 11, d) for d in (5, 9, 10, 12)]
    assert made == 4


def test_generation_is_idempotent_and_leaves_edited_and_cancelled_lessons_alone(
    school, class_6a, week_of_timetable, petrov
):
    start, end = dt.date(2026, 11, 9), dt.date(2026, 11, 15)
    assert lessons_generate(school=school, start=start, end=end, school_class=class_6a) == 3
    monday = Lesson.objects.get(date=start)
    lesson_update(lesson=monday, actor=petrov.user, topic="Дроби", status=LessonStatus.CANCELLED)
    assert lessons_generate(school=school, start=start, end=end) == 0
    assert Lesson.objects.count() == 3
    monday.refresh_from_db()
    assert (monday.topic, monday.status) == ("Дроби", LessonStatus.CANCELLED)


def test_generation_stays_within_the_school_year(school, class_6a, week_of_timetable):
    made = lessons_generate(school=school, start=dt.date(2026, 8, 20), end=dt.date(2026, 9, 6))
    # The year starts on Tuesday 1 September: Tue 1, Thu 3.
    assert made == 2
    assert min(Lesson.objects.values_list("date", flat=True)) == dt.date(2026, 9, 1)


def test_generated_group_lessons_carry_their_group_and_teacher(
    school, bells, class_6a, petrov, ivanova, nikolaev
):
    english = SubjectFactory(school=school, name="Английский язык")
    one = GroupFactory(school_class=class_6a, subject=english, name="1 группа", members=[nikolaev])
    two = GroupFactory(school_class=class_6a, subject=english, name="2 группа")
    for group, teacher in ((one, petrov), (two, ivanova)):
        timetable_entry_set(
            school_class=class_6a,
            weekday=3,
            number=4,
            subject=english,
            teacher=teacher,
            group=group,
            actor=None,
        )
    made = lessons_generate(school=school, start=dt.date(2026, 11, 25), end=dt.date(2026, 12, 1))
    assert made == 2
    assert set(Lesson.objects.values_list("group__name", "teacher_id")) == {
        ("1 группа", petrov.pk),
        ("2 группа", ivanova.pk),
    }


def test_generating_for_a_student_free_class_makes_nothing_for_other_classes(
    school, class_6a, class_6b, week_of_timetable
):
    StudentFactory(school_class=class_6b)
    made = lessons_generate(
        school=school, start=dt.date(2026, 11, 9), end=dt.date(2026, 11, 15), school_class=class_6b
    )
    assert made == 0


# Holidays and the lessons already made for their days


@pytest.fixture
def quarantine_week(school, class_6a, class_6b, math, petrov, nikolaev, bells):
    """Lessons of 6А from Tuesday 24 November to Tuesday 1 December (today is Thursday 26th):
    a past one with a mark, a past one with attendance, one cancelled by hand, two planned
    ahead, 6А's lessons just outside those days, and 6Б's Monday lesson."""

    def lesson(day, number=1, school_class=class_6a, **fields):
        return LessonFactory(
            school_class=school_class,
            subject=math,
            teacher=petrov,
            date=dt.date(2026, *day),
            number=number,
            **fields,
        )

    lessons = {
        "marked": lesson((11, 24)),
        "attended": lesson((11, 25)),
        "by_hand": lesson((11, 25), number=2, status=LessonStatus.CANCELLED),
        "monday": lesson((11, 30)),
        "tuesday": lesson((12, 1)),
        "before": lesson((11, 23)),
        "after": lesson((12, 2)),
        "other_class": lesson((11, 30), school_class=class_6b),
    }
    MarkFactory(lesson=lessons["marked"], student=nikolaev, value=4)
    AttendanceFactory(lesson=lessons["attended"], student=nikolaev)
    return lessons


def _state(lessons):
    for lesson in lessons.values():
        lesson.refresh_from_db()
    return {
        name: (lesson.status, lesson.cancelled_by.name if lesson.cancelled_by else None)
        for name, lesson in lessons.items()
    }


def _quarantine(school, actor, *, starts_on=dt.date(2026, 11, 24), ends_on=dt.date(2026, 12, 1)):
    return holiday_create(
        school=school,
        year=current_year(school=school),
        name="Карантин",
        starts_on=starts_on,
        ends_on=ends_on,
        actor=actor,
    )


PLANNED, CANCELLED = LessonStatus.PLANNED, LessonStatus.CANCELLED


def test_a_holiday_cancels_the_lessons_of_its_days_but_not_those_with_marks_or_attendance(
    school, curator, quarantine_week
):
    added = _quarantine(school, curator)

    assert (added.cancelled, added.kept) == (3, 2)
    assert _state(quarantine_week) == {
        "marked": (PLANNED, None),
        "attended": (PLANNED, None),
        "by_hand": (CANCELLED, None),
        "monday": (CANCELLED, "Карантин"),
        "tuesday": (CANCELLED, "Карантин"),
        "before": (PLANNED, None),
        "after": (PLANNED, None),
        "other_class": (CANCELLED, "Карантин"),
    }
    assert quarantine_week["marked"].marks.get().value == 4
    event = AuditEvent.objects.get(action=AuditAction.HOLIDAY_CREATED)
    assert (event.actor, event.target_type, event.target_id) == (
        curator,
        "holiday",
        added.holiday.pk,
    )
    assert event.after == {
        "name": "Карантин",
        "kind": "vacation",
        "starts_on": "2026-11-24",
        "ends_on": "2026-12-01",
        "lessons_cancelled": 3,
        "lessons_kept": 2,
    }


def test_deleting_a_holiday_plans_again_the_lessons_it_cancelled_and_only_those(
    school, curator, quarantine_week
):
    holiday = _quarantine(school, curator).holiday
    holiday_id = holiday.pk

    replanned = holiday_delete(holiday=holiday, actor=curator)

    assert replanned == 3
    assert not Holiday.objects.filter(pk=holiday_id).exists()
    assert _state(quarantine_week) == {
        "marked": (PLANNED, None),
        "attended": (PLANNED, None),
        "by_hand": (CANCELLED, None),
        "monday": (PLANNED, None),
        "tuesday": (PLANNED, None),
        "before": (PLANNED, None),
        "after": (PLANNED, None),
        "other_class": (PLANNED, None),
    }
    event = AuditEvent.objects.get(action=AuditAction.HOLIDAY_DELETED)
    assert (event.actor, event.target_type, event.target_id) == (curator, "holiday", holiday_id)
    assert event.before == {
        "name": "Карантин",
        "kind": "vacation",
        "starts_on": "2026-11-24",
        "ends_on": "2026-12-01",
    }
    assert event.after == {"lessons_replanned": 3}


def test_a_lesson_restored_then_cancelled_by_hand_stays_cancelled_when_the_holiday_goes(
    school, curator, quarantine_week, petrov
):
    holiday = _quarantine(school, curator).holiday
    monday = quarantine_week["monday"]
    monday.refresh_from_db()
    lesson_update(lesson=monday, actor=curator, status=LessonStatus.PLANNED)
    monday.refresh_from_db()
    lesson_update(lesson=monday, actor=curator, status=LessonStatus.CANCELLED)

    holiday_delete(holiday=holiday, actor=curator)

    assert _state(quarantine_week)["monday"] == (CANCELLED, None)


def test_deleting_a_holiday_gives_homework_left_without_a_lesson_one_again(
    school, curator, class_6a, math, petrov, bells
):
    """Homework set before a holiday that cancelled every later lesson waits "Без срока";
    once the holiday is deleted, it is due at the first lesson planned again."""
    friday = LessonFactory(
        school_class=class_6a, subject=math, teacher=petrov, date=dt.date(2026, 11, 20)
    )
    monday = LessonFactory(
        school_class=class_6a, subject=math, teacher=petrov, date=dt.date(2026, 11, 30)
    )
    homework = homework_set(lesson=friday, actor=petrov.user, text="№ 5")
    holiday = _quarantine(school, curator).holiday
    homework.refresh_from_db()
    assert homework.due_lesson is None

    holiday_delete(holiday=holiday, actor=curator)

    homework.refresh_from_db()
    assert homework.due_lesson == monday


def test_a_lesson_another_holiday_still_covers_stays_cancelled_by_that_one(
    school, curator, quarantine_week
):
    first = _quarantine(school, curator).holiday
    holiday_create(
        school=school,
        year=current_year(school=school),
        name="Методический день",
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 1),
        kind="holiday",
        actor=curator,
    )

    assert holiday_delete(holiday=first, actor=curator) == 2
    state = _state(quarantine_week)
    assert (state["monday"], state["tuesday"]) == (
        (PLANNED, None),
        (CANCELLED, "Методический день"),
    )


def test_a_holiday_made_before_the_lessons_cancels_nothing_and_lessons_skip_it(
    school, class_6a, math, petrov, bells
):
    timetable_entry_set(
        school_class=class_6a, weekday=1, number=1, subject=math, teacher=petrov, actor=None
    )
    added = _quarantine(
        school, None, starts_on=dt.date(2026, 11, 30), ends_on=dt.date(2026, 11, 30)
    )
    made = lessons_generate(school=school, start=dt.date(2026, 11, 30), end=dt.date(2026, 12, 7))

    assert (added.cancelled, added.kept, made) == (0, 0, 1)
    assert list(Lesson.objects.values_list("date", flat=True)) == [dt.date(2026, 12, 7)]


def test_only_the_curator_or_a_command_deletes_a_holiday(school, quarantine_week, petrov):
    holiday = _quarantine(school, None).holiday
    with pytest.raises(JournalAccessError):
        holiday_delete(holiday=holiday, actor=petrov.user)
    assert Holiday.objects.filter(pk=holiday.pk).exists()
    assert _state(quarantine_week)["monday"] == (CANCELLED, "Карантин")
