"""The school is found from the request's host, and only from it."""

import pytest
from django.test import Client

from ejournal.core.tenancy import school_base_url
from ejournal.core.testing.factories import SchoolFactory
from ejournal.schools.hosts import school_for_host

pytestmark = pytest.mark.django_db


def test_a_school_is_found_by_its_number_with_or_without_port_and_in_any_case(school):
    assert school_for_host("1399.testserver.local") == school
    assert school_for_host("1399.TestServer.Local:8000") == school
    assert school_for_host("1399.testserver.local.") == school


def test_a_school_is_found_by_its_own_domain():
    school = SchoolFactory(number="gym5")
    school.domain = "journal.gym5.ru"
    school.save(update_fields=["domain"])
    assert school_for_host("journal.gym5.ru:443") == school


def test_unknown_and_nested_hosts_find_no_school(school):
    assert school_for_host("9999.testserver.local") is None
    assert school_for_host("a.1399.testserver.local") is None
    assert school_for_host("1399.testserver.local.evil.example") is None


def test_an_unknown_host_gets_a_plain_404_without_any_page(school):
    response = Client(HTTP_HOST="evil.example").get("/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/plain")
    assert "1399" not in response.content.decode()


def test_the_platform_domain_itself_is_served_without_a_school(school):
    response = Client(HTTP_HOST="testserver.local").get("/")
    assert response.status_code == 200
    assert school.name not in response.content.decode()


def test_the_school_address_comes_from_configuration(school, settings):
    settings.EJOURNAL_BASE_DOMAIN = "ejournal.example:8443"
    settings.EJOURNAL_SCHEME = "https"
    assert school_base_url(school) == "https://1399.ejournal.example:8443"


def test_health_answers_ok_at_a_school_and_on_the_platform_domain(school):
    for host in ("1399.testserver.local", "testserver.local"):
        response = Client(HTTP_HOST=host).get("/healthz")
        assert response.status_code == 200
        assert response.content == b"ok"
