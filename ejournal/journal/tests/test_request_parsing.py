"""Odd values in every parameter of every journal endpoint: never a 500, nothing written.

The security review found six endpoints that answered 500 to "²" or a 20-digit id, two of them
after saving the mark. Here each endpoint of the `journal` and `setup` namespaces is called
as the role that may use it, with a request that works (and writes, for a POST: checked by
`test_the_valid_request_works`), and then with each parameter in turn replaced by each of ODD:
in the URL's path, the query string or the POST. A value the parameter does not take must be
refused with the endpoint's answer and leave the database as it was (every row of the project's
tables, the audit log included); a value it takes (an empty optional field, free text) must
still not be a 500.

The table is written out by hand: `test_every_endpoint_is_in_the_table` fails for a URL added
later until it has its row here, and for a row whose path parameters differ from the URL's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ejournal.core.testing.journal_factories import (
    GroupFactory,
    HomeworkFactory,
    TimetableEntryFactory,
)
from ejournal.core.testing.urls import routes_under
from ejournal.journal.models import Holiday, HomeworkFile, TeachingAssignment

pytestmark = pytest.mark.django_db

# "²" passes str.isdigit() but not int(); "𝟙" passes int(); the big one passes `<int:...>` and
# overflows SQLite; then a sign, NUL (PostgreSQL can't store it), an emoji, empty, a fraction,
# a leading space.
ODD = ("²", "𝟙", "99999999999999999999", "-1", "\x00", "😀", "", "1.5", " 1")

# Which of the odd values a parameter takes (the rest it must refuse).
NONE: frozenset[str] = frozenset()  # an id, a number, a date or a choice that must be given
EMPTY = frozenset({""})  # optional: empty means "none" (the whole class, the current period…)
TEXT = frozenset(ODD) - {"\x00"}  # free text: anything but NUL
REQUIRED_TEXT = TEXT - {""}
ANY = frozenset(ODD)  # read for its presence only, or a fallback whatever it is
TYPED = frozenset({"", " 1"})  # a mark as typed: empty clears it, spaces around it are dropped

ROLES = {
    "subject_teacher": lambda c: c.petrov.user,
    "class_teacher": lambda c: c.ivanova.user,
    "parent": lambda c: c.nikolaeva,
    "curator": lambda c: c.curator,
}


@dataclass(frozen=True)
class Param:
    name: str
    takes: frozenset[str] = NONE
    refused: int | None = None  # the answer to a value it refuses, if not the case's


@dataclass(frozen=True)
class Case:
    """One way to call an endpoint: as `role`, with `data` that works, and its parameters."""

    url: str  # the URL's name
    role: str
    method: str = "GET"
    kwargs: Callable[[SimpleNamespace], dict[str, int]] = lambda c: {}
    data: Callable[[SimpleNamespace], dict[str, Any]] = lambda c: {}
    params: tuple[Param, ...] = ()
    ok: int = 200  # the answer to `data`
    refused: int = 200  # the answer to a refused value (a page re-rendered with the reason)
    json: bool = False  # asks for JSON, as grid.js does
    writes: bool = False  # `data` changes the database

    def post(self, **fields: Any) -> Case:
        return replace(self, **{"method": "POST", "writes": True, **fields})


def _grid(c: SimpleNamespace) -> dict[str, int]:
    return {"class_id": c.class_6a.pk, "subject_id": c.math.pk}


def _lesson(c: SimpleNamespace) -> dict[str, int]:
    return {"lesson_id": c.lesson.pk}


def _student(c: SimpleNamespace) -> dict[str, int]:
    return {"student_id": c.nikolaev.pk}


def _class(c: SimpleNamespace) -> dict[str, int]:
    return {"class_id": c.class_6a.pk}


def _lesson_form(c: SimpleNamespace) -> dict[str, Any]:
    return {
        "action": "save",
        "topic": "Дроби",
        "homework": "№ 12",
        "control_type": "quiz",
        "room": "305",
        "status": "planned",
    }


LESSON = Case("lesson", "subject_teacher", kwargs=_lesson)
CLASS_WEEK = Case("setup:class_week", "curator", kwargs=_class)

CASES: dict[str, Case] = {
    # The teacher's journal.
    "teacher_home": Case("teacher_home", "subject_teacher"),
    "grid": Case(
        "grid",
        "subject_teacher",
        kwargs=_grid,
        data=lambda c: {"period": c.quarter.pk, "group": c.group.pk},
        params=(Param("period", EMPTY), Param("group", EMPTY)),
        refused=404,
    ),
    "lesson": LESSON,
    "lesson-save": LESSON.post(
        data=_lesson_form,
        params=(
            Param("action", refused=400),  # "Неизвестное действие."
            Param("topic", TEXT),
            Param("homework", TEXT),
            Param("homework_due", EMPTY),  # empty: the next lesson
            Param("control_type", EMPTY),
            Param("room", TEXT),
            Param("status"),
        ),
        ok=302,
    ),
    # The curator changes the frame of a lesson: its room, status and teacher (a substitute).
    "lesson-frame": Case("lesson", "curator", kwargs=_lesson).post(
        data=lambda c: {
            "action": "save",
            "room": "101",
            "status": "planned",
            "teacher": c.ivanova.pk,
        },
        params=(Param("room", TEXT), Param("status"), Param("teacher")),
        ok=302,
    ),
    "lesson-file_add": LESSON.post(
        data=lambda c: {
            "action": "file_add",
            "file": SimpleUploadedFile("задачи.pdf", b"%PDF-1.4", "application/pdf"),
        },
        params=(Param("file"),),
        ok=302,
    ),
    "lesson-file_delete": LESSON.post(
        data=lambda c: {"action": "file_delete", "file": c.homework_file.pk},
        params=(Param("file"),),
        ok=302,
        refused=404,
    ),
    "cell": Case(
        "cell",
        "subject_teacher",
        kwargs=lambda c: {"lesson_id": c.lesson.pk, "student_id": c.nikolaev.pk},
        json=True,
    ).post(
        data=lambda c: {
            "value": "5",
            "weight": "2",
            "comment": "у доски",
            "reason": "",
            "group": c.group.pk,
        },
        params=(
            # The cell's text as typed: "" clears it, spaces around a mark are dropped.
            Param("value", TYPED),
            Param("weight", EMPTY),
            Param("comment", TEXT),
            Param("reason", EMPTY),
            Param("group", EMPTY),
        ),
        refused=400,
    ),
    "final": Case(
        "final",
        "subject_teacher",
        kwargs=lambda c: {**_grid(c), "student_id": c.nikolaev.pk},
        json=True,
    ).post(
        data=lambda c: {"period": c.quarter.pk, "value": "5", "group": c.group.pk},
        # The final mark as typed: "" clears it, spaces around it are dropped.
        params=(Param("period"), Param("value", TYPED), Param("group", EMPTY)),
        refused=400,
    ),
    "remark_add": Case("remark_add", "subject_teacher", kwargs=_student, json=True).post(
        data=lambda c: {"text": "Забыл тетрадь.", "lesson": c.lesson.pk, "next": "/journal/"},
        params=(Param("text", REQUIRED_TEXT), Param("lesson", EMPTY), Param("next", ANY)),
        refused=400,
    ),
    # The diary, as a parent reads it. A week or period that isn't one opens the current one.
    "diary_home": Case("diary_home", "parent", ok=302),
    "diary_week": Case(
        "diary_week",
        "parent",
        kwargs=_student,
        data=lambda c: {"week": "2026-11-16"},
        params=(Param("week", ANY),),
    ),
    "marks": Case(
        "marks",
        "parent",
        kwargs=_student,
        data=lambda c: {"period": c.quarter.pk},
        params=(Param("period", ANY),),
    ),
    "marks_year": Case("marks_year", "parent", kwargs=_student),
    "week_sign": Case("week_sign", "parent", kwargs=_student).post(
        data=lambda c: {"week": "2026-11-16"}, params=(Param("week"),), ok=302, refused=400
    ),
    "homework_file": Case(
        "homework_file", "parent", kwargs=lambda c: {"file_id": c.homework_file.pk}
    ),
    # The class teacher's pages.
    "class_summary": Case(
        "class_summary",
        "class_teacher",
        kwargs=_class,
        data=lambda c: {"period": c.quarter.pk},
        params=(Param("period", EMPTY),),
        refused=404,
    ),
    "class_summary_xlsx": Case(
        "class_summary_xlsx",
        "class_teacher",
        kwargs=_class,
        data=lambda c: {"period": c.quarter.pk},
        params=(Param("period", EMPTY),),
        refused=404,
    ),
    # A refused filter is shown on the form, and the log is unfiltered by it.
    "class_audit": Case(
        "class_audit",
        "class_teacher",
        kwargs=_class,
        data=lambda c: {"subject": c.math.pk, "student": c.nikolaev.pk},
        params=(Param("subject", EMPTY), Param("student", EMPTY)),
    ),
    # The curator's set-up (curator/schedule/): a refused form comes back with the reason.
    "setup:index": Case("setup:index", "curator"),
    "setup:bells": Case("setup:bells", "curator"),
    "setup:bells-save": Case("setup:bells", "curator").post(
        data=lambda c: {"start_1": "08:00", "end_1": "08:45", "start_2": "08:55", "end_2": "09:40"},
        params=(Param("start_1"), Param("end_1"), Param("start_2"), Param("end_2")),
        ok=302,
    ),
    "setup:bells-default": Case("setup:bells", "curator").post(
        data=lambda c: {"default": "1"}, params=(Param("default", ANY),), ok=302
    ),
    "setup:holidays": Case("setup:holidays", "curator"),
    "setup:holidays-add": Case("setup:holidays", "curator").post(
        data=lambda c: {
            "name": "Новогодние каникулы",
            "kind": "vacation",
            "starts_on": "2026-12-29",
            "ends_on": "2027-01-08",
        },
        params=(
            Param("name", REQUIRED_TEXT),
            Param("kind"),
            Param("starts_on"),
            Param("ends_on"),
        ),
        ok=302,
    ),
    # A holiday that isn't one: "already deleted", and back to the list.
    "setup:holiday_delete": Case("setup:holiday_delete", "curator").post(
        data=lambda c: {"holiday": c.holiday.pk}, params=(Param("holiday"),), ok=302, refused=302
    ),
    "setup:lessons_generate": Case("setup:lessons_generate", "curator"),
    "setup:lessons_generate-post": Case("setup:lessons_generate", "curator").post(
        data=lambda c: {
            "starts_on": "2026-11-30",
            "ends_on": "2026-12-05",
            "school_class": c.class_6a.pk,
        },
        params=(Param("starts_on"), Param("ends_on"), Param("school_class", EMPTY)),
        ok=302,
    ),
    # ?weekday=&number= only pre-fill the slot form.
    "setup:class_week": Case(
        "setup:class_week",
        "curator",
        kwargs=_class,
        data=lambda c: {"weekday": "2", "number": "3"},
        params=(Param("weekday", ANY), Param("number", ANY)),
    ),
    "setup:class_week-set": CLASS_WEEK.post(
        data=lambda c: {
            "weekday": "2",
            "number": "3",
            "subject": c.math.pk,
            "teacher": c.petrov.pk,
            "group": "",
            "room": "14",
        },
        params=(
            Param("weekday"),
            Param("number"),
            Param("subject"),
            Param("teacher"),
            Param("group", EMPTY),
            Param("room", TEXT),
        ),
        ok=302,
    ),
    "setup:entry_clear": Case("setup:entry_clear", "curator", kwargs=_class).post(
        data=lambda c: {"entry": c.entry.pk}, params=(Param("entry"),), ok=302
    ),
    "setup:assignment_add": Case("setup:assignment_add", "curator", kwargs=_class).post(
        data=lambda c: {"teacher": c.sidorova.pk, "subject": c.russian.pk, "group": ""},
        params=(Param("teacher"), Param("subject"), Param("group", EMPTY)),
        ok=302,
    ),
    "setup:assignment_remove": Case("setup:assignment_remove", "curator", kwargs=_class).post(
        data=lambda c: {"assignment": c.assignment.pk}, params=(Param("assignment"),), ok=302
    ),
    "setup:group_add": Case("setup:group_add", "curator", kwargs=_class).post(
        data=lambda c: {"subject": c.russian.pk, "name": "2 группа", "students": [c.ershova.pk]},
        params=(Param("subject"), Param("name", REQUIRED_TEXT), Param("students")),
        ok=302,
    ),
    "setup:group_members": Case("setup:group_members", "curator", kwargs=_class).post(
        data=lambda c: {"group": c.group.pk, "students": [c.nikolaev.pk, c.ershova.pk]},
        params=(Param("group"), Param("students")),
        ok=302,
    ),
}


ROUTES = {route.name: route for route in routes_under("")}
NAMESPACES = ("journal", "setup")


def _full_name(url: str) -> str:
    return url if ":" in url else f"journal:{url}"


def _path_params(case: Case) -> tuple[str, ...]:
    route = ROUTES.get(_full_name(case.url))
    return route.params if route is not None else ()


# Every parameter of every case, the path's included: (case, where, parameter).
SLOTS = [
    pytest.param(name, where, param, id=f"{name}-{where}-{param.name}")
    for name, case in CASES.items()
    for where, params in (
        ("path", [Param(p) for p in _path_params(case)]),
        ("request", case.params),
    )
    for param in params
]
SENTINEL = 987654321  # stands for the path parameter being replaced


@pytest.fixture
def cast(
    school,
    class_6a,
    math,
    russian,
    math_lesson,
    nikolaev,
    ershova,
    nikolaeva,
    petrov,
    ivanova,
    sidorova,
    curator,
):
    group = GroupFactory(school_class=class_6a, subject=math, name="1 группа", members=[nikolaev])
    return SimpleNamespace(
        school=school,
        class_6a=class_6a,
        math=math,
        russian=russian,
        lesson=math_lesson,
        quarter=class_6a.year.periods.get(number=2),
        group=group,
        nikolaev=nikolaev,
        ershova=ershova,
        nikolaeva=nikolaeva,
        petrov=petrov,
        ivanova=ivanova,
        sidorova=sidorova,
        curator=curator,
        holiday=Holiday.objects.create(
            school=school,
            year=class_6a.year,
            name="Карантин",
            starts_on=dt.date(2026, 12, 7),
            ends_on=dt.date(2026, 12, 9),
        ),
        homework_file=HomeworkFile.objects.create(
            school=school,
            homework=HomeworkFactory(lesson=math_lesson),
            name="карточка.pdf",
            file=ContentFile(b"%PDF", "k.pdf"),
        ),
        entry=TimetableEntryFactory(
            school_class=class_6a, weekday=1, number=1, subject=math, teacher=petrov
        ),
        assignment=TeachingAssignment.objects.get(teacher=petrov, school_class=class_6a),
    )


def _state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the project's apps (the cast's school is small)."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for model in apps.get_models()
        if model.__module__.startswith("ejournal.")
    }


def _call(client, case: Case, cast: SimpleNamespace, *, path=None, request=None):
    """The case's request; `path` or `request`: (parameter, value) to put in its place."""
    kwargs = case.kwargs(cast)
    data = case.data(cast)
    url_name = _full_name(case.url)
    if path is not None:
        url = reverse(url_name, kwargs={**kwargs, path[0]: SENTINEL})
        url = url.replace(f"/{SENTINEL}/", f"/{quote(path[1], safe='')}/")
    else:
        url = reverse(url_name, kwargs=kwargs)
    if request is not None:
        name, value = request
        data[name] = [value] if isinstance(data.get(name), list) else value
    headers = {"HTTP_ACCEPT": "application/json"} if case.json else {}
    send = client.post if case.method == "POST" else client.get
    return send(url, data, **headers)


def _client(client_for, case: Case, cast: SimpleNamespace):
    return client_for(cast.school, ROLES[case.role](cast))


def test_every_endpoint_is_in_the_table():
    served = {name for name in ROUTES if name.split(":")[0] in NAMESPACES}
    assert {"journal:cell", "journal:final", "setup:group_members"} <= served
    covered = {_full_name(case.url) for case in CASES.values()}
    assert sorted(served - covered) == [], "endpoints without a row in CASES"
    assert sorted(covered - served) == [], "rows for URLs that no longer exist"


@pytest.mark.parametrize("name", CASES)
def test_the_valid_request_works(client_for, cast, name):
    """The table's requests are right, so that a refusal below is the odd value's doing;
    and a POST's request writes, so that "nothing written" below means something."""
    case = CASES[name]
    client = _client(client_for, case, cast)
    before = _state()

    response = _call(client, case, cast)

    assert response.status_code == case.ok
    assert (_state() != before) == case.writes


@pytest.mark.parametrize(("name", "where", "param"), SLOTS)
def test_an_odd_value_is_refused_without_a_500_and_writes_nothing(
    client_for, cast, name, where, param
):
    case = CASES[name]
    client = _client(client_for, case, cast)
    before = _state()
    for value in ODD:
        response = _call(client, case, cast, **{where: (param.name, value)})

        after = _state()
        if value in param.takes:
            assert response.status_code == case.ok, f"{param.name}={value!r}"
        else:
            expected = 404 if where == "path" else param.refused or case.refused
            assert response.status_code == expected, f"{param.name}={value!r}"
            assert after == before, f"{param.name}={value!r} was refused but wrote"
        before = after
