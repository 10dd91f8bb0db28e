"""Every write to the journal: keyword-only, atomic, checked against the actor's rights.

A refusal of rights is `JournalAccessError` (a 404); a refusal of a value is a ValidationError
in Russian, with the field where there is one.
"""

from ._common import UNSET
from .cells import Cell, cell_set
from .diary import remark_add, week_sign
from .holidays import holiday_create, holiday_delete
from .homework import homework_file_add, homework_file_delete, homework_set
from .lessons import lesson_update, lessons_generate
from .marks import (
    attendance_set,
    final_mark_set,
    mark_default_weight,
    mark_delete,
    mark_set,
)
from .setup import (
    DEFAULT_BELLS,
    assignment_create,
    assignment_delete,
    bells_set,
    bells_set_default,
    group_create,
    group_members_set,
    timetable_entry_delete,
    timetable_entry_set,
)

__all__ = [
    "DEFAULT_BELLS",
    "UNSET",
    "Cell",
    "assignment_create",
    "assignment_delete",
    "attendance_set",
    "bells_set",
    "bells_set_default",
    "cell_set",
    "final_mark_set",
    "group_create",
    "group_members_set",
    "holiday_create",
    "holiday_delete",
    "homework_file_add",
    "homework_file_delete",
    "homework_set",
    "lesson_update",
    "lessons_generate",
    "mark_default_weight",
    "mark_delete",
    "mark_set",
    "remark_add",
    "timetable_entry_delete",
    "timetable_entry_set",
    "week_sign",
]
