from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ejournal.core.tenancy import school_base_url
from ejournal.demo.seed import CAST, DEMO_PASSWORD
from ejournal.invitations.services import invitation_reissue
from ejournal.schools.models import School, Student
from ejournal.schools.roles import Role


class Command(BaseCommand):
    help = "Print the demo school's address, the demo logins and a few fresh invitation codes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school", default="1399")

    def handle(self, *args: Any, school: str, **options: Any) -> None:
        found = School.objects.filter(number=school).first()
        if found is None:
            raise CommandError(f"No school {school}: run `python manage.py seed_demo` first.")
        address = school_base_url(found)
        out = self.stdout.write
        out("")
        out(self.style.SUCCESS(f"{found.name}: {address}/"))
        out(f"Демо-пользователи (пароль {DEMO_PASSWORD}):")
        for member in CAST:
            out(f"  {member.login:<10} {member.role.label}: {member.last_name} {member.first_name}")
        student = (
            Student.objects.active()
            .filter(
                school=found, user__isnull=True, school_class__grade=6, school_class__letter="А"
            )
            .order_by("last_name", "first_name")
            .first()
        )
        if student is not None:
            out(f"Свежие пригласительные коды: {student.full_name} ({student.school_class.label})")
            for role in (Role.STUDENT, Role.PARENT):
                for issued in invitation_reissue(
                    school=found, role=role, person=student, actor=None
                ):
                    out(f"  {role.label:<8} {issued.code}  {address}/hello?code={issued.code}")
        out("")
