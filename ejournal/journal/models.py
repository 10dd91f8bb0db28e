"""The school year's timetable and the class journal: lessons, marks, attendance, finals.

Every table carries `school`, and every composite index and unique constraint starts
with it. Marks and attendance changes are audited in ejournal.audit (before/after).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from ejournal.core.models import TimeStampedModel

from .querysets import AttendanceQuerySet, LessonQuerySet, MarkQuerySet


class Bell(TimeStampedModel):
    """Lesson number → start and end time (the bell schedule)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="bells")
    number = models.PositiveSmallIntegerField()
    starts_at = models.TimeField()
    ends_at = models.TimeField()

    class Meta:
        ordering = ["school", "number"]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="bell_unique_number"),
            models.CheckConstraint(
                condition=Q(number__gte=0, number__lte=12), name="bell_number_range"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="bell_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class HolidayKind(models.TextChoices):
    VACATION = "vacation", "Каникулы"
    HOLIDAY = "holiday", "Праздник"


class Holiday(TimeStampedModel):
    """Days without lessons: vacations and public holidays."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    year = models.ForeignKey(
        "schools.AcademicYear", on_delete=models.CASCADE, related_name="holidays"
    )
    kind = models.CharField(
        max_length=10, choices=HolidayKind.choices, default=HolidayKind.VACATION
    )
    name = models.CharField(max_length=100)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["school", "starts_on"]
        indexes = [models.Index(fields=["school", "year", "starts_on"], name="holiday_school_year")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="holiday_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Group(TimeStampedModel):
    """Part of a class for a split subject (languages, PE): "1 группа", "Девочки"."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    school_class = models.ForeignKey(
        "schools.SchoolClass", on_delete=models.CASCADE, related_name="groups"
    )
    subject = models.ForeignKey("schools.Subject", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=50)
    students = models.ManyToManyField(
        "schools.Student", through="GroupMembership", related_name="groups"
    )

    class Meta:
        ordering = ["school", "school_class", "subject", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_class", "subject", "name"], name="group_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "group", "student"], name="group_membership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.student_id}"


class TeachingAssignment(TimeStampedModel):
    """Who teaches what to whom: teacher × class × subject (× group)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    teacher = models.ForeignKey(
        "schools.Teacher", on_delete=models.CASCADE, related_name="assignments"
    )
    school_class = models.ForeignKey(
        "schools.SchoolClass", on_delete=models.CASCADE, related_name="assignments"
    )
    subject = models.ForeignKey("schools.Subject", on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "teacher", "school_class", "subject"],
                condition=Q(group__isnull=True),
                name="assignment_unique_whole_class",
            ),
            models.UniqueConstraint(
                fields=["school", "teacher", "school_class", "subject", "group"],
                condition=Q(group__isnull=False),
                name="assignment_unique_group",
            ),
        ]
        indexes = [
            models.Index(
                fields=["school", "school_class", "subject"], name="assignment_class_subject"
            )
        ]


class Weekday(models.IntegerChoices):
    MONDAY = 1, "Понедельник"
    TUESDAY = 2, "Вторник"
    WEDNESDAY = 3, "Среда"
    THURSDAY = 4, "Четверг"
    FRIDAY = 5, "Пятница"
    SATURDAY = 6, "Суббота"


class TimetableEntry(TimeStampedModel):
    """The weekly template of a class: on this weekday, at this lesson number, this subject."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    school_class = models.ForeignKey(
        "schools.SchoolClass", on_delete=models.CASCADE, related_name="timetable"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    number = models.PositiveSmallIntegerField()
    subject = models.ForeignKey("schools.Subject", on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey("schools.Teacher", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    room = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["school", "school_class", "weekday", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_class", "weekday", "number"],
                condition=Q(group__isnull=True),
                name="timetable_unique_slot",
            ),
            models.UniqueConstraint(
                fields=["school", "school_class", "weekday", "number", "group"],
                condition=Q(group__isnull=False),
                name="timetable_unique_group_slot",
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=1, weekday__lte=6), name="timetable_weekday_range"
            ),
        ]


class LessonStatus(models.TextChoices):
    PLANNED = "planned", "По расписанию"
    CANCELLED = "cancelled", "Отменён"


class ControlType(models.TextChoices):
    NONE = "", "—"
    TEST = "test", "Контрольная работа"
    QUIZ = "quiz", "Самостоятельная работа"
    DICTATION = "dictation", "Диктант"
    LAB = "lab", "Лабораторная работа"


class Lesson(TimeStampedModel):
    """One lesson on one date: made from the timetable, then edited one by one."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    school_class = models.ForeignKey(
        "schools.SchoolClass", on_delete=models.CASCADE, related_name="lessons"
    )
    subject = models.ForeignKey("schools.Subject", on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey("schools.Teacher", on_delete=models.PROTECT, related_name="lessons")
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="lessons"
    )
    date = models.DateField()
    number = models.PositiveSmallIntegerField()
    room = models.CharField(max_length=20, blank=True)
    status = models.CharField(
        max_length=10, choices=LessonStatus.choices, default=LessonStatus.PLANNED
    )
    topic = models.CharField("Тема урока", max_length=300, blank=True)
    control_type = models.CharField(
        max_length=10, choices=ControlType.choices, blank=True, default=""
    )
    # The holiday that cancelled this lesson (added after the lesson was made): deleting the
    # holiday plans the lesson again. A lesson cancelled by hand has none.
    cancelled_by = models.ForeignKey(
        Holiday, on_delete=models.SET_NULL, null=True, blank=True, related_name="cancelled_lessons"
    )

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["school", "date", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_class", "date", "number"],
                condition=Q(group__isnull=True),
                name="lesson_unique_slot",
            ),
            models.UniqueConstraint(
                fields=["school", "school_class", "date", "number", "group"],
                condition=Q(group__isnull=False),
                name="lesson_unique_group_slot",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "school_class", "date"], name="lesson_class_date"),
            models.Index(
                fields=["school", "school_class", "subject", "date"],
                name="lesson_class_subject_date",
            ),
            models.Index(fields=["school", "teacher", "date"], name="lesson_teacher_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m} {self.number}"


HOMEWORK_TEXT_MAX = 2000


class Homework(TimeStampedModel):
    """Homework set at a lesson (one per lesson), due at a later lesson of the subject.

    The diary shows it under `due_lesson`. `due_lesson` is None when the subject has no later
    lesson in the journal (the end of the year, or lessons not made yet): the diary then shows
    it under the lesson it was set at. Who sees it: whoever attends `lesson` (its class, or
    its group).
    """

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="homework_given")
    due_lesson = models.ForeignKey(
        Lesson, on_delete=models.SET_NULL, null=True, blank=True, related_name="homework_due"
    )
    text = models.CharField("Домашнее задание", max_length=HOMEWORK_TEXT_MAX, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "lesson"], name="homework_unique_per_lesson"),
            models.CheckConstraint(
                condition=Q(due_lesson__isnull=True) | ~Q(due_lesson=F("lesson")),
                name="homework_due_later",
            ),
        ]
        indexes = [models.Index(fields=["school", "due_lesson"], name="homework_due")]

    def __str__(self) -> str:
        return self.text[:50]


def homework_upload_to(instance: HomeworkFile, filename: str) -> str:
    return f"homework/{instance.school_id}/{instance.homework_id}/{filename}"


class HomeworkFile(TimeStampedModel):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    homework = models.ForeignKey(Homework, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=homework_upload_to, max_length=255)
    name = models.CharField(max_length=255)

    class Meta:
        indexes = [models.Index(fields=["school", "homework"], name="homeworkfile_homework")]


# The widest scale any school may choose; the school's own scale is checked in services.
MARK_MIN, MARK_MAX = 1, 10


class Mark(TimeStampedModel):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="marks")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="marks")
    value = models.PositiveSmallIntegerField()
    weight = models.PositiveSmallIntegerField(default=1)
    comment = models.CharField(max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = MarkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "lesson", "student"], name="mark_unique_per_lesson"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=MARK_MIN, value__lte=MARK_MAX), name="mark_value_range"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=5), name="mark_weight_range"
            ),
        ]
        indexes = [models.Index(fields=["school", "student", "lesson"], name="mark_student")]


class AttendanceStatus(models.TextChoices):
    ABSENT = "absent", "н"
    LATE = "late", "оп"


class AbsenceReason(models.TextChoices):
    NONE = "", "—"
    ILLNESS = "illness", "Болезнь"
    FAMILY = "family", "Семейные обстоятельства"
    EXCUSED = "excused", "Уважительная причина"
    UNEXCUSED = "unexcused", "Без уважительной причины"


class Attendance(TimeStampedModel):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="attendance")
    student = models.ForeignKey(
        "schools.Student", on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)
    reason = models.CharField(max_length=10, choices=AbsenceReason.choices, blank=True, default="")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "lesson", "student"], name="attendance_unique_per_lesson"
            ),
        ]
        indexes = [models.Index(fields=["school", "student", "lesson"], name="attendance_student")]


class FinalMark(TimeStampedModel):
    """A student's mark for a subject over a period (a quarter)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(
        "schools.Student", on_delete=models.CASCADE, related_name="final_marks"
    )
    subject = models.ForeignKey("schools.Subject", on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey("schools.Period", on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "student", "subject", "period"], name="final_unique"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=MARK_MIN, value__lte=MARK_MAX), name="final_value_range"
            ),
        ]


class Remark(TimeStampedModel):
    """A teacher's remark about a student, shown to the parents only."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="remarks")
    lesson = models.ForeignKey(
        Lesson, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.CharField(max_length=500)

    class Meta:
        indexes = [models.Index(fields=["school", "student", "-created_at"], name="remark_student")]


class WeekSignature(models.Model):
    """A parent's "read" on a week of a child's diary."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "parent", "student", "week_start"], name="week_signature_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week_start:%d.%m.%Y}"
