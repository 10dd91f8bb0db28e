"""Writes for schools and their settings, years, classes, students and teachers.

The roster import lives in roster/.

Every public service is importable from here: `from ejournal.schools.services import ...`.
"""

from .classes import class_create, class_update
from .periods import period_close, period_reopen
from .settings import school_settings_update
from .students import student_archive, student_create, student_move, student_update
from .teachers import teacher_archive, teacher_create, teacher_update
from .years import (
    DEFAULT_HALVES,
    DEFAULT_QUARTERS,
    DEFAULT_TRIMESTERS,
    academic_year_create,
    period_dates,
    school_create,
    school_year_start,
)

__all__ = [
    "DEFAULT_HALVES",
    "DEFAULT_QUARTERS",
    "DEFAULT_TRIMESTERS",
    "academic_year_create",
    "class_create",
    "class_update",
    "period_close",
    "period_dates",
    "period_reopen",
    "school_create",
    "school_settings_update",
    "school_year_start",
    "student_archive",
    "student_create",
    "student_move",
    "student_update",
    "teacher_archive",
    "teacher_create",
    "teacher_update",
]
