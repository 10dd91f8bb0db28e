"""Homework becomes its own table (set at a lesson, due at a later one), with its files.

The schema in three steps, so that PostgreSQL never alters a table in the transaction that
has just written its rows: this one adds the table and the files' new link, 0003 moves the
data, 0004 drops the old columns.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F, Q


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0001_initial"),
        ("schools", "0002_school_settings"),
    ]

    operations = [
        migrations.CreateModel(
            name="Homework",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("text", models.CharField(blank=True, max_length=2000, verbose_name="Домашнее задание")),
                ("school", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="schools.school")),
                ("lesson", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="homework_given", to="journal.lesson")),
                ("due_lesson", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="homework_due", to="journal.lesson")),
            ],
            options={
                "indexes": [models.Index(fields=["school", "due_lesson"], name="homework_due")],
                "constraints": [
                    models.UniqueConstraint(fields=("school", "lesson"), name="homework_unique_per_lesson"),
                    models.CheckConstraint(
                        condition=Q(due_lesson__isnull=True) | ~Q(due_lesson=F("lesson")),
                        name="homework_due_later",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="homeworkfile",
            name="homework",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="files", to="journal.homework"),
        ),
        # Nullable for the way back (0004 reversed adds it again before 0003 refills it).
        migrations.AlterField(
            model_name="homeworkfile",
            name="lesson",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="files", to="journal.lesson"),
        ),
    ]
