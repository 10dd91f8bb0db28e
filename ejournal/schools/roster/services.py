"""The roster import's writes: keep a checked file, then apply it all at once or not at all.

The curator's pages and the `import_roster` command both call these, so a file is judged
the same way wherever it comes from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from ejournal.audit.models import AuditAction
from ejournal.audit.services import audit_record
from ejournal.core.freshness import journal_changed
from ejournal.core.pruning import delete_in_batches

from ..models import RosterImport, School, Student
from ..selectors import current_year
from ..services import class_create
from .compare import check_against_school
from .parse import RosterFileError, read_roster
from .rows import MovedRow, RosterCheck, RosterRow, RowError, normalize_rows

if TYPE_CHECKING:
    from ejournal.accounts.models import User

# Students inserted per statement (SQLite splits further by its parameter limit).
CHUNK_SIZE = 500
FILENAME_MAX_LENGTH = 255

Progress = Callable[[int, int], None]


class RosterRejected(Exception):
    """The roster can't be imported; `check.errors` say why, each with its line when it has one."""

    def __init__(self, check: RosterCheck) -> None:
        self.check = check
        super().__init__("\n".join(str(error) for error in check.errors))

    @property
    def errors(self) -> list[RowError]:
        return self.check.errors


@dataclass(frozen=True)
class RosterSummary:
    created: int
    skipped: int
    classes_created: list[str]
    moved: int = 0

    def describe(self) -> str:
        """One line in Russian for the curator's message and the command's last line."""
        parts = [f"Добавлено учеников: {self.created}."]
        if self.moved:
            parts.append(f"Переведено в новый учебный год: {self.moved}.")
        if self.classes_created:
            parts.append(f"Созданы классы: {', '.join(self.classes_created)}.")
        if self.skipped:
            parts.append(f"Пропущено (уже есть в школе): {self.skipped}.")
        return " ".join(parts)


def _rejected(message: str) -> RosterRejected:
    return RosterRejected(RosterCheck(errors=[RowError(None, message)]))


def roster_check(*, school: School, filename: str, content: bytes) -> RosterCheck:
    """Read and check a roster file without writing anything: every error with its line."""
    try:
        raw_rows = read_roster(filename=filename, content=content)
    except RosterFileError as error:
        return RosterCheck(errors=[RowError(None, str(error))])
    rows, errors = normalize_rows(raw_rows)
    check = check_against_school(
        school=school, year=current_year(school=school), rows=rows, total=len(raw_rows)
    )
    check.errors = sorted([*errors, *check.errors], key=lambda error: error.line or 0)
    return check


def roster_import_check(*, roster_import: RosterImport) -> RosterCheck:
    """A stored roster checked again against the school as it is now (it may have changed)."""
    school = roster_import.school
    rows = [RosterRow.from_json(data) for data in roster_import.rows]
    return check_against_school(
        school=school, year=current_year(school=school), rows=rows, total=len(rows)
    )


def roster_import_create(
    *, school: School, actor: User | None, filename: str, content: bytes
) -> RosterImport:
    """Keep a checked, error-free roster for the curator's preview; RosterRejected otherwise.

    Nothing is stored for a file with errors.
    """
    check = roster_check(school=school, filename=filename, content=content)
    if not check.ok:
        raise RosterRejected(check)
    with transaction.atomic():
        return RosterImport.objects.create(
            school=school,
            created_by=actor,
            filename=filename[:FILENAME_MAX_LENGTH],
            rows=[row.to_json() for row in check.rows],
        )


def roster_apply(
    *, roster_import: RosterImport, actor: User | None, progress: Progress | None = None
) -> RosterSummary:
    """Create the roster's classes and students, and move last year's pupils into this year's
    classes, in one transaction: all of it or nothing.

    The rows are checked again first, the roster may have changed since the preview; a roster
    is applied once. `progress(done, total)` is called after each chunk of students.
    """
    school = roster_import.school
    try:
        with transaction.atomic():
            locked = RosterImport.objects.select_for_update().get(
                pk=roster_import.pk, school=school
            )
            if locked.applied_at is not None:
                applied_at = timezone.localtime(locked.applied_at)
                raise _rejected(f"Этот список уже загружен {applied_at:%d.%m.%Y в %H:%M}.")
            year = current_year(school=school)
            rows = [RosterRow.from_json(data) for data in locked.rows]
            check = check_against_school(school=school, year=year, rows=rows, total=len(rows))
            if not check.ok:
                raise RosterRejected(check)
            class_ids = dict(check.class_ids)
            for grade, letter in check.new_classes:
                school_class = class_create(
                    school=school, year=year, grade=grade, letter=letter, actor=actor
                )
                class_ids[grade, letter] = school_class.pk
            _students_move(school=school, moves=check.to_move, class_ids=class_ids)
            _students_create(
                school=school, rows=check.to_create, class_ids=class_ids, progress=progress
            )
            summary = RosterSummary(
                created=len(check.to_create),
                skipped=len(check.skipped),
                classes_created=check.new_class_labels,
                moved=len(check.to_move),
            )
            locked.applied_at = timezone.now()
            locked.save(update_fields=["applied_at", "updated_at"])
            audit_record(
                school=school,
                actor=actor,
                action=AuditAction.ROSTER_IMPORTED,
                target=locked,
                after={
                    "filename": locked.filename,
                    "created": summary.created,
                    "moved": summary.moved,
                    "skipped": summary.skipped,
                    "classes_created": summary.classes_created,
                },
            )
    # The messages say what went wrong; that nothing was loaded is the caller's to say, once.
    except ValidationError as error:  # from class_create: a class the year can't have now
        raise _rejected(" ".join(error.messages)) from error
    except (IntegrityError, _SchoolChanged) as error:
        # Someone added the same student or class, or moved a pupil, while this ran.
        raise _rejected(
            "Пока шла загрузка, данные школы изменились: откройте проверку списка ещё раз."
        ) from error
    roster_import.applied_at = locked.applied_at
    return summary


class _SchoolChanged(Exception):
    """A pupil to be moved is no longer where the check found them."""


def _students_move(
    *, school: School, moves: list[MovedRow], class_ids: dict[tuple[int, str], int]
) -> None:
    """Into this year's classes, a statement per chunk: only pupils still active and still in
    the class the check found them in, or the whole roster is refused."""
    for start in range(0, len(moves), CHUNK_SIZE):
        chunk = moves[start : start + CHUNK_SIZE]
        from_class = Case(*[When(pk=m.student_id, then=Value(m.from_class_id)) for m in chunk])
        to_class = Case(
            *[
                When(pk=m.student_id, then=Value(class_ids[m.row.grade, m.row.letter]))
                for m in chunk
            ]
        )
        moved = (
            Student.objects.active()
            .filter(school=school, pk__in=[m.student_id for m in chunk], school_class_id=from_class)
            .update(school_class_id=to_class, updated_at=timezone.now())
        )
        journal_changed(school_id=school.pk)  # update() sends no signal
        if moved != len(chunk):
            raise _SchoolChanged


def _students_create(
    *,
    school: School,
    rows: list[RosterRow],
    class_ids: dict[tuple[int, str], int],
    progress: Progress | None,
) -> None:
    total = len(rows)
    for start in range(0, total, CHUNK_SIZE):
        chunk = rows[start : start + CHUNK_SIZE]
        Student.objects.bulk_create(
            [
                Student(
                    school=school,
                    school_class_id=class_ids[row.grade, row.letter],
                    last_name=row.last_name,
                    first_name=row.first_name,
                    middle_name=row.middle_name,
                    birth_date=row.birth_date,
                    parent_email=row.parent_email,
                )
                for row in chunk
            ]
        )
        if progress is not None:
            progress(start + len(chunk), total)
    journal_changed(school_id=school.pk)  # bulk_create sends no signal: the classes' rosters


def roster_imports_prune(*, older_than: dt.timedelta) -> int:
    """Delete the checked rosters never applied, kept longer than `older_than` (their rows
    hold pupils' names and birth dates); applied ones stay as the record of the import.
    Returns how many were deleted."""
    stale = RosterImport.objects.filter(
        applied_at__isnull=True, created_at__lt=timezone.now() - older_than
    )
    return delete_in_batches(stale)
