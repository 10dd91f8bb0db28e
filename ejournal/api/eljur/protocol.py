"""The protocol's envelope, its errors, and the parameters every method shares.

An answer is `{"response": {"state": 200, "error": null, "result": ...}}`; a refusal has
state 400 (a bad request, a failed login) or 403 (no or a bad token), a Russian message and
`"result": {}`. The HTTP status is the state: clients read the body either way.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse

from ejournal.accounts.api_tokens import api_token_user
from ejournal.accounts.models import User
from ejournal.journal.access import JournalAccessError, access_student_for_diary, students_for_user
from ejournal.journal.dates import EARLIEST, LATEST, date_range_check
from ejournal.schools.models import School, Student

NO_SCHOOL = "Школа не найдена: проверьте параметр vendor."
OTHER_SCHOOL = "Параметр vendor называет другую школу."
NO_TOKEN = "Нужна авторизация: передайте auth_token."  # noqa: S105 -- a message
BAD_TOKEN = "Токен неверен или истёк: войдите снова."  # noqa: S105 -- a message
BAD_DAYS = "Параметр days — это период ГГГГММДД-ГГГГММДД."
OUT_OF_RANGE = f"Даты должны быть между {EARLIEST:%d.%m.%Y} и {LATEST:%d.%m.%Y}."
NO_STUDENT = "Ученик не найден."
NO_STUDENTS = "Этому пользователю не доступен ни один дневник."
UNKNOWN_METHOD = "Неизвестный метод."
POST_ONLY = "Этот метод вызывается запросом POST."

DAY = "%Y%m%d"
DAYS = re.compile(r"[0-9]{8}(-[0-9]{8})?")


class EljurError(Exception):
    """A refusal: its state (400 or 403), its message and result."""

    def __init__(self, message: str, *, state: int = 400, result: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.state = state
        self.result = result or {}


def answer(result: Any) -> JsonResponse:
    return JsonResponse({"response": {"state": 200, "error": None, "result": result}})


def refusal(error: EljurError) -> JsonResponse:
    body = {"response": {"state": error.state, "error": error.message, "result": error.result}}
    return JsonResponse(body, status=error.state)


def params(request: HttpRequest) -> dict[str, str]:
    """The query and, for a POST, its form: the form wins."""
    merged = {key: request.GET.get(key, "") for key in request.GET}
    if request.method == "POST":
        merged.update({key: request.POST.get(key, "") for key in request.POST})
    return merged


def school_of(request: HttpRequest, args: dict[str, str]) -> tuple[School, bool]:
    """The school the call is for, and whether it came from `vendor` (a generic host): a
    school's host names its school, and a `vendor` naming another is refused."""
    school: School | None = getattr(request, "school", None)
    vendor = args.get("vendor", "").strip()
    if school is not None:
        if vendor and vendor.casefold() != school.number.casefold():
            raise EljurError(OTHER_SCHOOL)
        return school, False
    found = School.objects.filter(number__iexact=vendor).first() if vendor else None
    if found is None:
        raise EljurError(NO_SCHOOL)
    return found, True


def token_user(school: School, args: dict[str, str]) -> User:
    key = args.get("auth_token", "").strip()
    if not key:
        raise EljurError(NO_TOKEN, state=403)
    user = api_token_user(school=school, key=key)
    if user is None:
        raise EljurError(BAD_TOKEN, state=403)
    return user


def day_key(day: dt.date) -> str:
    return day.strftime(DAY)


def days_range(
    args: dict[str, str], *, default: tuple[dt.date, dt.date]
) -> tuple[dt.date, dt.date]:
    """`days=YYYYMMDD-YYYYMMDD` (one day alone: that day), checked as the diary's range."""
    raw = args.get("days", "").strip()
    if not raw:
        return default
    if DAYS.fullmatch(raw) is None:  # strptime alone would read "2026112" as 2 November
        raise EljurError(BAD_DAYS)
    first_raw, _, last_raw = raw.partition("-")
    try:
        first = dt.datetime.strptime(first_raw, DAY).date()
        last = dt.datetime.strptime(last_raw or first_raw, DAY).date()
    except ValueError as error:
        raise EljurError(BAD_DAYS) from error
    if not (EARLIEST <= first <= LATEST and EARLIEST <= last <= LATEST):
        raise EljurError(OUT_OF_RANGE)
    try:
        date_range_check(first, last)
    except ValidationError as error:
        raise EljurError(" ".join(error.messages)) from error
    return first, last


@dataclass(frozen=True)
class Caller:
    """A call's school, the user its token logs in, and the arguments."""

    school: School
    user: User
    args: dict[str, str]


def chosen_students(caller: Caller) -> list[Student]:
    """The students a call asks for: `student` (or `students`, comma separated) checked by
    access_student_for_diary — another family's child is "not found", as an id of nobody;
    none named: every diary the user reads (students_for_user: one child's, or each of a
    parent's children)."""
    raw = caller.args.get("student") or caller.args.get("students") or ""
    ids = [part.strip() for part in raw.split(",") if part.strip()]
    if not ids:
        students = students_for_user(caller.user)
        if not students:
            raise EljurError(NO_STUDENTS)
        return students
    chosen = []
    for raw_id in dict.fromkeys(ids):
        if not raw_id.isdigit():
            raise EljurError(NO_STUDENT)
        try:
            chosen.append(access_student_for_diary(user=caller.user, student_id=int(raw_id)))
        except JournalAccessError as error:
            raise EljurError(NO_STUDENT) from error
    return chosen


def hhmmss(value: dt.time | None) -> str:
    return value.strftime("%H:%M:%S") if value is not None else ""
