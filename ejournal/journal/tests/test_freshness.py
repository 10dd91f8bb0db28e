"""The cached diary, marks and year (core/freshness.py) are exact to the last change.

Every model that carries a school either moves the versions when it is written or is named
here as not shown; after every kind of write the cached reads equal fresh ones; the pages
show a change at once, keep a pupil's page when another pupil changes, and a login keeps a
school's pages. What the cache keeps is read on the primary.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ejournal.accounts.api_tokens import api_token_create
from ejournal.core import freshness
from ejournal.core.db_router import REPLICA, ReplicaRouter, replica_reads
from ejournal.core.freshness import cached_read
from ejournal.core.testing.factories import TeacherFactory
from ejournal.core.testing.journal_factories import (
    LessonFactory,
    MarkFactory,
    TimetableEntryFactory,
    parent_of,
    teacher_with_account,
)
from ejournal.journal import services
from ejournal.journal.models import (
    AttendanceStatus,
    ControlType,
    Group,
    HolidayKind,
    HomeworkFile,
    LessonStatus,
    Mark,
)
from ejournal.journal.selectors.diary import Diary, diary_between
from ejournal.journal.selectors.marks import SubjectMarks, marks_for_period
from ejournal.journal.selectors.year_marks import YearMarks, marks_for_year
from ejournal.schools import services as school_services
from ejournal.schools.models import Guardianship, Period, PeriodKind, School, Student
from ejournal.schools.roster.services import roster_apply, roster_import_create
from ejournal.schools.roster.testing import pupil, roster_csv

from .conftest import MONDAY, TODAY
from .test_views_diary import WEEK_CACHED_PARENT

pytestmark = pytest.mark.django_db

T = TypeVar("T")

SATURDAY = MONDAY + dt.timedelta(days=5)
WEDNESDAY = MONDAY + dt.timedelta(days=2)
FRIDAY = MONDAY + dt.timedelta(days=4)
JSON = {"HTTP_ACCEPT": "application/json"}
# Seven lessons of 40 minutes from 8:00, ten minutes apart (not the default bells).
BELLS = [
    (dt.time(8 + n * 50 // 60, n * 50 % 60), dt.time(8 + (n * 50 + 40) // 60, (n * 50 + 40) % 60))
    for n in range(7)
]

# 1. Every model with a school moves the versions, or is named here as not shown.

RECEIVERS = {
    freshness.row_changed,
    freshness.student_changed,
    freshness.user_changed,
    freshness.school_changed,
    freshness.guardianship_changed,
}
# Models with a school whose rows no cached read shows, each with the reason.
NOT_SHOWN = {
    "schools.RosterImport": "the curator's pending import; the pupils it moves bump themselves",
    "accounts.ApiToken": "authenticates API calls; shows in no diary",
    "audit.AuditEvent": "the audit log; no pupil's page shows it",
    "invitations.Invitation": "a code to join the school; shows in no diary",
    "notifications.Letter": "an outgoing letter; shows in no diary",
    "messaging.Message": "a message between people; shows in no diary",
    "messaging.Delivery": "a recipient's copy of a message; shows in no diary",
}


def _models_with_a_school() -> list[type]:
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("ejournal.") or model._meta.abstract:
            continue
        school_fk = any(
            field.is_relation and field.many_to_one and field.related_model is School
            for field in model._meta.concrete_fields
        )
        if school_fk or model is School:
            found.append(model)
    return found


def _freshness_receivers(signal: Any, model: type) -> set[Callable[..., Any]]:
    sync, async_ = signal._live_receivers(model)
    return {receiver for receiver in [*sync, *async_] if receiver in RECEIVERS}


def test_every_model_with_a_school_moves_the_versions_or_is_named_as_not_shown():
    models = _models_with_a_school()
    labels = {model._meta.label for model in models}
    assert {"journal.Mark", "schools.School", "accounts.User"} <= labels  # the scan finds them
    undecided = []
    for model in models:
        label = model._meta.label
        watched = bool(_freshness_receivers(post_save, model)) and bool(
            _freshness_receivers(post_delete, model)
        )
        if label in NOT_SHOWN:
            assert not watched, f"{label} is watched: take it off NOT_SHOWN"
        elif not watched:
            undecided.append(label)
    assert undecided == [], "connect freshness.watch(...) or name them in NOT_SHOWN"
    assert set(NOT_SHOWN) <= labels, "NOT_SHOWN names a model that has no school (any more)"


def test_a_groups_members_changed_through_the_relation_move_the_versions():
    from django.db.models.signals import m2m_changed

    sync, _ = m2m_changed._live_receivers(Group.students.through)
    assert freshness.row_changed in sync


# 2. After every kind of write the cached reads equal fresh ones.


def _lesson_row(entry: Any) -> tuple[Any, ...]:
    lesson = entry.lesson
    return (
        lesson.pk,
        lesson.date,
        lesson.number,
        lesson.subject.name,
        lesson.teacher.full_name if lesson.teacher else None,
        lesson.group.name if lesson.group else None,
        lesson.topic,
        lesson.room,
        lesson.status,
        lesson.control_type,
        entry.starts_at,
        entry.ends_at,
        (entry.mark.value, entry.mark.weight, entry.mark.comment) if entry.mark else None,
        (entry.attendance.status, entry.attendance.reason) if entry.attendance else None,
        tuple(
            (
                hw.homework.pk,
                hw.homework.text,
                hw.homework.due_lesson_id,
                tuple(f.name for f in hw.files),
            )
            for hw in entry.homework
        ),
    )


def plain_diary(diary: Diary) -> tuple[Any, ...]:
    return (
        tuple(
            (
                day.date,
                day.holiday.name if day.holiday else None,
                tuple(map(_lesson_row, day.lessons)),
            )
            for day in diary.days
        ),
        tuple((r.pk, r.text, r.author.full_name, r.lesson_id) for r in diary.remarks),
        tuple((s.parent_id, s.parent.full_name, s.week_start) for s in diary.signatures),
    )


def plain_marks(subjects: list[SubjectMarks]) -> tuple[Any, ...]:
    return tuple(
        (
            s.subject.name,
            tuple(
                (m.pk, m.value, m.weight, m.comment, m.lesson.date, m.lesson.topic) for m in s.marks
            ),
            s.average,
            s.final.value if s.final else None,
            tuple((p.date, p.value, p.weight, p.average) for p in s.points),
        )
        for s in subjects
    )


def plain_year(year: YearMarks) -> tuple[Any, ...]:
    return (
        tuple((p.period.pk, p.period.starts_on, p.period.ends_on, p.closed) for p in year.periods),
        tuple(
            (
                s.subject.name,
                tuple(
                    (
                        tuple((m.value, m.weight, m.date, m.control, m.comment) for m in c.marks),
                        c.average,
                        c.final.value if c.final else None,
                    )
                    for c in s.cells
                ),
                s.average,
            )
            for s in year.subjects
        ),
        tuple(year.averages),
        year.average,
    )


@dataclass
class Scene:
    school: School
    student: Student
    classmate: Student
    parent: Any
    petrov: Any
    math: Any
    class_6a: Any
    class_6b: Any
    tuesday: Any  # math_lesson: the pupil's mark 4, homework set here
    wednesday: Any  # a lesson with nothing on it (a holiday may cancel it)
    thursday: Any  # today's lesson: the homework is due here
    group: Group
    group_lesson: Any
    holiday: Any = None  # one a write deletes

    def reads(self) -> tuple[Any, ...]:
        """The three cached reads of the pupil, as plain values (records read anew: a write
        may have moved the pupil or redivided the year)."""
        student = Student.objects.select_related("school", "school_class__year").get(
            pk=self.student.pk
        )
        period = Period.objects.filter(
            year=student.school_class.year, starts_on__lte=TODAY, ends_on__gte=TODAY
        ).get()
        return (
            plain_diary(diary_between(student=student, first=MONDAY, last=SATURDAY)),
            plain_marks(marks_for_period(student=student, period=period)),
            plain_year(marks_for_year(student=student)),
        )


@pytest.fixture
def scene(
    school, class_6a, class_6b, math, petrov, nikolaev, ershova, nikolaeva, math_lesson, bells
) -> Scene:
    wednesday = LessonFactory(
        school_class=class_6a, subject=math, teacher=petrov, date=WEDNESDAY, number=1
    )
    thursday = LessonFactory(
        school_class=class_6a, subject=math, teacher=petrov, date=TODAY, number=3
    )
    services.mark_set(lesson=math_lesson, student=nikolaev, value=4, actor=petrov.user)
    services.homework_set(lesson=math_lesson, actor=petrov.user, text="№ 1, 2")
    group = services.group_create(school_class=class_6a, subject=math, name="1 группа", actor=None)
    group_lesson = LessonFactory(
        school_class=class_6a, subject=math, teacher=petrov, group=group, date=FRIDAY, number=2
    )
    return Scene(
        school=school,
        student=nikolaev,
        classmate=ershova,
        parent=nikolaeva,
        petrov=petrov,
        math=math,
        class_6a=class_6a,
        class_6b=class_6b,
        tuesday=math_lesson,
        wednesday=wednesday,
        thursday=thursday,
        group=group,
        group_lesson=group_lesson,
    )


def _quarter(s: Scene) -> Period:
    return s.class_6a.year.periods.get(number=2)


def _holiday_on_wednesday(s: Scene) -> Any:
    return services.holiday_create(
        school=s.school,
        year=s.class_6a.year,
        name="Карантин",
        starts_on=WEDNESDAY,
        ends_on=WEDNESDAY,
        kind=HolidayKind.HOLIDAY,
        actor=None,
    )


def _upload(name: str = "задачи.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 tasks", content_type="application/pdf")


def _settings(s: Scene, **changes: Any) -> None:
    school = School.objects.get(pk=s.school.pk)
    values = {
        "name": school.name,
        "period_kind": school.period_kind,
        "mark_min": school.mark_min,
        "mark_max": school.mark_max,
        "close_periods_after_days": school.close_periods_after_days,
        **changes,
    }
    school_services.school_settings_update(school=school, actor=None, **values)


def _file_delete_setup(s: Scene) -> None:
    services.homework_file_add(lesson=s.tuesday, upload=_upload(), actor=s.petrov.user)


def _file_delete(s: Scene) -> None:
    homework_file = HomeworkFile.objects.get(homework__lesson=s.tuesday)
    services.homework_file_delete(
        homework_file=homework_file, lesson=s.tuesday, actor=s.petrov.user
    )


def _holiday_delete(s: Scene) -> None:
    services.holiday_delete(holiday=s.holiday, actor=None)


def _holiday_delete_setup(s: Scene) -> None:
    s.holiday = _holiday_on_wednesday(s).holiday


def _teacher_rename(s: Scene) -> None:
    school_services.teacher_update(
        teacher=s.petrov,
        last_name="Петровский",
        first_name="Олег",
        middle_name="Николаевич",
        actor=None,
    )


def _student_rename(s: Scene) -> None:
    student = Student.objects.get(pk=s.student.pk)
    school_services.student_update(
        student=student,
        last_name="Николаев-Сидоров",
        first_name=student.first_name,
        middle_name=student.middle_name,
        birth_date=student.birth_date,
        parent_email=student.parent_email,
        actor=None,
    )


def _pupil_imported(s: Scene) -> None:
    """A roster that adds a pupil to the class (bulk_create: no signal)."""
    stored = roster_import_create(
        school=s.school,
        actor=None,
        filename="list.csv",
        content=roster_csv([pupil(1, s.class_6a.label)]),
    )
    roster_apply(roster_import=stored, actor=None)


def _generate_setup(s: Scene) -> None:
    TimetableEntryFactory(
        school_class=s.class_6a, weekday=6, number=1, subject=s.math, teacher=s.petrov
    )


@dataclass(frozen=True)
class Write:
    name: str
    do: Callable[[Scene], Any]
    setup: Callable[[Scene], Any] | None = None
    # Whether a fresh read shows the write (a write no read shows proves nothing else).
    shown: bool = True


WRITES = [
    Write(
        "mark set",
        lambda s: services.mark_set(
            lesson=s.thursday, student=s.student, value=5, actor=s.petrov.user
        ),
    ),
    Write(
        "mark changed",
        lambda s: services.mark_set(
            lesson=s.tuesday, student=s.student, value=3, comment="Ошибки", actor=s.petrov.user
        ),
    ),
    Write(
        "mark deleted",
        lambda s: services.mark_delete(lesson=s.tuesday, student=s.student, actor=s.petrov.user),
    ),
    Write(
        "cell set (mark and absence)",
        lambda s: services.cell_set(
            lesson=s.thursday,
            student=s.student,
            actor=s.petrov.user,
            mark=2,
            status=AttendanceStatus.LATE,
        ),
    ),
    Write(
        "attendance set",
        lambda s: services.attendance_set(
            lesson=s.thursday,
            student=s.student,
            status=AttendanceStatus.ABSENT,
            actor=s.petrov.user,
        ),
    ),
    Write(
        "attendance cleared",
        lambda s: services.attendance_set(
            lesson=s.thursday, student=s.student, status=None, actor=s.petrov.user
        ),
        setup=lambda s: services.attendance_set(
            lesson=s.thursday,
            student=s.student,
            status=AttendanceStatus.ABSENT,
            actor=s.petrov.user,
        ),
    ),
    Write(
        "homework set",
        lambda s: services.homework_set(lesson=s.wednesday, actor=s.petrov.user, text="Параграф 5"),
    ),
    Write(
        "homework edited",
        lambda s: services.homework_set(lesson=s.tuesday, actor=s.petrov.user, text="№ 3, 4"),
    ),
    Write(
        "homework deleted",
        lambda s: services.homework_set(lesson=s.tuesday, actor=s.petrov.user, text=""),
    ),
    Write(
        "homework file added",
        lambda s: services.homework_file_add(
            lesson=s.tuesday, upload=_upload(), actor=s.petrov.user
        ),
    ),
    Write("homework file deleted", _file_delete, setup=_file_delete_setup),
    Write(
        "lesson topic",
        lambda s: services.lesson_update(lesson=s.tuesday, actor=s.petrov.user, topic="Дроби"),
    ),
    Write(
        "lesson room",
        lambda s: services.lesson_update(lesson=s.tuesday, actor=s.petrov.user, room="305"),
    ),
    Write(
        "lesson cancelled by hand",
        lambda s: services.lesson_update(
            lesson=s.wednesday, actor=s.petrov.user, status=LessonStatus.CANCELLED
        ),
    ),
    Write(
        "lesson control type",
        lambda s: services.lesson_update(
            lesson=s.tuesday, actor=s.petrov.user, control_type=ControlType.TEST
        ),
    ),
    Write(
        "lesson teacher substituted",
        lambda s: services.lesson_update(
            lesson=s.tuesday,
            actor=s.petrov.user,
            teacher=TeacherFactory(school=s.school, last_name="Кузнецов"),
        ),
    ),
    Write("holiday added (cancels a lesson)", _holiday_on_wednesday),
    Write("holiday deleted (the lesson back)", _holiday_delete, setup=_holiday_delete_setup),
    Write(
        "remark",
        lambda s: services.remark_add(
            student=s.student, text="Забыл тетрадь.", actor=s.petrov.user, lesson=s.tuesday
        ),
    ),
    Write(
        "week signed",
        lambda s: services.week_sign(parent=s.parent, student=s.student, week_start=MONDAY),
    ),
    Write(
        "final mark",
        lambda s: services.final_mark_set(
            student=s.student, subject=s.math, period=_quarter(s), value=5, actor=s.petrov.user
        ),
    ),
    Write(
        "bells set",
        lambda s: services.bells_set(school=s.school, times=BELLS, actor=None),
    ),
    Write(
        "group members set",
        lambda s: services.group_members_set(group=s.group, students=[s.student], actor=None),
    ),
    Write(
        "group member added through the relation",
        lambda s: s.group.students.add(s.student, through_defaults={"school": s.school}),
    ),
    Write(
        "group member removed",
        lambda s: services.group_members_set(group=s.group, students=[], actor=None),
        setup=lambda s: services.group_members_set(group=s.group, students=[s.student], actor=None),
    ),
    Write(
        "lessons generated",
        lambda s: services.lessons_generate(
            school=s.school, start=MONDAY, end=SATURDAY, school_class=s.class_6a
        ),
        setup=_generate_setup,
    ),
    Write("student renamed", _student_rename, shown=False),
    Write("pupil imported into the class", _pupil_imported, shown=False),
    Write(
        "student moved to another class",
        lambda s: school_services.student_move(
            student=Student.objects.get(pk=s.student.pk), to_class=s.class_6b, actor=None
        ),
    ),
    Write("teacher renamed", _teacher_rename),
    Write(
        "period closed",
        lambda s: school_services.period_close(school=s.school, period=_quarter(s), actor=None),
    ),
    Write(
        "period reopened",
        lambda s: school_services.period_reopen(school=s.school, period=_quarter(s), actor=None),
        setup=lambda s: school_services.period_close(
            school=s.school, period=_quarter(s), actor=None
        ),
    ),
    Write(
        "a mark saved outside the services (a model's save)",
        lambda s: MarkFactory(lesson=s.thursday, student=s.student, value=1),
    ),
    # Shown on the teacher's pages (the grid's group switcher, the menu), not the pupil's.
    Write(
        "group created",
        lambda s: services.group_create(
            school_class=s.class_6a, subject=s.math, name="2 группа", actor=None
        ),
        shown=False,
    ),
    Write(
        "class teacher appointed",
        lambda s: school_services.class_update(
            school_class=s.class_6b, class_teacher=s.petrov, actor=None
        ),
        shown=False,
    ),
    Write("year redivided (trimesters)", lambda s: _settings(s, period_kind=PeriodKind.TRIMESTER)),
    Write("periods close by rule", lambda s: _settings(s, close_periods_after_days=0)),
    Write("mark scale widened", lambda s: _settings(s, mark_max=10), shown=False),
]


def _uncached(settings: Any, read: Callable[[], T]) -> T:
    """`read()` with the journal cache off: what a fresh read answers."""
    settings.EJOURNAL_JOURNAL_CACHE = False
    try:
        return read()
    finally:
        settings.EJOURNAL_JOURNAL_CACHE = True


def _fresh(settings: Any, scene: Scene) -> tuple[Any, ...]:
    return _uncached(settings, scene.reads)


@pytest.mark.parametrize("write", WRITES, ids=[w.name for w in WRITES])
def test_the_cached_reads_equal_fresh_ones_after_the_write(settings, scene, write):
    if write.setup is not None:
        write.setup(scene)
    before = scene.reads()  # fills the cache
    assert scene.reads() == before == _fresh(settings, scene)

    write.do(scene)

    fresh = _fresh(settings, scene)
    assert scene.reads() == fresh
    if write.shown:
        assert fresh != before, "the write changed nothing the reads show: a test of nothing"


@pytest.mark.parametrize(
    "write",
    [
        w
        for w in WRITES
        if w.name in {"mark changed", "lesson topic", "holiday added (cancels a lesson)"}
    ],
    ids=lambda w: w.name,
)
def test_a_read_between_the_write_and_its_commit_is_retired_on_commit(
    settings, scene, write, django_capture_on_commit_callbacks
):
    """Another process that read the old rows after the immediate bump kept them under the
    new version: the bump on commit retires them."""
    before = scene.reads()
    student = Student.objects.select_related("school", "school_class__year").get(
        pk=scene.student.pk
    )
    old_diary = diary_between(student=student, first=MONDAY, last=SATURDAY)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        write.do(scene)
        # As the other process would: the old rows, kept under the version moved just now.
        kept = cached_read(
            "diary",
            school_id=student.school_id,
            student_id=student.pk,
            parts=[student.school_class_id, MONDAY, SATURDAY],
            read=lambda: old_diary,
        )
        assert plain_diary(kept) == before[0]
        assert scene.reads()[0] == before[0]  # stale until the commit
    assert callbacks, "the write's bump on commit was not registered"
    fresh = _fresh(settings, scene)
    assert scene.reads() == fresh != before


# 3. Through the pages.


@pytest.fixture
def petrov_client(school, petrov, client_for):
    return client_for(school, petrov.user)


def _without_csrf(response: Any) -> str:
    """The page without what differs between two requests: the CSRF token's mask (in the
    forms, and the grid's `data-csrf`)."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return re.sub(r'data-csrf="[^"]*"', "", page)


def _page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return _without_csrf(response)


def _fresh_page(settings: Any, client: Any, url: str) -> str:
    return _uncached(settings, lambda: _page(client, url))


def _text(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


PAGES = {
    "diary week": lambda student: reverse("journal:diary_week", args=[student.pk]),
    "marks": lambda student: reverse("journal:marks", args=[student.pk]),
    "year": lambda student: reverse("journal:marks_year", args=[student.pk]),
}


@pytest.mark.parametrize("page", PAGES)
def test_a_mark_saved_in_the_grid_shows_on_the_parents_next_page(
    settings, scene, client_for, petrov_client, page
):
    url = PAGES[page](scene.student)
    parent = client_for(scene.school, scene.parent)
    first, first_page = _queries(parent, url)
    again, before = _queries(parent, url)
    assert again < first  # the second one from the cache
    assert before == first_page
    assert "Не готов" not in before

    cell = reverse(
        "journal:cell", kwargs={"lesson_id": scene.thursday.pk, "student_id": scene.student.pk}
    )
    response = petrov_client.post(cell, {"value": "2", "comment": "Не готов"}, **JSON)
    assert response.status_code == 200, response.content

    after = _page(parent, url)
    assert "Не готов" in after  # the mark's comment: in its title, or under the lesson
    assert after == _fresh_page(settings, parent, url)


# What each page shows of the write (a page that shows nothing of it only has to equal a
# fresh one).
PAGE_WRITES = {
    "mark scale widened (the marks' colours)": (
        lambda s: _settings(s, mark_max=10),
        {"diary week", "marks", "year"},
    ),
    "teacher renamed": (_teacher_rename, {"diary week"}),
    "period closed": (
        lambda s: school_services.period_close(school=s.school, period=_quarter(s), actor=None),
        {"year"},
    ),
    "student renamed": (_student_rename, {"diary week", "marks", "year"}),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("write", PAGE_WRITES)
def test_a_schools_change_shows_on_the_cached_pages(settings, scene, client_for, page, write):
    do, shown_on = PAGE_WRITES[write]
    url = PAGES[page](scene.student)
    parent = client_for(scene.school, scene.parent)
    before = _page(parent, url)
    assert _page(parent, url) == before == _fresh_page(settings, parent, url)

    do(scene)

    after = _page(parent, url)
    assert after == _fresh_page(settings, parent, url)
    if page in shown_on:
        assert after != before


def _queries(client: Any, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        page = _page(client, url)
    return len(queries), page


def test_a_pupils_page_stays_cached_when_a_classmate_gets_a_mark_not_when_a_lesson_changes(
    settings, scene, client_for, petrov_client, django_assert_num_queries
):
    url = PAGES["diary week"](scene.student)
    parent = client_for(scene.school, scene.parent)
    _page(parent, url)
    with django_assert_num_queries(WEEK_CACHED_PARENT):
        kept = _page(parent, url)

    cell = reverse(
        "journal:cell",
        kwargs={"lesson_id": scene.thursday.pk, "student_id": scene.classmate.pk},
    )
    assert petrov_client.post(cell, {"value": "5"}, **JSON).status_code == 200
    assert Mark.objects.filter(student=scene.classmate, lesson=scene.thursday).exists()
    with django_assert_num_queries(WEEK_CACHED_PARENT):
        assert _page(parent, url) == kept  # the pupil's version did not move

    services.lesson_update(lesson=scene.tuesday, actor=scene.petrov.user, topic="Проценты")
    count, page = _queries(parent, url)
    assert count > WEEK_CACHED_PARENT  # the school's version moved: the week is read again
    assert "Проценты" in _text(page)
    assert page == _fresh_page(settings, parent, url)


# The teacher's grid keeps its rows (cells, averages, finals) and columns under the school's
# version and those of the pupils it shows.

GRIDS = {
    "class": lambda s: reverse("journal:grid", args=[s.class_6a.pk, s.math.pk]),
    "group": lambda s: (
        reverse("journal:grid", args=[s.class_6a.pk, s.math.pk]) + f"?group={s.group.pk}"
    ),
}


@pytest.mark.parametrize("write", WRITES, ids=[w.name for w in WRITES])
def test_the_cached_grid_equals_a_fresh_one_after_the_write(settings, scene, petrov_client, write):
    if write.setup is not None:
        write.setup(scene)
    url = GRIDS["class"](scene)
    before = _page(petrov_client, url)  # fills the cache
    assert _page(petrov_client, url) == before == _fresh_page(settings, petrov_client, url)

    write.do(scene)

    assert _page(petrov_client, url) == _fresh_page(settings, petrov_client, url)


@pytest.mark.parametrize("grid", GRIDS)
def test_a_mark_saved_in_the_grid_shows_on_the_next_grid_the_curator_opens(
    settings, scene, client_for, petrov_client, curator, grid
):
    """Two viewers of one grid (the subject's teacher and the curator) share its rows in the
    cache; a save by one shows to the other at once, and their own parts stay their own."""
    services.group_members_set(group=scene.group, students=[scene.student], actor=None)
    url = GRIDS[grid](scene)
    curator_client = client_for(scene.school, curator)
    first, _ = _queries(curator_client, url)
    again, kept = _queries(curator_client, url)
    assert again < first  # the rows from the cache
    assert _page(petrov_client, url) != kept  # the teacher's own locks and forms

    cell = reverse(
        "journal:cell", kwargs={"lesson_id": scene.thursday.pk, "student_id": scene.student.pk}
    )
    response = petrov_client.post(cell, {"value": "2", "comment": "Не готов"}, **JSON)
    assert response.status_code == 200, response.content

    after = _page(curator_client, url)
    assert after != kept
    assert "Не готов" in after  # the cell's title
    assert after == _fresh_page(settings, curator_client, url)


def test_a_pupil_joining_the_group_makes_another_grid(settings, scene, petrov_client):
    url = GRIDS["group"](scene)
    before = _page(petrov_client, url)
    assert f'data-student="{scene.classmate.pk}"' not in before

    services.group_members_set(group=scene.group, students=[scene.classmate], actor=None)

    after = _page(petrov_client, url)
    assert f'data-student="{scene.classmate.pk}"' in after
    assert after == _fresh_page(settings, petrov_client, url)


# /api/v1's diary answer is kept rendered (api/v1/rendering.py), the ЭлЖур diary's result per
# pupil (api/eljur/methods.py), under the pupil's versions.

APP_ANSWERS = {
    "/api/v1 diary": lambda s, key: (
        f"/api/v1/students/{s.student.pk}/diary?from={MONDAY}&to={SATURDAY}",
        {"Authorization": f"Bearer {key}"},
    ),
    "/apiv3/getdiary": lambda s, key: (
        f"/apiv3/getdiary?vendor={s.school.number}&devkey=app&out_format=json"
        f"&auth_token={key}&student={s.student.pk}&days={MONDAY:%Y%m%d}-{SATURDAY:%Y%m%d}",
        {},
    ),
}


@pytest.mark.parametrize("kind", APP_ANSWERS)
@pytest.mark.parametrize("write", WRITES, ids=[w.name for w in WRITES])
def test_the_kept_app_answers_equal_fresh_ones_after_the_write(
    settings, scene, client_for, write, kind
):
    if write.setup is not None:
        write.setup(scene)
    _, key = api_token_create(user=scene.parent, device="Pixel")
    app = client_for(scene.school)
    url, headers = APP_ANSWERS[kind](scene, key)

    def answer() -> Any:
        response = app.get(url, headers=headers)
        assert response.status_code == 200
        body = response.json()
        assert body.get("response", {}).get("state", 200) == 200, body  # ЭлЖур's own status
        return body

    before = answer()  # kept
    assert answer() == before == _uncached(settings, answer)

    write.do(scene)

    assert answer() == _uncached(settings, answer)


# A parent's children (students_for_user: the access check and the switcher) are kept under
# the school's and the parent's versions.


def test_a_child_linked_or_unlinked_shows_at_once_in_the_parents_access_and_switcher(
    settings, scene, client_for
):
    parent = client_for(scene.school, scene.parent)
    own = PAGES["diary week"](scene.student)
    other = PAGES["diary week"](scene.classmate)
    _page(parent, own)
    assert parent.get(other).status_code == 404

    link = Guardianship.objects.create(
        school=scene.school, parent=scene.parent, student=scene.classmate
    )
    page = _page(parent, other)  # the new child opens at once
    assert scene.classmate.last_name in _text(page)
    assert f'href="/diary/{scene.classmate.pk}/' in _page(parent, own)  # and is in the switcher

    link.delete()
    assert parent.get(other).status_code == 404  # unlinked: no longer theirs, at once
    assert f'href="/diary/{scene.classmate.pk}/' not in _page(parent, own)


def test_a_childs_new_name_and_archive_show_at_once_in_the_family(settings, scene, client_for):
    parent = client_for(scene.school, scene.parent)
    url = PAGES["diary week"](scene.student)
    _page(parent, url)

    scene.student.last_name = "Николаев-Петров"
    scene.student.save()
    page = _page(parent, url)
    assert "Николаев-Петров" in _text(page)
    assert page == _fresh_page(settings, parent, url)

    school_services.student_archive(student=scene.student, actor=None)
    assert parent.get(url).status_code == 404


# 4. A login does not clear the school; a teacher's new name does.


def _versions(scene: Any) -> dict[str, Any]:
    """The school's and the pupil's versions now."""
    return cache.get_many(freshness._version_keys(scene.school.pk, [scene.student.pk]))


def test_a_login_keeps_the_schools_pages_a_teachers_new_name_clears_them(
    settings, scene, client_for, django_assert_num_queries
):
    another_parent = parent_of(scene.classmate, login="ershova-mama")
    url = PAGES["diary week"](scene.student)
    parent = client_for(scene.school, scene.parent)
    _page(parent, url)
    with django_assert_num_queries(WEEK_CACHED_PARENT):
        kept = _page(parent, url)
    versions = _versions(scene)

    scene.petrov.user.save(update_fields=["last_login"])
    client_for(scene.school, scene.petrov.user)  # a real login: last_login saved on it
    another_parent.set_password("Zhurnal2027")
    another_parent.save(update_fields=["password"])

    assert _versions(scene) == versions
    with django_assert_num_queries(WEEK_CACHED_PARENT):
        assert _page(parent, url) == kept

    _teacher_rename(scene)
    assert _versions(scene) != versions
    count, page = _queries(parent, url)
    assert count > WEEK_CACHED_PARENT
    assert page == _fresh_page(settings, parent, url)
    assert page != kept


# A teacher's right to a journal (access_journal) is kept under the school's and the user's
# versions: an assignment made or removed, a class teacher appointed or not, shows at once.


def test_a_teachers_right_to_a_journal_follows_the_school_at_once(scene, client_for, curator):
    newcomer = teacher_with_account(scene.school, "kuznetsov", last_name="Кузнецов")
    client = client_for(scene.school, newcomer.user)
    url = GRIDS["class"](scene)
    assert client.get(url).status_code == 404  # kept: no right

    assignment = services.assignment_create(
        school=scene.school,
        teacher=newcomer,
        school_class=scene.class_6a,
        subject=scene.math,
        actor=curator,
    )
    assert client.get(url).status_code == 200  # assigned: at once
    assert client.get(url).status_code == 200  # kept

    services.assignment_delete(assignment=assignment, actor=curator)
    assert client.get(url).status_code == 404  # unassigned: at once

    school_services.class_update(school_class=scene.class_6a, class_teacher=newcomer, actor=None)
    assert client.get(url).status_code == 200  # the class teacher sees every journal of it
    school_services.class_update(school_class=scene.class_6a, class_teacher=None, actor=None)
    assert client.get(url).status_code == 404  # no longer: at once


# What a read sees inside a transaction is not kept: a rollback would undo it after the
# version had moved.


def test_a_read_inside_a_transaction_is_not_kept_one_outside_is(school):
    def kept(value: str) -> str:
        return freshness.cached_school_read(
            "probe", school_id=school.pk, parts=["x"], read=lambda: value
        )

    def rolled_back() -> None:
        with transaction.atomic():
            assert kept("seen inside, rolled back") == "seen inside, rolled back"
            raise RuntimeError

    with pytest.raises(RuntimeError):
        rolled_back()
    assert kept("committed") == "committed"
    assert kept("read again") == "committed"  # kept: read outside any transaction


# 5. What the cache keeps is read on the primary.


@pytest.mark.django_db(transaction=True)
def test_a_cached_read_goes_to_the_primary_inside_a_replica_block(settings, monkeypatch, school):
    # A replica configured (its connection is never opened: only the router is asked).
    monkeypatch.setitem(settings.DATABASES, REPLICA, dict(settings.DATABASES["default"]))
    router = ReplicaRouter()
    seen: list[str] = []

    def read() -> str:
        seen.append(router.db_for_read(Mark))
        return "read"

    with replica_reads(school.pk) as usable:
        assert usable
        assert router.db_for_read(Mark) == REPLICA  # what a read outside the cache would use
        cached_read(
            "probe",
            school_id=school.pk,
            student_id=0,
            parts=[],
            read=read,
        )
        assert router.db_for_read(Mark) == REPLICA  # the block is the replica's again
    assert seen == ["default"]
