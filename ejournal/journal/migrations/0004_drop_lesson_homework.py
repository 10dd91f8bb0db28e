"""Drop the old homework column and the files' link to the lesson (0003 moved both)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("journal", "0003_homework_due_lesson")]

    operations = [
        migrations.RemoveIndex(model_name="homeworkfile", name="homeworkfile_lesson"),
        migrations.RemoveField(model_name="homeworkfile", name="lesson"),
        migrations.AlterField(
            model_name="homeworkfile",
            name="homework",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="files", to="journal.homework"),
        ),
        migrations.AddIndex(
            model_name="homeworkfile",
            index=models.Index(fields=["school", "homework"], name="homeworkfile_homework"),
        ),
        migrations.RemoveField(model_name="lesson", name="homework"),
    ]
