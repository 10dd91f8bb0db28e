import datetime as dt
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from ejournal.demo.seed import SIZES, DateOutsideYear, seed


def _day(text: str) -> dt.date:
    """YYYY-MM-DD and nothing else (fromisoformat alone also takes 20270531 and 2027-W22)."""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--until: «{text}» — не дата; нужна дата вида ГГГГ-ММ-ДД, например 2027-05-31."
        ) from None


class Command(BaseCommand):
    help = (
        "Fill the database with demo data: 'demo' is school 1399 with a named cast, 'school' one "
        "full school (~1,000 students in 33 classes), 'district' 20 such schools (1399 and "
        "2001-2019). The journal is filled up to today, or to --until (a day of the school "
        "year, as if it were today). Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=sorted(SIZES), default="demo")
        parser.add_argument(
            "--jobs",
            type=int,
            help="schools seeded at once (default: 2 on PostgreSQL, 1 on SQLite, which takes "
            "one writer at a time)",
        )
        parser.add_argument(
            "--until",
            metavar="YYYY-MM-DD",
            help="fill lessons, marks, attendance and homework up to this day (default: today)",
        )

    def handle(
        self, *args: Any, size: str, until: str | None, jobs: int | None, **options: Any
    ) -> None:
        day = _day(until) if until is not None else None
        if jobs is None:
            jobs = 2 if connection.vendor == "postgresql" else 1
        if jobs < 1 or (jobs > 1 and connection.vendor == "sqlite"):
            raise CommandError("--jobs: от 1, а на SQLite только 1 (один пишущий за раз).")
        try:
            seed(size=size, until=day, jobs=jobs, progress=lambda line: self.stdout.write(line))
        except DateOutsideYear as error:
            raise CommandError(f"--until: {error}") from None
        self.stdout.write(self.style.SUCCESS("Готово."))
