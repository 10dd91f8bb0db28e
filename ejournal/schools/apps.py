from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "ejournal.schools"
    label = "schools"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import audit_events  # noqa: F401  # registers the app's audit events
        from .hosts import school_changed_receiver
        from .models import School

        # Hosts are looked up once per process and version (hosts.py).
        post_save.connect(school_changed_receiver, sender=School, dispatch_uid="school-hosts")
        post_delete.connect(school_changed_receiver, sender=School, dispatch_uid="school-hosts-d")

        from ejournal.core.freshness import (
            guardianship_changed,
            school_changed,
            student_changed,
            watch,
        )

        from . import models

        # Everything the cached diary and marks show (core/freshness.py).
        watch(School, receiver=school_changed)
        watch(models.Student, receiver=student_changed)
        watch(models.Guardianship, receiver=guardianship_changed)
        watch(
            models.AcademicYear, models.Period, models.Teacher, models.SchoolClass, models.Subject
        )
