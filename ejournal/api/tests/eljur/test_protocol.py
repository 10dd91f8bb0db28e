"""The protocol's refusals and its hosts: tokens, another family's child, bad `days`, the
login, the generic hosts with `vendor`, and both prefixes."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from ejournal.accounts.api_tokens import api_tokens_for_user, api_tokens_revoke_all
from ejournal.api.eljur import protocol
from ejournal.api.eljur.methods import NO_CLASS
from ejournal.core.testing.factories import SchoolFactory, StudentFactory, UserFactory
from ejournal.core.throttle import LOGIN_ACCOUNT
from ejournal.schools.roles import Role

from .conftest import DEVKEY

pytestmark = pytest.mark.django_db

PASSWORD = "Zhurnal2026"
WEEK = "20261123-20261128"
STUDENT_METHODS = [
    "getperiods",
    "getdiary",
    "getmarks",
    "gethomework",
    "getschedule",
    "getfinalassessments",
]
DAYS_METHODS = ["getdiary", "getmarks", "gethomework", "getschedule"]


def refused(response, state: int, error: str) -> None:
    """A refusal: the HTTP status is its state, the message is shown, the result empty."""
    assert response.status_code == state
    assert response.json() == {"response": {"state": state, "error": error, "result": {}}}


def with_password(user):
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


# Tokens


@pytest.mark.parametrize("method", ["getrules", *STUDENT_METHODS])
def test_a_call_without_a_token_is_refused(eljur, cast, method):
    refused(eljur(method, vendor="1399"), 403, protocol.NO_TOKEN)


@pytest.mark.parametrize("method", ["getrules", *STUDENT_METHODS])
def test_a_call_with_a_bad_token_is_refused(eljur, cast, token_for, method):
    token = token_for(cast["nikolaeva"])
    refused(eljur(method, auth_token=token[:-1] + "x"), 403, protocol.BAD_TOKEN)


def test_a_revoked_token_is_refused(eljur, cast, token_for):
    parent = cast["nikolaeva"]
    token = token_for(parent)
    assert eljur("getrules", auth_token=token).status_code == 200
    api_tokens_revoke_all(user=parent, actor=parent)
    refused(eljur("getrules", auth_token=token), 403, protocol.BAD_TOKEN)


def test_an_expired_token_is_refused(eljur, cast, token_for):
    parent = cast["nikolaeva"]
    token = token_for(parent)
    api_tokens_for_user(parent).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    refused(eljur("getrules", auth_token=token), 403, protocol.BAD_TOKEN)


def test_a_token_of_another_school_is_refused(eljur, cast, token_for):
    other = SchoolFactory(number="1400")
    stranger = UserFactory(school=other, role=Role.PARENT)
    refused(eljur("getrules", auth_token=token_for(stranger)), 403, protocol.BAD_TOKEN)


# Whose diary


@pytest.mark.parametrize("method", STUDENT_METHODS)
@pytest.mark.parametrize("param", ["student", "students"])
def test_another_familys_child_is_not_found(eljur, cast, token_for, method, param):
    token = token_for(cast["nikolaeva"])
    response = eljur(method, auth_token=token, days=WEEK, **{param: str(cast["borisov"].pk)})
    refused(response, 400, protocol.NO_STUDENT)


def test_one_foreign_child_among_own_refuses_the_whole_call(eljur, cast, token_for):
    token = token_for(cast["nikolaeva"])
    both = f"{cast['nikolaev'].pk},{cast['borisov'].pk}"
    refused(eljur("getdiary", auth_token=token, students=both), 400, protocol.NO_STUDENT)


@pytest.mark.parametrize("student", ["abc", "-1", "0", "900101.5", "99999999999999999999"])
def test_an_id_of_nobody_is_not_found(eljur, cast, token_for, student):
    token = token_for(cast["nikolaeva"])
    refused(eljur("getmarks", auth_token=token, student=student), 400, protocol.NO_STUDENT)


def test_a_pupil_naming_a_classmate_is_not_found(eljur, cast, token_for):
    token = token_for(cast["nikolaev"].user)
    response = eljur("getdiary", auth_token=token, student=str(cast["ershova"].pk))
    refused(response, 400, protocol.NO_STUDENT)


def test_a_pupil_of_another_school_is_not_found(eljur, cast, token_for):
    elsewhere = StudentFactory(school_class__school=SchoolFactory(number="1400"))
    token = token_for(cast["nikolaeva"])
    refused(
        eljur("getdiary", auth_token=token, student=str(elsewhere.pk)), 400, protocol.NO_STUDENT
    )


def test_a_teacher_reads_no_diary_without_a_student(eljur, cast, token_for):
    token = token_for(cast["petrov"].user)
    assert eljur("getrules", auth_token=token).json()["response"]["state"] == 200
    refused(eljur("getdiary", auth_token=token), 400, protocol.NO_STUDENTS)


@pytest.mark.parametrize("method", ["gethomework", "getschedule"])
def test_a_class_instead_of_a_student_is_refused_with_a_clear_message(
    eljur, cast, token_for, method
):
    token = token_for(cast["nikolaeva"])
    refused(eljur(method, auth_token=token, **{"class": "6А"}), 400, NO_CLASS)


# Dates


@pytest.mark.parametrize("method", DAYS_METHODS)
@pytest.mark.parametrize(
    "days",
    ["2026-11-23", "20261123-", "20261123-2026112", "yesterday", "20261131-20261201", "1-2"],
)
def test_unreadable_days_are_refused(eljur, cast, token_for, method, days):
    token = token_for(cast["nikolaeva"])
    refused(eljur(method, auth_token=token, days=days), 400, protocol.BAD_DAYS)


@pytest.mark.parametrize("days", ["19991231-20000105", "21001220-21010105"])
def test_days_outside_the_journal_are_refused(eljur, cast, token_for, days):
    token = token_for(cast["nikolaeva"])
    refused(eljur("getdiary", auth_token=token, days=days), 400, protocol.OUT_OF_RANGE)


@pytest.mark.parametrize("days", ["20261128-20261123", "20260901-20261231"])
def test_a_reversed_or_too_long_range_is_refused_with_the_diarys_message(
    eljur, cast, token_for, days
):
    response = eljur("getdiary", auth_token=token_for(cast["nikolaeva"]), days=days)
    assert response.status_code == 400
    envelope = response.json()["response"]
    assert envelope["result"] == {}
    assert envelope["error"]  # the diary's own message, in Russian
    assert any("а" <= letter <= "я" for letter in envelope["error"].lower())


def test_one_day_alone_is_that_day(eljur, cast, token_for):
    token = token_for(cast["nikolaev"].user)
    result = eljur("getdiary", auth_token=token, days="20261124").json()["response"]["result"]
    (student,) = result["students"].values()
    assert list(student["days"]) == ["20261124"]


# The login


def test_auth_by_get_gives_a_token_for_about_three_months(eljur, cast):
    with_password(cast["nikolaeva"])
    response = eljur("auth", vendor="1399", login="nikolaeva", password=PASSWORD)
    assert response.status_code == 200
    result = response.json()["response"]["result"]
    expires = dt.datetime.strptime(result["expires"], "%Y-%m-%d %H:%M:%S")
    assert 85 <= (expires.date() - timezone.localdate()).days <= 95
    rules = eljur("getrules", auth_token=result["token"]).json()["response"]["result"]
    assert rules["id"] == str(cast["nikolaeva"].pk)
    (token,) = api_tokens_for_user(cast["nikolaeva"])
    assert token.device == f"ЭлЖур: {DEVKEY}"


def test_auth_by_a_post_form_gives_a_token(school, cast):
    with_password(cast["nikolaeva"])
    client = Client(HTTP_HOST=f"{school.number}.{settings.EJOURNAL_BASE_DOMAIN}")
    response = client.post(
        "/apiv3/auth",
        {"devkey": DEVKEY, "vendor": "1399", "login": "NIKOLAEVA", "password": PASSWORD},
    )
    assert response.status_code == 200
    assert response.json()["response"]["result"]["token"]


@pytest.mark.parametrize(
    "credentials",
    [
        {"login": "nikolaeva", "password": "wrong"},
        {"login": "nobody", "password": PASSWORD},
        {"login": "nikolaeva"},
        {"password": PASSWORD},
        {},
    ],
)
def test_a_failed_login_answers_error_code_login(eljur, cast, credentials):
    with_password(cast["nikolaeva"])
    response = eljur("auth", vendor="1399", **credentials)
    assert response.status_code == 400
    envelope = response.json()["response"]
    assert envelope["state"] == 400
    assert envelope["error"]
    assert envelope["result"] == {"errorCode": "login"}
    assert not api_tokens_for_user(cast["nikolaeva"]).exists()


def test_logins_are_throttled_like_the_web_login(eljur, cast):
    with_password(cast["nikolaeva"])
    with time_machine.travel(timezone.now(), tick=False):
        for _ in range(LOGIN_ACCOUNT.free + 1):
            assert eljur("auth", login="nikolaeva", password="wrong").status_code == 400
        response = eljur("auth", login="nikolaeva", password=PASSWORD)
    assert response.status_code == 400
    envelope = response.json()["response"]
    assert (
        envelope["error"] == "Слишком много неудачных попыток входа. Попробуйте снова через 30 сек."
    )
    assert envelope["result"] == {"errorCode": "login"}
    assert not api_tokens_for_user(cast["nikolaeva"]).exists()


def test_a_password_to_change_first_gives_no_token(eljur, cast):
    parent = with_password(cast["nikolaeva"])
    parent.must_change_password = True
    parent.save(update_fields=["must_change_password"])
    response = eljur("auth", login="nikolaeva", password=PASSWORD)
    assert response.status_code == 403
    assert not api_tokens_for_user(parent).exists()


# Hosts, vendor and prefixes


@pytest.mark.parametrize("prefix", ["", "api."])
def test_a_generic_host_serves_the_school_named_by_vendor(eljur, cast, token_for, prefix):
    host = f"{prefix}{settings.EJOURNAL_BASE_DOMAIN}"
    token = token_for(cast["nikolaeva"])
    at_school = eljur("getmarks", auth_token=token, days=WEEK).json()
    assert eljur("getmarks", host=host, vendor="1399", auth_token=token, days=WEEK).json() == (
        at_school
    )


@pytest.mark.parametrize("vendor", ["", "9999"])
def test_a_generic_host_without_a_known_vendor_is_refused(eljur, cast, token_for, vendor):
    host = f"api.{settings.EJOURNAL_BASE_DOMAIN}"
    token = token_for(cast["nikolaeva"])
    refused(eljur("getrules", host=host, vendor=vendor, auth_token=token), 400, protocol.NO_SCHOOL)


def test_a_vendor_naming_another_school_at_a_schools_host_is_refused(eljur, cast, token_for):
    SchoolFactory(number="1400")
    token = token_for(cast["nikolaeva"])
    refused(eljur("getrules", vendor="1400", auth_token=token), 400, protocol.OTHER_SCHOOL)


def test_a_token_is_good_only_at_the_vendor_it_was_given_for(eljur, cast, token_for):
    SchoolFactory(number="1400")
    host = f"api.{settings.EJOURNAL_BASE_DOMAIN}"
    token = token_for(cast["nikolaeva"])
    refused(eljur("getrules", host=host, vendor="1400", auth_token=token), 403, protocol.BAD_TOKEN)


def test_an_unknown_host_is_a_plain_404(eljur, cast):
    response = eljur("getrules", host=f"api2.{settings.EJOURNAL_BASE_DOMAIN}", vendor="1399")
    assert response.status_code == 404


@pytest.mark.parametrize("method", ["getrules", "getdiary", "getmarks"])
def test_both_prefixes_answer_alike(eljur, cast, token_for, method):
    token = token_for(cast["nikolaeva"])
    v3 = eljur(method, auth_token=token, days=WEEK, prefix="apiv3").json()
    assert eljur(method, auth_token=token, days=WEEK, prefix="api").json() == v3


def test_method_names_are_read_in_any_case(eljur, cast, token_for):
    token = token_for(cast["nikolaeva"])
    assert eljur("getRules", auth_token=token).json() == eljur("getrules", auth_token=token).json()


def test_an_unknown_method_is_refused(eljur, cast, token_for):
    refused(
        eljur("getsecrets", auth_token=token_for(cast["nikolaeva"])), 400, protocol.UNKNOWN_METHOD
    )


def test_other_http_methods_are_not_allowed(school, cast):
    client = Client(HTTP_HOST=f"{school.number}.{settings.EJOURNAL_BASE_DOMAIN}")
    assert client.put("/apiv3/getrules").status_code == 405


def test_a_call_sets_no_session_cookie(eljur, cast, token_for):
    response = eljur("getdiary", auth_token=token_for(cast["nikolaeva"]), days=WEEK)
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert settings.CSRF_COOKIE_NAME not in response.cookies


# Queries


@pytest.mark.parametrize(
    ("method", "queries"),
    [("getdiary", 21), ("getmarks", 11), ("getperiods", 6), ("getfinalassessments", 7)],
)
def test_a_parents_call_makes_a_fixed_number_of_queries(
    eljur, cast, token_for, django_assert_num_queries, method, queries
):
    """For both children of the parent, whatever the week holds: the school, the token, its
    user (kept from then on: accounts/identity.py) and its first use, the children, then each
    child's (getdiary: diary_between's 8; getperiods: the year's periods once, kept for the
    second child of the same year)."""
    token = token_for(cast["nikolaeva"])
    with django_assert_num_queries(queries):
        assert eljur(method, auth_token=token, days=WEEK).status_code == 200
