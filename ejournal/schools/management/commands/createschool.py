from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ejournal.core.tenancy import school_base_url
from ejournal.schools.models import PeriodKind
from ejournal.schools.services import school_create


class Command(BaseCommand):
    help = "Create a school with its current academic year and its periods (quarters by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--number", required=True, help="Short name and subdomain: 1399, gym5")
        parser.add_argument("--name", required=True, help='Full name: "Школа №1399"')
        parser.add_argument("--domain", default=None, help="The school's own domain, if any")
        parser.add_argument("--timezone", default="Europe/Moscow")
        parser.add_argument(
            "--periods",
            choices=PeriodKind.values,
            default=PeriodKind.QUARTER.value,
            help="How the year is divided for final marks (default: quarter)",
        )

    def handle(
        self,
        *args: Any,
        number: str,
        name: str,
        domain: str | None,
        timezone: str,
        periods: str,
        **options: Any,
    ) -> None:
        try:
            school = school_create(
                number=number,
                name=name,
                domain=domain,
                timezone_name=timezone,
                period_kind=periods,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"{school.name}: {school_base_url(school)}/"))
