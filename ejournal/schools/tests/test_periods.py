"""Closing periods: the rule, the curator's close and reopen (audited), their pages, and the
school's "close each period N days after it ends" setting."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.conftest import school_host
from ejournal.core.testing.factories import UserFactory
from ejournal.schools.models import Period, PeriodStatus, School
from ejournal.schools.roles import Role
from ejournal.schools.selectors import closed_period_on, current_year, period_is_closed
from ejournal.schools.services import period_close, period_reopen, school_settings_update

pytestmark = pytest.mark.django_db

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
SETTINGS_URL = reverse("schools:school_settings")


def _at(day: dt.date) -> time_machine.travel:
    """Noon of the day at the school (Moscow)."""
    return time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=MOSCOW), tick=False)


@pytest.fixture
def quarter_1(school: School) -> Period:
    return current_year(school=school).periods.get(number=1)


def _close_after(school: School, days: int | None) -> None:
    school.close_periods_after_days = days
    school.save(update_fields=["close_periods_after_days"])


def _reload(period: Period) -> Period:
    return Period.objects.get(pk=period.pk)


# --- the rule ----------------------------------------------------------------------------

ENDS = dt.date(2026, 10, 25)


@pytest.mark.parametrize(
    ("status", "close_after_days", "today", "closed"),
    [
        (PeriodStatus.AUTO, None, dt.date(2027, 5, 1), False),  # no rule: only by hand
        (PeriodStatus.AUTO, 10, ENDS + dt.timedelta(days=10), False),  # the 10th day: open
        (PeriodStatus.AUTO, 10, ENDS + dt.timedelta(days=11), True),
        (PeriodStatus.AUTO, 0, ENDS, False),  # its last day is still open
        (PeriodStatus.AUTO, 0, ENDS + dt.timedelta(days=1), True),
        (PeriodStatus.CLOSED, None, dt.date(2026, 9, 2), True),  # by hand, even mid-period
        (PeriodStatus.OPEN, 0, dt.date(2027, 5, 1), False),  # reopened: the rule is overridden
    ],
)
def test_a_period_is_closed_by_the_curators_decision_else_by_the_schools_rule(
    status, close_after_days, today, closed
):
    period = Period(number=1, starts_on=dt.date(2026, 9, 1), ends_on=ENDS, status=status)
    assert period.is_closed(today=today, close_after_days=close_after_days) is closed


def test_the_closed_period_of_a_day_is_the_one_containing_it_and_none_in_a_vacation(
    school, quarter_1
):
    year = quarter_1.year
    school_class = year.classes.create(school=school, grade=6, letter="А")
    period_close(school=school, period=quarter_1, actor=None)

    assert closed_period_on(school=school, school_class_id=school_class.pk, day=ENDS) == quarter_1
    vacation = ENDS + dt.timedelta(days=3)
    assert closed_period_on(school=school, school_class_id=school_class.pk, day=vacation) is None
    second = dt.date(2026, 11, 10)
    assert closed_period_on(school=school, school_class_id=school_class.pk, day=second) is None


# --- close and reopen --------------------------------------------------------------------


def test_closing_a_period_records_who_closed_it_with_the_state_before_and_after(
    school, quarter_1, curator
):
    period_close(school=school, period=quarter_1, actor=curator)

    assert _reload(quarter_1).status == PeriodStatus.CLOSED
    event = AuditEvent.objects.get(action=AuditAction.PERIOD_CLOSED)
    assert (event.school, event.actor, event.target_type, event.target_id) == (
        school,
        curator,
        "period",
        quarter_1.pk,
    )
    assert event.before == {"status": "auto", "closed": False}
    assert event.after == {"status": "closed", "closed": True}


def test_reopening_a_period_the_rule_closed_keeps_it_open_past_the_rule(school, quarter_1, curator):
    _close_after(school, 0)
    with _at(dt.date(2026, 12, 3)):
        assert period_is_closed(period=quarter_1, school=school)

        period_reopen(school=school, period=quarter_1, actor=curator)

        period = _reload(quarter_1)
        assert period.status == PeriodStatus.OPEN
        assert not period_is_closed(period=period, school=school)
    event = AuditEvent.objects.get(action=AuditAction.PERIOD_REOPENED)
    assert event.before == {"status": "auto", "closed": True}
    assert event.after == {"status": "open", "closed": False}
    with _at(dt.date(2027, 5, 1)):  # months later the rule still does not close it
        assert not period_is_closed(period=_reload(quarter_1), school=school)


def test_a_reopened_period_can_be_closed_again(school, quarter_1, curator):
    period_close(school=school, period=quarter_1, actor=curator)
    period_reopen(school=school, period=_reload(quarter_1), actor=curator)
    period_close(school=school, period=_reload(quarter_1), actor=curator)

    assert _reload(quarter_1).status == PeriodStatus.CLOSED
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        AuditAction.PERIOD_CLOSED,
        AuditAction.PERIOD_REOPENED,
        AuditAction.PERIOD_CLOSED,
    ]


def test_closing_a_closed_period_or_opening_an_open_one_is_refused_and_not_audited(
    school, quarter_1, curator
):
    with pytest.raises(ValidationError, match="Период «1 четверть» уже открыт"):
        period_reopen(school=school, period=quarter_1, actor=curator)
    period_close(school=school, period=quarter_1, actor=curator)
    with pytest.raises(ValidationError, match="Период «1 четверть» уже закрыт"):
        period_close(school=school, period=_reload(quarter_1), actor=curator)

    assert AuditEvent.objects.count() == 1


def test_another_schools_period_is_refused(school, other_school, curator):
    theirs = current_year(school=other_school).periods.get(number=1)
    with pytest.raises(ValidationError, match="другой школы"):
        period_close(school=school, period=theirs, actor=curator)
    assert _reload(theirs).status == PeriodStatus.AUTO


# --- the curator's pages -----------------------------------------------------------------


def _close_url(period: Period) -> str:
    return reverse("schools:period_close", args=[period.pk])


def _reopen_url(period: Period) -> str:
    return reverse("schools:period_reopen", args=[period.pk])


def test_the_settings_page_lists_the_years_periods_with_their_state_and_a_button(
    school, curator_client, quarter_1
):
    _close_after(school, 10)
    quarter_2 = current_year(school=school).periods.get(number=2)
    period_close(school=school, period=quarter_2, actor=None)
    with _at(dt.date(2026, 12, 3)):
        response = curator_client.get(SETTINGS_URL)

    text = response.content.decode()
    assertContains(response, "Закрыт</span> по правилу школы с 5 ноября 2026")  # Q1: 25 Oct + 10
    assertContains(response, "Закрыт</span> куратором")  # Q2
    assertContains(response, "закроется 1 апреля 2027")  # Q3 ends 21 March
    assert text.count(f'href="{_reopen_url(quarter_1)}"') == 1
    assert text.count("/close/") == 2  # Q3, Q4


def test_the_close_page_asks_first_and_the_post_closes_the_period(
    school, curator, curator_client, quarter_1
):
    page = curator_client.get(_close_url(quarter_1))
    assertContains(page, "Закрыть период «1 четверть»?")
    assertContains(page, "Учителя не смогут ставить, менять и стирать оценки")
    assertContains(page, 'name="csrfmiddlewaretoken"')
    assert _reload(quarter_1).status == PeriodStatus.AUTO  # the GET changed nothing

    response = curator_client.post(_close_url(quarter_1), follow=True)

    assertRedirects(response, SETTINGS_URL)
    assertContains(response, "Период «1 четверть» закрыт.")
    assert _reload(quarter_1).status == PeriodStatus.CLOSED
    assert AuditEvent.objects.get(action=AuditAction.PERIOD_CLOSED).actor == curator


def test_the_reopen_page_asks_first_and_the_post_reopens_the_period(
    school, curator, curator_client, quarter_1
):
    period_close(school=school, period=quarter_1, actor=curator)
    assertContains(curator_client.get(_reopen_url(quarter_1)), "Открыть период «1 четверть» снова?")

    response = curator_client.post(_reopen_url(quarter_1))

    assertRedirects(response, SETTINGS_URL)
    assert _reload(quarter_1).status == PeriodStatus.OPEN
    assert AuditEvent.objects.filter(action=AuditAction.PERIOD_REOPENED, actor=curator).exists()


def test_posting_close_twice_shows_the_reason_and_records_one_event(curator_client, quarter_1):
    curator_client.post(_close_url(quarter_1))
    response = curator_client.post(_close_url(quarter_1))

    assert response.status_code == 200
    assertContains(response, "Период «1 четверть» уже закрыт.")
    assert AuditEvent.objects.filter(action=AuditAction.PERIOD_CLOSED).count() == 1


def test_the_close_post_needs_the_csrf_token(school, curator, quarter_1):
    client = Client(HTTP_HOST=school_host(school), enforce_csrf_checks=True)
    client.force_login(curator)

    assert client.post(_close_url(quarter_1)).status_code == 403
    assert _reload(quarter_1).status == PeriodStatus.AUTO


@pytest.mark.parametrize("role", [Role.TEACHER, Role.STUDENT, Role.PARENT])
def test_other_roles_get_404_from_the_period_pages_and_change_nothing(
    school, client_for, quarter_1, role
):
    client = client_for(school, UserFactory(school=school, role=role))
    period_close(school=school, period=quarter_1, actor=None)
    for url in (_close_url(quarter_1), _reopen_url(quarter_1)):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert _reload(quarter_1).status == PeriodStatus.CLOSED
    assert AuditEvent.objects.filter(action=AuditAction.PERIOD_REOPENED).count() == 0


def test_another_schools_period_is_404_to_the_curator(curator_client, other_school):
    theirs = current_year(school=other_school).periods.get(number=1)
    assert curator_client.post(_close_url(theirs)).status_code == 404
    assert _reload(theirs).status == PeriodStatus.AUTO


# --- the setting -------------------------------------------------------------------------


def _form(school: School, **changes: object) -> dict[str, object]:
    return {
        "name": school.name,
        "period_kind": school.period_kind,
        "mark_min": school.mark_min,
        "mark_max": school.mark_max,
        **changes,
    }


@pytest.mark.parametrize("value", ["-1", "366", "abc", "1.5", "99999999999999999999"])
def test_a_bad_number_of_days_is_refused_with_a_russian_message(school, curator_client, value):
    response = curator_client.post(SETTINGS_URL, _form(school, close_periods_after_days=value))

    assert response.status_code == 200
    assertContains(response, "Число дней — целое, от 0 до 365; оставьте поле пустым")
    assert School.objects.get(pk=school.pk).close_periods_after_days is None


def test_the_number_of_days_is_saved_audited_and_can_be_emptied_again(
    school, curator, curator_client
):
    response = curator_client.post(SETTINGS_URL, _form(school, close_periods_after_days="10"))

    assertRedirects(response, SETTINGS_URL)
    assert School.objects.get(pk=school.pk).close_periods_after_days == 10
    event = AuditEvent.objects.get(action=AuditAction.SCHOOL_UPDATED)
    assert (event.before, event.after) == (
        {"close_periods_after_days": None},
        {"close_periods_after_days": 10},
    )
    assertContains(curator_client.get(SETTINGS_URL), 'name="close_periods_after_days" value="10"')

    curator_client.post(SETTINGS_URL, _form(school, close_periods_after_days=""))
    assert School.objects.get(pk=school.pk).close_periods_after_days is None


def test_the_service_refuses_a_number_of_days_out_of_range(school):
    with pytest.raises(ValidationError) as error:
        school_settings_update(
            school=school,
            actor=None,
            name=school.name,
            period_kind=school.period_kind,
            mark_min=1,
            mark_max=5,
            close_periods_after_days=366,
        )
    assert "close_periods_after_days" in error.value.message_dict
