"""seed_demo builds the named cast and generated schools, and running it again changes nothing."""

import datetime as dt
import zoneinfo
from collections import Counter
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import F
from django.test import Client

from ejournal.accounts.models import User
from ejournal.demo.seed import CAST, DEMO_PASSWORD, PARENT, STUDENT
from ejournal.journal.models import (
    Attendance,
    FinalMark,
    Homework,
    Lesson,
    Mark,
    Remark,
    TeachingAssignment,
    TimetableEntry,
)
from ejournal.schools.models import Guardianship, School, SchoolClass, Student, Teacher
from ejournal.schools.roles import Role
from ejournal.schools.selectors import period_is_closed

pytestmark = pytest.mark.django_db

# The journal's demo data runs from 1 September to today: a fixed today keeps it the same.
TODAY = dt.date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _school_day():
    moscow = zoneinfo.ZoneInfo("Europe/Moscow")
    with time_machine.travel(dt.datetime(2026, 11, 26, 10, 0, tzinfo=moscow), tick=True):
        yield


def _counts() -> dict[str, int]:
    return {
        "schools": School.objects.count(),
        "classes": SchoolClass.objects.count(),
        "students": Student.objects.count(),
        "teachers": Teacher.objects.count(),
        "users": User.objects.count(),
        "guardianships": Guardianship.objects.count(),
        "assignments": TeachingAssignment.objects.count(),
        "timetable": TimetableEntry.objects.count(),
        "lessons": Lesson.objects.count(),
        "marks": Mark.objects.count(),
        "attendance": Attendance.objects.count(),
        "finals": FinalMark.objects.count(),
        "remarks": Remark.objects.count(),
    }


def test_demo_seed_builds_the_named_cast_and_is_idempotent():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == first
    assert "Школа №1399" in out.getvalue()
    school = School.objects.get(number="1399")
    assert {u.login for u in User.objects.filter(school=school)} == {m.login for m in CAST}
    assert first["classes"] == 5


def test_the_demo_parent_has_two_children_in_different_classes_and_one_is_the_demo_student():
    call_command("seed_demo", stdout=StringIO())
    parent = User.objects.get(login=PARENT.login)
    children = Student.objects.filter(guardianships__parent=parent).select_related("school_class")
    assert len({c.school_class.label for c in children}) == 2
    assert User.objects.get(login=STUDENT.login).student in children


def test_the_demo_class_teacher_leads_6a():
    call_command("seed_demo", stdout=StringIO())
    six_a = SchoolClass.objects.get(grade=6, letter="А")
    assert six_a.class_teacher.user.login == "ivanova"


def test_demo_curator_logs_in_with_the_printed_password():
    call_command("seed_demo", stdout=StringIO())
    client = Client(HTTP_HOST="1399.testserver.local")
    response = client.post("/login/", {"username": "kurator", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(login="kurator").role == Role.CURATOR


def test_school_size_seeds_about_a_thousand_students_in_33_classes():
    out = StringIO()
    call_command("seed_demo", "--size", "school", stdout=out)
    school = School.objects.get(number="1399")
    assert SchoolClass.objects.filter(school=school).count() == 33
    assert 990 <= Student.objects.filter(school=school).count() <= 1000
    assert "11В" in out.getvalue()


def test_demo_welcome_prints_the_address_logins_and_fresh_codes(settings):
    settings.EJOURNAL_BASE_DOMAIN = "localhost:8000"
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("demo_welcome", "--school", "1399", stdout=out)
    text = out.getvalue()
    assert "http://1399.localhost:8000/" in text
    assert all(member.login in text for member in CAST)
    assert text.count("/hello?code=") == 3


def test_the_demo_parents_children_have_marks_homework_and_absences_this_year():
    call_command("seed_demo", stdout=StringIO())
    parent = User.objects.get(login=PARENT.login)
    children = Student.objects.filter(guardianships__parent=parent)
    start = dt.date(2026, 9, 1)
    for child in children:
        lessons = Lesson.objects.for_student(child).filter(date__gte=start, date__lt=TODAY)
        homework = Homework.objects.filter(lesson__in=lessons)
        assert homework.count() > 50, child
        # Due at a later lesson of the same subject (none only at the end of what is made).
        due = homework.filter(
            due_lesson__date__gt=F("lesson__date"), due_lesson__subject=F("lesson__subject")
        )
        assert due.count() == homework.count(), child
        marks = Mark.objects.filter(student=child, lesson__date__gte=start)
        assert marks.count() > 30, child
        assert {m.value for m in marks} >= {3, 4, 5}
        assert marks.filter(weight=2).exists()
        assert Attendance.objects.filter(student=child, lesson__date__gte=start).exists(), child
        # The first quarter is over: its final marks are out.
        assert FinalMark.objects.filter(student=child, period__number=1).count() >= 8
    # Today's lessons are left for the teacher to fill in.
    assert not Mark.objects.filter(lesson__date=TODAY).exists()
    assert Lesson.objects.filter(date=TODAY, school_class__grade=6).exists()
    assert Remark.objects.filter(student__user__login=STUDENT.login).count() == 2


def test_the_named_teachers_teach_their_classes_and_the_timetable_has_no_clashes():
    call_command("seed_demo", stdout=StringIO())
    taught = set(
        TeachingAssignment.objects.filter(
            teacher__user__login__in=["petrov", "ivanova"]
        ).values_list("teacher__user__login", "school_class__grade", "subject__name")
    )
    assert taught == {
        ("ivanova", 6, "Русский язык"),
        ("ivanova", 6, "Литература"),
        ("petrov", 6, "Математика"),
        ("petrov", 9, "Алгебра"),
    }
    slots = list(TimetableEntry.objects.values_list("teacher_id", "weekday", "number"))
    assert len(slots) == len(set(slots))
    english = TimetableEntry.objects.filter(subject__name="Английский язык")
    assert set(english.values_list("group__name", flat=True)) == {"1 группа", "2 группа"}
    per_day = Counter(
        TimetableEntry.objects.filter(group__isnull=True).values_list("school_class_id", "weekday")
    )
    assert max(per_day.values()) <= 7


def test_in_the_demo_the_first_quarter_is_closed_and_the_second_open():
    """The demo school closes each period ten days after it ends, so the teacher meets a
    closed quarter (ended 25 October) next to the open one of today (26 November)."""
    call_command("seed_demo", stdout=StringIO())
    school = School.objects.get(number="1399")
    quarters = {p.number: p for p in school.years.get().periods.all()}

    assert school.close_periods_after_days == 10
    assert period_is_closed(period=quarters[1], school=school)
    assert not period_is_closed(period=quarters[2], school=school)
