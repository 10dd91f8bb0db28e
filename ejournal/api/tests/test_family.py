"""/api/v1's diary for students and parents: periods, days, homework files, marks, finals,
signatures; and who may read which student's (the journal's cast, on Thursday 26.11.2026)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile

from ejournal.accounts.api_tokens import api_token_create
from ejournal.core.testing.factories import StudentFactory
from ejournal.core.testing.journal_factories import (
    AttendanceFactory,
    FinalMarkFactory,
    HomeworkFactory,
    LessonFactory,
    MarkFactory,
    RemarkFactory,
)
from ejournal.journal.models import Bell, HomeworkFile, WeekSignature
from ejournal.journal.selectors import marks_for_period, mean
from ejournal.journal.tests.conftest import (
    MONDAY,
    ROLES,
    _school_day,  # noqa: F401  (autouse: the school day)
)
from ejournal.schools.models import AcademicYear, Guardianship, Period, PeriodStatus

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + dt.timedelta(days=1)
WEDNESDAY = MONDAY + dt.timedelta(days=2)
THURSDAY = MONDAY + dt.timedelta(days=3)
NOT_FOUND = {"errors": [{"param": None, "code": "not_found", "message": "Не найдено."}]}


def _client(api_client, user):
    _, key = api_token_create(user=user, device="Pixel")
    return api_client(user.school, key)


def _diary(student, first: dt.date | None = None, last: dt.date | None = None) -> str:
    query = "&".join(
        f"{name}={day.isoformat()}" for name, day in (("from", first), ("to", last)) if day
    )
    return f"/api/v1/students/{student.pk}/diary" + (f"?{query}" if query else "")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def week(media, school, class_6a, math, russian, petrov, ivanova, nikolaev, math_lesson):
    """Nikolaev's week: a 4 (×2) on Tuesday's maths, absent (ill) from Wednesday's Russian,
    and Tuesday's maths homework with a file, due at Thursday's maths (where he got a 5)."""
    russian_lesson = LessonFactory(
        school_class=class_6a, subject=russian, teacher=ivanova, date=WEDNESDAY, number=1
    )
    thursday_math = LessonFactory(
        school_class=class_6a,
        subject=math,
        teacher=petrov,
        date=THURSDAY,
        number=3,
        topic="Дроби",
        control_type="quiz",
        room="305",
    )
    mark = MarkFactory(lesson=math_lesson, student=nikolaev, value=4, weight=2, comment="устно")
    MarkFactory(lesson=thursday_math, student=nikolaev, value=5)
    AttendanceFactory(lesson=russian_lesson, student=nikolaev, reason="illness")
    homework = HomeworkFactory(lesson=math_lesson, due_lesson=thursday_math, text="№ 5, 6")
    homework_file = HomeworkFile(school_id=school.pk, homework=homework, name="Задание №5.pdf")
    homework_file.file.save("zadanie.pdf", ContentFile(b"%PDF-1.4 homework"), save=True)
    return {
        "russian": russian_lesson,
        "thursday_math": thursday_math,
        "mark": mark,
        "homework": homework,
        "file": homework_file,
    }


def _json_time(moment: dt.datetime) -> str:
    """As the API's JSON writes a moment: in UTC, to the millisecond."""
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _bell(school, number: int) -> tuple[str, str]:
    bell = Bell.objects.get(school=school, number=number)
    return bell.starts_at.strftime("%H:%M"), bell.ends_at.strftime("%H:%M")


def test_a_student_reads_their_diary_with_a_mark_an_absence_and_homework_due(
    school, nikolaev, math, russian, math_lesson, week, api_client, django_assert_num_queries
):
    client = _client(api_client, nikolaev.user)
    # The school, the token, its user and its first use noted (three), the student with
    # class and year (the student's own: no other check); diary_between's eight.
    with django_assert_num_queries(13):
        response = client.get(_diary(nikolaev, TUESDAY, THURSDAY))
    assert response.status_code == 200
    homework_file = week["file"]
    starts_2, ends_2 = _bell(school, 2)
    starts_1, ends_1 = _bell(school, 1)
    starts_3, ends_3 = _bell(school, 3)
    assert response.json() == {
        "student_id": nikolaev.pk,
        "first": "2026-11-24",
        "last": "2026-11-26",
        "days": [
            {
                "date": "2026-11-24",
                "holiday": None,
                "lessons": [
                    {
                        "id": math_lesson.pk,
                        "number": 2,
                        "subject": {"id": math.pk, "name": "Математика"},
                        "teacher": "Петров Олег Николаевич",
                        "group": None,
                        "room": "201",
                        "starts_at": starts_2,
                        "ends_at": ends_2,
                        "status": "planned",
                        "topic": "",
                        "control_type": None,
                        "mark": {"value": 4, "weight": 2, "comment": "устно"},
                        "attendance": None,
                        "homework": [],
                    }
                ],
            },
            {
                "date": "2026-11-25",
                "holiday": None,
                "lessons": [
                    {
                        "id": week["russian"].pk,
                        "number": 1,
                        "subject": {"id": russian.pk, "name": "Русский язык"},
                        "teacher": "Иванова Мария Петровна",
                        "group": None,
                        "room": "201",
                        "starts_at": starts_1,
                        "ends_at": ends_1,
                        "status": "planned",
                        "topic": "",
                        "control_type": None,
                        "mark": None,
                        "attendance": {"status": "absent", "reason": "illness"},
                        "homework": [],
                    }
                ],
            },
            {
                "date": "2026-11-26",
                "holiday": None,
                "lessons": [
                    {
                        "id": week["thursday_math"].pk,
                        "number": 3,
                        "subject": {"id": math.pk, "name": "Математика"},
                        "teacher": "Петров Олег Николаевич",
                        "group": None,
                        "room": "305",
                        "starts_at": starts_3,
                        "ends_at": ends_3,
                        "status": "planned",
                        "topic": "Дроби",
                        "control_type": "quiz",
                        "mark": {"value": 5, "weight": 1, "comment": ""},
                        "attendance": None,
                        "homework": [
                            {
                                "id": week["homework"].pk,
                                "text": "№ 5, 6",
                                "set_on": "2026-11-24",
                                "undated": False,
                                "files": [
                                    {
                                        "id": homework_file.pk,
                                        "name": "Задание №5.pdf",
                                        "size": 17,
                                        "url": f"/api/v1/homework-files/{homework_file.pk}",
                                    }
                                ],
                            }
                        ],
                    }
                ],
            },
        ],
        "signed_weeks": [],
        "remarks": None,
    }

    download = client.get(f"/api/v1/homework-files/{homework_file.pk}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 homework"
    assert download["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''%D0%97%D0%B0%D0%B4%D0%B0%D0%BD%D0%B8%D0%B5"
        in (download["Content-Disposition"])
    )
    assert download["Cache-Control"] == "private, no-store"


def test_without_dates_the_diary_is_this_week_monday_to_saturday(nikolaev, api_client):
    body = _client(api_client, nikolaev.user).get(_diary(nikolaev)).json()
    assert (body["first"], body["last"]) == ("2026-11-23", "2026-11-28")
    assert [day["date"] for day in body["days"]] == [
        (MONDAY + dt.timedelta(days=n)).isoformat() for n in range(6)
    ]


def test_one_date_alone_is_the_six_days_that_start_or_end_there(nikolaev, api_client):
    client = _client(api_client, nikolaev.user)
    body = client.get(_diary(nikolaev, first=TUESDAY)).json()
    assert (body["first"], body["last"]) == ("2026-11-24", "2026-11-29")
    body = client.get(_diary(nikolaev, last=TUESDAY)).json()
    assert (body["first"], body["last"]) == ("2026-11-19", "2026-11-24")


def test_a_parent_of_two_children_reads_each_diary(
    school, class_6b, nikolaev, nikolaeva, math_lesson, week, api_client
):
    sister = StudentFactory(school_class=class_6b, last_name="Николаева", first_name="Анна")
    Guardianship.objects.create(school=school, parent=nikolaeva, student=sister)
    LessonFactory(school_class=class_6b, date=TUESDAY, number=4)
    client = _client(api_client, nikolaeva)

    son = client.get(_diary(nikolaev, TUESDAY, TUESDAY)).json()
    daughter = client.get(_diary(sister, TUESDAY, TUESDAY)).json()

    assert [lesson["mark"] for lesson in son["days"][0]["lessons"]] == [
        {"value": 4, "weight": 2, "comment": "устно"}
    ]
    assert [
        (day["date"], [lesson["number"] for lesson in day["lessons"]]) for day in daughter["days"]
    ] == [("2026-11-24", [4])]
    assert (son["remarks"], daughter["remarks"]) == ([], [])
    assert client.get(f"/api/v1/homework-files/{week['file'].pk}").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/students/{id}/diary",
        "/api/v1/students/{id}/periods",
        "/api/v1/students/{id}/marks",
        "/api/v1/students/{id}/finals",
    ],
)
def test_another_familys_child_and_another_classs_pupil_are_404(
    school, path, nikolaeva, nikolaev, borisov, api_client
):
    """The parent of Николаев asks for Борисов (6Б); Николаев (6А) asks for him too."""
    for user in (nikolaeva, nikolaev.user):
        response = _client(api_client, user).get(path.format(id=borisov.pk))
        assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_another_familys_homework_file_is_404(school, borisova, week, api_client):
    response = _client(api_client, borisova).get(f"/api/v1/homework-files/{week['file'].pk}")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


@pytest.mark.parametrize(("query", "param"), [("from=9999-12-31", "from"), ("to=0001-01-01", "to")])
def test_one_date_alone_far_out_is_422_not_an_overflow(nikolaev, api_client, query, param):
    response = _client(api_client, nikolaev.user).get(
        f"/api/v1/students/{nikolaev.pk}/diary?{query}"
    )
    assert (response.status_code, [e["param"] for e in response.json()["errors"]]) == (
        422,
        [param],
    )


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        (
            "from=2026-11-26&to=2026-11-23",
            [{"param": None, "code": "invalid", "message": "Начало периода позже его конца."}],
        ),
        (
            "from=2026-09-01&to=2026-12-31",
            [
                {
                    "param": None,
                    "code": "invalid",
                    "message": "Можно запросить не больше 93 дней за раз.",
                }
            ],
        ),
        (
            "from=2026-11-31",
            [{"param": "from", "code": "invalid", "message": "Неверное значение."}],
        ),
        (
            "from=9999-12-31&to=9999-12-31",
            [
                {
                    "param": name,
                    "code": "invalid",
                    "message": "Дата должна быть между 03.01.2000 и 27.12.2100.",
                }
                for name in ("from", "to")
            ],
        ),
    ],
)
def test_a_bad_range_is_422_in_russian(nikolaev, api_client, query, errors):
    response = _client(api_client, nikolaev.user).get(
        f"/api/v1/students/{nikolaev.pk}/diary?{query}"
    )
    assert (response.status_code, response.json()) == (422, {"errors": errors})


def test_remarks_are_for_the_parent_not_the_student(
    school, nikolaev, nikolaeva, math, math_lesson, ivanova, api_client
):
    author = ivanova.user
    author.last_name, author.first_name = "Иванова", "Мария"
    author.save(update_fields=["last_name", "first_name"])
    remark = RemarkFactory(student=nikolaev, lesson=math_lesson, author=author)
    path = _diary(nikolaev, MONDAY, THURSDAY)

    assert _client(api_client, nikolaev.user).get(path).json()["remarks"] is None
    assert _client(api_client, nikolaeva).get(path).json()["remarks"] == [
        {
            "text": "Забыл тетрадь.",
            "author": "Иванова Мария",
            "created_at": _json_time(remark.created_at),
            "subject": {"id": math.pk, "name": "Математика"},
        }
    ]


def test_periods_carry_their_closed_and_current_flags(
    school, nikolaev, quarter_1, quarter_2, api_client
):
    quarter_1.status = PeriodStatus.CLOSED
    quarter_1.save(update_fields=["status"])
    body = _client(api_client, nikolaev.user).get(f"/api/v1/students/{nikolaev.pk}/periods").json()
    periods = list(nikolaev.school_class.year.periods.order_by("number"))
    assert body == [
        {
            "id": period.pk,
            "number": period.number,
            "name": f"{period.number} четверть",
            "starts_on": period.starts_on.isoformat(),
            "ends_on": period.ends_on.isoformat(),
            "closed": period == quarter_1,
            "current": period == quarter_2,
        }
        for period in periods
    ]


def test_marks_have_the_weighted_average_of_the_marks_page(
    school,
    nikolaev,
    nikolaeva,
    math,
    russian,
    quarter_2,
    week,
    api_client,
    django_assert_num_queries,
):
    FinalMarkFactory(student=nikolaev, subject=math, period=quarter_2, value=4)
    client = _client(api_client, nikolaeva)
    client.get(f"/api/v1/students/{nikolaev.pk}/periods")  # the token's first use noted
    # The token with its user (the host's school is known since the first request);
    # marks_for_period's three. The parent's children and the year's periods were kept by the
    # first request (core.freshness).
    with django_assert_num_queries(4):
        response = client.get(f"/api/v1/students/{nikolaev.pk}/marks")
    assert response.status_code == 200
    page = marks_for_period(student=nikolaev, period=quarter_2)
    math_row = next(item for item in page if item.subject == math)
    assert str(math_row.average) == "4.33"
    assert response.json() == {
        "period": {"id": quarter_2.pk, "number": 2, "name": "2 четверть"},
        "subjects": [
            {
                "subject": {"id": math.pk, "name": "Математика"},
                "marks": [
                    {
                        "value": 4,
                        "weight": 2,
                        "comment": "устно",
                        "date": "2026-11-24",
                        "lesson_id": week["mark"].lesson_id,
                        "control_type": None,
                    },
                    {
                        "value": 5,
                        "weight": 1,
                        "comment": "",
                        "date": "2026-11-26",
                        "lesson_id": week["thursday_math"].pk,
                        "control_type": "quiz",
                    },
                ],
                "average": str(math_row.average),
                "final": 4,
            },
            {
                "subject": {"id": russian.pk, "name": "Русский язык"},
                "marks": [],
                "average": None,
                "final": None,
            },
        ],
        "average": str(mean(item.average for item in page)),
    }


def test_marks_of_an_earlier_period_and_of_another_years_period(
    school, nikolaev, math, quarter_1, api_client
):
    lesson = LessonFactory(
        school_class=nikolaev.school_class, subject=math, date=dt.date(2026, 9, 3)
    )
    MarkFactory(lesson=lesson, student=nikolaev, value=3)
    last_year = AcademicYear.objects.create(
        school=school, starts_on=dt.date(2025, 9, 1), ends_on=dt.date(2026, 5, 31)
    )
    foreign = Period.objects.create(
        school=school,
        year=last_year,
        number=1,
        starts_on=last_year.starts_on,
        ends_on=dt.date(2025, 10, 26),
    )
    client = _client(api_client, nikolaev.user)

    body = client.get(f"/api/v1/students/{nikolaev.pk}/marks?period={quarter_1.pk}").json()
    assert body["period"]["name"] == "1 четверть"
    assert [(s["subject"]["name"], s["average"]) for s in body["subjects"]] == [
        ("Математика", "3.00")
    ]
    assert body["average"] == "3.00"

    response = client.get(f"/api/v1/students/{nikolaev.pk}/marks?period={foreign.pk}")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_finals_by_subject_and_period(
    school, nikolaev, math, russian, quarter_1, quarter_2, api_client
):
    FinalMarkFactory(student=nikolaev, subject=math, period=quarter_2, value=5)
    FinalMarkFactory(student=nikolaev, subject=math, period=quarter_1, value=4)
    FinalMarkFactory(student=nikolaev, subject=russian, period=quarter_1, value=3)
    body = _client(api_client, nikolaev.user).get(f"/api/v1/students/{nikolaev.pk}/finals").json()
    q1 = {"id": quarter_1.pk, "number": 1, "name": "1 четверть"}
    q2 = {"id": quarter_2.pk, "number": 2, "name": "2 четверть"}
    assert body == [
        {
            "subject": {"id": math.pk, "name": "Математика"},
            "finals": [{"period": q1, "value": 4}, {"period": q2, "value": 5}],
        },
        {
            "subject": {"id": russian.pk, "name": "Русский язык"},
            "finals": [{"period": q1, "value": 3}],
        },
    ]


def _signature(student, monday: dt.date | str) -> str:
    day = monday.isoformat() if isinstance(monday, dt.date) else monday
    return f"/api/v1/students/{student.pk}/weeks/{day}/signature"


def test_a_parent_signs_a_week_once_and_the_diary_shows_it(nikolaev, nikolaeva, api_client):
    client = _client(api_client, nikolaeva)
    first = client.post(_signature(nikolaev, MONDAY), {})
    again = client.post(_signature(nikolaev, MONDAY), {})
    assert (first.status_code, again.status_code) == (201, 201)
    signature = WeekSignature.objects.get()
    assert (
        first.json()
        == again.json()
        == {
            "week_start": "2026-11-23",
            "signed_at": _json_time(signature.signed_at),
        }
    )
    assert client.get(_diary(nikolaev)).json()["signed_weeks"] == ["2026-11-23"]


@pytest.mark.parametrize(
    ("monday", "code", "message"),
    [
        ("2026-11-30", "refused", "Эта неделя ещё не началась."),
        ("2026-11-24", "refused", "Неделя начинается с понедельника."),
        ("2026-11-99", "invalid", "Неверное значение."),
        ("0001-01-01", "invalid", "Дата должна быть между 03.01.2000 и 27.12.2100."),
    ],
)
def test_a_future_week_a_day_not_a_monday_and_a_bad_date_are_422(
    nikolaev, nikolaeva, api_client, monday, code, message
):
    response = _client(api_client, nikolaeva).post(_signature(nikolaev, monday), {})
    assert (response.status_code, response.json()) == (
        422,
        {"errors": [{"param": "monday", "code": code, "message": message}]},
    )
    assert not WeekSignature.objects.exists()


def test_a_student_cannot_sign_their_own_week(nikolaev, api_client):
    response = _client(api_client, nikolaev.user).post(_signature(nikolaev, MONDAY), {})
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert not WeekSignature.objects.exists()


# Who may use which endpoint: each role of the journal's cast, for Николаев (6А).
ENDPOINTS = ["periods", "diary", "marks", "finals", "file", "signature"]
READ = {
    "student": 200,
    "another_student": 404,
    "parent": 200,
    "another_parent": 404,
    "subject_teacher": 200,
    "another_teacher": 404,
    "class_teacher": 200,
    "curator": 200,
    "another_schools_curator": 404,  # at their school's address, for this school's ids
    "anonymous": 401,
}
EXPECTED = {
    **dict.fromkeys(("periods", "diary", "marks", "finals"), READ),
    # The classmate attends the lesson the file was set at.
    "file": {**READ, "another_student": 200},
    "signature": {
        **dict.fromkeys(READ, 404),
        "parent": 201,
        "anonymous": 401,
    },
}


@pytest.fixture
def role_api_clients(api_client, school, role_users):
    clients = {role: _client(api_client, user) for role, user in role_users.items()}
    clients["anonymous"] = api_client(school)
    return clients


def test_the_permission_table(school, nikolaev, week, role_api_clients):
    paths = {
        "periods": f"/api/v1/students/{nikolaev.pk}/periods",
        "diary": _diary(nikolaev),
        "marks": f"/api/v1/students/{nikolaev.pk}/marks",
        "finals": f"/api/v1/students/{nikolaev.pk}/finals",
        "file": f"/api/v1/homework-files/{week['file'].pk}",
    }
    table = {}
    for endpoint in ENDPOINTS:
        for role in ROLES:
            client = role_api_clients[role]
            if endpoint == "signature":
                response = client.post(_signature(nikolaev, MONDAY), {})
            else:
                response = client.get(paths[endpoint])
            table[endpoint, role] = response.status_code
    assert table == {
        (endpoint, role): EXPECTED[endpoint][role] for endpoint in ENDPOINTS for role in ROLES
    }
