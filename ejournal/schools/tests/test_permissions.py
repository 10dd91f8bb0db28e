"""Who reaches the curator's URLs: every role × every curator URL → the expected status.

The URLs come from the URL resolver (ejournal.core.testing.urls), so a curator page added
later is in the matrix without an edit here. Non-curators' POSTs must change nothing.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ejournal.audit.models import AuditEvent
from ejournal.core.testing.factories import (
    SchoolClassFactory,
    StudentFactory,
    TeacherFactory,
    UserFactory,
)
from ejournal.core.testing.urls import reverse_route, routes_under
from ejournal.invitations.models import Invitation
from ejournal.schools.models import (
    Period,
    PeriodStatus,
    RosterImport,
    SchoolClass,
    Student,
    Teacher,
)
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db

CURATOR_ROUTES = routes_under("curator/")
LOGIN = reverse("accounts:login")


@pytest.fixture
def urls(school) -> dict[str, str]:
    """Route name → URL, for records of the school that exist."""
    teacher = TeacherFactory(school=school)
    school_class = SchoolClassFactory(school=school, grade=6, letter="А", class_teacher=teacher)
    student = StudentFactory(
        school_class=school_class, user=UserFactory(school=school, role=Role.STUDENT)
    )
    roster = RosterImport.objects.create(school=school, filename="6a.csv", rows=[])
    values = {
        "class_id": school_class.pk,
        "student_id": student.pk,
        "teacher_id": teacher.pk,
        "import_id": roster.pk,
        "user_id": student.user.pk,
        "role": "parent",
        "person_id": student.pk,
        "period_id": Period.objects.filter(year=school_class.year).order_by("number")[0].pk,
    }
    return {route.name: reverse_route(route, values) for route in CURATOR_ROUTES}


def _expected(route_name: str, who: str, method: str) -> int:
    route = next(r for r in CURATOR_ROUTES if r.name == route_name)
    if who in ("anonymous", "other school's curator"):
        # The other school's session is not valid at this address: a visitor, asked to log in.
        return 302
    if who != "curator":
        return 404  # a curator page does not exist for anyone else
    return 200 if method in route.methods else 405


def _client(who, *, school, other_curator, client_for):
    if who == "anonymous":
        return client_for(school)
    if who == "other school's curator":
        client = client_for(school)
        client.force_login(other_curator)
        return client
    if who == "curator":
        return client_for(school, UserFactory(school=school, role=Role.CURATOR))
    return client_for(school, UserFactory(school=school, role=Role(who)))


def _snapshot() -> tuple[int, ...]:
    return (
        AuditEvent.objects.count(),
        Invitation.objects.count(),
        Student.objects.active().count(),
        Teacher.objects.filter(archived_at__isnull=True).count(),
        SchoolClass.objects.count(),
        Period.objects.exclude(status=PeriodStatus.AUTO).count(),
    )


def test_the_matrix_covers_every_curator_url():
    names = {route.name for route in CURATOR_ROUTES}
    assert {
        "schools:class_list",
        "schools:roster_import",
        "schools:roster_preview",
        "schools:period_close",
        "schools:period_reopen",
        "invitations:issue",
        "invitations:reissue",
        "audit:events",
    } <= names
    assert all(route.route.startswith("curator/") for route in CURATOR_ROUTES)


@pytest.mark.parametrize(
    "who",
    ["anonymous", "student", "parent", "teacher", "other school's curator", "curator"],
)
def test_every_role_gets_the_expected_status_at_every_curator_url(
    who, school, other_curator, client_for, urls
):
    client = _client(who, school=school, other_curator=other_curator, client_for=client_for)
    before = _snapshot()
    methods = ("GET",) if who == "curator" else ("GET", "POST")

    actual: dict[tuple[str, str], int] = {}
    expected: dict[tuple[str, str], int] = {}
    for name, url in urls.items():
        for method in methods:
            response = client.get(url) if method == "GET" else client.post(url, {"x": "1"})
            actual[name, method] = response.status_code
            expected[name, method] = _expected(name, who, method)
            if response.status_code == 302:
                assert response["Location"].startswith(LOGIN + "?next="), (name, method)
            if who == "curator" and response.status_code == 200:
                headings = re.findall(r"<h1[\s>]", response.content.decode())
                assert len(headings) == 1, (name, "pages have exactly one <h1>")

    assert actual == expected
    assert _snapshot() == before


def test_a_curator_page_that_takes_only_get_refuses_post_with_405(curator_client, urls):
    get_only = [r for r in CURATOR_ROUTES if r.methods == ("GET",)]
    assert get_only
    for route in get_only:
        assert curator_client.post(urls[route.name]).status_code == 405, route.name
