"""factory_boy factories for the journal: groups, assignments, timetable, lessons, marks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from ejournal.accounts.models import User
from ejournal.journal.models import (
    Attendance,
    AttendanceStatus,
    FinalMark,
    Group,
    GroupMembership,
    Holiday,
    HolidayKind,
    Homework,
    Lesson,
    Mark,
    Remark,
    TeachingAssignment,
    TimetableEntry,
)
from ejournal.schools.models import Guardianship, School, Student, Teacher
from ejournal.schools.roles import Role

from .factories import SchoolClassFactory, SubjectFactory, TeacherFactory, UserFactory


def teacher_with_account(school: School, login: str, **names: Any) -> Teacher:
    """A teacher record with a teacher's account linked to it."""
    user = UserFactory(school=school, role=Role.TEACHER, login=login)
    return TeacherFactory(school=school, user=user, **names)


def parent_of(*students: Student, login: str) -> User:
    """A parent account linked by guardianship to each of the students."""
    school = students[0].school
    parent = UserFactory(school=school, role=Role.PARENT, login=login)
    for student in students:
        Guardianship.objects.create(school=school, parent=parent, student=student)
    return parent


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        skip_postgeneration_save = True

    school_class = factory.SubFactory(SchoolClassFactory)
    school = factory.LazyAttribute(lambda o: o.school_class.school)
    subject = factory.SubFactory(SubjectFactory, school=factory.SelfAttribute("..school"))
    name = factory.Sequence(lambda n: f"{n + 1} группа")

    @factory.post_generation
    def members(self, create: bool, extracted: list[Student] | None, **kwargs: Any) -> None:
        if create and extracted:
            GroupMembership.objects.bulk_create(
                GroupMembership(school_id=self.school_id, group=self, student=s) for s in extracted
            )


class TeachingAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeachingAssignment

    school_class = factory.SubFactory(SchoolClassFactory)
    school = factory.LazyAttribute(lambda o: o.school_class.school)
    teacher = factory.SubFactory(TeacherFactory, school=factory.SelfAttribute("..school"))
    subject = factory.SubFactory(SubjectFactory, school=factory.SelfAttribute("..school"))
    group = None


class TimetableEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimetableEntry

    school_class = factory.SubFactory(SchoolClassFactory)
    school = factory.LazyAttribute(lambda o: o.school_class.school)
    weekday = 1
    number = 1
    subject = factory.SubFactory(SubjectFactory, school=factory.SelfAttribute("..school"))
    teacher = factory.SubFactory(TeacherFactory, school=factory.SelfAttribute("..school"))
    group = None
    room = "201"


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    school_class = factory.SubFactory(SchoolClassFactory)
    school = factory.LazyAttribute(lambda o: o.school_class.school)
    subject = factory.SubFactory(SubjectFactory, school=factory.SelfAttribute("..school"))
    teacher = factory.SubFactory(TeacherFactory, school=factory.SelfAttribute("..school"))
    group = None
    date = factory.LazyAttribute(lambda o: o.school_class.year.starts_on)
    number = factory.Sequence(lambda n: n % 7 + 1)
    room = "201"


class HomeworkFactory(factory.django.DjangoModelFactory):
    """Homework set at `lesson`; due at `due_lesson` (give it: the factory does not apply the
    rule, services.homework_set does)."""

    class Meta:
        model = Homework

    lesson = factory.SubFactory(LessonFactory)
    school = factory.LazyAttribute(lambda o: o.lesson.school)
    due_lesson = None
    text = "№ 1, 2"


class MarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mark

    lesson = factory.SubFactory(LessonFactory)
    school = factory.LazyAttribute(lambda o: o.lesson.school)
    student = factory.SubFactory(
        "ejournal.core.testing.factories.StudentFactory",
        school_class=factory.SelfAttribute("..lesson.school_class"),
    )
    value = 5
    weight = 1


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    lesson = factory.SubFactory(LessonFactory)
    school = factory.LazyAttribute(lambda o: o.lesson.school)
    student = factory.SubFactory(
        "ejournal.core.testing.factories.StudentFactory",
        school_class=factory.SelfAttribute("..lesson.school_class"),
    )
    status = AttendanceStatus.ABSENT


class FinalMarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinalMark

    student = factory.SubFactory("ejournal.core.testing.factories.StudentFactory")
    school = factory.LazyAttribute(lambda o: o.student.school)
    subject = factory.SubFactory(SubjectFactory, school=factory.SelfAttribute("..school"))
    period = factory.LazyAttribute(lambda o: o.student.school_class.year.periods.get(number=1))
    value = 5


class HolidayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Holiday

    year = factory.LazyAttribute(lambda o: o.school.years.latest("starts_on"))
    kind = HolidayKind.VACATION
    name = "Осенние каникулы"
    starts_on = dt.date(2026, 10, 27)
    ends_on = dt.date(2026, 11, 4)


class RemarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Remark

    student = factory.SubFactory("ejournal.core.testing.factories.StudentFactory")
    school = factory.LazyAttribute(lambda o: o.student.school)
    text = "Забыл тетрадь."
