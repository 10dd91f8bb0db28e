"""Two teachers at one journal: nothing is lost, and the same cell ends as one row.

Real threads with their own database connections and committed data. On PostgreSQL they race
on row locks and the unique constraint. SQLite serialises writers: the suite's database file
makes a writer wait (the busy timeout); should one still be told the database is locked, the
helper retries the whole transaction, as waiting would.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections.abc import Callable

import pytest
from django.db import OperationalError, connection

from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.core.testing.factories import StudentFactory
from ejournal.journal.models import Attendance, Homework, Mark
from ejournal.journal.services import attendance_set, cell_set, homework_set, mark_set

pytestmark = pytest.mark.django_db(transaction=True)


def _locked(error: OperationalError) -> bool:
    return connection.vendor == "sqlite" and "locked" in str(error)


def _at_once(jobs: list[Callable[[], object]]) -> list[BaseException]:
    """Start the jobs together, each in its own thread and connection; their errors."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            for _ in range(200):
                try:
                    job()
                    break
                except OperationalError as error:
                    if not _locked(error):
                        raise
                    time.sleep(random.uniform(0.001, 0.01))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_the_same_cell_set_at_once_ends_as_one_mark_with_every_change_audited(
    math_lesson, nikolaev, petrov
):
    values = [2, 3, 4, 5]
    errors = _at_once(
        [
            lambda v=v: mark_set(lesson=math_lesson, student=nikolaev, value=v, actor=petrov.user)
            for v in values
        ]
    )
    assert errors == []
    mark = Mark.objects.get(lesson=math_lesson, student=nikolaev)
    events = list(AuditEvent.objects.filter(action=AuditAction.MARK_SET).order_by("pk"))
    assert len(events) == len(values)
    assert events[0].before == {}
    # Each change starts from the one before it: no update was made over a stale value.
    for previous, event in itertools.pairwise(events):
        assert event.before == previous.after
    assert events[-1].after["value"] == mark.value
    assert sorted(e.after["value"] for e in events) == values


def test_the_same_grid_cell_typed_at_once_ends_as_one_mark_and_one_attendance(
    math_lesson, nikolaev, petrov
):
    """cell_set's own transaction (the grid's and the API's) under the same race."""
    values = [2, 3, 4, 5]
    errors = _at_once(
        [
            lambda v=v: cell_set(
                lesson=math_lesson, student=nikolaev, actor=petrov.user, mark=v, status="late"
            )
            for v in values
        ]
    )
    assert errors == []
    mark = Mark.objects.get(lesson=math_lesson, student=nikolaev)
    assert Attendance.objects.filter(lesson=math_lesson, student=nikolaev).count() == 1
    events = list(AuditEvent.objects.filter(action=AuditAction.MARK_SET).order_by("pk"))
    assert sorted(e.after["value"] for e in events) == values
    for previous, event in itertools.pairwise(events):
        assert event.before == previous.after
    assert events[-1].after["value"] == mark.value
    assert AuditEvent.objects.filter(action=AuditAction.ATTENDANCE_SET).count() == 1


def test_two_teachers_marking_different_students_at_once_lose_nothing(
    math_lesson, class_6a, petrov
):
    students = [StudentFactory(school_class=class_6a) for _ in range(6)]
    jobs: list[Callable[[], object]] = []
    for n, student in enumerate(students):
        jobs.append(
            lambda s=student, n=n: mark_set(
                lesson=math_lesson, student=s, value=2 + n % 4, actor=petrov.user
            )
        )
        jobs.append(
            lambda s=student: attendance_set(
                lesson=math_lesson, student=s, status="late", actor=petrov.user
            )
        )
    assert _at_once(jobs) == []
    assert Mark.objects.filter(lesson=math_lesson).count() == len(students)
    assert Attendance.objects.filter(lesson=math_lesson).count() == len(students)
    assert AuditEvent.objects.count() == 2 * len(students)


def test_homework_saved_at_once_from_two_tabs_ends_as_one_homework(math_lesson, petrov):
    texts = ["№ 1", "№ 2", "№ 3"]
    errors = _at_once(
        [lambda t=t: homework_set(lesson=math_lesson, actor=petrov.user, text=t) for t in texts]
    )
    assert errors == []
    homework = Homework.objects.get(lesson=math_lesson)
    assert homework.text in texts
