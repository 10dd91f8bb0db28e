"""seed_demo builds the named cast and generated schools, and running it again changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from ejournal.accounts.models import Role, User
from ejournal.demo.seed import CAST, DEMO_PASSWORD, PARENT, STUDENT
from ejournal.schools.models import Guardianship, School, SchoolClass, Student, Teacher

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "schools": School.objects.count(),
        "classes": SchoolClass.objects.count(),
        "students": Student.objects.count(),
        "teachers": Teacher.objects.count(),
        "users": User.objects.count(),
        "guardianships": Guardianship.objects.count(),
    }


def test_demo_seed_builds_the_named_cast_and_is_idempotent():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == first
    assert "Школа №1399" in out.getvalue()
    school = School.objects.get(number="1399")
    assert {u.login for u in User.objects.filter(school=school)} == {m.login for m in CAST}
    assert first["classes"] == 5


def test_the_demo_parent_has_two_children_in_different_classes_and_one_is_the_demo_student():
    call_command("seed_demo", stdout=StringIO())
    parent = User.objects.get(login=PARENT.login)
    children = Student.objects.filter(guardianships__parent=parent).select_related("school_class")
    assert len({c.school_class.label for c in children}) == 2
    assert User.objects.get(login=STUDENT.login).student in children


def test_the_demo_class_teacher_leads_6a():
    call_command("seed_demo", stdout=StringIO())
    six_a = SchoolClass.objects.get(grade=6, letter="А")
    assert six_a.class_teacher.user.login == "ivanova"


def test_demo_curator_logs_in_with_the_printed_password():
    call_command("seed_demo", stdout=StringIO())
    client = Client(HTTP_HOST="1399.testserver.local")
    response = client.post("/login/", {"username": "kurator", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(login="kurator").role == Role.CURATOR


def test_school_size_seeds_about_a_thousand_students_in_33_classes():
    out = StringIO()
    call_command("seed_demo", "--size", "school", stdout=out)
    school = School.objects.get(number="1399")
    assert SchoolClass.objects.filter(school=school).count() == 33
    assert 990 <= Student.objects.filter(school=school).count() <= 1000
    assert "11В" in out.getvalue()


def test_demo_welcome_prints_the_address_logins_and_fresh_codes(settings):
    settings.EJOURNAL_BASE_DOMAIN = "localhost:8000"
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("demo_welcome", "--school", "1399", stdout=out)
    text = out.getvalue()
    assert "http://1399.localhost:8000/" in text
    assert all(member.login in text for member in CAST)
    assert text.count("/hello?code=") == 3
