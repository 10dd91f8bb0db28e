"""What an invitation says on paper and in the CSV export, whatever the format."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils import timezone

from ejournal.core.spreadsheets import CellValue, csv_text
from ejournal.core.tenancy import school_base_url
from ejournal.schools.models import School
from ejournal.schools.roles import Role

from .services import IssuedInvitation

CSV_HEADER = [
    "code",
    "role",
    "school",
    "class",
    "last_name",
    "first_name",
    "middle_name",
    "expires",
]
# The dative of the top right corner of the card: "Ученику (6А)", "Родителям (6А)".
ADDRESSEES = {
    Role.STUDENT: "Ученику",
    Role.PARENT: "Родителям",
    Role.TEACHER: "Учителю",
    Role.CURATOR: "Куратору",
}


@dataclass(frozen=True)
class Card:
    code: str
    role: str
    school_name: str
    class_label: str
    last_name: str
    first_name: str
    middle_name: str
    address: str  # "1399.ejgur.ru/hello", as printed: without the scheme
    qr_value: str  # "https://1399.ejgur.ru/hello?code=...", which pre-fills the form
    expires: dt.date

    @property
    def addressee(self) -> str:
        base = ADDRESSEES[Role(self.role)]
        return f"{base} ({self.class_label})" if self.class_label else base

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def person_line(self) -> str:
        """Whose card it is, so that the class teacher hands it to the right family."""
        if not self.full_name:
            return ""
        if self.role == Role.PARENT:
            return f"Ребёнок: {self.full_name}"
        return f"для: {self.full_name}"


def cards_for(*, school: School, issued: list[IssuedInvitation]) -> list[Card]:
    """The printable content of each issued code, in order. No queries: the people were
    attached to the invitations when they were issued."""
    base_url = school_base_url(school)
    address = base_url.split("://", 1)[-1] + "/hello"
    school_zone = zoneinfo.ZoneInfo(school.timezone)
    cards = []
    for item in issued:
        invitation = item.invitation
        person = invitation.student or invitation.teacher
        cards.append(
            Card(
                code=item.code,
                role=invitation.role,
                school_name=school.name,
                class_label=invitation.class_label,
                last_name=person.last_name if person else "",
                first_name=person.first_name if person else "",
                middle_name=person.middle_name if person else "",
                address=address,
                qr_value=f"{base_url}/hello?{urlencode({'code': item.code})}",
                expires=timezone.localtime(invitation.expires_at, school_zone).date(),
            )
        )
    return cards


def invitations_csv(*, school: School, issued: list[IssuedInvitation]) -> str:
    """`code,role,school,class,last_name,first_name,middle_name,expires`, one row per code.

    Parent rows name the child; `school` is the school's number, `expires` an ISO date. Every
    cell goes through `csv_text`, so a name can't be taken for a formula.
    """
    rows: list[list[CellValue]] = [
        [
            card.code,
            card.role,
            school.number,
            card.class_label,
            card.last_name,
            card.first_name,
            card.middle_name,
            card.expires,
        ]
        for card in cards_for(school=school, issued=issued)
    ]
    return csv_text([CSV_HEADER, *rows])
