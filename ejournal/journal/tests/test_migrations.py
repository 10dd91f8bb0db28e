"""The homework migration: lessons' homework (text and files) becomes Homework due at the
lesson it would be due at, and comes back on the way down. Runs the real migrations on the
test database (SQLite here, PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ejournal.core.testing.factories import (
    SchoolClassFactory,
    SubjectFactory,
    TeacherFactory,
)
from ejournal.journal.models import Homework, HomeworkFile

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("journal", "0001_initial")]
AFTER = [("journal", "0004_drop_lesson_homework")]
FRIDAY = dt.date(2026, 11, 27)


def _migrate(targets):
    """Migrate to `targets`; the models of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def test_homework_moves_to_the_lesson_it_is_due_at_and_back(school):
    old = _migrate(BEFORE)
    try:
        Lesson, OldFile = (
            old.get_model("journal", "Lesson"),
            old.get_model("journal", "HomeworkFile"),
        )
        Group = old.get_model("journal", "Group")
        school_class = SchoolClassFactory(school=school, grade=6, letter="А")
        math, russian = SubjectFactory(school=school), SubjectFactory(school=school)
        teacher = TeacherFactory(school=school)
        group = Group.objects.create(
            school_id=school.pk, school_class_id=school_class.pk, subject_id=math.pk, name="1"
        )

        def lesson(day, number, subject=math, **fields):
            return Lesson.objects.create(
                school_id=school.pk,
                school_class_id=school_class.pk,
                subject_id=subject.pk,
                teacher_id=teacher.pk,
                date=FRIDAY + dt.timedelta(days=day),
                number=number,
                **fields,
            )

        friday = lesson(0, 2, homework="№ 12, 14")
        lesson(2, 1, subject=russian)  # Sunday's Russian: another subject
        lesson(3, 1, status="cancelled")  # Monday's, cancelled
        tuesday = lesson(4, 2)
        with_file = lesson(4, 3, subject=russian)  # a file, no text; no later lesson
        OldFile.objects.create(
            school_id=school.pk, lesson_id=with_file.pk, file="homework/x.pdf", name="x.pdf"
        )
        group_lesson = lesson(4, 5, group_id=group.pk, homework="Группе: § 3")
        # Wednesday's whole-class lesson: the group's next one too. No homework, no file: no row.
        wednesday = lesson(5, 2)

        _migrate(AFTER)

        rows = {h.lesson_id: h for h in Homework.objects.all()}
        assert set(rows) == {friday.pk, with_file.pk, group_lesson.pk}
        assert (rows[friday.pk].text, rows[friday.pk].due_lesson_id) == ("№ 12, 14", tuesday.pk)
        assert rows[with_file.pk].due_lesson_id is None  # the end of what the journal has
        assert rows[group_lesson.pk].due_lesson_id == wednesday.pk
        [moved] = HomeworkFile.objects.all()
        assert (moved.homework.lesson_id, moved.name) == (with_file.pk, "x.pdf")

        back = _migrate(BEFORE)
        Lesson, OldFile = (
            back.get_model("journal", "Lesson"),
            back.get_model("journal", "HomeworkFile"),
        )
        assert Lesson.objects.get(pk=friday.pk).homework == "№ 12, 14"
        assert Lesson.objects.get(pk=group_lesson.pk).homework == "Группе: § 3"
        assert OldFile.objects.get().lesson_id == with_file.pk
    finally:
        # Back to the newest migrations, which the rest of the suite's tests run on.
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
