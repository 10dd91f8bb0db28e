"""Reads for the curator's account support: the search, its rows, one account's card."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from ejournal.schools.labels import parse_class_label
from ejournal.schools.models import Guardianship, School, SchoolClass, Student
from ejournal.schools.roles import Role
from ejournal.schools.selectors import current_year

from ..models import User

if TYPE_CHECKING:
    import datetime as dt

PAGE_SIZE = 50
SEARCH_MAX_LENGTH = 100
_NAME_FIELDS = ("last_name", "first_name", "middle_name")
_SEARCH_FIELDS = (
    "login",
    *_NAME_FIELDS,
    *(f"student__{f}" for f in _NAME_FIELDS),
    *(f"teacher__{f}" for f in _NAME_FIELDS),
)


def mask_email(email: str) -> str:
    """ "nikolaeva@example.com" → "n*******a@e******.com": enough to recognise, not to write to."""
    local, at, domain = email.rpartition("@")
    if not at:
        return _mask(email)
    name, dot, suffix = domain.rpartition(".")
    masked_domain = f"{_mask(name, keep_last=False)}.{suffix}" if dot else _mask(suffix)
    return f"{_mask(local)}@{masked_domain}"


def _mask(part: str, *, keep_last: bool = True) -> str:
    if len(part) <= 2 or not keep_last:
        return part[:1] + "*" * max(len(part) - 1, 1)
    return part[0] + "*" * (len(part) - 2) + part[-1]


def account_name(user: User) -> str:
    """The account's own name, or its student's or teacher's record name (with select_related)."""
    if user.full_name:
        return user.full_name
    record = getattr(user, "student", None) or getattr(user, "teacher", None)
    return record.full_name if record is not None else ""


def email_confirmed(user: User) -> bool:
    return bool(user.email and user.email_confirmed_at)


# Search


def user_search(*, school: School, query: str = "", role: str = "") -> QuerySet[User]:
    """The school's accounts matching every word of `query`, by name order.

    A word matches a login or a name: the account's own or its student's or teacher's
    record's, in any case. A class label ("6А", "6 а", "6A") matches the students of that
    class this school year and the parents linked to them.
    """
    users = User.objects.filter(school=school)
    if role:
        users = users.filter(role=role)
    query = " ".join(query.split())[:SEARCH_MAX_LENGTH]
    if query:
        users = users.filter(_search_condition(school, query))
    children = (
        Guardianship.objects.filter(school=school)
        .select_related("student__school_class")
        .order_by("student__last_name", "student__first_name", "student_id")
    )
    return (
        users.select_related("student__school_class", "teacher")
        .prefetch_related(Prefetch("guardianships", queryset=children, to_attr="children"))
        .annotate(
            sort_name=Coalesce(
                NullIf(F("last_name"), Value("")),
                F("student__last_name"),
                F("teacher__last_name"),
                F("login"),
            )
        )
        .order_by("sort_name", "first_name", "login", "pk")
    )


def _search_condition(school: School, query: str) -> Q:
    whole = _class_label(query)  # "6 а" is one label, not two words
    if whole is not None:
        return _in_class(school, whole)
    condition = Q()
    for word in query.split():
        label = _class_label(word)
        condition &= _in_class(school, label) if label is not None else _matches(word)
    return condition


def _class_label(text: str) -> tuple[int, str] | None:
    try:
        return parse_class_label(text)
    except ValidationError:
        return None


def _matches(word: str) -> Q:
    # iregex rather than icontains: SQLite's LIKE folds the case of ASCII letters only, and
    # names are Cyrillic. The pattern is the escaped word, so it matches literally.
    pattern = re.escape(word)
    condition = Q()
    for field in _SEARCH_FIELDS:
        condition |= Q(**{f"{field}__iregex": pattern})
    return condition


def _in_class(school: School, label: tuple[int, str]) -> Q:
    grade, letter = label
    classes = SchoolClass.objects.filter(
        school=school, year=current_year(school=school), grade=grade, letter=letter
    )
    pupils = Student.objects.active().filter(school=school, school_class__in=classes)
    return Q(Exists(pupils.filter(user=OuterRef("pk")))) | Q(
        Exists(
            Guardianship.objects.filter(school=school, parent=OuterRef("pk"), student__in=pupils)
        )
    )


@dataclass(frozen=True)
class UserRow:
    """A line of "Пользователи"."""

    user: User
    name: str
    class_label: str
    children: list[str]
    email_confirmed: bool


def user_rows(users: list[User]) -> list[UserRow]:
    """Rows for users from user_search (their records and children are loaded already)."""
    rows = []
    for user in users:
        student = getattr(user, "student", None)
        children = [
            f"{g.student.short_name} ({g.student.school_class.label})"
            for g in getattr(user, "children", [])
        ]
        rows.append(
            UserRow(
                user=user,
                name=account_name(user),
                class_label=student.school_class.label if student is not None else "",
                children=children,
                email_confirmed=email_confirmed(user),
            )
        )
    return rows


# One account


@dataclass(frozen=True)
class Relative:
    """A child of a parent or a parent of a student, as the curator sees them."""

    name: str
    class_label: str
    user_id: int | None
    login: str


@dataclass(frozen=True)
class UserCard:
    user: User
    name: str
    class_label: str
    homerooms: list[str]
    children: list[Relative]
    parents: list[Relative]
    masked_email: str
    email_confirmed: bool
    last_login: dt.datetime | None
    can_set_password: bool


def user_card(*, school: School, user: User, viewer: User) -> UserCard:
    """What the curator sees of one account (from access_user): never a password or its hash."""
    student = getattr(user, "student", None)
    teacher = getattr(user, "teacher", None)
    children: list[Relative] = []
    parents: list[Relative] = []
    homerooms: list[str] = []
    if user.role == Role.PARENT:
        links = (
            Guardianship.objects.filter(school=school, parent=user)
            .select_related("student__school_class", "student__user")
            .order_by("student__last_name", "student__first_name", "student_id")
        )
        children = [
            Relative(
                name=g.student.full_name,
                class_label=g.student.school_class.label,
                user_id=g.student.user_id,
                login=g.student.user.login if g.student.user else "",
            )
            for g in links
        ]
    if student is not None:
        links = (
            Guardianship.objects.filter(school=school, student=student)
            .select_related("parent")
            .order_by("parent__last_name", "parent__first_name", "parent_id")
        )
        parents = [
            Relative(
                name=g.parent.full_name,
                class_label="",
                user_id=g.parent_id,
                login=g.parent.login,
            )
            for g in links
        ]
    if teacher is not None:
        homerooms = [
            c.label
            for c in SchoolClass.objects.filter(
                school=school, class_teacher=teacher, year=current_year(school=school)
            ).order_by("grade", "letter")
        ]
    return UserCard(
        user=user,
        name=account_name(user),
        class_label=student.school_class.label if student is not None else "",
        homerooms=homerooms,
        children=children,
        parents=parents,
        masked_email=mask_email(user.email) if user.email else "",
        email_confirmed=email_confirmed(user),
        last_login=user.last_login,
        can_set_password=user.pk != viewer.pk,
    )
