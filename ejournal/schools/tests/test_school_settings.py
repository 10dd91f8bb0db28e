"""The school's settings: periods of each kind, re-dividing the year, the mark scale, the page."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.core.testing.factories import SchoolClassFactory, StudentFactory, UserFactory
from ejournal.core.testing.journal_factories import FinalMarkFactory, MarkFactory
from ejournal.schools.models import Period, PeriodKind, School
from ejournal.schools.roles import Role
from ejournal.schools.selectors import current_year
from ejournal.schools.services import (
    DEFAULT_QUARTERS,
    academic_year_create,
    school_settings_update,
)

pytestmark = pytest.mark.django_db

URL = reverse("schools:school_settings")
COUNTS = {PeriodKind.QUARTER: 4, PeriodKind.TRIMESTER: 3, PeriodKind.HALF: 2}


def _settings(school: School, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": school.name,
        "period_kind": school.period_kind,
        "mark_min": school.mark_min,
        "mark_max": school.mark_max,
        "close_periods_after_days": school.close_periods_after_days,
    }
    data.update(changes)
    return data


def _update(school: School, actor=None, **changes: object) -> School:
    return school_settings_update(school=school, actor=actor, **_settings(school, **changes))  # type: ignore[arg-type]


def _year_periods(school: School) -> list[Period]:
    return list(Period.objects.filter(year=current_year(school=school)).order_by("number"))


# --- periods of each kind ----------------------------------------------------------------


@pytest.mark.parametrize("kind", list(PeriodKind))
@pytest.mark.parametrize("start_year", [2030, 2031])  # the 2031/2032 year has 29 February
def test_each_kind_divides_the_year_into_ordered_periods_inside_it(school, kind, start_year):
    year = academic_year_create(school=school, start_year=start_year, kind=kind)

    periods = list(year.periods.order_by("number"))
    assert len(periods) == COUNTS[kind]
    assert [p.number for p in periods] == list(range(1, COUNTS[kind] + 1))
    assert {p.kind for p in periods} == {kind}
    assert all(p.school_id == school.pk for p in periods)
    assert all(p.starts_on <= p.ends_on for p in periods)
    assert all(a.ends_on < b.starts_on for a, b in itertools.pairwise(periods))
    assert periods[0].starts_on == year.starts_on == dt.date(start_year, 9, 1)
    assert periods[-1].ends_on == year.ends_on == dt.date(start_year + 1, 5, 31)


def test_trimesters_are_contiguous_and_end_february_on_its_last_day(school):
    plain = list(
        academic_year_create(school=school, start_year=2030, kind="trimester").periods.all()
    )
    leap = list(
        academic_year_create(school=school, start_year=2031, kind="trimester").periods.all()
    )

    for periods in (plain, leap):
        assert all(
            b.starts_on == a.ends_on + dt.timedelta(days=1) for a, b in itertools.pairwise(periods)
        )
    assert [(p.starts_on, p.ends_on) for p in plain] == [
        (dt.date(2030, 9, 1), dt.date(2030, 11, 30)),
        (dt.date(2030, 12, 1), dt.date(2031, 2, 28)),
        (dt.date(2031, 3, 1), dt.date(2031, 5, 31)),
    ]
    assert leap[1].ends_on == dt.date(2032, 2, 29)


def test_halves_break_for_the_winter_holidays(school):
    periods = list(academic_year_create(school=school, start_year=2030, kind="half").periods.all())

    assert [(p.starts_on, p.ends_on) for p in periods] == [
        (dt.date(2030, 9, 1), dt.date(2030, 12, 28)),
        (dt.date(2031, 1, 9), dt.date(2031, 5, 31)),
    ]


def test_quarters_keep_their_dates(school):
    periods = list(
        academic_year_create(school=school, start_year=2032, kind="quarter").periods.all()
    )

    assert [
        ((p.starts_on.month, p.starts_on.day), (p.ends_on.month, p.ends_on.day)) for p in periods
    ] == DEFAULT_QUARTERS


def test_a_new_year_is_divided_as_the_school_is_set_unless_told(school):
    School.objects.filter(pk=school.pk).update(period_kind=PeriodKind.HALF)
    school.refresh_from_db()

    assert academic_year_create(school=school, start_year=2033).periods.count() == 2
    assert (
        academic_year_create(school=school, start_year=2034, kind="trimester").periods.count() == 3
    )


# --- the settings service ----------------------------------------------------------------


def test_settings_are_saved_and_audited_with_before_and_after(school, curator):
    _update(school, curator, name="  Школа   №1399 имени Пушкина ", mark_min=2, mark_max=10)

    school.refresh_from_db()
    assert (school.name, school.mark_min, school.mark_max) == ("Школа №1399 имени Пушкина", 2, 10)
    event = AuditEvent.objects.get(action=AuditAction.SCHOOL_UPDATED)
    assert (event.school_id, event.actor_id, event.target_type, event.target_id) == (
        school.pk,
        curator.pk,
        "school",
        school.pk,
    )
    assert event.before == {"name": "Школа №1399", "mark_min": 1, "mark_max": 5}
    assert event.after == {"name": "Школа №1399 имени Пушкина", "mark_min": 2, "mark_max": 10}


def test_saving_unchanged_settings_records_nothing(school, curator):
    _update(school, curator)

    assert not AuditEvent.objects.exists()


def test_a_new_division_re_divides_the_current_year_when_it_has_no_finals(school, curator):
    old_ids = {p.pk for p in _year_periods(school)}

    _update(school, curator, period_kind="trimester")

    school.refresh_from_db()
    periods = _year_periods(school)
    assert school.period_kind == "trimester"
    assert [(p.kind, p.number) for p in periods] == [("trimester", n) for n in (1, 2, 3)]
    assert not old_ids & {p.pk for p in periods}
    event = AuditEvent.objects.get(action=AuditAction.SCHOOL_UPDATED)
    assert event.before == {"period_kind": "quarter"}
    assert event.after["period_kind"] == "trimester"
    assert [p["number"] for p in event.after["periods"]] == [1, 2, 3]


def test_a_new_division_is_refused_once_the_year_has_finals(school, curator):
    student = StudentFactory(school_class=SchoolClassFactory(school=school))
    FinalMarkFactory(student=student)
    FinalMarkFactory(student=student)
    before = [(p.pk, p.kind) for p in _year_periods(school)]

    with pytest.raises(ValidationError) as caught:
        _update(school, curator, period_kind="half", name="Новое имя")

    assert "2 итоговые оценки" in caught.value.message_dict["period_kind"][0]
    assert "Со следующего учебного года" in caught.value.message_dict["period_kind"][0]
    school.refresh_from_db()
    assert (school.period_kind, school.name) == ("quarter", "Школа №1399")
    assert [(p.pk, p.kind) for p in _year_periods(school)] == before
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("with_finals", [True, False])
def test_from_next_year_keeps_this_years_periods_and_divides_the_next(school, curator, with_finals):
    if with_finals:
        FinalMarkFactory(student=StudentFactory(school_class=SchoolClassFactory(school=school)))
    before = [(p.pk, p.kind) for p in _year_periods(school)]

    school_settings_update(
        school=school,
        actor=curator,
        from_next_year=True,
        **_settings(school, period_kind="half"),  # type: ignore[arg-type]
    )

    school.refresh_from_db()
    assert school.period_kind == "half"
    assert [(p.pk, p.kind) for p in _year_periods(school)] == before
    event = AuditEvent.objects.get(action=AuditAction.SCHOOL_UPDATED)
    assert event.after == {"period_kind": "half"}
    next_year = academic_year_create(
        school=school, start_year=current_year(school=school).starts_on.year + 1
    )
    assert next_year.periods.count() == 2


def test_finals_of_another_school_or_year_do_not_stop_the_re_division(
    school, other_school, curator
):
    FinalMarkFactory(student=StudentFactory(school_class=SchoolClassFactory(school=other_school)))
    old_year = academic_year_create(school=school, start_year=2000)
    student = StudentFactory(school_class=SchoolClassFactory(school=school, year=old_year))
    FinalMarkFactory(student=student)

    _update(school, curator, period_kind="trimester")

    assert len(_year_periods(school)) == 3
    assert old_year.periods.count() == 4


def test_the_scale_is_not_narrowed_past_marks_already_given(school, curator):
    school_class = SchoolClassFactory(school=school)
    MarkFactory(lesson__school_class=school_class, value=5)
    MarkFactory(lesson__school_class=school_class, value=1)
    FinalMarkFactory(student=StudentFactory(school_class=school_class), value=5)

    with pytest.raises(ValidationError) as caught:
        _update(school, curator, mark_min=2, mark_max=4)

    message = caught.value.message_dict["mark_min"][0]
    assert "2–4" in message
    assert "3 оценки" in message
    with pytest.raises(ValidationError, match="2 оценки"):
        _update(school, curator, mark_min=1, mark_max=4, name="Другое")
    with pytest.raises(ValidationError, match="1 оценка"):
        _update(school, curator, mark_min=2, mark_max=5)
    school.refresh_from_db()
    assert (school.mark_min, school.mark_max, school.name) == (1, 5, "Школа №1399")
    _update(school, curator, mark_min=1, mark_max=10)  # widening is always allowed
    school.refresh_from_db()
    assert school.mark_max == 10


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "Ш" * 201}, "name"),
        ({"period_kind": "semester"}, "period_kind"),
        ({"mark_min": 5, "mark_max": 5}, "mark_max"),
        ({"mark_min": 0, "mark_max": 5}, "mark_max"),
        ({"mark_min": 1, "mark_max": 12}, "mark_max"),
    ],
)
def test_bad_settings_are_refused_with_a_reason(school, curator, changes, field):
    with pytest.raises(ValidationError) as caught:
        _update(school, curator, **changes)

    assert field in caught.value.message_dict
    assert not AuditEvent.objects.exists()


# --- the page ----------------------------------------------------------------------------


def _h1_count(response) -> int:
    return len(re.findall(r"<h1[\s>]", response.content.decode()))


def test_the_page_shows_the_settings_and_this_years_periods(curator_client, school):
    response = curator_client.get(URL)

    assert response.status_code == 200
    assert _h1_count(response) == 1
    assertContains(response, "Настройки школы")
    assertContains(response, 'value="Школа №1399"')
    first = _year_periods(school)[0]
    assertContains(response, "1 четверть")
    assertContains(response, f"1 сентября {first.starts_on.year}")


def test_the_page_saves_the_settings(curator_client, school):
    response = curator_client.post(
        URL, {"name": "Школа №1399", "period_kind": "trimester", "mark_min": "1", "mark_max": "10"}
    )

    assertRedirects(response, URL, fetch_redirect_response=False)
    school.refresh_from_db()
    assert (school.period_kind, school.mark_max) == ("trimester", 10)
    response = curator_client.get(URL)
    assert [str(m) for m in response.context["messages"]] == ["Настройки школы сохранены."]
    assertContains(response, "3 триместр")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            {"name": "", "period_kind": "quarter", "mark_min": "1", "mark_max": "5"},
            "Введите название школы.",
        ),
        (
            {"name": "Ш", "period_kind": "x", "mark_min": "1", "mark_max": "5"},
            "Выберите деление года из списка.",
        ),
        (
            {"name": "Ш", "period_kind": "quarter", "mark_min": "пять", "mark_max": "5"},
            "Введите целое число от 1 до 10.",
        ),
        (
            {"name": "Ш", "period_kind": "quarter", "mark_min": "5", "mark_max": "3"},
            "наименьшая оценка меньше наибольшей",
        ),
    ],
)
def test_the_page_refuses_bad_input_in_place(curator_client, school, data, reason):
    response = curator_client.post(URL, data)

    assert response.status_code == 200
    assert _h1_count(response) == 1
    assertContains(response, reason)
    school.refresh_from_db()
    assert (school.name, school.mark_min, school.mark_max) == ("Школа №1399", 1, 5)


def test_the_page_explains_a_refused_re_division(curator_client, school):
    FinalMarkFactory(student=StudentFactory(school_class=SchoolClassFactory(school=school)))

    response = curator_client.post(
        URL, {"name": "Новое имя", "period_kind": "half", "mark_min": "1", "mark_max": "5"}
    )

    assert response.status_code == 200
    assertContains(response, "1 итоговая оценка")
    assertContains(response, "<title>Настройки школы — Школа №1399</title>", html=False)
    school.refresh_from_db()
    assert (school.name, school.period_kind) == ("Школа №1399", "quarter")


@pytest.mark.parametrize("role", [Role.TEACHER, Role.STUDENT, Role.PARENT])
def test_the_page_is_a_404_for_anyone_but_the_curator(school, client_for, role):
    client = client_for(school, UserFactory(school=school, role=role))

    assert client.get(URL).status_code == 404
    assert (
        client.post(
            URL, {"name": "X", "period_kind": "half", "mark_min": "1", "mark_max": "5"}
        ).status_code
        == 404
    )
    school.refresh_from_db()
    assert school.period_kind == "quarter"
