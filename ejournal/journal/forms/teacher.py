"""The teacher's journal: what a grid cell, a final mark, a lesson and a remark are typed as.

The forms turn text into values; the services decide whether the values may be kept (the
school's scale, the weight's range, a cancelled lesson), so every rule is written once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.formats import date_format

from ejournal.core.params import BoundedIntegerField, IdField, ModelChoiceByIdField
from ejournal.core.uploads import UploadLimit
from ejournal.schools.models import School, Teacher

from ..errors import JournalErrorCode
from ..models import (
    HOMEWORK_TEXT_MAX,
    MARK_MAX,
    MARK_MIN,
    AbsenceReason,
    AttendanceStatus,
    ControlType,
    Lesson,
    LessonStatus,
)
from ..services import UNSET
from ..services.marks import WEIGHT_MAX, WEIGHT_MIN

# One cell's text, as the teacher types it: a mark with an optional weight ("5", "5*2",
# "5×2"), an attendance note ("н"/"n"/"нб" absent, "оп"/"op" late), or both ("оп 4").
_TOKEN = re.compile(
    r"\s*(?:(?P<late>оп|op)|(?P<absent>нб|н|n)|(?P<mark>[0-9]+)(?:\s*[*×xх]\s*(?P<weight>[0-9]+))?)",
    re.IGNORECASE,
)
CELL_TEXT_MAX = 20


def _grid_group() -> IdField:
    """The grid a cell or final mark was entered in: a group's, or the whole class's (empty);
    for the row's average and the way back."""
    return IdField(required=False, message="Нет такой группы.")


@dataclass(frozen=True)
class CellEntry:
    """What a cell is to hold: a mark (None: no mark) and an attendance status (None: present).

    `weight` is None when the text did not give one.
    """

    mark: int | None = None
    weight: int | None = None
    status: str | None = None


def parse_cell(text: str, *, school: School) -> CellEntry:
    """ "5*2" → mark 5 of weight 2; "н" → absent; "оп 4" → late with a 4; "" → an empty cell.

    Raises a ValidationError in Russian for text that is neither; the range of the numbers is
    the services' to check.
    """
    text = text.strip()
    mark = weight = status = None
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ValidationError(
                f"Не понимаю «{text}»: введите оценку от {school.mark_min} до {school.mark_max},"
                " «н» (отсутствовал) или «оп» (опоздал).",
                code=JournalErrorCode.INVALID_VALUE,
            )
        position = match.end()
        if match["mark"] is not None:
            if mark is not None:
                raise ValidationError(
                    "В клетке может быть одна оценка.", code=JournalErrorCode.INVALID_VALUE
                )
            mark = int(match["mark"])
            weight = int(match["weight"]) if match["weight"] is not None else None
        else:
            if status is not None:
                raise ValidationError(
                    "Отметка о посещаемости одна: «н» или «оп».",
                    code=JournalErrorCode.INVALID_VALUE,
                )
            status = AttendanceStatus.LATE if match["late"] else AttendanceStatus.ABSENT
        position += len(text[position:]) - len(text[position:].lstrip())
    return CellEntry(mark=mark, weight=weight, status=status)


class CellForm(forms.Form):
    """A cell of the grid. `weight`, `comment` and `reason` are sent by the cell's details
    form; when the keyboard entry leaves them out, the cell keeps its comment and reason, and
    a mark gets the lesson's default weight (services.cell_set's rule). `group`:
    the grid's group, for the row's average."""

    value = forms.CharField(required=False, max_length=CELL_TEXT_MAX)
    weight = BoundedIntegerField(
        required=False,
        min_value=WEIGHT_MIN,
        max_value=WEIGHT_MAX,
        error_messages=dict.fromkeys(
            ("invalid", "min_value", "max_value"),
            f"Вес оценки — целое число от {WEIGHT_MIN} до {WEIGHT_MAX}.",
        ),
    )
    comment = forms.CharField(required=False, max_length=300)
    reason = forms.ChoiceField(
        required=False,
        choices=AbsenceReason.choices,
        error_messages={"invalid_choice": "Неизвестная причина отсутствия."},
    )
    group = _grid_group()

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.school = school

    def clean_value(self) -> CellEntry:
        return parse_cell(self.cleaned_data["value"], school=self.school)

    def cell(self) -> dict[str, Any]:
        """The valid form as `services.cell_set`'s arguments: the mark and the status typed;
        the weight typed ("5*2"), else the details form's; the comment and the reason only if
        the request sent them (an empty comment clears it), so that the cell keeps its own."""
        data = self.cleaned_data
        entry: CellEntry = data["value"]
        return {
            "mark": entry.mark,
            "weight": entry.weight if entry.weight is not None else data["weight"],
            "comment": data["comment"] if "comment" in self.data else UNSET,
            "status": entry.status,
            "reason": data["reason"] if "reason" in self.data else UNSET,
        }


class FinalMarkForm(forms.Form):
    # Typed without JavaScript too; "" clears the final mark. The bounds are any school's
    # scale; the school's own is the service's to check.
    value = BoundedIntegerField(required=False, min_value=MARK_MIN, max_value=MARK_MAX, strip=True)
    period = IdField(
        message="Нет такого периода.", error_messages={"required": "Не указан период."}
    )
    group = _grid_group()

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        message = f"Итоговая оценка — целое число от {school.mark_min} до {school.mark_max}."
        self.fields["value"].error_messages.update(
            dict.fromkeys(("invalid", "min_value", "max_value"), message)
        )


class RemarkForm(forms.Form):
    text = forms.CharField(
        label="Замечание",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
    )
    lesson = IdField(required=False, message="Нет такого урока.")  # the remark is about it


class LessonForm(forms.Form):
    """A lesson's page. The lesson's teachers change its content and frame; the curator,
    who does not teach it, the frame only: status, room and the substitute teacher.

    `due_choices`: the later lessons the homework may be due at (one per date); "" is the
    next one."""

    topic = forms.CharField(label="Тема урока", max_length=300, required=False)
    homework = forms.CharField(
        label="Домашнее задание",
        max_length=HOMEWORK_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    homework_due = forms.TypedChoiceField(
        label="К какому уроку",
        required=False,
        coerce=dt.date.fromisoformat,
        empty_value=None,
        error_messages={"invalid_choice": "Выберите урок из списка."},
    )
    control_type = forms.ChoiceField(
        label="Вид работы",
        choices=ControlType.choices,
        required=False,
        help_text="Оценки на уроке с работой получают вес 2, если не набрать другой (5*1).",
    )
    room = forms.CharField(label="Кабинет", max_length=20, required=False)
    status = forms.ChoiceField(label="Состояние урока", choices=LessonStatus.choices)

    CONTENT = ("topic", "homework", "homework_due", "control_type")

    def __init__(
        self,
        *args: Any,
        content: bool,
        due_choices: list[Lesson] | None = None,
        teachers: QuerySet[Teacher] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not content:
            for name in self.CONTENT:
                del self.fields[name]
        else:
            later = due_choices or []
            first = f" ({_day(later[0].date)})" if later else ": его пока нет в журнале"
            due = self.fields["homework_due"]
            assert isinstance(due, forms.TypedChoiceField)  # noqa: S101 -- declared above
            due.choices = [("", f"Следующий урок{first}")] + [
                (lesson.date.isoformat(), _day(lesson.date)) for lesson in later[1:]
            ]
        if teachers is not None:
            self.fields["teacher"] = ModelChoiceByIdField(
                label="Ведёт урок",
                queryset=teachers,
                help_text="Замена: выберите учителя, который проведёт урок.",
                error_messages={"invalid_choice": "Выберите учителя из списка."},
            )


def _day(day: dt.date) -> str:
    """ "пн, 7 декабря"."""
    return date_format(day, "D, j E").lower()


class HomeworkFileForm(forms.Form):
    file = forms.FileField(
        label="Файл к домашнему заданию",
        help_text="До 10 файлов к уроку, каждый не больше 10 МБ.",
        error_messages={"required": "Выберите файл.", "empty": "Файл пустой."},
    )

    def __init__(self, *args: Any, upload_stopped: UploadLimit | None = None, **kwargs: Any):
        """`upload_stopped`: the request's upload limit; when it stopped the file, the field
        has no file and says why."""
        super().__init__(*args, **kwargs)
        if upload_stopped is not None and upload_stopped.exceeded:
            self.fields["file"].error_messages["required"] = upload_stopped.message
