"""Writes for schools, years, classes, students and teachers. The roster import lives in roster/.

Every public service is importable from here: `from ejournal.schools.services import ...`.
"""

from .classes import class_create, class_update
from .students import student_archive, student_create, student_move, student_update
from .teachers import teacher_archive, teacher_create, teacher_update
from .years import DEFAULT_QUARTERS, academic_year_create, school_create, school_year_start

__all__ = [
    "DEFAULT_QUARTERS",
    "academic_year_create",
    "class_create",
    "class_update",
    "school_create",
    "school_year_start",
    "student_archive",
    "student_create",
    "student_move",
    "student_update",
    "teacher_archive",
    "teacher_create",
    "teacher_update",
]
