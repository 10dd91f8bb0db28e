from __future__ import annotations

import datetime as dt
import zoneinfo

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from ejournal.core.models import TimeStampedModel

school_number_validator = RegexValidator(
    r"^[a-z0-9]{1,30}$", "Номер школы: строчные латинские буквы и цифры, например 1399 или gym5."
)
TIMEZONE_CHOICES = [(tz, tz) for tz in sorted(zoneinfo.available_timezones()) if "/" in tz]
# Cyrillic class letters; Latin look-alikes typed by mistake are mapped by labels.parse_class_label.
CLASS_LETTER_RE = r"^[А-ЯЁ]$"
CLOSE_AFTER_DAYS_MAX = 365


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", "Четверть"
    TRIMESTER = "trimester", "Триместр"
    HALF = "half", "Полугодие"


class PeriodStatus(models.TextChoices):
    """Whether a period's marks may change: by the school's rule, or as the curator decided.

    AUTO follows `School.close_periods_after_days`; CLOSED and OPEN are the curator's and win
    over the rule, so a reopened period stays open until the curator closes it again.
    """

    AUTO = "auto", "По правилу школы"
    CLOSED = "closed", "Закрыт куратором"
    OPEN = "open", "Открыт куратором"


class School(TimeStampedModel):
    number = models.CharField(max_length=30, unique=True, validators=[school_number_validator])
    name = models.CharField(max_length=200)
    domain = models.CharField(
        max_length=253,
        unique=True,
        null=True,
        blank=True,
        help_text="The school's own domain, if it has one (journal.school1399.ru).",
    )
    timezone = models.CharField(max_length=64, choices=TIMEZONE_CHOICES, default="Europe/Moscow")
    # How the year is divided for final marks, and the school's mark scale.
    period_kind = models.CharField(
        max_length=10, choices=PeriodKind.choices, default=PeriodKind.QUARTER
    )
    mark_min = models.PositiveSmallIntegerField(default=1)
    mark_max = models.PositiveSmallIntegerField(default=5)
    # Each period closes this many days after its last day (None: only the curator closes).
    close_periods_after_days = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mark_min__gte=1, mark_max__lte=10, mark_min__lt=models.F("mark_max")),
                name="school_mark_scale",
            ),
            models.CheckConstraint(
                condition=Q(close_periods_after_days__lte=CLOSE_AFTER_DAYS_MAX),
                name="school_close_periods_after_days",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def today(self) -> dt.date:
        """Today's date at the school, whatever the server's time zone."""
        return timezone.localdate(timezone=zoneinfo.ZoneInfo(self.timezone))


class AcademicYear(TimeStampedModel):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="years")
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["school", "-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["school", "starts_on"], name="year_unique_start"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="year_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on.year}/{self.ends_on.year}"


class Period(TimeStampedModel):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="periods")
    kind = models.CharField(max_length=10, choices=PeriodKind.choices, default=PeriodKind.QUARTER)
    number = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=6, choices=PeriodStatus.choices, default=PeriodStatus.AUTO)

    class Meta:
        ordering = ["school", "year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "number"], name="period_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="period_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=4), name="period_number_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display().lower()}"

    def holds(self, day: dt.date) -> bool:
        """Whether the day is one of the period's (for periods already fetched)."""
        return self.starts_on <= day <= self.ends_on

    def is_closed(self, *, today: dt.date, close_after_days: int | None) -> bool:
        """Whether marks, attendance and finals of the period are locked on `today`: the
        curator's decision first, otherwise the school's rule (`auto_closes_on`)."""
        if self.status != PeriodStatus.AUTO:
            return self.status == PeriodStatus.CLOSED
        closes_on = self.auto_closes_on(close_after_days)
        return closes_on is not None and today >= closes_on

    def auto_closes_on(self, close_after_days: int | None) -> dt.date | None:
        """The first day the school's rule keeps the period closed: `close_after_days` days
        after its last day are still open (0: it closes the next day); None without a rule."""
        if close_after_days is None:
            return None
        return self.ends_on + dt.timedelta(days=close_after_days + 1)


class Teacher(TimeStampedModel):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="teachers")
    last_name = models.CharField("Фамилия", max_length=100)
    first_name = models.CharField("Имя", max_length=100)
    middle_name = models.CharField("Отчество", max_length=100, blank=True)
    user = models.OneToOneField(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="teacher"
    )
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school", "last_name", "first_name", "middle_name"]
        indexes = [
            models.Index(fields=["school", "last_name", "first_name"], name="teacher_school_name")
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


class SchoolClass(TimeStampedModel):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="classes")
    year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="classes")
    grade = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(11)]
    )
    letter = models.CharField(max_length=1, validators=[RegexValidator(CLASS_LETTER_RE)])
    class_teacher = models.ForeignKey(
        Teacher, on_delete=models.SET_NULL, null=True, blank=True, related_name="homerooms"
    )

    class Meta:
        ordering = ["school", "year", "grade", "letter"]
        verbose_name = "класс"
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "grade", "letter"], name="class_unique_label"
            ),
            models.CheckConstraint(
                condition=Q(grade__gte=1, grade__lte=11), name="class_grade_range"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.grade}{self.letter}"


class Subject(TimeStampedModel):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="subjects")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint("school", Lower("name"), name="subject_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class StudentQuerySet(models.QuerySet["Student"]):
    def active(self) -> StudentQuerySet:
        return self.filter(archived_at__isnull=True)


class Student(TimeStampedModel):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="students")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="students")
    last_name = models.CharField("Фамилия", max_length=100)
    first_name = models.CharField("Имя", max_length=100)
    middle_name = models.CharField("Отчество", max_length=100, blank=True)
    birth_date = models.DateField("Дата рождения")
    parent_email = models.EmailField("Email родителя", blank=True)
    user = models.OneToOneField(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="student"
    )
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = StudentQuerySet.as_manager()

    class Meta:
        ordering = ["school", "last_name", "first_name", "middle_name"]
        indexes = [
            models.Index(
                fields=["school", "school_class", "last_name"], name="student_school_class"
            ),
            models.Index(fields=["school", "last_name", "first_name"], name="student_school_name"),
        ]
        constraints = [
            # One active record per person: the same name and birth date twice is a duplicate.
            models.UniqueConstraint(
                "school",
                Lower("last_name"),
                Lower("first_name"),
                Lower("middle_name"),
                "birth_date",
                condition=Q(archived_at__isnull=True),
                name="student_unique_person",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def short_name(self) -> str:
        """ "Николаев В." — how the seed's "Дети" list names a child."""
        return f"{self.last_name} {self.first_name[:1]}.".strip()


class Guardianship(TimeStampedModel):
    """A parent account's access to a student's diary."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="guardianships"
    )
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="guardianships")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "parent", "student"], name="guardianship_unique"
            ),
        ]
        indexes = [models.Index(fields=["school", "student"], name="guardianship_student")]


class RosterImport(TimeStampedModel):
    """A checked roster file waiting for the curator's confirmation, then a record of the import.

    Only files without errors are kept: `rows` holds their normalized rows.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(max_length=255)
    rows = models.JSONField(default=list)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["school", "-created_at"], name="rosterimport_school_time")]

    def __str__(self) -> str:
        return self.filename
