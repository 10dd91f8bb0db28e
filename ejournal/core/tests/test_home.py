"""The school's front page: where "/" takes each visitor."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from ejournal.core.testing.factories import UserFactory
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db


def test_a_visitor_is_sent_to_log_in(school, client_for):
    response = client_for(school).get("/")

    assertRedirects(response, reverse("accounts:login"), fetch_redirect_response=False)


def test_the_curator_starts_at_the_class_list(school, curator_client):
    response = curator_client.get("/")

    assertRedirects(response, reverse("schools:class_list"), fetch_redirect_response=False)


@pytest.mark.parametrize(
    ("role", "start"),
    [
        (Role.STUDENT, "journal:diary_home"),
        (Role.PARENT, "journal:diary_home"),
        (Role.TEACHER, "journal:teacher_home"),
    ],
)
def test_students_and_parents_start_at_the_diary_teachers_at_the_journal(
    school, client_for, role, start
):
    user = UserFactory(school=school, role=role)

    response = client_for(school, user).get("/")

    assertRedirects(response, reverse(start), fetch_redirect_response=False)
