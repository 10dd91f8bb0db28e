"""The login rule: Latin letters, digits, _ - .; Cyrillic look-alikes named; unique per school."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ejournal.accounts.logins import (
    TAKEN,
    login_problems,
    login_taken,
    login_validate,
)
from ejournal.core.testing.factories import UserFactory
from ejournal.schools.roles import Role

LENGTH = "Логин должен содержать от 3 до 40 символов."
ONLY_LATIN = "В логине можно использовать только латинские буквы, цифры и знаки _ - ."


@pytest.mark.parametrize("login", ["vasya", "Ivan_Petrov", "n.ivanova-2", "abc", "x" * 40, "007"])
def test_latin_letters_digits_and_three_signs_are_accepted(login):
    assert login_problems(login) == []


@pytest.mark.parametrize("login", ["ab", "x" * 41])
def test_the_length_is_three_to_forty(login):
    assert login_problems(login) == [LENGTH]


def test_an_empty_login_asks_for_one():
    assert login_problems("") == ["Придумайте логин."]


def test_a_huge_login_is_refused_on_its_length_alone():
    assert login_problems("ж" * 100_000) == [LENGTH]


@pytest.mark.parametrize(
    ("login", "named"),
    [
        ("ivanоv", "«о»"),  # Cyrillic о
        ("реtrov", "«р», «е»"),  # Cyrillic р and е
        ("Аnna", "«А»"),  # Cyrillic А
        ("kсenia", "«с»"),
        ("maxim_х", "«х»"),
        ("уakov", "«у»"),
        ("tаня", "«а», «н», «я»"),
    ],
)
def test_cyrillic_letters_are_refused_and_named_with_a_hint_to_type_latin(login, named):
    what = "русские буквы" if "," in named else "русская буква"
    assert login_problems(login) == [
        f"Логин нужно набрать латинскими буквами: {named} — {what}. "
        "Переключите клавиатуру на английскую раскладку."
    ]


@pytest.mark.parametrize(
    ("login", "named"),
    [
        ("vasya@mail", "«@»"),
        ("vasya petrov", "«пробел»"),
        ("ivan!", "«!»"),
        ("vasya\n", "«пробел»"),
    ],
)
def test_other_characters_are_refused_and_named(login, named):
    assert login_problems(login) == [f"{ONLY_LATIN} (нельзя: {named})."]


def test_a_greek_omicron_is_not_taken_for_a_latin_o():
    assert login_problems("ivanοv") == [f"{ONLY_LATIN} (нельзя: «ο»)."]  # a Greek ο


@pytest.mark.django_db
def test_a_login_is_taken_whatever_its_case(school):
    UserFactory(school=school, role=Role.PARENT, login="Ivan")
    assert login_taken(school_id=school.pk, login="ivan")
    assert login_taken(school_id=school.pk, login="IVAN")
    assert not login_taken(school_id=school.pk, login="ivan2")


@pytest.mark.django_db
def test_another_schools_login_is_free_here(school, other_school):
    UserFactory(school=other_school, role=Role.PARENT, login="ivan")
    assert not login_taken(school_id=school.pk, login="ivan")


@pytest.mark.django_db
def test_login_validate_gives_the_taken_message(school):
    UserFactory(school=school, role=Role.PARENT, login="ivan")
    with pytest.raises(ValidationError) as caught:
        login_validate(school_id=school.pk, login="IVAN")
    assert caught.value.messages == [TAKEN]
    assert TAKEN == "Этот логин уже занят."
    login_validate(school_id=school.pk, login="ivan.petrov")
