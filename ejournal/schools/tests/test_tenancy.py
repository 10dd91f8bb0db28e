"""One school's curator pages never show or touch another school's records.

School A is the `school` fixture (1399) with its curator; school B is `other_school` (1400).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from ejournal.audit.models import AuditEvent
from ejournal.core.testing.factories import (
    SchoolClassFactory,
    StudentFactory,
    TeacherFactory,
    UserFactory,
)
from ejournal.core.testing.urls import Route, reverse_route, routes_under
from ejournal.schools.models import (
    Guardianship,
    Period,
    RosterImport,
    SchoolClass,
    Student,
    Teacher,
)
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db

# Every curator URL, from the URL resolver: a page added later is covered without an edit here.
CURATOR_ROUTES = routes_under("curator/")

# Names that exist only at school B: none may ever appear on a page of school A.
B_NAMES = ("Посторонний", "Чужакова", "Залётный", "Школа №1400", "9Я")


@pytest.fixture
def a(school):
    """School A's class 6А with a class teacher and a student."""
    teacher = TeacherFactory(school=school, last_name="Иванова", first_name="Мария")
    school_class = SchoolClassFactory(school=school, grade=6, letter="А", class_teacher=teacher)
    student = StudentFactory(
        school_class=school_class,
        last_name="Николаев",
        first_name="Василий",
        user=UserFactory(school=school, role=Role.STUDENT, last_name="Николаев"),
    )
    return _records(school_class=school_class, student=student, teacher=teacher)


@pytest.fixture
def b(other_school):
    """School B's records: a class 9Я, its teacher, students with accounts and a parent."""
    teacher = TeacherFactory(school=other_school, last_name="Чужакова", first_name="Дарья")
    school_class = SchoolClassFactory(
        school=other_school, grade=9, letter="Я", class_teacher=teacher
    )
    student = StudentFactory(
        school_class=school_class,
        last_name="Посторонний",
        first_name="Глеб",
        birth_date=dt.date(2011, 5, 5),
        user=UserFactory(school=other_school, role=Role.STUDENT, last_name="Посторонний"),
    )
    StudentFactory(school_class=school_class, last_name="Залётный", first_name="Игорь")
    Guardianship.objects.create(
        school=other_school,
        parent=UserFactory(school=other_school, role=Role.PARENT),
        student=student,
    )
    return _records(school_class=school_class, student=student, teacher=teacher)


def _records(*, school_class, student, teacher) -> dict[str, object]:
    """The school's records that curator URLs name, with a roster import of the class and the
    class's year's first period."""
    roster = RosterImport.objects.create(
        school=school_class.school, filename=f"{school_class.label}.csv", rows=[]
    )
    return {
        "class": school_class,
        "student": student,
        "teacher": teacher,
        "import": roster,
        "user": student.user,
        "period": Period.objects.filter(year=school_class.year).order_by("number").first(),
    }


def _values(records) -> dict[str, object]:
    """A value for each parameter a curator URL takes, from these records."""
    return {
        "class_id": records["class"].pk,
        "student_id": records["student"].pk,
        "teacher_id": records["teacher"].pk,
        "import_id": records["import"].pk,
        "user_id": records["user"].pk,
        "role": "student",
        "person_id": records["student"].pk,
        "period_id": records["period"].pk,
    }


def _urls(records) -> list[tuple[Route, str]]:
    """Every curator URL that names a record, for these records."""
    values = _values(records)
    (student_create,) = [r for r in CURATOR_ROUTES if r.name == "schools:student_create"]
    return [
        *((route, reverse_route(route, values)) for route in CURATOR_ROUTES if route.params),
        (student_create, reverse("schools:student_create") + f"?class={records['class'].pk}"),
        (_issue_route(), reverse("invitations:issue") + f"?class={records['class'].pk}"),
    ]


def _issue_route() -> Route:
    return next(r for r in CURATOR_ROUTES if r.name == "invitations:issue")


def _all_curator_urls(records) -> list[tuple[Route, str]]:
    """Every curator URL: the record's pages and the rest."""
    plain = [(route, reverse_route(route, {})) for route in CURATOR_ROUTES if not route.params]
    return [*plain, *_urls(records)]


def _visit(client, route: Route, url: str, data=None):
    """A page is read with GET; a URL that takes only POST is posted to."""
    if "GET" in route.methods:
        return client.get(url)
    return client.post(url, data or {})


def _b_untouched(b) -> None:
    student = Student.objects.get(pk=b["student"].pk)
    teacher = Teacher.objects.get(pk=b["teacher"].pk)
    assert (student.last_name, student.school_class_id, student.archived_at) == (
        "Посторонний",
        b["class"].pk,
        None,
    )
    assert (teacher.last_name, teacher.archived_at) == ("Чужакова", None)
    assert SchoolClass.objects.get(pk=b["class"].pk).class_teacher_id == b["teacher"].pk
    assert not AuditEvent.objects.filter(school=b["class"].school).exists()


def _assert_no_b_names(response) -> None:
    content = response.content.decode()
    for name in B_NAMES:
        assert name not in content, (response.request["PATH_INFO"], name)


# 1. Unknown hosts


@pytest.mark.parametrize(
    "host", ["9999.testserver.local", "evil.example", "1399.testserver.local.evil.example"]
)
def test_an_unknown_host_gets_a_plain_404_with_no_school_data(host, a, b, curator):
    client = Client(HTTP_HOST=host)
    client.force_login(curator)

    for path in ["/", "/login/", *(url for _, url in _all_curator_urls(a))]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"].startswith("text/plain")
        assert response.content == b"Not Found"


# 2. School A's curator asking for school B's records


def test_every_curator_url_with_another_schools_ids_is_404(curator_client, a, b):
    assert len(_urls(b)) >= 12
    for route, url in _urls(b):
        assert _visit(curator_client, route, url).status_code == 404, url

    _b_untouched(b)


def test_posting_to_another_schools_records_is_404_and_changes_nothing(curator_client, a, b):
    data = {
        "label": "9Я",
        "class_teacher": a["teacher"].pk,
        "school_class": a["class"].pk,
        "to_class": a["class"].pk,
        "last_name": "Взломов",
        "first_name": "Пётр",
        "birth_date": "01.01.2012",
    }
    for route, url in _urls(b):
        if "POST" in route.methods:
            assert curator_client.post(url, data).status_code == 404, url

    _b_untouched(b)
    assert not Student.objects.filter(last_name="Взломов").exists()


def test_another_schools_ids_in_a_form_are_refused_and_change_nothing(curator_client, a, b):
    appoint = curator_client.post(
        reverse("schools:class_edit", args=[a["class"].pk]), {"class_teacher": b["teacher"].pk}
    )
    move = curator_client.post(
        reverse("schools:student_move", args=[a["student"].pk]), {"to_class": b["class"].pk}
    )
    create = curator_client.post(
        reverse("schools:student_create"),
        {
            "school_class": b["class"].pk,
            "last_name": "Новиков",
            "first_name": "Лев",
            "birth_date": "01.01.2013",
        },
    )

    assert "Выберите учителя из списка." in appoint.content.decode()
    assert "Выберите класс из списка." in create.content.decode()
    # With no other class of A to offer, the move page offers nothing to pick.
    assert move.status_code == 200
    assert SchoolClass.objects.get(pk=a["class"].pk).class_teacher == a["teacher"]
    assert Student.objects.get(pk=a["student"].pk).school_class == a["class"]
    assert not Student.objects.filter(last_name="Новиков").exists()
    _b_untouched(b)


def test_moving_into_another_schools_class_is_refused_when_a_has_classes_to_offer(
    school, curator_client, a, b
):
    SchoolClassFactory(school=school, grade=6, letter="Б")

    response = curator_client.post(
        reverse("schools:student_move", args=[a["student"].pk]), {"to_class": b["class"].pk}
    )

    assert response.status_code == 200
    assert "Выберите класс из списка." in response.content.decode()
    assert Student.objects.get(pk=a["student"].pk).school_class == a["class"]


# 3. School B's names never appear at school A


def test_no_page_of_school_a_shows_school_bs_names(curator_client, a, b):
    for route, url in _all_curator_urls(a):
        if "GET" not in route.methods:
            continue
        response = curator_client.get(url)
        assert response.status_code == 200, url
        _assert_no_b_names(response)
    assert curator_client.get("/", follow=True).status_code == 200


def test_school_bs_curator_sees_only_school_bs_records(
    other_school, other_curator, client_for, a, b
):
    client = client_for(other_school, other_curator)

    classes = client.get(reverse("schools:class_list"))
    teachers = client.get(reverse("schools:teacher_list"))

    assert [c.label for c in classes.context["classes"]] == ["9Я"]
    assert [t.last_name for t in teachers.context["teachers"]] == ["Чужакова"]
    for route, url in _urls(a):
        assert _visit(client, route, url).status_code == 404, url


# 4. A session is valid only at its own school's address


def test_a_curators_session_presented_at_another_schools_host_is_not_logged_in(
    other_school, curator_client, client_for, a, b
):
    assert curator_client.get(reverse("schools:class_list")).status_code == 200
    session_key = curator_client.cookies[settings.SESSION_COOKIE_NAME].value
    thief = client_for(other_school)
    thief.cookies[settings.SESSION_COOKIE_NAME] = session_key

    response = thief.get(reverse("schools:class_list"))

    assert not response.wsgi_request.user.is_authenticated
    assertRedirects(
        response,
        reverse("accounts:login") + "?next=" + reverse("schools:class_list"),
        fetch_redirect_response=False,
    )
    for _, url in _urls(b):
        assert thief.get(url).status_code == 302, url
    # The copied session is ended, at its own school too.
    assert curator_client.get(reverse("schools:class_list")).status_code == 302


# 5. Only curators reach the curator's pages


@pytest.mark.parametrize("role", [Role.TEACHER, Role.STUDENT, Role.PARENT])
def test_logged_in_users_who_are_not_curators_get_404_and_change_nothing(
    school, client_for, a, role
):
    client = client_for(school, UserFactory(school=school, role=role))

    for _, url in _all_curator_urls(a):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"last_name": "Хакер", "first_name": "Пётр"}).status_code == 404

    assert Student.objects.get(pk=a["student"].pk).archived_at is None
    assert Teacher.objects.get(pk=a["teacher"].pk).archived_at is None
    assert not AuditEvent.objects.exists()
    assert not Teacher.objects.filter(last_name="Хакер").exists()


def test_visitors_are_sent_to_the_login_page(school, client_for, a):
    client = client_for(school)

    for _, url in _all_curator_urls(a):
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("accounts:login") + "?next=")
    assert Student.objects.get(pk=a["student"].pk).archived_at is None


def test_another_schools_curator_logged_in_here_is_a_visitor(school, other_curator, client_for, a):
    client = client_for(school, other_curator)

    response = client.get(reverse("schools:class_list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
