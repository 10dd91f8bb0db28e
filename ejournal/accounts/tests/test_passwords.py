"""The school's password rule: every refusal with its reason, and no hashing of huge input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ejournal.accounts.forms.registration import RegisterForm
from ejournal.accounts.passwords import MAX_LENGTH, password_problems, password_validate
from ejournal.accounts.registration import registrant_find
from ejournal.core.testing.factories import StudentFactory

from .registration_helpers import (  # noqa: F401 — fixtures
    code_for,
    hasher_calls_fixture,
)

TOO_SHORT = "Пароль должен содержать не менее 8 символов."
SPECIAL = (
    "В пароле не должно быть специальных знаков (точек, кавычек, пробелов и проч.): "
    "только буквы и цифры."
)
LOGIN = "Пароль не должен совпадать с логином или содержать его."
NAMES = "Пароль не должен содержать ваши фамилию, имя или отчество."
BIRTH_DATE = "Пароль не должен содержать дату рождения."
COMMON = "Этот пароль слишком распространён: его легко подобрать."
TOO_LONG = f"Пароль слишком длинный: не больше {MAX_LENGTH} символов."

BORN = dt.date(2010, 5, 12)
NAMES_OF_VASYA = ("Николаев", "Василий", "Петрович")


def test_a_good_password_of_letters_and_digits_passes():
    assert password_problems("Zhurnal2026", login="vasya", names=NAMES_OF_VASYA) == []
    assert password_problems("ЗвезднаяНочь42", login="vasya", birth_date=BORN) == []


def test_fewer_than_eight_characters_are_refused():
    assert password_problems("Xq7Lm2z") == [TOO_SHORT]


@pytest.mark.parametrize(
    "password",
    ["Zhurnal.2026", "Zhurnal'2026", 'Zhurnal"2026', "Zhurnal 2026", "Zhurnal!2026"],
    ids=["dot", "apostrophe", "quote", "space", "exclamation"],
)
def test_special_characters_are_refused(password):
    assert password_problems(password) == [SPECIAL]


@pytest.mark.parametrize("typed_login", ["vasya", "VASYA", "Vasya"])
def test_the_login_inside_the_password_is_refused_whatever_the_case(typed_login):
    assert password_problems("myVasya2026x", login=typed_login) == [LOGIN]
    assert password_problems(typed_login + "2026abc", login="vasya") == [LOGIN]


@pytest.mark.parametrize("name", NAMES_OF_VASYA, ids=["last", "first", "middle"])
def test_each_of_the_persons_names_is_refused(name):
    assert password_problems(f"{name.upper()}77", names=NAMES_OF_VASYA) == [NAMES]


@pytest.mark.parametrize(
    ("password", "reasons"),
    [
        ("xx12052010", [BIRTH_DATE]),
        ("xx12.05.2010", [SPECIAL, BIRTH_DATE]),
        ("xx2010-05-12", [SPECIAL, BIRTH_DATE]),
        ("ab120510cd", [BIRTH_DATE]),
    ],
    ids=["ddmmyyyy", "dd.mm.yyyy", "yyyy-mm-dd", "ddmmyy"],
)
def test_the_birth_date_in_each_common_form_is_refused(password, reasons):
    assert password_problems(password, birth_date=BORN) == reasons


def test_without_a_birth_date_dates_are_just_digits():
    assert password_problems("xx12052010") == []


@pytest.mark.parametrize("password", ["qwertyuiop", "password1", "12345678", "1q2w3e4r5t"])
def test_the_most_common_passwords_are_refused(password):
    assert password_problems(password) == [COMMON]


def test_every_reason_is_given_at_once():
    assert password_problems("vasya.", login="vasya") == [TOO_SHORT, SPECIAL, LOGIN]


def test_password_validate_raises_with_every_reason():
    with pytest.raises(ValidationError) as caught:
        password_validate("Vasya.1", login="vasya")
    assert caught.value.messages == [TOO_SHORT, SPECIAL, LOGIN]


def test_a_megabyte_is_refused_by_its_length_alone():
    assert password_problems("a" * 1024 * 1024) == [TOO_LONG]
    assert password_problems("a" * MAX_LENGTH + "a", login="a") == [TOO_LONG]


@pytest.mark.django_db
def test_the_registration_form_refuses_a_megabyte_password_without_hashing_it(school, hasher_calls):
    student = StudentFactory(school_class__school=school)
    registrant = registrant_find(school=school, code=code_for(school, "student", student))
    megabyte = "Zhurnal2026" * (1024 * 1024 // 11)
    form = RegisterForm(
        {"login": "vasya", "password": megabyte, "password2": megabyte, "email": ""},
        school=school,
        registrant=registrant,
        address="10.0.0.1",
    )
    assert not form.is_valid()
    assert form.errors["password"] == [TOO_LONG]
    assert hasher_calls.call_count == 0
