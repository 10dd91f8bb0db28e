"""Checks on a real PostgreSQL primary and hot standby, both reached through PgBouncer in
transaction mode. Not collected by the suite (the name is not test_*.py): test_replica.py
starts the pair and the pooler and runs this file in a pytest of its own.

Why a process of its own: the app reads its databases from the environment once, at start,
as in production (DATABASE_URL, DATABASE_REPLICA_URL, DATABASE_POOLED); here they point at
PgBouncer, whose two names lead to the primary and to the standby. Nothing is swapped in a
running process.

Why no test database: Django's test runner would make one per alias, and a standby is read
only; it receives whatever the primary holds by streaming. So the checks migrate the pair's
own database once (through PgBouncer, which is the first check of the pooler) and each makes
its own school. Nothing is rolled back: replication carries only what is committed. The
cluster is thrown away after the run.

What makes a check able to fail: the standby's replay is paused (`pg_wal_replay_pause()`),
so a row written on the primary is absent from the replica until it resumes. A read that
sees such a row came from the primary; one that misses it came from the replica.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoDbBlocker

from ejournal.accounts.api_tokens import api_token_create
from ejournal.accounts.models import User
from ejournal.conftest import school_host
from ejournal.core.db_router import REPLICA, replica_reads
from ejournal.core.testing.factories import (
    SchoolClassFactory,
    SchoolFactory,
    StudentFactory,
    SubjectFactory,
)
from ejournal.core.testing.journal_factories import (
    LessonFactory,
    TeachingAssignmentFactory,
    parent_of,
    teacher_with_account,
)
from ejournal.core.testing.pgpair import PgPair
from ejournal.journal.models import Lesson, Mark
from ejournal.journal.services import mark_set
from ejournal.schools.models import School, Student

NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Moscow"))  # Thursday
TUESDAY = dt.date(2026, 11, 24)
# How the diary shows a mark of 4 (journal/diary_week.html).
MARK_4 = re.compile(r'<span class="sr-only">Оценка </span>4')


@pytest.fixture(scope="session")
def django_db_setup(django_db_blocker: DjangoDbBlocker) -> None:
    """The pair's database, migrated on the primary through PgBouncer (see the docstring)."""
    if "EJOURNAL_PAIR" not in os.environ:  # else it would migrate whatever DATABASE_URL names
        pytest.fail("replica_checks.py runs inside test_replica.py, which starts its pair")
    with django_db_blocker.unblock():
        call_command("migrate", interactive=False, verbosity=0)


@pytest.fixture
def pair(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[PgPair]:
    """The running pair (test_replica.py names it), with the database open to the check and
    the standby replaying again afterwards whatever the check paused."""
    root, primary, standby = os.environ["EJOURNAL_PAIR"].split(",")
    running = PgPair(root=Path(root), primary_port=int(primary), standby_port=int(standby))
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=True):
        yield running
    running.replay_resume()


@dataclass
class Cast:
    school: School
    student: Student
    lesson: Lesson
    teacher: Client
    parent: Client
    teacher_user: User
    parent_user: User


def _cast() -> Cast:
    """A school of its own: a class, its maths teacher with Tuesday's lesson, a pupil and the
    pupil's parent, each logged in at the school's address."""
    school = SchoolFactory()
    school_class = SchoolClassFactory(school=school)
    math = SubjectFactory(school=school, name="Математика")
    teacher = teacher_with_account(school, f"petrov{school.number}")
    TeachingAssignmentFactory(
        school=school, teacher=teacher, school_class=school_class, subject=math
    )
    student = StudentFactory(school_class=school_class)
    lesson = LessonFactory(
        school_class=school_class, subject=math, teacher=teacher, date=TUESDAY, number=1
    )
    parent = parent_of(student, login=f"parent{school.number}")
    return Cast(
        school=school,
        student=student,
        lesson=lesson,
        teacher=_client(school, teacher.user),
        parent=_client(school, parent),
        teacher_user=teacher.user,
        parent_user=parent,
    )


def _client(school: School, user: User) -> Client:
    client = Client(HTTP_HOST=school_host(school))
    client.force_login(user)
    return client


def _diary(cast: Cast) -> str:
    response = cast.parent.get(reverse("journal:diary_week", args=[cast.student.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _on_replica(cast: Cast) -> bool:
    """Whether the standby has replayed a mark for the pupil (asked of it directly)."""
    return Mark.objects.using(REPLICA).filter(student_id=cast.student.pk).exists()


def _tables(queries: CaptureQueriesContext) -> set[str]:
    return {
        table
        for query in queries.captured_queries
        for table in re.findall(r'FROM "(\w+)"', query["sql"])
    }


def test_the_standby_reads_a_row_written_on_the_primary(pair: PgPair) -> None:
    school = SchoolFactory()
    pair.wait_replayed()
    assert School.objects.using(REPLICA).filter(pk=school.pk, number=school.number).exists()
    assert pair.query("SELECT pg_is_in_recovery()", standby=True) is True


def test_the_diary_is_read_from_the_replica_and_logging_in_from_the_primary(pair: PgPair) -> None:
    cast = _cast()
    pair.wait_replayed()
    pair.replay_pause()
    # Written on the primary outside any request, so nothing pins the school.
    mark_set(lesson=cast.lesson, student=cast.student, value=4, actor=cast.lesson.teacher.user)
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        page = _diary(cast)
    assert not MARK_4.search(page)  # the replica has not replayed it
    assert {"journal_lesson", "journal_mark", "schools_student"} <= _tables(on_replica)
    # The session (its row, when Redis does not hold it) and the user: the primary's.
    assert not {"django_session", "accounts_user"} & _tables(on_replica)
    assert "accounts_user" in _tables(on_primary)
    assert "journal_mark" not in _tables(on_primary)

    pair.replay_resume()
    pair.wait_replayed()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert MARK_4.search(_diary(cast))
    assert "journal_mark" in _tables(on_replica)


def test_a_parent_sees_a_mark_right_after_the_teacher_saves_it(pair: PgPair) -> None:
    cast = _cast()
    pair.wait_replayed()
    pair.replay_pause()
    url = reverse("journal:cell", args=[cast.lesson.pk, cast.student.pk])
    saved = cast.teacher.post(url, {"value": "4"}, HTTP_ACCEPT="application/json")
    assert saved.json()["ok"] is True
    assert not _on_replica(cast)  # so the parent can only see it on the primary
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert MARK_4.search(_diary(cast))
    # The one question the pinned school asked of the replica: has it replayed that far?
    (asked,) = on_replica.captured_queries
    assert "pg_last_wal_replay_lsn" in asked["sql"]


def test_once_the_replica_has_replayed_the_save_it_serves_the_school_again(pair: PgPair) -> None:
    cast = _cast()
    url = reverse("journal:cell", args=[cast.lesson.pk, cast.student.pk])
    assert cast.teacher.post(url, {"value": "4"}, HTTP_ACCEPT="application/json").json()["ok"]
    pair.wait_replayed()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert MARK_4.search(_diary(cast))
    assert "journal_mark" in _tables(on_replica)


def test_a_save_pins_its_own_school_only(pair: PgPair) -> None:
    saving, reading = _cast(), _cast()
    pair.wait_replayed()
    pair.replay_pause()
    mark_set(
        lesson=reading.lesson, student=reading.student, value=4, actor=reading.lesson.teacher.user
    )
    url = reverse("journal:cell", args=[saving.lesson.pk, saving.student.pk])
    assert saving.teacher.post(url, {"value": "4"}, HTTP_ACCEPT="application/json").json()["ok"]
    assert MARK_4.search(_diary(saving))
    assert not MARK_4.search(_diary(reading))  # another school's diary: still the replica's


def test_reads_inside_a_transaction_go_to_the_primary(pair: PgPair) -> None:
    cast = _cast()
    pair.wait_replayed()
    pair.replay_pause()
    mark_set(lesson=cast.lesson, student=cast.student, value=4, actor=cast.lesson.teacher.user)
    with replica_reads(cast.school.pk) as on_replica:
        assert on_replica
        assert not Mark.objects.filter(student=cast.student).exists()
        with transaction.atomic():
            assert Mark.objects.filter(student=cast.student).exists()


def _eljur_marks(answer: Any) -> list[str]:
    """The values of every mark anywhere in an ЭлЖур answer."""
    if isinstance(answer, dict):
        found = [str(answer["countas"])] if "countas" in answer else []
        return found + [m for value in answer.values() for m in _eljur_marks(value)]
    if isinstance(answer, list):
        return [m for value in answer for m in _eljur_marks(value)]
    return []


def test_the_api_and_eljur_read_the_diary_from_the_replica(pair: PgPair) -> None:
    cast = _cast()
    token = api_token_create(user=cast.parent_user, device="check")[1]
    api = Client(HTTP_HOST=school_host(cast.school), headers={"Authorization": f"Bearer {token}"})
    eljur = Client(HTTP_HOST=f"api.{settings.EJOURNAL_BASE_DOMAIN}")
    eljur_call = {"vendor": cast.school.number, "auth_token": token, "days": "20261123-20261128"}

    def read() -> tuple[list[object], list[str], set[str]]:
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            days = api.get(f"/api/v1/students/{cast.student.pk}/diary").json()["days"]
            answer = eljur.get("/apiv3/getdiary", {**eljur_call, "out_format": "json"}).json()
        marks = [lesson["mark"] for day in days for lesson in day["lessons"]]
        return marks, _eljur_marks(answer), _tables(on_replica)

    pair.wait_replayed()
    pair.replay_pause()
    mark_set(lesson=cast.lesson, student=cast.student, value=4, actor=cast.lesson.teacher.user)
    api_marks, eljur_marks, tables = read()
    assert (api_marks, eljur_marks) == ([None], [])  # the replica has not replayed it
    assert "journal_mark" in tables
    pair.replay_resume()
    pair.wait_replayed()
    api_marks, eljur_marks, tables = read()
    assert api_marks != [None]
    assert eljur_marks == ["4"]


def test_a_parent_sees_a_mark_in_the_api_right_after_the_teacher_puts_it_there(
    pair: PgPair,
) -> None:
    cast = _cast()
    teacher, parent = (
        Client(
            HTTP_HOST=school_host(cast.school),
            headers={"Authorization": f"Bearer {api_token_create(user=user, device='c')[1]}"},
        )
        for user in (cast.teacher_user, cast.parent_user)
    )
    pair.wait_replayed()
    pair.replay_pause()
    cell = f"/api/v1/lessons/{cast.lesson.pk}/students/{cast.student.pk}"
    put = teacher.put(cell, json.dumps({"mark": 4}), content_type="application/json")
    assert put.status_code == 200, put.content
    assert not _on_replica(cast)
    days = parent.get(f"/api/v1/students/{cast.student.pk}/diary").json()["days"]
    assert [lesson["mark"] is not None for day in days for lesson in day["lessons"]] == [True]


def test_the_app_runs_behind_pgbouncer_in_transaction_mode(pair: PgPair) -> None:
    cast = _cast()
    # Without DATABASE_POOLED's DISABLE_SERVER_SIDE_CURSORS, .iterator() would declare a
    # cursor on one server connection and could fetch on another.
    assert connections["default"].settings_dict["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert [s.pk for s in Student.objects.filter(school=cast.school).iterator()] == [
        cast.student.pk
    ]
    pair.wait_replayed()
    on_replica = Student.objects.using(REPLICA).filter(school=cast.school).iterator()
    assert [s.pk for s in on_replica] == [cast.student.pk]
    bouncer = int(os.environ["EJOURNAL_PGBOUNCER_PORT"])
    assert {connections[alias].settings_dict["PORT"] for alias in ("default", REPLICA)} == {bouncer}
    with psycopg.connect(
        host="127.0.0.1", port=bouncer, dbname="pgbouncer", user="postgres", autocommit=True
    ) as admin:
        modes = {row[0]: row[-1] for row in admin.execute("SHOW POOLS").fetchall()}
    assert modes.get(connections["default"].settings_dict["NAME"]) == "transaction"
    assert modes.get(connections[REPLICA].settings_dict["NAME"]) == "transaction"
