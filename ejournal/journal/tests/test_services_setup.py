"""Setting up the year: bells, holidays, groups, assignments, timetable, and lessons from it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ejournal.core.testing.factories import StudentFactory, SubjectFactory
from ejournal.core.testing.journal_factories import GroupFactory, HolidayFactory
from ejournal.journal.access import JournalAccessError
from ejournal.journal.models import Bell, GroupMembership, Lesson, LessonStatus
from ejournal.journal.services import (
    assignment_create,
    bells_set,
    bells_set_default,
    group_create,
    group_members_set,
    holiday_create,
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
    holiday = holiday_create(
        school=school,
        year=year,
        name="Осенние каникулы",
        starts_on=dt.date(2026, 10, 27),
        ends_on=dt.date(2026, 11, 4),
        actor=None,
    )
    assert holiday.name == "Осенние каникулы"
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
