"""Every read of the journal, each in a fixed number of SQL queries (see each docstring)."""

from .audit import JOURNAL_CELL_ACTIONS, JournalAuditEntry, journal_audit
from .averages import average_of_sums, mean, weighted_average
from .calendar import TeacherJournal, class_groups, teacher_day, teacher_journals
from .diary import (
    Diary,
    DiaryDay,
    DiaryHomework,
    DiaryLesson,
    DiaryWeek,
    diary_between,
    diary_week,
    week_signature,
)
from .grid import Grid, GridCell, GridRow, class_roster, row_average, teacher_grid
from .lesson_sheet import LessonSheet, SheetRow, lesson_sheet
from .marks import ChartPoint, SubjectFinals, SubjectMarks, finals_for_year, marks_for_period
from .summary import Summary, SummaryRow, class_summary
from .year_marks import PeriodCell, SubjectYear, YearMarks, YearPeriod, marks_for_year

__all__ = [
    "JOURNAL_CELL_ACTIONS",
    "ChartPoint",
    "Diary",
    "DiaryDay",
    "DiaryHomework",
    "DiaryLesson",
    "DiaryWeek",
    "Grid",
    "GridCell",
    "GridRow",
    "JournalAuditEntry",
    "LessonSheet",
    "PeriodCell",
    "SheetRow",
    "SubjectFinals",
    "SubjectMarks",
    "SubjectYear",
    "Summary",
    "SummaryRow",
    "TeacherJournal",
    "YearMarks",
    "YearPeriod",
    "average_of_sums",
    "class_groups",
    "class_roster",
    "class_summary",
    "diary_between",
    "diary_week",
    "finals_for_year",
    "journal_audit",
    "lesson_sheet",
    "marks_for_period",
    "marks_for_year",
    "mean",
    "row_average",
    "teacher_day",
    "teacher_grid",
    "teacher_journals",
    "week_signature",
    "weighted_average",
]
