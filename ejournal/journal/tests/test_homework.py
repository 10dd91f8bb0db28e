"""Homework is set at a lesson and due at a later one: the rule, the service, and the pages.

The cast and the day (Thursday 26.11.2026) come from conftest.py; 6А has Математика with
Петров.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.conftest import school_host
from ejournal.core.testing.factories import SubjectFactory
from ejournal.core.testing.journal_factories import (
    GroupFactory,
    LessonFactory,
    TimetableEntryFactory,
)
from ejournal.core.uploads import UploadLimit
from ejournal.journal.access import JournalAccessError
from ejournal.journal.models import (
    HOMEWORK_TEXT_MAX,
    Homework,
    HomeworkFile,
    LessonStatus,
)
from ejournal.journal.selectors.homework import default_due_lesson
from ejournal.journal.services import (
    holiday_create,
    homework_file_add,
    homework_file_delete,
    homework_set,
    lesson_update,
    lessons_generate,
)
from ejournal.journal.services.homework import HOMEWORK_FILE_MAX_BYTES

pytestmark = pytest.mark.django_db

FRIDAY = dt.date(2026, 11, 27)
NEXT_MONDAY = dt.date(2026, 11, 30)
NEXT_TUESDAY = dt.date(2026, 12, 1)


@pytest.fixture
def maths(class_6a, math, petrov, bells):
    """6А's Математика on Friday (2nd), next Monday (1st and 2nd: a double lesson) and Tuesday."""

    def at(day, number):
        return LessonFactory(
            school_class=class_6a, subject=math, teacher=petrov, date=day, number=number
        )

    return {
        "friday": at(FRIDAY, 2),
        "monday": at(NEXT_MONDAY, 1),
        "monday_2": at(NEXT_MONDAY, 2),
        "tuesday": at(NEXT_TUESDAY, 3),
    }


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# The rule: which lesson homework is due at.


def test_homework_is_due_at_the_next_lesson_of_the_subject_on_a_later_date(
    maths, class_6a, class_6b, russian, petrov
):
    # Not another subject's lesson, nor another class's, nor the second half of a double one.
    LessonFactory(school_class=class_6a, subject=russian, date=NEXT_MONDAY - dt.timedelta(2))
    LessonFactory(school_class=class_6b, subject=maths["friday"].subject, date=NEXT_MONDAY)

    homework = homework_set(lesson=maths["monday"], actor=petrov.user, text="№ 12")
    assert homework is not None
    assert homework.due_lesson == maths["tuesday"]

    homework = homework_set(lesson=maths["friday"], actor=petrov.user, text="№ 10")
    assert homework is not None
    assert homework.due_lesson == maths["monday"]


def test_a_groups_homework_is_due_at_the_groups_next_lesson_or_the_whole_class(
    class_6a, math, petrov, ershova, nikolaev, bells
):
    first = GroupFactory(school_class=class_6a, subject=math, name="1 группа", members=[ershova])
    second = GroupFactory(school_class=class_6a, subject=math, name="2 группа", members=[nikolaev])

    def at(day, group):
        return LessonFactory(
            school_class=class_6a, subject=math, teacher=petrov, date=day, group=group, number=3
        )

    set_at = at(FRIDAY, first)
    at(NEXT_MONDAY, second)  # the other group's: not theirs
    whole_class = at(NEXT_TUESDAY, None)
    own = at(NEXT_MONDAY + dt.timedelta(days=3), first)

    assert default_due_lesson(lesson=set_at) == whole_class
    whole_class.status = LessonStatus.CANCELLED
    whole_class.save()
    assert default_due_lesson(lesson=set_at) == own
    # A whole class's homework is due at a lesson of the whole class only.
    assert default_due_lesson(lesson=at(FRIDAY - dt.timedelta(days=1), None)) is None


def test_cancelled_lessons_are_skipped(maths, petrov):
    maths["monday"].status = maths["monday_2"].status = LessonStatus.CANCELLED
    maths["monday"].save()
    maths["monday_2"].save()

    assert default_due_lesson(lesson=maths["friday"]) == maths["tuesday"]


def test_when_the_due_lesson_is_cancelled_the_homework_moves_to_the_next_one(maths, petrov):
    homework = homework_set(lesson=maths["friday"], actor=petrov.user, text="№ 10")

    lesson_update(lesson=maths["monday"], actor=petrov.user, status=LessonStatus.CANCELLED)

    homework.refresh_from_db()
    assert homework.due_lesson == maths["tuesday"]
    moved = AuditEvent.objects.filter(
        action=AuditAction.LESSON_UPDATED, target_id=maths["friday"].pk
    ).latest("pk")
    assert moved.before["homework_due"] == "2026-11-30"
    assert moved.after["homework_due"] == "2026-12-01"
    # Restored, the lesson does not take it back: the teacher chooses again if need be.
    lesson_update(lesson=maths["monday"], actor=petrov.user, status=LessonStatus.PLANNED)
    homework.refresh_from_db()
    assert homework.due_lesson == maths["tuesday"]


def _holiday_queries(class_6a, petrov, *, subjects: int, weeks_later: int) -> int:
    """Queries of a holiday on a Monday that moves the homework of `subjects` subjects, each
    set on the Friday before and due that Monday."""
    friday, monday, tuesday = (
        day + dt.timedelta(weeks=weeks_later) for day in (FRIDAY, NEXT_MONDAY, NEXT_TUESDAY)
    )
    for number in range(1, subjects + 1):
        subject = SubjectFactory(school=class_6a.school, name=f"Предмет {weeks_later}.{number}")
        set_at, *_ = (
            LessonFactory(
                school_class=class_6a, subject=subject, teacher=petrov, date=day, number=number
            )
            for day in (friday, monday, tuesday)
        )
        homework_set(lesson=set_at, actor=petrov.user, text="№ 1")
    with CaptureQueriesContext(connection) as queries:
        holiday_create(
            school=class_6a.school,
            year=class_6a.year,
            name=f"Карантин {weeks_later}",
            starts_on=monday,
            ends_on=monday,
            actor=None,
        )
    return len(queries)


def test_a_holiday_moves_any_amount_of_homework_in_a_fixed_number_of_queries(
    class_6a, petrov, bells
):
    one = _holiday_queries(class_6a, petrov, subjects=1, weeks_later=0)
    four = _holiday_queries(class_6a, petrov, subjects=4, weeks_later=2)

    assert one == four
    # Each to its subject's Tuesday.
    assert (
        Homework.objects.filter(due_lesson__date=NEXT_TUESDAY + dt.timedelta(weeks=2)).count() == 4
    )


def test_a_holiday_added_later_moves_the_homework_due_on_its_days_to_the_next_lesson(
    maths, class_6a, petrov
):
    homework = homework_set(lesson=maths["friday"], actor=petrov.user, text="№ 10")
    assert homework.due_lesson == maths["monday"]

    holiday_create(
        school=class_6a.school,
        year=class_6a.year,
        name="Карантин",
        starts_on=NEXT_MONDAY,
        ends_on=NEXT_MONDAY,
        actor=None,
    )

    homework.refresh_from_db()
    assert homework.due_lesson == maths["tuesday"]
    moved = AuditEvent.objects.filter(
        action=AuditAction.LESSON_UPDATED, target_id=maths["friday"].pk
    ).latest("pk")
    assert (moved.before["homework_due"], moved.after["homework_due"]) == (
        "2026-11-30",
        "2026-12-01",
    )


def test_at_the_end_of_the_year_homework_has_no_due_lesson_until_lessons_are_made(
    school, class_6a, math, petrov, curator, bells
):
    last = LessonFactory(school_class=class_6a, subject=math, teacher=petrov, date=FRIDAY, number=2)

    homework = homework_set(lesson=last, actor=petrov.user, text="Читать летом")
    assert homework is not None
    assert homework.due_lesson is None

    # The curator makes next week's lessons from the timetable: the homework gets Monday's.
    TimetableEntryFactory(school_class=class_6a, subject=math, teacher=petrov, weekday=1, number=1)
    lessons_generate(school=school, start=NEXT_MONDAY, end=NEXT_MONDAY, actor=curator)
    homework.refresh_from_db()
    assert homework.due_lesson is not None
    assert (homework.due_lesson.date, homework.due_lesson.number) == (NEXT_MONDAY, 1)


# Setting it.


def test_the_teacher_chooses_a_later_lesson_by_its_date(maths, petrov):
    homework = homework_set(
        lesson=maths["friday"], actor=petrov.user, text="Проект", due_on=NEXT_TUESDAY
    )
    assert homework is not None
    assert homework.due_lesson == maths["tuesday"]

    for day in (NEXT_MONDAY + dt.timedelta(days=5), FRIDAY, FRIDAY - dt.timedelta(days=7)):
        with pytest.raises(ValidationError, match="выберите другой день"):
            homework_set(lesson=maths["friday"], actor=petrov.user, text="Проект", due_on=day)
    homework.refresh_from_db()
    assert homework.due_lesson == maths["tuesday"]


def test_homework_text_has_a_length_limit(maths, petrov):
    with pytest.raises(ValidationError, match=f"длиннее {HOMEWORK_TEXT_MAX} знаков"):
        homework_set(lesson=maths["friday"], actor=petrov.user, text="а" * (HOMEWORK_TEXT_MAX + 1))
    assert not Homework.objects.exists()
    assert homework_set(lesson=maths["friday"], actor=petrov.user, text="а" * HOMEWORK_TEXT_MAX)


def test_only_the_lessons_teachers_set_homework_and_it_is_audited(maths, petrov, ivanova):
    with pytest.raises(JournalAccessError):
        homework_set(lesson=maths["friday"], actor=ivanova.user, text="№ 1")

    homework_set(lesson=maths["friday"], actor=petrov.user, text="№ 1")
    homework_set(lesson=maths["friday"], actor=petrov.user, text="№ 1")  # no change, no event
    homework_set(lesson=maths["friday"], actor=petrov.user, text="")

    events = AuditEvent.objects.filter(action=AuditAction.LESSON_UPDATED).order_by("pk")
    assert [(e.before, e.after) for e in events] == [
        ({"homework": "", "homework_due": ""}, {"homework": "№ 1", "homework_due": "2026-11-30"}),
        ({"homework": "№ 1", "homework_due": "2026-11-30"}, {"homework": "", "homework_due": ""}),
    ]
    assert not Homework.objects.exists()


def test_files_keep_homework_without_text_and_go_with_it(maths, petrov):
    upload = SimpleUploadedFile("карточка.pdf", b"%PDF-1.4")
    homework_file = homework_file_add(lesson=maths["friday"], upload=upload, actor=petrov.user)
    assert homework_file.homework.due_lesson == maths["monday"]
    assert homework_set(lesson=maths["friday"], actor=petrov.user, text="") is not None

    homework_file_delete(homework_file=homework_file, lesson=maths["friday"], actor=petrov.user)

    assert not Homework.objects.exists()
    assert list(
        AuditEvent.objects.filter(target_id=maths["friday"].pk)
        .order_by("pk")
        .values_list("before", "after")
    ) == [({}, {"homework_file": "карточка.pdf"}), ({"homework_file": "карточка.pdf"}, {})]


# The pages.


def test_on_friday_evening_the_diary_shows_mondays_homework_under_mondays_lesson(
    maths, school, client_for, petrov, nikolaeva, nikolaev
):
    friday_evening = dt.datetime(2026, 11, 27, 19, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Moscow"))
    with time_machine.travel(friday_evening, tick=False):
        teacher = client_for(school, petrov.user)
        teacher.post(
            reverse("journal:lesson", args=[maths["friday"].pk]),
            {"action": "save", "homework": "№ 312, 315", "status": "planned", "room": "201"},
        )
        parent = client_for(school, nikolaeva)
        this_week = parent.get(reverse("journal:diary_week", args=[nikolaev.pk]))
        next_week = parent.get(
            reverse("journal:diary_week", args=[nikolaev.pk]) + "?week=2026-11-30"
        )

    html = next_week.content.decode()
    monday = re.search(r'<section [^>]*id="d2026-11-30".*?</section>', html, re.S)
    assert monday is not None
    monday_text = " ".join(re.sub(r"<[^>]+>", " ", monday.group(0)).split())
    assert "1 Математика" in monday_text
    assert "Домашнее задание № 312, 315 Задано 27 ноября" in monday_text
    assert monday_text.count("№ 312, 315") == 1  # under the first lesson of the two
    assert _text(next_week).count("№ 312, 315") == 1
    assert "№ 312, 315" not in _text(this_week)  # not under Friday's lesson


def test_the_lesson_page_and_the_grid_header_say_for_when_homework_was_set(
    maths, petrov, school, client_for, class_6a, math, nikolaev
):
    client = client_for(school, petrov.user)
    page = reverse("journal:lesson", args=[maths["friday"].pk])
    form = client.get(page).content.decode()
    # The choice: the next lesson by default, or a later one by its date.
    assert '<option value="" selected>Следующий урок (пн, 30 ноября)</option>' in form
    assert '<option value="2026-12-01">вт, 1 декабря</option>' in form
    assert 'value="2026-11-30"' not in form  # the double lesson's second half is no choice

    response = client.post(
        page,
        {
            "action": "save",
            "homework": "§ 14",
            "homework_due": "2026-12-01",
            "status": "planned",
            "room": "201",
        },
    )
    assert response.status_code == 302
    assert "Задано на 1 декабря, вторник." in _text(client.get(page))

    grid = client.get(reverse("journal:grid", args=[class_6a.pk, math.pk])).content.decode()
    header = re.search(rf'<th [^>]*data-lesson="{maths["friday"].pk}"[^>]*>', grid)
    assert header is not None
    assert 'title="Пт 27.11, 2-й урок · Д/з: § 14 · Задано на 1 декабря"' in header.group(0)


def test_the_lesson_page_refuses_too_long_homework_and_a_day_without_a_lesson(
    maths, petrov, school, client_for
):
    client = client_for(school, petrov.user)
    page = reverse("journal:lesson", args=[maths["friday"].pk])
    common = {"action": "save", "status": "planned", "room": "201"}

    too_long = client.post(page, {**common, "homework": "а" * (HOMEWORK_TEXT_MAX + 1)})
    no_lesson = client.post(page, {**common, "homework": "§ 1", "homework_due": "2026-12-05"})

    assert too_long.status_code == 200
    assert f"не более {HOMEWORK_TEXT_MAX} символов" in _text(too_long)
    assert no_lesson.status_code == 200
    assert "Выберите урок из списка." in _text(no_lesson)
    assert not Homework.objects.exists()


# Uploads stop at the limit while they stream in.


@pytest.fixture
def stored_bytes(monkeypatch) -> list[int]:
    """The bytes of the file that Django's own handlers keep (in memory or a temporary file;
    a handler that passes a chunk on returns it)."""
    received: list[int] = []
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        original = handler.receive_data_chunk

        def counting(self, raw_data, start, original=original):
            passed_on = original(self, raw_data, start)
            if passed_on is None:
                received.append(len(raw_data))
            return passed_on

        monkeypatch.setattr(handler, "receive_data_chunk", counting)
    return received


def test_a_homework_file_over_the_limit_is_stopped_while_it_streams_in(
    maths, petrov, school, client_for, stored_bytes
):
    client = client_for(school, petrov.user)
    size = HOMEWORK_FILE_MAX_BYTES + 1024  # the body's length alone doesn't give it away
    response = client.post(
        reverse("journal:lesson", args=[maths["friday"].pk]),
        {"action": "file_add", "file": SimpleUploadedFile("big.pdf", b"x" * size)},
    )

    assert response.status_code == 413
    assert "Файл слишком большой: можно загрузить не больше 10 МБ." in _text(response)
    limit = next(h for h in response.wsgi_request.upload_handlers if isinstance(h, UploadLimit))
    assert limit.exceeded
    assert sum(stored_bytes) <= HOMEWORK_FILE_MAX_BYTES
    assert not response.wsgi_request.FILES
    assert not HomeworkFile.objects.exists()


def test_a_60_mb_homework_file_stores_nothing_of_itself(
    maths, petrov, school, client_for, stored_bytes
):
    big = SimpleUploadedFile("lecture.mp4", b"x" * (60 * 1024 * 1024))
    response = client_for(school, petrov.user).post(
        reverse("journal:lesson", args=[maths["friday"].pk]), {"action": "file_add", "file": big}
    )

    assert response.status_code == 413
    # The body is announced far over the limit: the file is stopped at its first byte.
    assert sum(stored_bytes) == 0
    assert not HomeworkFile.objects.exists()


def test_csrf_is_still_checked_on_the_lesson_pages_limited_upload(maths, petrov, school):
    """The upload limit is set before the body is read, and the CSRF check comes after it."""
    client = Client(HTTP_HOST=school_host(school), enforce_csrf_checks=True)
    client.force_login(petrov.user)
    url = reverse("journal:lesson", args=[maths["friday"].pk])
    client.get(url)
    token = client.cookies["csrftoken"].value

    def upload(**extra):
        return client.post(
            url, {"action": "file_add", "file": SimpleUploadedFile("a.pdf", b"%PDF"), **extra}
        )

    assert upload().status_code == 403
    assert not HomeworkFile.objects.exists()
    assert upload(csrfmiddlewaretoken=token).status_code == 302
    assert HomeworkFile.objects.count() == 1


# Fixed queries, and who sees it.

# After the first request (the session and its user kept, accounts.identity, and the host's
# school known): the lesson, the teacher record and the right to see the journal 3; the
# homework and its files 2; the lessons it may be due at 1; the period for the journal's link
# 1; the menu's classes 1.
LESSON_PAGE_QUERIES = 8
# The teacher record, the period and the menu's classes kept since the last visit
# (core.freshness).
LESSON_PAGE_KEPT = 5


def test_the_lesson_pages_queries_are_fixed_whatever_its_homework_holds(
    maths, petrov, school, client_for, django_assert_num_queries
):
    client = client_for(school, petrov.user)
    url = reverse("journal:lesson", args=[maths["friday"].pk])
    client.get(url)
    with django_assert_num_queries(LESSON_PAGE_KEPT):
        assert client.get(url).status_code == 200

    homework_set(lesson=maths["friday"], actor=petrov.user, text="№ 1")
    for n in range(3):
        upload = SimpleUploadedFile(f"{n}.pdf", b"%PDF-1.4")
        homework_file_add(lesson=maths["friday"], upload=upload, actor=petrov.user)
    # The homework moved the school's version: the period and the classes are read again.
    with django_assert_num_queries(LESSON_PAGE_QUERIES):
        response = client.get(url)
    assert "2.pdf" in _text(response)


def test_a_groups_homework_is_not_shown_to_the_other_group_under_a_whole_class_lesson(
    school, class_6a, math, petrov, ershova, nikolaev, client_for, bells
):
    group = GroupFactory(school_class=class_6a, subject=math, name="1 группа", members=[ershova])
    set_at = LessonFactory(
        school_class=class_6a, subject=math, teacher=petrov, date=FRIDAY, group=group, number=3
    )
    LessonFactory(school_class=class_6a, subject=math, teacher=petrov, date=NEXT_MONDAY, number=1)
    homework_set(lesson=set_at, actor=petrov.user, text="Группе: § 3")
    week = "?week=2026-11-30"

    def diary(student):
        url = reverse("journal:diary_week", args=[student.pk]) + week
        return _text(client_for(school, student.user).get(url))

    assert "Группе: § 3" in diary(ershova)
    assert "Группе: § 3" not in diary(nikolaev)
