"""A process looks a host's school up once, until a school changes (schools/hosts.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from ejournal.core.testing.factories import SchoolFactory
from ejournal.schools.hosts import school_for_host
from ejournal.schools.models import School

pytestmark = pytest.mark.django_db

HOST = "1399.testserver.local"


def test_a_known_host_needs_no_query_the_second_time(school, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert school_for_host(HOST) == school
    with django_assert_num_queries(0):
        assert school_for_host(HOST) == school
        assert school_for_host("1399.TESTSERVER.local:8000") == school


def test_a_request_to_a_known_host_reads_no_school(school, django_assert_num_queries):
    client = Client(HTTP_HOST=HOST)
    client.get("/healthz")
    with django_assert_num_queries(0):
        assert client.get("/healthz").status_code == 200


def test_an_unknown_host_is_remembered_too_until_a_school_is_added(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert school_for_host("1500.testserver.local") is None
    with django_assert_num_queries(0):
        assert school_for_host("1500.testserver.local") is None
    added = SchoolFactory(number="1500")
    assert school_for_host("1500.testserver.local") == added
    assert Client(HTTP_HOST="1500.testserver.local").get("/healthz").status_code == 200


def test_a_schools_change_is_seen_by_the_next_lookup(school):
    assert school_for_host(HOST).timezone == "Europe/Moscow"
    school.timezone = "Asia/Yekaterinburg"
    school.save(update_fields=["timezone"])
    assert school_for_host(HOST).timezone == "Asia/Yekaterinburg"


def test_a_new_own_domain_is_served_and_the_old_one_is_not(school):
    school.domain = "journal.school1399.ru"
    school.save(update_fields=["domain"])
    assert school_for_host("journal.school1399.ru") == school
    school.domain = "ejournal.school1399.ru"
    school.save(update_fields=["domain"])
    assert school_for_host("journal.school1399.ru") is None
    assert school_for_host("ejournal.school1399.ru") == school


def test_a_deleted_school_is_not_served(school):
    assert Client(HTTP_HOST=HOST).get("/healthz").status_code == 200
    school.delete()
    assert school_for_host(HOST) is None
    assert Client(HTTP_HOST=HOST).get("/healthz").status_code == 404


def test_the_commit_moves_the_version_on_again(school, django_capture_on_commit_callbacks):
    """A process that read the row between the save and its commit finds it stale after."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        school.name = "Школа №1399 имени Пушкина"
        school.save(update_fields=["name"])
    assert school_for_host(HOST).name == "Школа №1399 имени Пушкина"
    School.objects.filter(pk=school.pk).update(name="Прочитано до коммита")
    assert school_for_host(HOST).name == "Школа №1399 имени Пушкина"  # kept
    for callback in callbacks:
        callback()
    assert school_for_host(HOST).name == "Прочитано до коммита"


def test_each_request_gets_its_own_school_object(school):
    first, second = school_for_host(HOST), school_for_host(HOST)
    assert first is not second
    first.name = "Изменено в одном запросе"
    assert school_for_host(HOST).name == school.name
