"""The protocol's methods: each parses its arguments, calls the journal's selectors and shapes
the result as ЭлЖур's clients read it (ids as strings, day keys YYYYMMDD, mark dates
YYYY-MM-DD)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from ejournal.accounts.api_tokens import api_token_create
from ejournal.accounts.flows.login import login_attempt
from ejournal.accounts.flows.throttled import Throttled
from ejournal.api.v1.auth import MUST_CHANGE_FIRST
from ejournal.core.freshness import cached_read
from ejournal.core.http import client_address
from ejournal.journal.access import students_for_user
from ejournal.journal.dates import week_start_of
from ejournal.journal.models import Attendance, AttendanceStatus, ControlType, Mark
from ejournal.journal.selectors.diary import Diary, DiaryLesson, diary_between
from ejournal.journal.selectors.marks import absences_between, finals_for_year, marks_between
from ejournal.schools.models import School, Student
from ejournal.schools.roles import Role
from ejournal.schools.selectors import year_periods

from .protocol import Caller, EljurError, chosen_students, day_key, days_range, hhmmss

# The device a token is listed under (ApiToken.device holds 100 characters).
DEVICE = "ЭлЖур: {devkey}"
DEVKEY_SHOWN = 40
NO_LOGIN = "Укажите логин и пароль."
NO_CLASS = "Расписание класса (параметр class) здесь не выдаётся: укажите ученика (student)."
CONTROL_SHORT = {
    ControlType.TEST: "К/р",
    ControlType.QUIZ: "С/р",
    ControlType.DICTATION: "Дикт.",
    ControlType.LAB: "Л/р",
}
ABSENT = str(AttendanceStatus.ABSENT.label)  # "н"
TO_SATURDAY = dt.timedelta(days=5)


def auth(request: HttpRequest, school: School, args: dict[str, str]) -> dict[str, Any]:
    """`login` and `password` → a token for about three months (the native API's token)."""
    login, password = args.get("login", "").strip(), args.get("password", "")
    if not login or not password:
        raise EljurError(NO_LOGIN, result={"errorCode": "login"})
    try:
        logged_in = login_attempt(
            school=school, login=login, password=password, client_address=client_address(request)
        )
    except Throttled as refusal:
        raise EljurError(" ".join(refusal.messages), result={"errorCode": "login"}) from refusal
    except ValidationError as refusal:
        raise EljurError(" ".join(refusal.messages), result={"errorCode": "login"}) from refusal
    if logged_in.user.must_change_password:
        raise EljurError(MUST_CHANGE_FIRST, state=403)
    devkey = args.get("devkey", "").strip()[:DEVKEY_SHOWN] or "—"
    token, key = api_token_create(user=logged_in.user, device=DEVICE.format(devkey=devkey))
    expires = timezone.localtime(token.expires_at)
    return {"token": key, "expires": expires.strftime("%Y-%m-%d %H:%M:%S")}


def _student_title(student: Student) -> str:
    return student.full_name


def _relation(caller: Caller) -> str:
    return "child" if caller.user.role == Role.PARENT else "self"


def getrules(caller: Caller) -> dict[str, Any]:
    """The user, the school, and the classes and students whose diaries they read."""
    user, school = caller.user, caller.school
    students = students_for_user(user)
    rel = _relation(caller)
    groups: dict[str, Any] = {}
    for student in students:
        school_class = student.school_class
        teacher = school_class.class_teacher
        groups[school_class.label] = {
            "name": school_class.label,
            "rel": rel,
            "parallel": str(school_class.grade),
            "hometeacher_id": str(teacher.pk) if teacher is not None else "",
            "hometeacher_name": teacher.full_name if teacher is not None else "",
        }
    return {
        "name": str(user.pk),
        "id": str(user.pk),
        "title": user.full_name,
        "firstname": user.first_name,
        "lastname": user.last_name,
        "middlename": user.middle_name,
        "email": user.email,
        "email_confirmed": user.email_confirmed_at is not None,
        "gender": "",
        "roles": [user.role],
        "vendor": school.number,
        "city": "",
        "region": "",
        "relations": {
            "schools": [{"title": school.name, "title_full": school.name, "number": school.number}],
            "groups": groups,
            "students": {
                str(student.pk): {
                    "name": str(student.pk),
                    "title": _student_title(student),
                    "firstname": student.first_name,
                    "lastname": student.last_name,
                    "gender": "",
                    "class": student.school_class.label,
                    "parallel": str(student.school_class.grade),
                    "city": "",
                    "rel": rel,
                }
                for student in students
            },
        },
    }


def _weeks(first: dt.date, last: dt.date) -> list[dict[str, str]]:
    """The Monday-to-Sunday weeks that hold a day of the range."""
    weeks = []
    monday = week_start_of(first)
    while monday <= last:
        sunday = monday + dt.timedelta(days=6)
        weeks.append(
            {
                "start": day_key(monday),
                "end": day_key(sunday),
                "title": f"{monday:%d.%m} - {sunday:%d.%m}",
            }
        )
        monday += dt.timedelta(days=7)
    return weeks


def getperiods(caller: Caller) -> dict[str, Any]:
    """The periods of each student's year; `weeks` adds their weeks. No period is disabled
    here (`show_disabled` changes nothing)."""
    with_weeks = bool(caller.args.get("weeks"))
    result = []
    for student in chosen_students(caller):
        periods = []
        for period in year_periods(year=student.school_class.year):
            item: dict[str, Any] = {
                "name": str(period),
                "fullname": str(period).capitalize(),
                "start": day_key(period.starts_on),
                "end": day_key(period.ends_on),
                "disabled": False,
                "ambigious": False,
            }
            if with_weeks:
                item["weeks"] = _weeks(period.starts_on, period.ends_on)
            periods.append(item)
        result.append(
            {"name": str(student.pk), "title": _student_title(student), "periods": periods}
        )
    return {"students": result}


def _this_week(student: Student) -> tuple[dt.date, dt.date]:
    monday = week_start_of(student.school.today())
    return monday, monday + TO_SATURDAY


def _weight(weight: int) -> dict[str, Any]:
    return {"weight": str(weight), "weight_float": float(weight)}


def _control(lesson_control: str) -> dict[str, str]:
    if not lesson_control:
        return {"control_type": "", "control_type_short": ""}
    control = ControlType(lesson_control)
    return {"control_type": str(control.label), "control_type_short": CONTROL_SHORT[control]}


def _mark(mark: Mark, entry_date: dt.date, number: int, control: str) -> dict[str, Any]:
    return {
        "value": str(mark.value),
        "comment": mark.comment,
        "convert": mark.value,
        "count": True,
        "countas": str(mark.value),
        "date": entry_date.isoformat(),
        "lesson_id": str(mark.lesson_id),
        "nm": str(number),
        **_weight(mark.weight),
        "color_hex": "",
        **_control(control),
    }


def _absence(attendance: Attendance, entry_date: dt.date, number: int) -> dict[str, Any]:
    return {
        "value": ABSENT,
        "comment": str(attendance.get_reason_display()) if attendance.reason else "",
        "convert": 0,
        "count": False,
        "countas": ABSENT,
        "date": entry_date.isoformat(),
        "lesson_id": str(attendance.lesson_id),
        "nm": str(number),
        **_weight(0),
        "color_hex": "",
        **_control(""),
    }


def _assessments(entry: DiaryLesson) -> list[dict[str, Any]]:
    lesson = entry.lesson
    shown = []
    if entry.mark is not None:
        shown.append(_mark(entry.mark, lesson.date, lesson.number, lesson.control_type))
    if entry.attendance is not None and entry.attendance.status == AttendanceStatus.ABSENT:
        shown.append(_absence(entry.attendance, lesson.date, lesson.number))
    return shown


def _homework(entry: DiaryLesson) -> dict[str, Any]:
    return {
        str(item.homework.pk): {
            "id": str(item.homework.pk),
            "value": item.homework.text,
            "individual": False,
        }
        for item in entry.homework
    }


def _files(entry: DiaryLesson) -> list[dict[str, str]]:
    return [
        {
            "filename": homework_file.name,
            "link": reverse("api-v1:homework_file", kwargs={"file_id": homework_file.pk}),
        }
        for item in entry.homework
        for homework_file in item.files
    ]


def _item(entry: DiaryLesson, *, fields: str, rings: bool) -> dict[str, Any]:
    lesson = entry.lesson
    item: dict[str, Any] = {
        "name": lesson.subject.name,
        "num": str(lesson.number),
        "room": lesson.room,
        "teacher": lesson.teacher.full_name,
        "sort": lesson.number,
        "lesson_id": str(lesson.pk),
        "grp": lesson.group.name if lesson.group is not None else "",
    }
    if fields in ("diary", "schedule"):
        item["is_control"] = bool(lesson.control_type)
        item["topic"] = lesson.topic
    if fields in ("diary", "homework"):
        item["homework"] = _homework(entry)
        item["files"] = _files(entry)
        item["resources"] = []
    if fields == "diary":
        item["assessments"] = _assessments(entry)
    if rings:
        item["starttime"] = hhmmss(entry.starts_at)
        item["endtime"] = hhmmss(entry.ends_at)
    return item


def _days(diary: Diary, *, fields: str, rings: bool) -> dict[str, Any]:
    days: dict[str, Any] = {}
    for day in diary.days:
        entries = day.lessons
        if fields == "homework":
            entries = [entry for entry in entries if entry.homework]
            if not entries:
                continue
        shown: dict[str, Any] = {"name": day_key(day.date), "title": day.weekday_name}
        if day.holiday is not None:
            shown["alert"] = "holiday"
            shown["holiday_name"] = day.holiday.name
        items: dict[str, Any] = {}
        for entry in entries:
            key = str(entry.lesson.number)
            if key in items:  # two lessons at one number (the student's groups'): both shown
                key = f"{key}.{entry.lesson.pk}"
            items[key] = _item(entry, fields=fields, rings=rings)
        shown["items"] = items
        days[day_key(day.date)] = shown
    return days


def _diary_method(caller: Caller, *, fields: str) -> dict[str, Any]:
    if caller.args.get("class") and not (caller.args.get("student") or caller.args.get("students")):
        raise EljurError(NO_CLASS)
    students = chosen_students(caller)
    rings = bool(caller.args.get("rings"))
    result = {}
    for student in students:
        first, last = days_range(caller.args, default=_this_week(student))
        # The same for every caller who may read the pupil: kept under the pupil's versions.
        result[str(student.pk)] = cached_read(
            f"eljur:{fields}",
            school_id=student.school_id,
            student_id=student.pk,
            parts=[student.school_class_id, first, last, rings],
            read=partial(_student_diary, student, first, last, fields=fields, rings=rings),
        )
    return {"students": result}


def _student_diary(
    student: Student, first: dt.date, last: dt.date, *, fields: str, rings: bool
) -> dict[str, Any]:
    diary = diary_between(student=student, first=first, last=last)
    shown: dict[str, Any] = {"name": str(student.pk), "title": _student_title(student)}
    if fields == "diary":
        shown["parent_signed"] = bool(diary.signatures)
    shown["days"] = _days(diary, fields=fields, rings=rings)
    return shown


def getdiary(caller: Caller) -> dict[str, Any]:
    """The diary from `days` (default: this week, Monday to Saturday), per student: lessons
    with the homework due at them, the mark and an absence; `parent_signed`: a parent signed
    a week of the range."""
    return _diary_method(caller, fields="diary")


def gethomework(caller: Caller) -> dict[str, Any]:
    """The diary's days that have homework due, with their lessons' homework and files."""
    return _diary_method(caller, fields="homework")


def getschedule(caller: Caller) -> dict[str, Any]:
    """The diary's days with their lessons only (subject, teacher, room, topic)."""
    return _diary_method(caller, fields="schedule")


def _number(value: Decimal | None) -> float:
    return float(value) if value is not None else 0.0


def _rounded(value: Decimal | None) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP)) if value is not None else 0


def getmarks(caller: Caller) -> dict[str, Any]:
    """Per student and subject, the marks of `days` (default: this week) with their weighted
    average, and the absences as "н" that do not count."""
    result = {}
    for student in chosen_students(caller):
        first, last = days_range(caller.args, default=_this_week(student))
        absences: dict[int, list[Attendance]] = {}
        for attendance in absences_between(student=student, first=first, last=last):
            absences.setdefault(attendance.lesson.subject_id, []).append(attendance)
        lessons = []
        for subject_marks in marks_between(student=student, first=first, last=last):
            shown = [
                {
                    **_mark(mark, mark.lesson.date, mark.lesson.number, mark.lesson.control_type),
                    "lesson_comment": mark.lesson.topic,
                    "mtype": _mtype(mark.lesson.control_type),
                }
                for mark in subject_marks.marks
            ] + [
                {
                    **_absence(a, a.lesson.date, a.lesson.number),
                    "lesson_comment": a.lesson.topic,
                    "mtype": _mtype(""),
                }
                for a in absences.get(subject_marks.subject.pk, [])
            ]
            shown.sort(key=lambda m: (m["date"], int(m["nm"])))
            for item in shown:
                for key in ("color_hex", "control_type", "control_type_short"):
                    del item[key]
            lessons.append(
                {
                    "name": subject_marks.subject.name,
                    "average": _number(subject_marks.average),
                    "averageConvert": _rounded(subject_marks.average),
                    "lesson_id": str(subject_marks.subject.pk),
                    "marks": shown,
                }
            )
        result[str(student.pk)] = {
            "name": str(student.pk),
            "title": _student_title(student),
            "lessons": lessons,
        }
    return {"students": result}


def _mtype(control: str) -> dict[str, str]:
    if not control:
        return {"id": "", "short": "", "type": ""}
    kind = ControlType(control)
    return {"id": kind.value, "short": CONTROL_SHORT[kind], "type": str(kind.label)}


def getfinalassessments(caller: Caller) -> dict[str, Any]:
    """Per student, each subject's final marks of the year by period."""
    result = {}
    for student in chosen_students(caller):
        result[str(student.pk)] = {
            "name": str(student.pk),
            "title": _student_title(student),
            "items": [
                {
                    "name": item.subject.name,
                    "assessments": [
                        {"value": str(final.value), "period": str(final.period), "comment": ""}
                        for final in item.finals
                    ],
                }
                for item in finals_for_year(student=student)
            ],
        }
    return {"students": result}


METHODS = {
    "getrules": getrules,
    "getperiods": getperiods,
    "getdiary": getdiary,
    "getmarks": getmarks,
    "gethomework": gethomework,
    "getschedule": getschedule,
    "getfinalassessments": getfinalassessments,
}
