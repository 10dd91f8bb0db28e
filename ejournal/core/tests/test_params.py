"""The one rule for numbers and ids from a request (core/params.py), and a guard that every
URL of the project takes its ids through it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter

from ejournal.core.params import ID_MAX, BoundedIntegerField, IdConverter, IdField, parse_id
from ejournal.core.testing.factories import SchoolClassFactory, StudentFactory
from ejournal.schools.models import Student

# Each passes str.isdigit(), int() or forms.IntegerField, and none is a number a browser sends.
NOT_NUMBERS = ["²", "𝟙", "٣", "-1", "+1", " 1", "1 ", "1.0", "1_0", "1e3", "\x00", "😀", "0x1"]


def test_a_bounded_integer_is_ascii_digits_within_its_bounds():
    weight = BoundedIntegerField(min_value=1, max_value=5, required=False)

    assert [weight.clean(text) for text in ("1", "5", "05", "")] == [1, 5, 5, None]
    for text in [*NOT_NUMBERS, "0", "6", "99999999999999999999"]:
        with pytest.raises(ValidationError):
            weight.clean(text)


def test_a_number_typed_by_hand_may_have_spaces_around_it_and_nothing_else():
    final = BoundedIntegerField(min_value=1, max_value=10, required=False, strip=True)

    assert [final.clean(text) for text in (" 4 ", "4", " ")] == [4, 4, None]
    for text in ("²", "𝟙", "4 4", "4\x00", "1.0"):
        with pytest.raises(ValidationError):
            final.clean(text)


def test_an_id_is_one_to_the_largest_id_and_refused_with_one_message():
    field = IdField(message="Нет такого урока.")

    assert field.clean(str(ID_MAX)) == ID_MAX == 2**63 - 1
    for text in [*NOT_NUMBERS, "0", str(ID_MAX + 1), "99999999999999999999", "9" * 5000]:
        with pytest.raises(ValidationError) as refused:
            field.clean(text)
        assert refused.value.messages == ["Нет такого урока."]


def test_an_id_in_a_query_string_is_a_404_unless_it_is_one():
    assert parse_id("42") == 42
    assert parse_id("") is None
    assert parse_id(None) is None
    for text in NOT_NUMBERS:
        with pytest.raises(Http404):
            parse_id(text)


def test_a_path_takes_ids_up_to_the_largest_and_nothing_past_it():
    match = resolve(f"/journal/lessons/{ID_MAX}/")
    assert match.url_name == "lesson"
    assert match.kwargs == {"lesson_id": ID_MAX}
    for segment in ("0", str(ID_MAX + 1), "99999999999999999999", "%C2%B2"):
        with pytest.raises(Resolver404):
            resolve(f"/journal/lessons/{segment}/")


def _patterns(patterns: list[URLPattern | URLResolver]) -> list[URLPattern]:
    found: list[URLPattern] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _patterns(pattern.url_patterns)
        else:
            found.append(pattern)
    return found


def test_every_number_in_every_url_is_an_id():
    """`<int:...>` takes 20 digits and more; a route added with it fails here."""
    converters = {
        f"{pattern.name}:{name}": converter
        for pattern in _patterns(get_resolver().url_patterns)
        for name, converter in getattr(pattern.pattern, "converters", {}).items()
    }
    assert len(converters) > 20
    assert [name for name, c in converters.items() if isinstance(c, IntConverter)] == []
    assert [
        name
        for name, c in converters.items()
        if name.endswith("_id") and not isinstance(c, IdConverter)
    ] == []


def _double_struck(number: int) -> str:
    """The id in digits that int() reads as the same number: "𝟙𝟚" for 12."""
    return "".join(chr(0x1D7D8 + int(digit)) for digit in str(number))


@pytest.mark.django_db
def test_the_curators_pages_take_a_class_by_its_id_only(curator_client, curator):
    school_class = SchoolClassFactory(school=curator.school, grade=6, letter="А")
    other = SchoolClassFactory(school=curator.school, grade=6, letter="Б")
    student = StudentFactory(school_class=school_class)
    lookalike = _double_struck(school_class.pk)

    for url in (reverse("schools:student_create"), reverse("invitations:issue")):
        assert curator_client.get(url, {"class": school_class.pk}).status_code == 200
        assert curator_client.get(url, {"class": lookalike}).status_code == 404
    moved = curator_client.post(
        reverse("schools:student_move", args=[student.pk]), {"to_class": _double_struck(other.pk)}
    )
    assert moved.status_code == 200
    assert "Выберите класс из списка." in moved.content.decode()
    assert Student.objects.get(pk=student.pk).school_class == school_class
