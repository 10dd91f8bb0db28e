import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ejournal.accounts.models import User
from ejournal.accounts.passwords import password_validate
from ejournal.accounts.services import user_create
from ejournal.schools.roles import Role


class Command(BaseCommand):
    help = (
        "Create a platform operator (technical support): an account with no school that sees "
        "schools, counts and system health at the platform's own domain, never personal data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--login", required=True)
        parser.add_argument(
            "--password-from-env",
            metavar="VAR",
            default=None,
            help="Read the password from this environment variable instead of a prompt.",
        )

    def handle(self, *args: Any, login: str, password_from_env: str | None, **options: Any) -> None:
        if User.objects.for_login(school_id=None, login=login) is not None:
            raise CommandError(f"Оператор с логином «{login}» уже есть.")
        password = self._password(password_from_env)
        try:
            password_validate(password, login=login)
            user_create(school=None, role=Role.OPERATOR, login=login, password=password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Оператор «{login}» создан."))

    def _password(self, variable: str | None) -> str:
        if variable:
            password = os.environ.get(variable, "")
            if not password:
                raise CommandError(f"Переменная окружения {variable} пуста или не задана.")
            return password
        try:
            password = getpass.getpass("Пароль: ")
            repeated = getpass.getpass("Пароль ещё раз: ")
        except (EOFError, KeyboardInterrupt) as error:
            raise CommandError("Пароль не введён.") from error
        if password != repeated:
            raise CommandError("Пароли не совпадают.")
        return password
