"""The September roster: last year's pupils move into this year's classes; a pupil in a class
of this or a later year is a conflict whose message names the years."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.core.testing.factories import SchoolClassFactory, StudentFactory
from ejournal.schools.models import SchoolClass, Student
from ejournal.schools.roster import services as roster_services
from ejournal.schools.roster.services import (
    RosterRejected,
    roster_apply,
    roster_import_create,
)
from ejournal.schools.roster.testing import born_aged, check_rows, dmy, pupil, roster_csv
from ejournal.schools.selectors import current_year
from ejournal.schools.services import academic_year_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_year(school):
    """Last school year, with 6А and its pupil Орлов Глеб still in it (active)."""
    year = academic_year_create(
        school=school, start_year=current_year(school=school).starts_on.year - 1
    )
    six_a = SchoolClassFactory(school=school, year=year, grade=6, letter="А")
    orlov = StudentFactory(
        school_class=six_a,
        last_name="Орлов",
        first_name="Глеб",
        middle_name="",
        birth_date=born_aged(12),
    )
    return {"year": year, "6А": six_a, "orlov": orlov}


def orlov_row(class_label):
    return (class_label, "Орлов", "Глеб", "", dmy(born_aged(12)), "")


@pytest.mark.parametrize("class_label", ["7А", "6А"])
def test_a_pupil_still_in_last_years_class_is_to_be_moved_not_an_error(
    school, last_year, class_label
):
    check = check_rows(school, orlov_row(class_label), pupil(1, class_label))

    assert check.errors == []
    assert [(m.row.line, m.student_id, m.from_label, m.from_year) for m in check.to_move] == [
        (2, last_year["orlov"].pk, "6А", str(last_year["year"]))
    ]
    assert [row.line for row in check.to_create] == [3]
    assert check.new_class_labels == [class_label]  # this year's, though last year had a 6А
    assert check.changes == 2


def test_apply_moves_last_years_pupils_into_the_new_classes_and_audits_the_count(
    school, curator, last_year
):
    stored = roster_import_create(
        school=school,
        actor=curator,
        filename="september.csv",
        content=roster_csv([orlov_row("7А"), pupil(1, "7А")]),
    )

    summary = roster_apply(roster_import=stored, actor=curator)

    seven_a = SchoolClass.objects.get(school=school, year=current_year(school=school), grade=7)
    orlov = Student.objects.get(pk=last_year["orlov"].pk)
    assert orlov.school_class == seven_a
    assert orlov.updated_at > last_year["orlov"].updated_at
    assert Student.objects.filter(school=school).count() == 2
    assert (summary.created, summary.moved) == (1, 1)
    assert summary.describe() == (
        "Добавлено учеников: 1. Переведено в новый учебный год: 1. Созданы классы: 7А."
    )
    event = AuditEvent.objects.get(action=AuditAction.ROSTER_IMPORTED)
    assert (event.after["created"], event.after["moved"]) == (1, 1)


def test_a_pupil_moved_while_apply_runs_makes_it_refuse_everything(
    school, curator, last_year, monkeypatch
):
    stored = roster_import_create(
        school=school,
        actor=curator,
        filename="september.csv",
        content=roster_csv([orlov_row("7А"), pupil(1, "7А")]),
    )
    six_b = SchoolClassFactory(school=school, year=last_year["year"], grade=6, letter="Б")
    real_check = roster_services.check_against_school

    def check_then_someone_moves_the_pupil(**kwargs):
        check = real_check(**kwargs)
        Student.objects.filter(pk=last_year["orlov"].pk).update(school_class=six_b)
        return check

    monkeypatch.setattr(roster_services, "check_against_school", check_then_someone_moves_the_pupil)

    with pytest.raises(RosterRejected, match="Пока шла загрузка, данные школы изменились"):
        roster_apply(roster_import=stored, actor=curator)

    assert Student.objects.filter(school=school).count() == 1
    assert not SchoolClass.objects.filter(school=school, grade=7).exists()
    stored.refresh_from_db()
    assert stored.applied_at is None


def test_a_pupil_already_in_a_class_of_a_later_year_is_an_error_naming_both_years(school, curator):
    this_year = current_year(school=school)
    next_year = academic_year_create(school=school, start_year=this_year.starts_on.year + 1)
    StudentFactory(
        school_class=SchoolClassFactory(school=school, year=next_year, grade=8, letter="Б"),
        last_name="Орлов",
        first_name="Глеб",
        middle_name="",
        birth_date=born_aged(12),
    )

    check = check_rows(school, orlov_row("7А"))

    assert [error.message for error in check.errors] == [
        f"Орлов Глеб уже учится в классе 8Б в {next_year} учебном году, а в файле указан "
        f"класс 7А (список — на {this_year} учебный год). "
        "Чтобы перевести ученика в другой класс, откройте его страницу."
    ]


# The pages


def test_the_preview_lists_the_pupils_moving_into_the_new_year_and_apply_moves_them(
    school, curator, curator_client, last_year
):
    stored = roster_import_create(
        school=school,
        actor=curator,
        filename="september.csv",
        content=roster_csv([orlov_row("7А")]),
    )
    url = reverse("schools:roster_preview", kwargs={"import_id": stored.pk})

    page = curator_client.get(url).content.decode()

    assert 'Будут переведены в новый учебный год: <strong data-count="to-move">1</strong>' in page
    assert "<h2>Будут переведены в новый учебный год</h2>" in page
    assert f"6А, {last_year['year']}" in page
    assert "Загрузить учеников: 1" in page

    applied = curator_client.post(url, follow=True).content.decode()
    assert "Переведено в новый учебный год: 1." in applied
    assert Student.objects.get(pk=last_year["orlov"].pk).school_class.label == "7А"


def test_a_failed_apply_says_once_that_nothing_changed(
    school, curator, curator_client, monkeypatch
):
    stored = roster_import_create(
        school=school, actor=curator, filename="list.csv", content=roster_csv([pupil(0, "7А")])
    )
    real_check = roster_services.check_against_school

    def check_then_someone_adds_the_class(**kwargs):
        check = real_check(**kwargs)
        SchoolClassFactory(school=school, grade=7, letter="А")
        return check

    monkeypatch.setattr(roster_services, "check_against_school", check_then_someone_adds_the_class)

    response = curator_client.post(reverse("schools:roster_preview", args=[stored.pk]))

    year = current_year(school=school)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Список не загружен, ничего не изменилось. Класс 7А в {year} учебном году уже есть."
    ]
    assert not Student.objects.exists()
