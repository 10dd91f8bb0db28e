"""The shapes /api/v1 answers with, shared by its routers (and so by its OpenAPI document)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field, PlainSerializer, WithJsonSchema

from ejournal.journal.models import AbsenceReason, Attendance, AttendanceStatus, Mark


class Error(Schema):
    param: str | None = Field(description="The field in error; null for the request as a whole.")
    code: str = Field(description="Machine-readable: invalid, invalid_login, throttled, ...")
    message: str = Field(description="The sentence a person reads, in Russian.")


class Errors(Schema):
    """Every refusal: 401, 403, 404, 422 and 429."""

    errors: list[Error]
    retry_after: int | None = Field(
        default=None, description="Throttled (429): seconds until the next attempt is allowed."
    )


class TokenRequest(Schema):
    login: str = Field(max_length=40)
    password: str = Field(max_length=128)
    device: str = Field(min_length=1, max_length=100, description="How the user tells it apart.")


class TokenCreated(Schema):
    id: int
    token: str = Field(description="Shown once: send it as `Authorization: Bearer <token>`.")
    expires_at: dt.datetime


class TokenOut(Schema):
    id: int
    device: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime


class StudentOut(Schema):
    id: int
    last_name: str
    first_name: str
    middle_name: str
    class_label: str = Field(description='The class, as "6А".')


class MeOut(Schema):
    id: int
    login: str
    role: str
    last_name: str
    first_name: str
    middle_name: str
    student: StudentOut | None = Field(description="A student's own record; null otherwise.")
    children: list[StudentOut] = Field(description="A parent's children; empty otherwise.")


# The journal's small shapes, shared by the families' and the teachers' endpoints.

# A bell's time of day as the school's clock shows it, "09:25": OpenAPI's `time` format is
# RFC 3339's, with a UTC offset that a lesson's bell does not have.
ClockTime = Annotated[
    dt.time,
    PlainSerializer(lambda value: value.strftime("%H:%M"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "09:25"}),
]


class SubjectRef(Schema):
    id: int
    name: str


class ClassRef(Schema):
    id: int
    label: str = Field(description='As "6А".')


class CellMark(Schema):
    """A student's mark at a lesson."""

    value: int
    weight: int = Field(description="1 to 5: how much the mark counts in the average.")
    comment: str


class CellAttendance(Schema):
    """A student's absence or lateness at a lesson (no record: present)."""

    status: AttendanceStatus = Field(description='"absent" (н) or "late" (оп).')
    reason: AbsenceReason | None = Field(
        description="illness, family, excused or unexcused; null when none is given."
    )


def cell_mark(mark: Mark | None) -> CellMark | None:
    if mark is None:
        return None
    return CellMark(value=mark.value, weight=mark.weight, comment=mark.comment)


def cell_attendance(row: Attendance | None) -> CellAttendance | None:
    if row is None:
        return None
    reason = AbsenceReason(row.reason) if row.reason else None
    return CellAttendance(status=AttendanceStatus(row.status), reason=reason)
