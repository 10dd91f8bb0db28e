"""seed_demo --until fills the journal up to a day and no later; the rows it loads keep the
journal's rules; the loader writes the same rows on SQLite (bulk_create) and on PostgreSQL
(COPY), which CI runs the suite against."""

import datetime as dt
import zoneinfo
from collections import Counter
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import F, Q

from ejournal.core.testing.factories import StudentFactory
from ejournal.core.testing.journal_factories import LessonFactory
from ejournal.demo.bulk import bulk_load
from ejournal.journal.dates import week_start_of
from ejournal.journal.models import (
    Attendance,
    FinalMark,
    GroupMembership,
    Homework,
    Lesson,
    Mark,
)
from ejournal.journal.selectors.homework import default_due_lesson
from ejournal.journal.services import lessons_generate
from ejournal.schools.models import School

pytestmark = pytest.mark.django_db

UNTIL = dt.date(2026, 10, 15)  # a Thursday of the first quarter; the demo's today is later


@pytest.fixture(autouse=True)
def _school_day():
    moscow = zoneinfo.ZoneInfo("Europe/Moscow")
    with time_machine.travel(dt.datetime(2026, 11, 26, 10, 0, tzinfo=moscow), tick=True):
        yield


def _seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    models = {"lessons": Lesson, "marks": Mark, "attendance": Attendance, "homework": Homework}
    return {
        **{name: model.objects.count() for name, model in models.items()},
        "finals": FinalMark.objects.count(),
        "topics": Lesson.objects.exclude(topic="").count(),
    }


def test_until_fills_the_journal_up_to_that_day_and_no_later():
    text = _seed("--until", UNTIL.isoformat())
    assert Mark.objects.filter(lesson__date__lt=UNTIL).count() > 1000
    assert not Mark.objects.filter(lesson__date__gte=UNTIL).exists()
    assert not Attendance.objects.filter(lesson__date__gte=UNTIL).exists()
    assert not Lesson.objects.filter(date__gte=UNTIL).exclude(topic="").exists()
    assert not Lesson.objects.filter(date__lt=UNTIL, topic="").exists()
    # The day's own lessons have their homework (given during the lesson), later ones none.
    assert Homework.objects.filter(lesson__date=UNTIL).exists()
    assert not Homework.objects.filter(lesson__date__gt=UNTIL).exists()
    # The diary's next week has its lessons; nothing beyond it is made.
    last = Lesson.objects.latest("date").date
    assert UNTIL < last <= week_start_of(UNTIL) + dt.timedelta(days=13)
    # No quarter had ended by 15 October: no final marks yet.
    assert FinalMark.objects.count() == 0
    assert "Оценки: +" in text


def test_until_then_today_adds_the_days_between_and_a_rerun_adds_nothing():
    _seed("--until", UNTIL.isoformat())
    early = _counts()
    _seed()
    later = _counts()
    assert later["marks"] > early["marks"]
    assert later["finals"] > 0  # the first quarter ended on 25 October
    assert not Lesson.objects.filter(date__lt=dt.date(2026, 11, 26), topic="").exists()
    _seed()
    assert _counts() == later


def test_a_rerun_with_the_same_until_changes_nothing():
    _seed("--until", UNTIL.isoformat())
    first = _counts()
    _seed("--until", UNTIL.isoformat())
    assert _counts() == first


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("2026-13-01", "не дата"),
        ("20261015", "не дата"),
        ("15.10.2026", "не дата"),
        ("2025-10-15", "вне учебного года школы №1399: с 01.09.2026 по 31.05.2027"),
        ("2027-06-01", "вне учебного года"),
    ],
)
def test_a_bad_until_is_refused_with_a_message_and_nothing_is_written(value, says):
    with pytest.raises(CommandError, match=says):
        _seed("--until", value)
    assert School.objects.count() == 0


def test_a_whole_year_has_about_400_marks_a_pupil_mostly_fours_and_fives():
    _seed("--until", "2027-05-31")
    school = School.objects.get()
    pupils = school.students.count()
    values = Counter(Mark.objects.values_list("value", flat=True))
    assert 350 <= sum(values.values()) / pupils <= 450
    assert values[4] + values[5] > 2 * (values[2] + values[3])
    assert values[2] > 0
    # A few control works a quarter in a subject that has them: 6А's mathematics.
    controls = Lesson.objects.filter(
        school_class__grade=6,
        school_class__letter="А",
        subject__name="Математика",
        date__gte=dt.date(2026, 11, 5),
        date__lte=dt.date(2026, 12, 28),
    ).exclude(control_type="")
    assert 3 <= controls.count() <= 6
    assert not Mark.objects.filter(lesson__in=controls).exclude(weight=2).exists()
    # The three ended quarters have their final marks; the fourth ends on the day itself.
    assert set(FinalMark.objects.values_list("period__number", flat=True)) == {1, 2, 3}


def test_seeded_marks_and_attendance_keep_the_journals_rules():
    _seed()
    other_class = Q(student__school_class_id=F("lesson__school_class_id"))
    assert not Mark.objects.exclude(other_class).exists()
    assert not Attendance.objects.exclude(other_class).exists()
    members = set(GroupMembership.objects.values_list("group_id", "student_id"))
    group_marks = Mark.objects.filter(lesson__group__isnull=False)
    assert group_marks.exists()
    assert all(
        cell in members for cell in group_marks.values_list("lesson__group_id", "student_id")
    )
    absent = set(Attendance.objects.values_list("lesson_id", "student_id"))
    assert absent
    assert not absent & set(Mark.objects.values_list("lesson_id", "student_id"))
    assert not Mark.objects.filter(lesson__status="cancelled").exists()


def test_the_seeded_lessons_are_those_lessons_generate_makes():
    _seed()
    school = School.objects.get()
    year = school.years.get()
    last = Lesson.objects.latest("date").date
    assert lessons_generate(school=school, start=year.starts_on, end=last) == 0


def test_seeded_homework_is_due_where_the_journals_rule_puts_it():
    _seed()
    sample = Homework.objects.select_related("lesson").order_by("pk")[::37]
    assert len(sample) > 20
    for homework in sample:
        due = default_due_lesson(lesson=homework.lesson)
        assert homework.due_lesson_id == (due.pk if due else None), homework.lesson


def test_bulk_load_writes_the_given_rows_and_the_app_inserts_after_it():
    """On SQLite through bulk_create, on PostgreSQL through COPY: the same rows come out,
    stamped, and the table's id sequence is past them."""
    lesson = LessonFactory()
    students = [
        StudentFactory(school=lesson.school, school_class=lesson.school_class) for _ in range(3)
    ]
    rows = [
        (lesson.school_id, lesson.pk, students[0].pk, 5, 1, "", None),
        (lesson.school_id, lesson.pk, students[1].pk, 2, 2, "tab\there, \\slash\nnew line", None),
    ]
    columns = ("school_id", "lesson_id", "student_id", "value", "weight", "comment", "author_id")
    assert bulk_load(Mark, columns, iter(rows)) == 2
    loaded = list(Mark.objects.order_by("pk").values_list(*columns))
    assert loaded == rows
    assert not Mark.objects.filter(Q(created_at__isnull=True) | Q(updated_at__isnull=True)).exists()
    after = Mark.objects.create(
        school=lesson.school, lesson=lesson, student=students[2], value=4, weight=1
    )
    assert after.pk > max(Mark.objects.exclude(pk=after.pk).values_list("pk", flat=True))


def test_bulk_load_refuses_a_column_the_model_does_not_have():
    with pytest.raises(ValueError, match="no columns"):
        bulk_load(Mark, ("school_id", "nonsense"), [])
