"""python manage.py import_roster --school 1399 FILE: the curator's roster import, from a shell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ejournal.schools.models import School
from ejournal.schools.roster.services import RosterRejected, roster_apply, roster_import_create


class Command(BaseCommand):
    help = (
        "Import students from a CSV or XLSX roster (class, last name, first name, middle name, "
        "birth date, optional parent email). A file with any error imports nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school", required=True, help="The school's number: 1399, gym5")
        parser.add_argument("file", metavar="FILE", help="The roster: .csv or .xlsx")

    def handle(self, *args: Any, school: str, file: str, **options: Any) -> None:
        found = School.objects.filter(number__iexact=school).first()
        if found is None:
            raise CommandError(f"Школа «{school}» не найдена.")
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(
                f"Не удалось открыть файл {file}: {error.strerror or error}."
            ) from error

        self.stdout.write(f"Проверяем {path.name}…")
        try:
            roster_import = roster_import_create(
                school=found, actor=None, filename=path.name, content=content
            )
            self.stdout.write(f"Ошибок нет, строк с учениками: {len(roster_import.rows)}.")
            summary = roster_apply(roster_import=roster_import, actor=None, progress=self._progress)
        except RosterRejected as rejected:
            for row_error in rejected.errors:
                self.stderr.write(str(row_error))
            raise CommandError(
                f"Ошибок: {len(rejected.errors)}. Ничего не загружено: "
                "исправьте файл и запустите команду снова."
            ) from rejected
        self.stdout.write(self.style.SUCCESS(f"Готово. {summary.describe()}"))

    def _progress(self, done: int, total: int) -> None:
        self.stdout.write(f"Добавлено {done} из {total}")
