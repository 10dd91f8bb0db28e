"""The printed invitations: a PDF of cards, one per code, and the CSV export."""

import csv
import datetime as dt
import io
from typing import Any

import pypdf
import pytest
import time_machine

from ejournal.core.testing.factories import StudentFactory
from ejournal.invitations.cards import cards_for, invitations_csv
from ejournal.invitations.pdf import CARDS_PER_PAGE, invitations_pdf
from ejournal.invitations.services import invitations_issue
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_a_pdf_has_one_card_per_code_eight_to_a_page(school, six_a, curator):
    StudentFactory.create_batch(9, school_class=six_a)
    issued = invitations_issue(school=school, role=Role.PARENT, actor=curator, school_class=six_a)
    assert len(issued) == 18
    assert CARDS_PER_PAGE == 8

    pages = _pages(invitations_pdf(school=school, issued=issued))

    assert len(pages) == 3
    per_page = [sum(text.count(item.code) for item in issued) for text in pages]
    assert per_page == [8, 8, 2]
    full_text = "".join(pages)
    assert all(full_text.count(item.code) == 1 for item in issued)
    assert [text.count("Приветствуем вас!") for text in pages] == [8, 8, 2]


def test_a_parent_card_says_whom_it_is_for_the_address_and_the_code_as_text(
    school, six_a, pupils, curator
):
    issued = invitations_issue(school=school, role=Role.PARENT, actor=curator, school_class=six_a)
    text = _pages(invitations_pdf(school=school, issued=issued[:1]))[0]

    for expected in (
        "Школа №1399",
        "Родителям (6А)",
        "Ребёнок: Николаев Василий Петрович",
        "Приветствуем вас!",
        "Для начала работы в системе необходимо",
        "Адрес для регистрации:",
        "1399.testserver.local/hello",
        "Пригласительный код:",
        issued[0].code,
    ):
        assert expected in text


def test_student_teacher_and_curator_cards_are_labelled_for_their_reader(
    school, six_a, pupils, teacher, curator
):
    issued = [
        *invitations_issue(school=school, role=Role.STUDENT, actor=curator, school_class=six_a)[:1],
        *invitations_issue(school=school, role=Role.TEACHER, actor=curator),
        *invitations_issue(school=school, role=Role.CURATOR, actor=curator),
    ]
    text = _pages(invitations_pdf(school=school, issued=issued))[0]
    assert "Ученику (6А)" in text
    assert "для: Николаев Василий Петрович" in text
    assert "Учителю" in text
    assert "для: Иванова Мария Петровна" in text
    assert "Куратору" in text


def test_the_card_shows_the_expiry_date_in_the_schools_time_zone(school, six_a, pupils, curator):
    # 22:30 UTC is already 01:30 on the next day in Moscow: 180 days on it is 26 May there.
    with time_machine.travel(dt.datetime(2026, 11, 26, 22, 30, tzinfo=dt.UTC), tick=False):
        issued = invitations_issue(
            school=school, role=Role.STUDENT, actor=curator, school_class=six_a
        )
    text = _pages(invitations_pdf(school=school, issued=issued[:1]))[0]
    assert "Код действителен до 26.05.2027" in text


def test_the_qr_code_carries_the_registration_address_with_the_code(school, six_a, pupils, curator):
    item = invitations_issue(school=school, role=Role.STUDENT, actor=curator, school_class=six_a)[0]
    card = cards_for(school=school, issued=[item])[0]
    assert card.qr_value == f"http://1399.testserver.local/hello?code={item.code}"
    assert card.address == "1399.testserver.local/hello"


def test_every_font_in_the_pdf_is_embedded(school, six_a, pupils, curator):
    issued = invitations_issue(school=school, role=Role.PARENT, actor=curator, school_class=six_a)
    reader = pypdf.PdfReader(io.BytesIO(invitations_pdf(school=school, issued=issued)))

    resources: list[Any] = [page["/Resources"] for page in reader.pages]
    fonts: list[Any] = [font.get_object() for res in resources for font in res["/Font"].values()]

    assert fonts
    for font in fonts:
        assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]
        assert "DejaVu" in font["/BaseFont"]
    assert reader.metadata.title == "Пригласительные коды — Школа №1399"


def test_the_csv_has_the_header_and_a_row_per_code_naming_the_child(school, six_a, pupils, curator):
    with time_machine.travel(dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC), tick=False):
        issued = invitations_issue(
            school=school, role=Role.PARENT, actor=curator, school_class=six_a
        )

    text = invitations_csv(school=school, issued=issued)

    assert text.splitlines()[0] == "code,role,school,class,last_name,first_name,middle_name,expires"
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["code"] for r in rows] == [i.code for i in issued]
    assert rows[0] == {
        "code": issued[0].code,
        "role": "parent",
        "school": "1399",
        "class": "6А",
        "last_name": "Николаев",
        "first_name": "Василий",
        "middle_name": "Петрович",
        "expires": "2027-05-25",
    }


def test_the_csv_keeps_spreadsheets_from_reading_a_name_as_a_formula(school, six_a, curator):
    StudentFactory(school_class=six_a, last_name="=HYPERLINK(1)", first_name="+1", middle_name="")
    issued = invitations_issue(school=school, role=Role.STUDENT, actor=curator, school_class=six_a)
    row = next(csv.DictReader(io.StringIO(invitations_csv(school=school, issued=issued))))
    assert (row["last_name"], row["first_name"]) == ("'=HYPERLINK(1)", "'+1")
