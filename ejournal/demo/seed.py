"""Demo data: school 1399 with a named cast, or a whole school or district of generated data.

Idempotent: what exists is kept and only what is missing is added, so running it twice
changes nothing. Generation is deterministic (seeded per school and class). The journal is
filled up to the schools' today, or to the day given (`until`, within the school year): as if
that day were today.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from ejournal.accounts.models import User
from ejournal.accounts.services import user_create
from ejournal.core.freshness import journal_changed
from ejournal.schools.models import Guardianship, School, SchoolClass, Student, Subject, Teacher
from ejournal.schools.roles import Role
from ejournal.schools.selectors import current_year
from ejournal.schools.services import class_create, school_create

from .journal import seed_journal, seed_remarks
from .names import random_name
from .progress import Clock, Progress, figure

DEMO_PASSWORD = "Zhurnal2026"  # noqa: S105 -- printed by `make run` on purpose
DEMO_SCHOOL_NUMBER = "1399"
DEMO_CLOSE_AFTER_DAYS = 10

SUBJECTS = [
    "Русский язык",
    "Литература",
    "Математика",
    "Алгебра",
    "Геометрия",
    "Информатика",
    "История",
    "Обществознание",
    "География",
    "Биология",
    "Физика",
    "Химия",
    "Английский язык",
    "Немецкий язык",
    "Физическая культура",
    "Музыка",
    "Изобразительное искусство",
    "Технология",
    "ОБЖ",
    "Окружающий мир",
]


@dataclass(frozen=True)
class Size:
    schools: int
    classes: tuple[str, ...]
    students_per_class: int
    teachers: int


_FULL = tuple(f"{g}{letter}" for g in range(1, 12) for letter in "АБВ")
SIZES = {
    "demo": Size(
        schools=1, classes=("5А", "6А", "6Б", "9Б", "11А"), students_per_class=24, teachers=12
    ),
    "school": Size(schools=1, classes=_FULL, students_per_class=30, teachers=60),
    "district": Size(schools=20, classes=_FULL, students_per_class=30, teachers=60),
}

# (last, first, middle name in lower case, birth date): what makes a student record unique.
PersonKey = tuple[str, str, str, dt.date]


@dataclass(frozen=True)
class CastMember:
    login: str
    role: Role
    last_name: str
    first_name: str
    middle_name: str
    email: str = ""


# The named cast of the demo school; tests and the README refer to these logins.
CURATOR = CastMember(
    "kurator", Role.CURATOR, "Смирнова", "Ольга", "Викторовна", "kurator@example.com"
)
CLASS_TEACHER = CastMember("ivanova", Role.TEACHER, "Иванова", "Мария", "Петровна")
SUBJECT_TEACHER = CastMember("petrov", Role.TEACHER, "Петров", "Олег", "Николаевич")
PARENT = CastMember(
    "nikolaeva", Role.PARENT, "Николаева", "Елена", "Сергеевна", "nikolaeva@example.com"
)
STUDENT = CastMember("nikolaev", Role.STUDENT, "Николаев", "Василий", "Андреевич")
CAST = (CURATOR, CLASS_TEACHER, SUBJECT_TEACHER, PARENT, STUDENT)
# The parent's two children, in different classes; the first is the student of the cast.
CHILDREN = (
    ("6А", "Николаев", "Василий", "Андреевич", dt.date(2014, 3, 12)),
    ("9Б", "Николаева", "Анна", "Андреевна", dt.date(2011, 10, 4)),
)
# What the named teachers teach, as (class, subject); generated teachers cover the rest.
TEACHES = {
    CLASS_TEACHER.login: (("6А", "Русский язык"), ("6А", "Литература")),
    SUBJECT_TEACHER.login: (("6А", "Математика"), ("9Б", "Алгебра")),
}


def school_numbers(size: str) -> list[str]:
    """The demo school first, then the generated ones (2001, 2002, ...): a district is 20
    schools in all, 1399 among them."""
    return [DEMO_SCHOOL_NUMBER] + [str(2001 + i) for i in range(SIZES[size].schools - 1)]


class DateOutsideYear(ValueError):
    """`until` is not a day of the school year."""


def seed(
    *, size: str, progress: Progress, until: dt.date | None = None, jobs: int = 1
) -> Counter[str]:
    """Seed the schools of `size`; returns the journal rows added, by table.

    The demo school comes first, alone (a bad `until` is refused there, before anything is
    written); the others go `jobs` at a time, each in its own thread and connection. On
    PostgreSQL the server's work (indexes, the foreign keys' checks at commit) dominates a
    school and runs in one process per connection, so two connections use two cores."""
    spec, run, added = SIZES[size], Clock(), Counter[str]()
    numbers = school_numbers(size)
    lock = threading.Lock()

    def one(place: int, number: str) -> Counter[str]:
        def say(line: str) -> None:
            with lock:
                progress(line if jobs == 1 or place == 1 else f"[{number}] {line.strip()}")

        clock = Clock()
        say(f"Школа №{number} ({place}/{len(numbers)})")
        done = _seed_one(number, spec, until, say)
        say(f"  Школа №{number}: {clock.total()}, с начала {run.total()}")
        return done

    added += one(1, numbers[0])
    rest = list(enumerate(numbers[1:], start=2))
    if jobs == 1:
        for place, number in rest:
            added += one(place, number)
    else:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for done in pool.map(lambda item: _in_thread(one, *item), rest):
                added += done
    progress(
        f"Всего за {run.total()}: уроков +{figure(added['lessons'])},"
        f" оценок +{figure(added['marks'])}, посещаемость +{figure(added['attendance'])},"
        f" домашних заданий +{figure(added['homework'])},"
        f" итоговых оценок +{figure(added['finals'])}"
    )
    return added


def _in_thread(task: Callable[[int, str], Counter[str]], place: int, number: str) -> Counter[str]:
    """A worker thread's school; the thread's own connection is closed when it is done."""
    try:
        return task(place, number)
    finally:
        connection.close()


def _seed_one(number: str, spec: Size, until: dt.date | None, say: Progress) -> Counter[str]:
    with transaction.atomic():
        school = School.objects.filter(number=number).first() or _school_create(number)
        today = _journal_day(school, until)  # a refusal undoes the school just made
        _seed_school(school, spec, say)
    fixed: dict[tuple[str, str], Teacher] = {}
    if number == DEMO_SCHOOL_NUMBER:
        with transaction.atomic():
            teachers = _seed_cast(school)
        say("  Демо-пользователи: " + ", ".join(m.login for m in CAST))
        fixed = {slot: teachers[login] for login, slots in TEACHES.items() for slot in slots}
    added = seed_journal(school, today=today, progress=say, fixed=fixed)
    if number == DEMO_SCHOOL_NUMBER:
        student = Student.objects.get(school=school, user__login=STUDENT.login)
        seed_remarks(school, student, today=today)
    # The journal is loaded in bulk (COPY, bulk_create), which sends no signal.
    journal_changed(school_id=school.pk)
    return added


def _journal_day(school: School, until: dt.date | None) -> dt.date:
    """The day the journal is filled up to: `until`, if given, within the school's year."""
    if until is None:
        return school.today()
    year = current_year(school=school)
    if not year.starts_on <= until <= year.ends_on:
        raise DateOutsideYear(
            f"Дата {until:%d.%m.%Y} вне учебного года школы №{school.number}: "
            f"с {year.starts_on:%d.%m.%Y} по {year.ends_on:%d.%m.%Y}."
        )
    return until


def _school_create(number: str) -> School:
    """A demo school whose periods close ten days after they end, as many schools set it:
    in the demo's December the first quarter is closed and the second is open."""
    return school_create(
        number=number, name=f"Школа №{number}", close_periods_after_days=DEMO_CLOSE_AFTER_DAYS
    )


def _seed_school(school: School, spec: Size, progress: Progress) -> None:
    clock = Clock()
    year = current_year(school=school)
    Subject.objects.bulk_create(
        [Subject(school=school, name=name) for name in SUBJECTS], ignore_conflicts=True
    )
    _seed_teachers(school, spec.teachers)
    teachers = list(Teacher.objects.filter(school=school, archived_at__isnull=True).order_by("id"))
    existing = {c.label: c for c in SchoolClass.objects.filter(school=school, year=year)}
    taken = set(
        Student.objects.filter(school=school)
        .annotate(l=Lower("last_name"), f=Lower("first_name"), m=Lower("middle_name"))
        .values_list("l", "f", "m", "birth_date")
    )
    pupils = 0
    for index, label in enumerate(spec.classes):
        school_class = existing.get(label)
        if school_class is None:
            grade, letter = int(label[:-1]), label[-1]
            class_teacher = teachers[index % len(teachers)] if teachers else None
            school_class = class_create(
                school=school,
                year=year,
                grade=grade,
                letter=letter,
                actor=None,
                class_teacher=class_teacher,
            )
        pupils += _fill_class(school, school_class, spec.students_per_class, taken)
    progress(
        f"  Классы: {len(spec.classes)} ({spec.classes[0]}–{spec.classes[-1]}),"
        f" учеников +{figure(pupils)} ({clock.lap()})"
    )


def _seed_teachers(school: School, count: int) -> None:
    have = Teacher.objects.filter(school=school).count()
    rng = random.Random(f"{school.number}-teachers")
    names = [random_name(rng) for _ in range(count)]
    Teacher.objects.bulk_create(
        [
            Teacher(
                school=school,
                last_name=n.last_name,
                first_name=n.first_name,
                middle_name=n.middle_name,
            )
            for n in names[have:]
        ]
    )


def _fill_class(
    school: School, school_class: SchoolClass, target: int, taken: set[PersonKey]
) -> int:
    have = Student.objects.filter(school_class=school_class, archived_at__isnull=True).count()
    rng = random.Random(f"{school.number}-{school_class.label}")
    # Pupils of grade N turn N+6 during the school year that starts in year.starts_on.year.
    born = school_class.year.starts_on.year - school_class.grade - 6
    new: list[Student] = []
    while have + len(new) < target:
        name = random_name(rng)
        birth = dt.date(born, 1, 1) + dt.timedelta(days=rng.randrange(365))
        key = (name.last_name.lower(), name.first_name.lower(), name.middle_name.lower(), birth)
        if key in taken:
            continue
        taken.add(key)
        new.append(
            Student(
                school=school,
                school_class=school_class,
                last_name=name.last_name,
                first_name=name.first_name,
                middle_name=name.middle_name,
                birth_date=birth,
            )
        )
    Student.objects.bulk_create(new)
    return len(new)


def _cast_user(school: School, member: CastMember) -> User:
    user = User.objects.for_login(school_id=school.id, login=member.login)
    if user is None:
        user = user_create(
            school=school,
            role=member.role,
            login=member.login,
            password=DEMO_PASSWORD,
            last_name=member.last_name,
            first_name=member.first_name,
            middle_name=member.middle_name,
            email=member.email,
        )
        if member.email:
            # The demo cast's addresses count as confirmed, so the demo opens on the
            # journal; a newly registered account goes through the confirmation page.
            user.email_confirmed_at = timezone.now()
            user.save(update_fields=["email_confirmed_at", "updated_at"])
    return user


def _seed_cast(school: School) -> dict[str, Teacher]:
    """The named users, their teacher records and the parent's children; the teachers by login."""
    year = current_year(school=school)
    teachers: dict[str, Teacher] = {}
    users = {m.login: _cast_user(school, m) for m in CAST}
    classes = {c.label: c for c in SchoolClass.objects.filter(school=school, year=year)}
    for member, homeroom in ((CLASS_TEACHER, "6А"), (SUBJECT_TEACHER, None)):
        teacher, _ = Teacher.objects.get_or_create(
            school=school,
            user=users[member.login],
            defaults={
                "last_name": member.last_name,
                "first_name": member.first_name,
                "middle_name": member.middle_name,
            },
        )
        teachers[member.login] = teacher
        if homeroom and classes[homeroom].class_teacher_id != teacher.id:
            classes[homeroom].class_teacher = teacher
            classes[homeroom].save(update_fields=["class_teacher", "updated_at"])
    for label, last, first, middle, birth in CHILDREN:
        child, _ = Student.objects.get_or_create(
            school=school,
            last_name=last,
            first_name=first,
            middle_name=middle,
            birth_date=birth,
            archived_at=None,
            defaults={"school_class": classes[label]},
        )
        Guardianship.objects.get_or_create(school=school, parent=users[PARENT.login], student=child)
        if (last, first) == (STUDENT.last_name, STUDENT.first_name) and child.user_id is None:
            child.user = users[STUDENT.login]
            child.save(update_fields=["user", "updated_at"])
    return teachers
