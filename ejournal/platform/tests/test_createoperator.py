"""`python manage.py createoperator`: the platform operator's account, from the command line."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ejournal.accounts.models import User
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("createoperator", *args, stdout=out)
    return out.getvalue()


def test_an_operator_is_created_with_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("OPS_PASSWORD", "Kedr4Lipa9Dub")

    assert "Оператор «support-ops» создан." in _run(
        "--login", "support-ops", "--password-from-env", "OPS_PASSWORD"
    )

    operator = User.objects.get(login="support-ops")
    assert (operator.school, operator.role) == (None, Role.OPERATOR)
    assert operator.check_password("Kedr4Lipa9Dub")


def test_the_password_is_asked_twice_without_an_environment_variable(monkeypatch):
    answers = iter(["Kedr4Lipa9Dub", "Kedr4Lipa9Dub"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    _run("--login", "ops")
    assert User.objects.get(login="ops").check_password("Kedr4Lipa9Dub")


def test_different_answers_to_the_prompt_are_refused(monkeypatch):
    answers = iter(["Kedr4Lipa9Dub", "Kedr4Lipa9Du"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="Пароли не совпадают"):
        _run("--login", "ops")
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1", "Пароль должен содержать не менее 8 символов."),
        ("Kedr.Lipa.9", "В пароле не должно быть специальных знаков"),
        ("ops-supportKedr9", "В пароле не должно быть специальных знаков"),
        ("opsadmin2026", "Пароль не должен совпадать с логином или содержать его."),
        ("password123", "Этот пароль слишком распространён"),
    ],
)
def test_the_password_must_pass_the_rule(monkeypatch, password, reason):
    monkeypatch.setenv("OPS_PASSWORD", password)
    with pytest.raises(CommandError, match=re.escape(reason)):
        _run("--login", "opsadmin", "--password-from-env", "OPS_PASSWORD")
    assert not User.objects.exists()


def test_an_empty_or_missing_variable_is_refused(monkeypatch):
    monkeypatch.delenv("OPS_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="OPS_PASSWORD"):
        _run("--login", "ops", "--password-from-env", "OPS_PASSWORD")


def test_a_login_taken_by_another_operator_whatever_the_case_is_refused(monkeypatch):
    monkeypatch.setenv("OPS_PASSWORD", "Kedr4Lipa9Dub")
    _run("--login", "Ops", "--password-from-env", "OPS_PASSWORD")
    with pytest.raises(CommandError, match="уже есть"):
        _run("--login", "oPS", "--password-from-env", "OPS_PASSWORD")


def test_an_invalid_login_is_refused(monkeypatch):
    monkeypatch.setenv("OPS_PASSWORD", "Kedr4Lipa9Dub")
    with pytest.raises(CommandError, match="Логин: от 3 до 40 латинских букв"):
        _run("--login", "оператор", "--password-from-env", "OPS_PASSWORD")
