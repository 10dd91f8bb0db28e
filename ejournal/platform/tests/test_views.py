"""Support staff see no personal data: the operator's pages show schools, counts and health only."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ejournal.accounts.models import User
from ejournal.conftest import school_host
from ejournal.core.testing.factories import SchoolFactory, StudentFactory, UserFactory
from ejournal.demo.seed import CAST, CHILDREN
from ejournal.invitations.models import Invitation
from ejournal.notifications.models import Letter
from ejournal.schools.models import School, Student, Teacher
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db

PLATFORM_HOST = settings.EJOURNAL_BASE_DOMAIN
OPERATOR_LOGIN = "support-ops"
OPERATOR_PASSWORD = "Zhurnal2026"
DASHBOARD = reverse("platform:dashboard")
LOGIN = reverse("platform:login")
LOGOUT = reverse("platform:logout")
# Every page of the school's address that a session could try; all must refuse the operator.
SCHOOL_URLS = [
    "/",
    reverse("schools:class_list"),
    reverse("schools:teacher_list"),
    reverse("schools:roster_import"),
    reverse("invitations:issue"),
    reverse("accounts:support_users"),
    reverse("audit:events"),
]


@pytest.fixture
def operator(db):
    return UserFactory(school=None, role=Role.OPERATOR, login=OPERATOR_LOGIN)


@pytest.fixture
def platform_client():
    return Client(HTTP_HOST=PLATFORM_HOST)


@pytest.fixture
def operator_client(operator, platform_client):
    platform_client.force_login(operator)
    return platform_client


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return School.objects.get(number="1399")


def _personal_data() -> set[str]:
    """Every name, email and login of the seeded people: none may reach an operator's page."""
    values: set[str] = set()
    for user in User.objects.exclude(role=Role.OPERATOR):
        values |= {user.login, user.email, user.last_name, user.first_name, user.middle_name}
    for person in [*Student.objects.all(), *Teacher.objects.all()]:
        values |= {person.last_name, person.first_name, person.middle_name, person.full_name}
    for student in Student.objects.exclude(parent_email=""):
        values.add(student.parent_email)
    return {v for v in values if v}


def _assert_no_personal_data(response) -> None:
    content = response.content.decode()
    found = [v for v in _personal_data() if re.search(rf"(?<!\w){re.escape(v)}(?!\w)", content)]
    assert found == []


def _h1s(response):
    return re.findall(r"<h1[ >]", response.content.decode())


# The operator's pages show no personal data


def test_the_demo_cast_is_in_the_data_checked(demo):
    data = _personal_data()
    for member in CAST:
        assert {member.login, member.last_name, member.first_name} <= data
    for _label, last, first, _middle, _birth in CHILDREN:
        assert {last, first} <= data
    assert "nikolaeva@example.com" in data


def test_every_platform_page_shows_no_name_email_or_login(demo, operator, platform_client):
    login_page = platform_client.get(LOGIN)
    assert login_page.status_code == 200
    _assert_no_personal_data(login_page)

    response = platform_client.post(
        LOGIN, {"username": OPERATOR_LOGIN, "password": OPERATOR_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD

    for url in ("/", DASHBOARD, f"{DASHBOARD}?page=2", LOGIN):
        response = platform_client.get(url, follow=True)
        assert response.status_code == 200, url
        assert response.redirect_chain in ([], [(DASHBOARD, 302)]), url
        _assert_no_personal_data(response)
    dashboard = platform_client.get(DASHBOARD)
    assert len(_h1s(dashboard)) == 1
    assert "Школа №1399" in dashboard.content.decode()


def test_the_dashboard_counts_the_schools_people_and_codes(demo, operator_client):
    other = SchoolFactory(number="gym5", name="Гимназия №5")
    for n, redeemed_at in enumerate([None, None, timezone.now()]):
        Invitation.objects.create(
            school=demo,
            role=Role.CURATOR,
            code_hash=f"hash{n}",
            expires_at=timezone.now(),
            redeemed_at=redeemed_at,
        )

    stats = {row.school.number: row for row in operator_client.get(DASHBOARD).context["stats"]}

    row = stats["1399"]
    assert row.students == Student.objects.filter(school=demo, archived_at=None).count()
    assert row.students > 100
    assert row.teachers == Teacher.objects.filter(school=demo, archived_at=None).count()
    assert row.classes == 5
    assert row.accounts == {"curator": 1, "teacher": 2, "parent": 1, "student": 1}
    assert row.accounts_by_role == [1, 1, 2, 1]  # students, parents, teachers, curators
    assert (row.invitations_issued, row.invitations_redeemed) == (3, 1)
    assert (stats["gym5"].students, stats["gym5"].accounts, stats["gym5"].classes) == (0, {}, 0)
    assert other.name in operator_client.get(DASHBOARD).content.decode()


def test_the_dashboard_shows_system_health_and_the_queues(operator_client):
    now = timezone.now()
    for status in ("READY", "READY", "FAILED", "SUCCESSFUL"):
        DBTaskResult.objects.create(
            status=status,
            args_kwargs={"args": [], "kwargs": {}},
            task_path="ejournal.notifications.tasks.send_letter",
            backend_name="default",
            run_after=now,
            exception_class_path="",
            traceback="",
        )
    for status in ("queued", "sent", "sent", "failed"):
        Letter.objects.create(
            kind="recovery",
            to_email="secret-person@example.com",
            next_attempt_at=now,
            status=status,
        )

    response = operator_client.get(DASHBOARD)

    context = response.context
    assert [c.ok for c in context["checks"]] == [True] * (1 + len(settings.CACHES))
    tasks = context["tasks"]
    assert (tasks.queued, tasks.running, tasks.failed, tasks.succeeded) == (2, 0, 1, 1)
    letters = context["letters"]
    assert (letters.queued, letters.sent, letters.failed) == (1, 2, 1)
    content = response.content.decode()
    assert "База данных" in content
    assert "secret-person" not in content


@pytest.mark.parametrize("schools", [1, 3])
def test_the_dashboard_query_count_does_not_grow_with_schools(
    operator_client, schools, django_assert_num_queries
):
    for n in range(schools):
        school = SchoolFactory(number=f"{500 + n}")
        StudentFactory(school_class__school=school)
        UserFactory(school=school, role=Role.CURATOR)
    # session, operator, count and page of schools, classes, students, teachers,
    # accounts, invitations, the database check, tasks, letters (the platform's host
    # names no school: no lookup)
    with django_assert_num_queries(11):
        response = operator_client.get(DASHBOARD)
    assert len(response.context["stats"]) == schools


# Who may open what


def test_a_visitor_at_the_platform_is_sent_to_the_operators_login(platform_client):
    response = platform_client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={DASHBOARD}"


def test_the_platform_home_leads_a_visitor_to_school_addresses_and_the_operator_onward(
    platform_client, operator
):
    response = platform_client.get("/")
    assert response.status_code == 200
    assert LOGIN in response.content.decode()
    platform_client.force_login(operator)
    response = platform_client.get("/")
    assert (response.status_code, response["Location"]) == (302, DASHBOARD)


def test_a_wrong_password_does_not_let_in(platform_client, operator):
    response = platform_client.post(LOGIN, {"username": OPERATOR_LOGIN, "password": "Wrong2026x"})
    assert response.status_code == 200
    assert "Неверный логин или пароль." in response.content.decode()
    assert platform_client.get(DASHBOARD).status_code == 302


def test_a_school_login_does_not_work_at_the_platform(platform_client, school, curator):
    response = platform_client.post(LOGIN, {"username": "kurator", "password": "Zhurnal2026"})
    assert response.status_code == 200
    assert "_auth_user_id" not in platform_client.session


def test_logout_ends_the_operators_session(operator_client):
    response = operator_client.post(LOGOUT)
    assert (response.status_code, response["Location"]) == (302, LOGIN)
    assert "_auth_user_id" not in operator_client.session
    assert operator_client.get(DASHBOARD).status_code == 302


@pytest.mark.parametrize("url", SCHOOL_URLS)
def test_an_operator_session_is_not_valid_at_a_school_address(operator, school, url):
    client = Client(HTTP_HOST=school_host(school))
    client.force_login(operator)  # the same session cookie presented at a school's host

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", SCHOOL_URLS[1:])
def test_curator_pages_are_404_on_the_platform_domain(operator_client, url):
    assert operator_client.get(url).status_code == 404


@pytest.mark.parametrize("url", [DASHBOARD, LOGIN, f"{DASHBOARD}?page=1"])
@pytest.mark.parametrize("role", [Role.CURATOR, Role.TEACHER, Role.PARENT, Role.STUDENT])
def test_platform_pages_are_404_at_a_school_address_for_everyone(
    school, client_for, operator, url, role
):
    assert client_for(school).get(url).status_code == 404
    assert client_for(school, UserFactory(school=school, role=role)).get(url).status_code == 404
    operator_there = client_for(school)
    operator_there.force_login(operator)
    assert operator_there.get(url).status_code == 404


def test_a_school_users_session_at_the_platform_domain_is_ended(school, curator, platform_client):
    platform_client.force_login(curator)
    response = platform_client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in platform_client.session


@pytest.mark.parametrize("host", [PLATFORM_HOST, "1399.testserver.local", "evil.example"])
def test_there_is_no_admin_site_on_any_host(school, operator, host):
    client = Client(HTTP_HOST=host)
    client.force_login(operator)
    for url in ("/admin/", "/admin/login/", "/django-admin/"):
        assert client.get(url).status_code == 404
