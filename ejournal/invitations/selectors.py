"""Reads for the curator's invitations page: how many codes are out and how many were used."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from ejournal.schools.models import AcademicYear, School, SchoolClass, Teacher
from ejournal.schools.roles import Role

from .models import Invitation


@dataclass(frozen=True)
class CodeCounts:
    usable: int = 0
    redeemed: int = 0


@dataclass(frozen=True)
class ClassInvitationRow:
    school_class: SchoolClass
    students: int
    students_with_account: int
    student_codes: CodeCounts = field(default_factory=CodeCounts)
    parent_codes: CodeCounts = field(default_factory=CodeCounts)

    @property
    def students_without_account(self) -> int:
        return self.students - self.students_with_account


@dataclass(frozen=True)
class InvitationOverview:
    classes: list[ClassInvitationRow]
    teachers: int
    teachers_with_account: int
    teacher_codes: CodeCounts
    curator_codes: CodeCounts

    @property
    def teachers_without_account(self) -> int:
        return self.teachers - self.teachers_with_account


def _usable() -> Count:
    now = timezone.now()
    return Count(
        "pk", filter=Q(redeemed_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)
    )


def _redeemed() -> Count:
    return Count("pk", filter=Q(redeemed_at__isnull=False))


def invitation_overview(*, school: School, year: AcademicYear) -> InvitationOverview:
    """Per class of the year: active students, how many have accounts, and their student and
    parent codes still usable or already used; the same for teachers and the curator code.

    Four queries whatever the size of the school. Codes count under the student's current class.
    """
    classes = list(
        SchoolClass.objects.filter(school=school, year=year)
        .annotate(
            student_count=Count("students", filter=Q(students__archived_at__isnull=True)),
            with_account=Count(
                "students",
                filter=Q(students__archived_at__isnull=True, students__user__isnull=False),
            ),
        )
        .order_by("grade", "letter")
    )
    by_class: dict[tuple[int, str], CodeCounts] = {
        (row["student__school_class"], row["role"]): CodeCounts(row["usable"], row["redeemed"])
        for row in Invitation.objects.filter(
            school=school,
            role__in=[Role.STUDENT, Role.PARENT],
            student__school_class__year=year,
        )
        .values("student__school_class", "role")
        .annotate(usable=_usable(), redeemed=_redeemed())
        .order_by()
    }
    by_role: dict[str, CodeCounts] = {
        row["role"]: CodeCounts(row["usable"], row["redeemed"])
        for row in Invitation.objects.filter(school=school, role__in=[Role.TEACHER, Role.CURATOR])
        .values("role")
        .annotate(usable=_usable(), redeemed=_redeemed())
        .order_by()
    }
    teachers = Teacher.objects.filter(school=school, archived_at__isnull=True).aggregate(
        total=Count("pk"), with_account=Count("pk", filter=Q(user__isnull=False))
    )
    return InvitationOverview(
        classes=[
            ClassInvitationRow(
                school_class=c,
                students=c.student_count,
                students_with_account=c.with_account,
                student_codes=by_class.get((c.pk, Role.STUDENT), CodeCounts()),
                parent_codes=by_class.get((c.pk, Role.PARENT), CodeCounts()),
            )
            for c in classes
        ],
        teachers=teachers["total"],
        teachers_with_account=teachers["with_account"],
        teacher_codes=by_role.get(Role.TEACHER, CodeCounts()),
        curator_codes=by_role.get(Role.CURATOR, CodeCounts()),
    )
