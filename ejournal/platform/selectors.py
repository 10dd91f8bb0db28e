"""What the operator sees of the schools: numbers only, never a person (DESIGN §1)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ejournal.accounts.models import User
from ejournal.core.tenancy import school_base_url
from ejournal.invitations.models import Invitation
from ejournal.schools.models import AcademicYear, School, SchoolClass, Student, Teacher
from ejournal.schools.roles import Role

SCHOOL_ROLES = (Role.STUDENT, Role.PARENT, Role.TEACHER, Role.CURATOR)
ROLE_HEADINGS = ("ученики", "родители", "учителя", "кураторы")


@dataclass
class SchoolStats:
    """One school's counts. The name, number and domain are the school's, not a person's."""

    school: School
    classes: int = 0
    students: int = 0
    teachers: int = 0
    accounts: dict[str, int] = field(default_factory=dict)
    invitations_issued: int = 0
    invitations_redeemed: int = 0

    @property
    def address(self) -> str:
        return school_base_url(self.school)

    @property
    def accounts_by_role(self) -> list[int]:
        return [self.accounts.get(role, 0) for role in SCHOOL_ROLES]


def schools_ordered() -> QuerySet[School]:
    return School.objects.order_by("number")


def school_stats(schools: Sequence[School]) -> list[SchoolStats]:
    """Counts for these schools in five grouped queries, however many schools and people.

    Classes are this school year's; students and teachers those who have not left.
    """
    stats = {s.pk: SchoolStats(school=s) for s in schools}
    if not stats:
        return []
    ids = list(stats)
    today = timezone.localdate()
    years = AcademicYear.objects.filter(school=OuterRef("school")).order_by("-starts_on")
    this_year = Coalesce(
        Subquery(years.filter(starts_on__lte=today).values("pk")[:1]),
        Subquery(years.values("pk")[:1]),
    )
    classes = (
        SchoolClass.objects.filter(school__in=ids)
        .alias(this_year=this_year)
        .filter(year=F("this_year"))
    )
    for row in classes.values("school").annotate(n=Count("pk")).order_by():
        stats[row["school"]].classes = row["n"]
    students = Student.objects.active().filter(school__in=ids)
    for row in students.values("school").annotate(n=Count("pk")).order_by():
        stats[row["school"]].students = row["n"]
    teachers = Teacher.objects.filter(school__in=ids, archived_at__isnull=True)
    for row in teachers.values("school").annotate(n=Count("pk")).order_by():
        stats[row["school"]].teachers = row["n"]
    accounts: dict[int, dict[str, int]] = defaultdict(dict)
    users = User.objects.filter(school__in=ids).values("school", "role").annotate(n=Count("pk"))
    for row in users.order_by():
        accounts[row["school"]][row["role"]] = row["n"]
    for school_id, by_role in accounts.items():
        stats[school_id].accounts = by_role
    invitations = (
        Invitation.objects.filter(school__in=ids)
        .values("school")
        .annotate(n=Count("pk"), redeemed=Count("pk", filter=Q(redeemed_at__isnull=False)))
    )
    for row in invitations.order_by():
        stats[row["school"]].invitations_issued = row["n"]
        stats[row["school"]].invitations_redeemed = row["redeemed"]
    return list(stats.values())
