"""Move each lesson's homework (text and files) to a Homework row due at the lesson it would
be due at under the rule of selectors.homework: the next lesson of the subject for the class
(a group's: the group's or the whole class's) on a later date, not cancelled; none at the end
of the year. Set-based (one query per kind of row), so it runs the same on SQLite and
PostgreSQL whatever the size of the journal. The rule is written out here, frozen, as a
migration must not follow later changes of the code. Text past the new 2,000-character limit
is cut there with "…" (the old column had no limit).
"""

from django.db import migrations
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

TEXT_MAX = 2000
BATCH = 1000


def _next_lesson(Lesson):
    return (
        Lesson.objects.filter(
            school_id=OuterRef("school_id"),
            school_class_id=OuterRef("school_class_id"),
            subject_id=OuterRef("subject_id"),
            date__gt=OuterRef("date"),
        )
        .exclude(status="cancelled")
        .filter(Q(group__isnull=True) | Q(group_id=OuterRef("group_id")))
        .order_by("date", "number", "pk")
        .values("pk")[:1]
    )


def forward(apps, schema_editor):
    Lesson = apps.get_model("journal", "Lesson")
    Homework = apps.get_model("journal", "Homework")
    HomeworkFile = apps.get_model("journal", "HomeworkFile")
    given = (
        Lesson.objects.filter(~Q(homework="") | Q(pk__in=HomeworkFile.objects.values("lesson_id")))
        .annotate(due=Subquery(_next_lesson(Lesson)))
        .order_by("pk")
        .values_list("pk", "school_id", "homework", "due")
    )
    batch = []
    for lesson_id, school_id, text, due in given.iterator(chunk_size=BATCH):
        text = text.strip()
        if len(text) > TEXT_MAX:
            text = text[: TEXT_MAX - 1] + "…"
        batch.append(Homework(school_id=school_id, lesson_id=lesson_id, due_lesson_id=due, text=text))
        if len(batch) == BATCH:
            Homework.objects.bulk_create(batch)
            batch = []
    Homework.objects.bulk_create(batch)
    HomeworkFile.objects.update(
        homework_id=Subquery(
            Homework.objects.filter(
                school_id=OuterRef("school_id"), lesson_id=OuterRef("lesson_id")
            ).values("pk")[:1]
        )
    )


def backward(apps, schema_editor):
    Lesson = apps.get_model("journal", "Lesson")
    Homework = apps.get_model("journal", "Homework")
    HomeworkFile = apps.get_model("journal", "HomeworkFile")
    Lesson.objects.update(
        homework=Coalesce(
            Subquery(
                Homework.objects.filter(
                    school_id=OuterRef("school_id"), lesson_id=OuterRef("pk")
                ).values("text")[:1]
            ),
            Value(""),
        )
    )
    HomeworkFile.objects.update(
        lesson_id=Subquery(Homework.objects.filter(pk=OuterRef("homework_id")).values("lesson_id")[:1])
    )
    # The rows go with their table in 0002 reversed (deleting them here would take the files).


class Migration(migrations.Migration):
    dependencies = [("journal", "0002_homework")]

    operations = [migrations.RunPython(forward, backward)]
