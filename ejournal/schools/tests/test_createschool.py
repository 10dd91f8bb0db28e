import itertools
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ejournal.schools.models import AcademicYear, Period, School

pytestmark = pytest.mark.django_db


def test_createschool_creates_the_school_with_its_year_and_four_quarters():
    out = StringIO()
    call_command("createschool", "--number", "1399", "--name", "Школа №1399", stdout=out)
    school = School.objects.get(number="1399")
    assert school.name == "Школа №1399"
    assert AcademicYear.objects.filter(school=school).count() == 1
    periods = Period.objects.filter(school=school).order_by("number")
    assert [p.number for p in periods] == [1, 2, 3, 4]
    assert all(a.ends_on < b.starts_on for a, b in itertools.pairwise(periods))
    assert "http://1399.testserver.local/" in out.getvalue()


def test_createschool_refuses_a_taken_number_or_a_bad_one_and_creates_nothing():
    call_command("createschool", "--number", "1399", "--name", "Школа №1399", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("createschool", "--number", "1399", "--name", "Другая", stdout=StringIO())
    with pytest.raises(CommandError, match="Номер школы"):
        call_command("createschool", "--number", "14 00", "--name", "Школа", stdout=StringIO())
    assert School.objects.count() == 1
    assert AcademicYear.objects.count() == 1


@pytest.mark.parametrize(("kind", "count"), [("quarter", 4), ("trimester", 3), ("half", 2)])
def test_createschool_divides_the_year_as_told_by_periods(kind, count):
    call_command(
        "createschool", "--number", "1399", "--name", "Школа", "--periods", kind, stdout=StringIO()
    )
    school = School.objects.get(number="1399")
    assert school.period_kind == kind
    periods = Period.objects.filter(school=school).order_by("number")
    assert [p.kind for p in periods] == [kind] * count
    assert all(a.ends_on < b.starts_on for a, b in itertools.pairwise(periods))


def test_createschool_refuses_an_unknown_division_and_creates_nothing():
    with pytest.raises(CommandError, match="--periods"):
        call_command(
            "createschool",
            "--number",
            "1399",
            "--name",
            "Школа",
            "--periods",
            "semester",
            stdout=StringIO(),
        )
    assert not School.objects.exists()
