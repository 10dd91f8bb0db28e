from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from ejournal.invitations.cards import cards_for, invitations_csv
from ejournal.invitations.pdf import invitations_pdf
from ejournal.invitations.services import (
    ISSUABLE_ROLES,
    invitations_issue,
    nothing_to_issue_message,
)
from ejournal.schools.labels import parse_class_label
from ejournal.schools.models import School, SchoolClass
from ejournal.schools.roles import Role
from ejournal.schools.selectors import current_year


class Command(BaseCommand):
    help = (
        "Issue invitation codes and print them: CSV on standard output by default "
        "(code,role,school,class,last_name,first_name,middle_name,expires), or a PDF of cards "
        "with --format pdf -o FILE. Earlier unused codes stay valid unless --revoke-previous."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school", required=True, help="The school's number: 1399, gym5")
        parser.add_argument("--role", required=True, choices=[r.value for r in ISSUABLE_ROLES])
        parser.add_argument(
            "--class",
            dest="class_label",
            metavar="CLASS",
            default=None,
            help="A class of this school year, like 6А (student and parent codes; default: all)",
        )
        parser.add_argument("--format", dest="fmt", choices=["csv", "pdf"], default="csv")
        parser.add_argument(
            "-o", "--output", default=None, help="Write to this file instead of standard output"
        )
        parser.add_argument(
            "--revoke-previous",
            action="store_true",
            help="Revoke the unused codes of this role issued earlier to the same people",
        )

    def handle(
        self,
        *args: Any,
        school: str,
        role: str,
        class_label: str | None,
        fmt: str,
        output: str | None,
        revoke_previous: bool,
        **options: Any,
    ) -> None:
        found = School.objects.filter(number=school.strip().lower()).first()
        if found is None:
            raise CommandError(f"No school with number {school!r}.")
        issue_role = Role(role)
        school_class = self._school_class(found, issue_role, class_label) if class_label else None
        binary_out = None
        if fmt == "pdf" and output is None:
            binary_out = getattr(self.stdout._out, "buffer", None)
            if binary_out is None or self.stdout.isatty():
                raise CommandError("A PDF is binary: write it to a file with -o FILE.")

        try:
            with transaction.atomic():
                issued = invitations_issue(
                    school=found,
                    role=issue_role,
                    actor=None,
                    school_class=school_class,
                    revoke_previous=revoke_previous,
                )
                if not issued:
                    raise CommandError(nothing_to_issue_message(issue_role, school_class))
                # Written inside the transaction: codes that never reach the file are not issued.
                if fmt == "pdf":
                    payload = invitations_pdf(school=found, issued=issued)
                    if output is not None:
                        Path(output).write_bytes(payload)
                    else:
                        assert binary_out is not None  # noqa: S101 — checked above
                        self.stdout.flush()
                        binary_out.write(payload)
                        binary_out.flush()
                else:
                    text = invitations_csv(school=found, issued=issued)
                    if output is not None:
                        Path(output).write_text(text, encoding="utf-8")
                    else:
                        self.stdout.write(text, ending="")
        except OSError as error:
            raise CommandError(
                f"Could not write {output}: {error.strerror}. No codes were issued."
            ) from error

        where = f"class {school_class.label}" if school_class else "the whole school"
        expires = cards_for(school=found, issued=issued[:1])[0].expires
        summary = (
            f"Issued {len(issued)} {issue_role.value} code(s) for {where} of school {found.number}"
        )
        summary += f", valid until {expires.isoformat()}"
        if revoke_previous:
            summary += "; the same people's earlier unused codes are revoked"
        self.stderr.write(summary + ".", style_func=self.style.SUCCESS)

    @staticmethod
    def _school_class(school: School, role: Role, label: str) -> SchoolClass:
        if role not in (Role.STUDENT, Role.PARENT):
            raise CommandError("--class applies to student and parent codes only.")
        try:
            grade, letter = parse_class_label(label)
        except ValidationError as error:
            raise CommandError(
                f"Unknown class {label!r}: expected a grade and a letter, like 6А."
            ) from error
        school_class = SchoolClass.objects.filter(
            school=school, year=current_year(school=school), grade=grade, letter=letter
        ).first()
        if school_class is None:
            raise CommandError(
                f"No class {grade}{letter} in school {school.number} this school year."
            )
        return school_class
