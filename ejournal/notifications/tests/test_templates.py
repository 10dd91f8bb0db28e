"""Every letter renders in Russian and English, subject on one line, text not HTML-escaped."""

from __future__ import annotations

import pytest

from ejournal.notifications.kinds import KINDS
from ejournal.notifications.models import LetterKind
from ejournal.notifications.rendering import letter_render, letter_sample_context

SUBJECTS = {
    ("confirmation", "ru"): "Подтверждение адреса электронной почты — Школа №1399",
    ("confirmation", "en"): "Confirm your email address — Школа №1399",
    ("recovery", "ru"): "Восстановление пароля — Школа №1399",
    ("recovery", "en"): "Password recovery — Школа №1399",
    ("password_changed", "ru"): "Пароль изменён — Школа №1399",
    ("password_changed", "en"): "Your password was changed — Школа №1399",
    ("password_set_by_curator", "ru"): "Куратор установил вам новый пароль — Школа №1399",
    ("password_set_by_curator", "en"): "The curator set a new password for you — Школа №1399",
}


def test_every_kind_has_its_spec():
    assert set(KINDS) == set(LetterKind.values)


@pytest.mark.parametrize(("kind", "language"), sorted(SUBJECTS))
def test_every_letter_renders_in_both_languages(kind, language):
    letter = letter_render(kind=kind, language=language, context=letter_sample_context(kind))
    assert letter.subject == SUBJECTS[kind, language]
    assert "{{" not in letter.text + letter.html
    assert "{%" not in letter.text + letter.html
    assert "nikolaeva" in letter.text
    assert "nikolaeva" in letter.html
    assert f'<html lang="{language}">' in letter.html
    if language == "en":
        assert "Hello, Николаева Елена Сергеевна!" in letter.text
    else:
        assert "Здравствуйте, Николаева Елена Сергеевна!" in letter.text
    for key in KINDS[kind].secret:  # the one-time link is in both parts
        url = letter_sample_context(kind)[key]
        assert url in letter.text
        assert f'href="{url}"' in letter.html


def test_the_text_part_is_not_html_escaped_and_the_html_part_is():
    context = {**letter_sample_context("password_changed"), "full_name": 'O\'Neil "Tom" & Co'}
    letter = letter_render(kind="password_changed", language="ru", context=context)
    assert 'Здравствуйте, O\'Neil "Tom" & Co!' in letter.text
    assert "O&#x27;Neil &quot;Tom&quot; &amp; Co" in letter.html


def test_an_unknown_language_falls_back_to_russian():
    letter = letter_render(
        kind="recovery", language="de", context=letter_sample_context("recovery")
    )
    assert letter.subject == "Восстановление пароля — Школа №1399"
