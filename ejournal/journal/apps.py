from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "ejournal.journal"
    label = "journal"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed

        from ejournal.core.freshness import row_changed, watch

        from . import (
            audit_events,  # noqa: F401  # registers the app's audit events
            models,
            receivers,  # noqa: F401  # answers the schools app's signals
        )

        # Everything the cached diary and marks show (core/freshness.py).
        watch(
            models.Bell,
            models.Holiday,
            models.Group,
            models.GroupMembership,
            models.TeachingAssignment,
            models.TimetableEntry,
            models.Lesson,
            models.Homework,
            models.HomeworkFile,
            models.Mark,
            models.Attendance,
            models.FinalMark,
            models.Remark,
            models.WeekSignature,
        )
        m2m_changed.connect(
            row_changed, sender=models.Group.students.through, dispatch_uid="freshness:groups"
        )
