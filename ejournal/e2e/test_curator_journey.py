"""The curator's morning, in a real browser: log in, import a class, print parent invitations."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from ejournal.core.testing.factories import SchoolFactory, UserFactory
from ejournal.invitations.models import Invitation
from ejournal.schools.models import Student
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def _roster_xlsx(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Класс", "Фамилия", "Имя", "Отчество", "Дата рождения", "Email родителя"])
    sheet.append(["7В", "Орлов", "Пётр", "Ильич", dt.date(2013, 2, 1), "orlova@example.com"])
    sheet.append(["7В", "Зайцева", "Мария", "Олеговна", dt.date(2013, 5, 17), ""])
    sheet.append(["7В", "Белов", "Артём", "Сергеевич", dt.date(2012, 11, 30), ""])
    book.save(path)


def _log_in(page: Page, school_url: str, login: str) -> None:
    page.goto(school_url + "/")
    expect(page.get_by_role("heading", name="Вход в журнал")).to_be_visible()
    page.get_by_label("Логин").fill(login)
    page.get_by_label("Пароль").fill("Zhurnal2026")
    page.get_by_role("button", name="Войти").click()


def test_curator_imports_a_class_from_xlsx_and_downloads_parent_invitations(
    page: Page, school_url: str, tmp_path: Path
) -> None:
    school = SchoolFactory(number="1399", name="Школа №1399")
    UserFactory(school=school, role=Role.CURATOR, login="kurator")
    roster = tmp_path / "7v.xlsx"
    _roster_xlsx(roster)

    _log_in(page, school_url, "kurator")
    expect(page.get_by_role("heading", name="Классы")).to_be_visible()

    page.get_by_role("link", name="Загрузка списков").click()
    page.get_by_label("Файл со списком учеников").set_input_files(roster)
    page.get_by_role("button", name="Проверить файл").click()
    expect(page.get_by_text("Будут созданы классы")).to_be_visible()
    page.get_by_role("button", name="Загрузить учеников: 3").click()
    expect(page.get_by_text("Добавлено учеников: 3")).to_be_visible()
    assert Student.objects.filter(school=school, school_class__grade=7).count() == 3

    page.get_by_role("link", name="Пригласительные коды").click()
    page.get_by_label("Кому").select_option("parent")
    page.get_by_label("Класс").select_option(label="7В")
    with page.expect_download() as download:
        page.get_by_role("button", name="Выдать и скачать").click()
    pdf_bytes = Path(download.value.path()).read_bytes()

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes)).pages)
    assert text.count("Родителям (7В)") == 6
    assert school_url.removeprefix("http://") + "/hello" in text
    assert Invitation.objects.filter(school=school, role=Role.PARENT).count() == 6


def test_a_bad_roster_is_refused_in_place_with_reasons_and_imports_nothing(
    page: Page, school_url: str, tmp_path: Path
) -> None:
    school = SchoolFactory(number="1399", name="Школа №1399")
    UserFactory(school=school, role=Role.CURATOR, login="kurator")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Класс;Фамилия;Имя;Отчество;Дата рождения\n"
        "7В;Орлов;Пётр;;31.02.2013\n"
        "15Я;;Мария;;01.01.2013\n"
    )

    _log_in(page, school_url, "kurator")
    page.goto(school_url + "/curator/import/")
    page.get_by_label("Файл со списком учеников").set_input_files(bad)
    page.get_by_role("button", name="Проверить файл").click()
    rows = page.locator("table", has_text="Ошибка").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("td").first).to_have_text("2")
    expect(rows.nth(0)).to_contain_text("Дата рождения «31.02.2013» не распознана")
    expect(rows.nth(1).locator("td").first).to_have_text("3")
    expect(rows.nth(1)).to_contain_text("номер класса должен быть от 1 до 11")
    expect(rows.nth(1)).to_contain_text("Фамилия")
    assert Student.objects.filter(school=school).count() == 0
