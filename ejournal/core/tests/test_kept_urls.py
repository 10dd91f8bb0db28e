"""`{% url %}` answers what Django's `reverse` answers, kept per process
(core/templatetags/kept_urls.py)."""

from __future__ import annotations

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse, set_script_prefix

from ejournal.core.templatetags.kept_urls import _reversed


def _render(source: str, **context: object) -> str:
    return engines["django"].from_string(source).render(context)


def test_the_tag_answers_as_reverse_with_args_kwargs_and_as_var():
    _reversed.cache_clear()
    assert _render("{% url 'accounts:login' %}") == reverse("accounts:login")
    assert _render("{% url 'journal:diary_week' 7 %}") == reverse("journal:diary_week", args=[7])
    assert _render("{% url 'journal:diary_week' student_id=n %}", n=8) == reverse(
        "journal:diary_week", kwargs={"student_id": 8}
    )
    assert _render("{% url 'journal:marks' 9 as link %}[{{ link }}]") == (
        f"[{reverse('journal:marks', args=[9])}]"
    )
    assert _reversed.cache_info().currsize == 4
    _render("{% url 'journal:diary_week' 7 %}")
    assert _reversed.cache_info().hits >= 1  # kept


def test_a_name_that_does_not_reverse_fails_as_with_django_unless_kept_as_a_variable():
    with pytest.raises(NoReverseMatch):
        _render("{% url 'journal:no_such_page' %}")
    assert _render("{% url 'journal:no_such_page' as link %}[{{ link }}]") == "[]"


def test_the_script_prefix_is_part_of_the_key():
    plain = _render("{% url 'accounts:login' %}")
    set_script_prefix("/journal-app/")
    try:
        assert _render("{% url 'accounts:login' %}") == "/journal-app" + plain
    finally:
        set_script_prefix("/")
    assert _render("{% url 'accounts:login' %}") == plain


class Unhashable:
    """An argument that reverses (as "5") but cannot be a key."""

    __hash__ = None  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unhashable)

    def __str__(self) -> str:
        return "5"


def test_an_argument_that_cannot_be_a_key_is_reversed_as_django_does():
    assert _render("{% url 'journal:diary_week' pupil %}", pupil=Unhashable()) == reverse(
        "journal:diary_week", args=[5]
    )
