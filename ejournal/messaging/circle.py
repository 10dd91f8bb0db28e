"""Who may write to whom: the school's circle, narrower for pupils.

- a pupil: the class teacher, the teachers of the class's subjects, the administration (the
  curators), the pupils of the own class;
- a parent: the same staff as each child's (the class teacher of each child among them);
- a teacher: the pupils and parents of the classes taught or led this year, the school's
  teachers and administration;
- the curator: anyone of the school.

Only active accounts of the user's own school, never the user. The groups are what the
sender picks from (as ЭлЖур offers them: "Учителя", "Классный руководитель", "Ученики 6А",
"Родители 6А", "Администрация"); a message may go only to people in them
(`circle_user_ids`), however the request was made.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from ejournal.accounts.models import User
from ejournal.schools.models import SchoolClass, Student
from ejournal.schools.roles import Role
from ejournal.schools.selectors import current_year


@dataclass(frozen=True)
class Person:
    user_id: int
    last_name: str
    first_name: str
    middle_name: str

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


@dataclass(frozen=True)
class RecipientGroup:
    key: str  # stable for a form's choice: "teachers", "parents-<class id>", …
    name: str
    people: tuple[Person, ...]


def school_id_of(user: User) -> int:
    """The school of a member's account: messages stay within it (the platform's operator,
    who has none, has no messages)."""
    if user.school_id is None:
        raise Http404
    return user.school_id


def recipient_groups(user: User) -> list[RecipientGroup]:
    """The groups `user` may write to, each with its people by name; empty groups left out."""
    if user.school_id is None or not user.is_active:
        return []
    groups = _groups(user)
    return [group for group in groups if group.people]


def circle_user_ids(user: User) -> set[int]:
    """Everyone `user` may write to."""
    return {person.user_id for group in recipient_groups(user) for person in group.people}


def _groups(user: User) -> list[RecipientGroup]:
    if user.role == Role.STUDENT:
        classes = _classes_of(user=user)
        return [*_staff(user, classes), *_class_groups(user, classes, parents=False)]
    if user.role == Role.PARENT:
        return _staff(user, _classes_of(guardianships__parent=user))
    if user.role == Role.TEACHER:
        year = current_year(school=user.school)  # type: ignore[arg-type]  # has a school
        classes = list(
            SchoolClass.objects.filter(school_id=school_id_of(user), year=year)
            .filter(_taught_or_led_by(user))
            .distinct()
        )
        return [
            _group("administration", "Администрация", _of_role(user, Role.CURATOR)),
            _group("teachers", "Учителя", _active_teachers(_of_role(user, Role.TEACHER))),
            *_class_groups(user, classes, parents=True),
        ]
    if user.role == Role.CURATOR:
        year = current_year(school=user.school)  # type: ignore[arg-type]
        classes = list(SchoolClass.objects.filter(school_id=school_id_of(user), year=year))
        return [
            _group("administration", "Администрация", _of_role(user, Role.CURATOR)),
            _group("teachers", "Учителя", _active_teachers(_of_role(user, Role.TEACHER))),
            *_class_groups(user, classes, parents=True),
        ]
    return []


def _taught_or_led_by(user: User) -> Q:
    return Q(assignments__teacher__user=user, assignments__teacher__archived_at__isnull=True) | Q(
        class_teacher__user=user, class_teacher__archived_at__isnull=True
    )


def _classes_of(**students: object) -> list[SchoolClass]:
    """The classes of these (active) students."""
    ids = Student.objects.active().filter(**students).values("school_class_id")
    return list(SchoolClass.objects.filter(pk__in=ids))


def _staff(user: User, classes: list[SchoolClass]) -> list[RecipientGroup]:
    """The staff of these classes: their class teachers, their subjects' teachers, the
    administration."""
    teachers = _active_teachers(_of_role(user, Role.TEACHER))
    return [
        _group(
            "class-teacher",
            "Классный руководитель",
            teachers.filter(teacher__homerooms__in=classes),
        ),
        _group(
            "teachers", "Учителя", teachers.filter(teacher__assignments__school_class__in=classes)
        ),
        _group("administration", "Администрация", _of_role(user, Role.CURATOR)),
    ]


def _class_groups(
    user: User, classes: Iterable[SchoolClass], *, parents: bool
) -> list[RecipientGroup]:
    """Each class's pupils (and parents), in one query each whatever the number of classes."""
    classes = sorted(classes, key=lambda c: (c.grade, c.letter))
    pupils = _by_class(
        _of_role(user, Role.STUDENT).filter(
            student__school_class__in=classes, student__archived_at__isnull=True
        ),
        "student__school_class_id",
    )
    families = (
        _by_class(
            _of_role(user, Role.PARENT).filter(
                guardianships__student__school_class__in=classes,
                guardianships__student__archived_at__isnull=True,
            ),
            "guardianships__student__school_class_id",
        )
        if parents
        else {}
    )
    groups = []
    for school_class in classes:
        label = school_class.label
        groups.append(
            RecipientGroup(
                f"students-{school_class.pk}", f"Ученики {label}", pupils.get(school_class.pk, ())
            )
        )
        if parents:
            groups.append(
                RecipientGroup(
                    f"parents-{school_class.pk}",
                    f"Родители {label}",
                    families.get(school_class.pk, ()),
                )
            )
    return groups


def _by_class(users: QuerySet[User], class_field: str) -> dict[int, tuple[Person, ...]]:
    found: dict[int, list[Person]] = defaultdict(list)
    for class_id, *names in _rows(users, class_field):
        found[class_id].append(Person(*names))
    return {class_id: tuple(people) for class_id, people in found.items()}


def _rows(users: QuerySet[User], *first: str) -> Iterable[tuple]:
    return (
        users.distinct()
        .order_by("last_name", "first_name", "middle_name", "pk")
        .values_list(*first, "pk", "last_name", "first_name", "middle_name")
    )


def _of_role(user: User, role: Role) -> QuerySet[User]:
    """The school's other active accounts of a role."""
    return User.objects.filter(school_id=school_id_of(user), role=role, is_active=True).exclude(
        pk=user.pk
    )


def _active_teachers(users: QuerySet[User]) -> QuerySet[User]:
    return users.filter(teacher__archived_at__isnull=True)


def _group(key: str, name: str, users: QuerySet[User]) -> RecipientGroup:
    return RecipientGroup(key=key, name=name, people=tuple(Person(*row) for row in _rows(users)))
