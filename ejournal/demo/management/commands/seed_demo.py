from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ejournal.demo.seed import SIZES, seed


class Command(BaseCommand):
    help = (
        "Fill the database with demo data: 'demo' is school 1399 with a named cast, 'school' one "
        "full school (~1,000 students in 33 classes), 'district' 20 such schools. Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=sorted(SIZES), default="demo")

    def handle(self, *args: Any, size: str, **options: Any) -> None:
        seed(size=size, progress=lambda line: self.stdout.write(line))
        self.stdout.write(self.style.SUCCESS("Готово."))
