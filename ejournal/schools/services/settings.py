"""The school's settings: its name, how the year is divided, its mark scale, and when its
periods close."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ejournal.audit.models import AuditAction
from ejournal.audit.services import audit_record
from ejournal.core.plural import count_ru

from ..models import CLOSE_AFTER_DAYS_MAX, AcademicYear, Period, PeriodKind, School
from ..selectors import current_year
from ..signals import answers_total, marks_outside_scale, year_final_marks
from ._person import lock
from .years import periods_create

if TYPE_CHECKING:
    from ejournal.accounts.models import User

SCALE_MIN, SCALE_MAX = 1, 10  # the widest scale the journal stores (School's check constraint)
NAME_MAX_LENGTH = School._meta.get_field("name").max_length or 200
CLOSE_AFTER_DAYS_MESSAGE = (
    f"Число дней — целое, от 0 до {CLOSE_AFTER_DAYS_MAX}; оставьте поле пустым, "
    "чтобы периоды закрывал только куратор."
)
_PLURAL_PERIODS: dict[str, str] = {
    PeriodKind.QUARTER: "четверти",
    PeriodKind.TRIMESTER: "триместры",
    PeriodKind.HALF: "полугодия",
}


def school_settings_update(
    *,
    school: School,
    actor: User | None,
    name: str,
    period_kind: str,
    mark_min: int,
    mark_max: int,
    close_periods_after_days: int | None,
    from_next_year: bool = False,
) -> School:
    """Save the school's settings; audited with the values before and after.

    A new division of the year re-divides the current year's periods, unless final marks
    were already given for them: then it is refused. With `from_next_year` only the setting
    is saved and the current year keeps its periods; years created later get the new ones.
    The scale can't be narrowed past marks already given (lesson marks and finals).
    `close_periods_after_days`: each period closes that many days after its last day (None:
    only the curator closes periods); required, so that no caller clears the rule by leaving
    it out.
    """
    name = " ".join(name.split())
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Введите название школы."
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = f"Название школы — не длиннее {NAME_MAX_LENGTH} знаков."
    if period_kind not in PeriodKind.values:
        errors["period_kind"] = (
            "Выберите деление года из списка: четверти, триместры или полугодия."
        )
    if not (SCALE_MIN <= mark_min < mark_max <= SCALE_MAX):
        errors["mark_max"] = (
            f"Шкала оценок — от {SCALE_MIN} до {SCALE_MAX}, и наименьшая оценка меньше наибольшей."
        )
    if close_periods_after_days is not None and not (
        0 <= close_periods_after_days <= CLOSE_AFTER_DAYS_MAX
    ):
        errors["close_periods_after_days"] = CLOSE_AFTER_DAYS_MESSAGE
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        lock(school)
        before = _snapshot(school)
        if (school.mark_min, school.mark_max) != (mark_min, mark_max):
            _check_scale(school, mark_min, mark_max)
        year = current_year(school=school)
        year_kind = _year_kind(year)
        redivide = year_kind != period_kind and not from_next_year
        if redivide:
            finals = _year_finals(school, year)
            if finals:
                old = _PLURAL_PERIODS.get(year_kind or "", "периоды")
                given = count_ru(finals, "итоговая оценка", "итоговые оценки", "итоговых оценок")
                raise ValidationError(
                    {
                        "period_kind": (
                            f"За {old} {year} учебного года уже есть {given}, поэтому "
                            "делить этот год заново нельзя. Отметьте «Со следующего учебного "
                            "года»: этот год останется как есть, а новое деление получат "
                            "следующие годы."
                        )
                    }
                )
            Period.objects.filter(school=school, year=year).delete()
            periods_create(year=year, kind=period_kind)
        school.name = name
        school.period_kind = period_kind
        school.mark_min, school.mark_max = mark_min, mark_max
        school.close_periods_after_days = close_periods_after_days
        after = _snapshot(school)
        if after == before and not redivide:
            return school
        school.full_clean()
        school.save(update_fields=[*after, "updated_at"])
        changed = [key for key in after if after[key] != before[key]]
        after_record: dict[str, Any] = {key: after[key] for key in changed}
        if redivide:
            after_record["periods"] = _periods_ref(year)
        audit_record(
            school=school,
            actor=actor,
            action=AuditAction.SCHOOL_UPDATED,
            target=school,
            before={key: before[key] for key in changed},
            after=after_record,
        )
    return school


def _snapshot(school: School) -> dict[str, Any]:
    return {
        "name": school.name,
        "period_kind": school.period_kind,
        "mark_min": school.mark_min,
        "mark_max": school.mark_max,
        "close_periods_after_days": school.close_periods_after_days,
    }


def _check_scale(school: School, mark_min: int, mark_max: int) -> None:
    """Refuse a scale that leaves some of the school's marks outside it."""
    count = answers_total(
        marks_outside_scale, sender=School, school=school, mark_min=mark_min, mark_max=mark_max
    )
    if count:
        marks = count_ru(count, "оценка", "оценки", "оценок")
        raise ValidationError(
            {
                "mark_min": (
                    f"Шкалу нельзя сузить до {mark_min}–{mark_max}: в журнале уже {marks} "
                    "вне этой шкалы. Сначала исправьте эти оценки или оставьте шкалу шире."
                )
            }
        )


def _year_kind(year: AcademicYear) -> str | None:
    """How the year is divided now (the kind of its periods), None if it has no periods."""
    return Period.objects.filter(year=year).values_list("kind", flat=True).first()


def _year_finals(school: School, year: AcademicYear) -> int:
    return answers_total(year_final_marks, sender=School, school=school, year=year)


def _periods_ref(year: AcademicYear) -> list[dict[str, Any]]:
    return [
        {
            "number": p.number,
            "kind": p.kind,
            "starts_on": str(p.starts_on),
            "ends_on": str(p.ends_on),
        }
        for p in Period.objects.filter(year=year).order_by("number")
    ]
