"""The school's front page: where "/" takes each visitor."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertRedirects, assertTemplateUsed

from ejournal.accounts.models import Role
from ejournal.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_visitor_is_sent_to_log_in(school, client_for):
    response = client_for(school).get("/")

    assertRedirects(response, reverse("accounts:login"), fetch_redirect_response=False)


def test_the_curator_starts_at_the_class_list(school, curator_client):
    response = curator_client.get("/")

    assertRedirects(response, reverse("schools:class_list"), fetch_redirect_response=False)


@pytest.mark.parametrize("role", [Role.STUDENT, Role.PARENT, Role.TEACHER])
def test_other_users_get_the_start_page_with_their_name(school, client_for, role):
    user = UserFactory(school=school, role=role, last_name="Николаев", first_name="Василий")

    response = client_for(school, user).get("/")

    assert response.status_code == 200
    assertTemplateUsed(response, "core/home.html")
    assert "Здравствуйте, Николаев Василий" in response.content.decode()
