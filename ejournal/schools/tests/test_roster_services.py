"""Checking and applying a roster: every bad row with its line, duplicates, all or nothing."""

import datetime as dt
import unicodedata

import pytest
from django.conf import settings
from django.db import connection

from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.core.testing.factories import SchoolClassFactory, StudentFactory
from ejournal.schools.models import RosterImport, SchoolClass, Student
from ejournal.schools.roster.services import (
    CHUNK_SIZE,
    RosterRejected,
    roster_apply,
    roster_check,
    roster_import_check,
    roster_import_create,
)
from ejournal.schools.roster.testing import (
    born_aged,
    check_rows,
    dmy,
    pupil,
    pupils,
    roster_csv,
    roster_xlsx,
)
from ejournal.schools.selectors import current_year

pytestmark = pytest.mark.django_db


def good_row():
    return ("6А", "Николаев", "Василий", "Петрович", dmy(born_aged(12)), "mama@example.com")


def test_a_good_csv_has_no_errors_and_lists_the_new_classes_and_counts(school):
    SchoolClassFactory(school=school, grade=6, letter="А")
    check = check_rows(school, pupil(0, "6А"), pupil(1, "7б"), pupil(2, "7 Б"), pupil(3, "10-В"))
    assert check.errors == []
    assert check.total == 4
    assert len(check.to_create) == 4
    assert check.new_class_labels == ["7Б", "10В"]
    assert [row.class_label for row in check.rows] == ["6А", "7Б", "7Б", "10В"]


def test_a_row_is_normalized_into_a_student_to_be(school):
    row = ("6a", "  Николаев ", "Василий", "", dmy(born_aged(12)), " Mama@Example.com ")
    check = check_rows(school, row)
    assert check.errors == []
    (normalized,) = check.rows
    assert (normalized.line, normalized.grade, normalized.letter) == (2, 6, "А")
    assert (normalized.last_name, normalized.first_name, normalized.middle_name) == (
        "Николаев",
        "Василий",
        "",
    )
    assert normalized.birth_date == born_aged(12)
    assert normalized.parent_email == "Mama@Example.com"


@pytest.mark.parametrize(
    "written", ["{d:%d.%m.%Y}", "{d:%Y-%m-%d}", "{d:%d/%m/%Y}", "{d:%d.%m.%Y} 0:00:00"]
)
def test_birth_dates_are_read_in_every_accepted_format(school, written):
    birth_date = born_aged(12)
    row = ("6А", "Николаев", "Василий", "Петрович", written.format(d=birth_date), "")
    check = check_rows(school, row)
    assert check.errors == []
    assert check.rows[0].birth_date == birth_date


def test_an_xlsx_with_date_cells_is_checked_like_a_csv(school):
    rows = [
        ("6А", "Николаев", "Василий", "Петрович", dt.datetime.combine(born_aged(12), dt.time()), "")
    ]
    check = roster_check(school=school, filename="list.xlsx", content=roster_xlsx(rows))
    assert check.errors == []
    assert check.rows[0].birth_date == born_aged(12)


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        (0, "", "Не указан класс."),
        (0, "6", "Класс «6» не распознан: ожидается номер и буква, например 6А."),
        (0, "12А", "Класс «12А»: номер класса должен быть от 1 до 11."),
        (1, "", "Не указано поле «Фамилия»."),
        (2, "", "Не указано поле «Имя»."),
        (
            1,
            "Николаев2",
            "«Фамилия»: «Николаев2» — допустимы только буквы, пробел, дефис и апостроф.",
        ),
        (3, "--", "«Отчество»: «--» — нет ни одной буквы."),
        (2, "В" * 101, "«Имя» длиннее 100 символов."),
        (4, "", "Не указана дата рождения."),
        (
            4,
            "31.02.2013",
            "Дата рождения «31.02.2013» не распознана: "
            "нужна дата вида ДД.ММ.ГГГГ, например 14.03.2013.",
        ),
        (
            4,
            "01.09.1990",
            "Дата рождения 01.09.1990 не подходит ученику: возраст должен быть от 5 до 22 лет.",
        ),
        (5, "mama@", "Email родителя «mama@» указан с ошибкой."),
    ],
)
def test_each_bad_row_gets_its_line_and_reason(school, column, value, reason):
    bad = list(good_row())
    bad[column] = value
    check = check_rows(school, pupil(0), bad, pupil(1))
    assert [(error.line, error.message) for error in check.errors] == [(3, reason)]
    assert [row.line for row in check.rows] == [2, 4]


def test_a_pupil_too_young_for_school_is_an_error(school):
    bad = (*good_row()[:4], dmy(born_aged(3)), "")
    check = check_rows(school, bad)
    assert [error.line for error in check.errors] == [2]
    assert "возраст должен быть от 5 до 22 лет" in check.errors[0].message


def test_a_row_with_several_problems_names_them_all_in_one_error(school):
    check = check_rows(school, ("", "", "Василий", "", "вчера", "mama@"))
    assert [(error.line, error.message) for error in check.errors] == [
        (
            2,
            "Не указан класс. Не указано поле «Фамилия». Дата рождения «вчера» не распознана: "
            "нужна дата вида ДД.ММ.ГГГГ, например 14.03.2013. "
            "Email родителя «mama@» указан с ошибкой.",
        )
    ]


def test_a_repeat_of_an_earlier_line_is_an_error_naming_that_line(school):
    first = good_row()
    repeat = ("6Б", first[1].upper(), first[2].lower(), first[3], first[4], "")
    check = check_rows(school, first, pupil(1), repeat)
    assert [(error.line, error.message) for error in check.errors] == [
        (4, f"Повторяет строку 2: НИКОЛАЕВ василий Петрович, {first[4]}.")
    ]


def test_a_student_already_in_the_same_class_is_skipped(school):
    six_a = SchoolClassFactory(school=school, grade=6, letter="А")
    row = good_row()
    StudentFactory(
        school_class=six_a,
        last_name="Николаев",
        first_name="Василий",
        middle_name="Петрович",
        birth_date=born_aged(12),
    )
    check = check_rows(school, row, pupil(1))
    assert check.errors == []
    assert [(skipped.row.line, skipped.reason) for skipped in check.skipped] == [
        (2, "уже есть в классе 6А")
    ]
    assert [row.line for row in check.to_create] == [3]


def test_a_student_already_in_another_class_is_an_error_pointing_to_the_student(school):
    seven_b = SchoolClassFactory(school=school, grade=7, letter="Б")
    student = StudentFactory(
        school_class=seven_b,
        last_name="Николаев",
        first_name="Василий",
        middle_name="Петрович",
        birth_date=born_aged(12),
    )
    check = check_rows(school, good_row())
    assert [(error.line, error.message, error.student_id) for error in check.errors] == [
        (
            2,
            f"Николаев Василий Петрович уже учится в классе 7Б в {current_year(school=school)} "
            "учебном году, а в файле указан класс 6А. "
            "Чтобы перевести ученика в другой класс, откройте его страницу.",
            student.pk,
        )
    ]


def test_archived_students_and_other_schools_students_are_not_duplicates(school, other_school):
    row = good_row()
    person = {
        "last_name": "Николаев",
        "first_name": "Василий",
        "middle_name": "Петрович",
        "birth_date": born_aged(12),
    }
    StudentFactory(
        school_class=SchoolClassFactory(school=other_school, grade=6, letter="А"), **person
    )
    left = StudentFactory(
        school_class=SchoolClassFactory(school=school, grade=6, letter="А"), **person
    )
    left.archived_at = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)
    left.save(update_fields=["archived_at"])
    check = check_rows(school, row)
    assert check.errors == []
    assert len(check.to_create) == 1


def test_a_file_with_any_error_stores_nothing_and_creates_nothing(school, curator):
    rows = [*pupils(99, ["5А", "6Б"]), ("6Б", "Николаев", "", "", dmy(born_aged(12)), "")]
    with pytest.raises(RosterRejected) as rejected:
        roster_import_create(
            school=school, actor=curator, filename="list.csv", content=roster_csv(rows)
        )
    assert [(error.line, error.message) for error in rejected.value.errors] == [
        (101, "Не указано поле «Имя».")
    ]
    assert RosterImport.objects.count() == 0
    assert Student.objects.count() == 0
    assert SchoolClass.objects.count() == 0


def test_an_unreadable_file_is_one_error_without_a_line(school, curator):
    with pytest.raises(RosterRejected) as rejected:
        roster_import_create(school=school, actor=curator, filename="list.csv", content=b"")
    assert [(error.line, str(error)) for error in rejected.value.errors] == [
        (None, "Файл пуст: в нём нет ни одной строки.")
    ]
    assert RosterImport.objects.count() == 0


def test_a_checked_file_is_stored_with_its_normalized_rows_and_nothing_else_changes(
    school, curator
):
    stored = roster_import_create(
        school=school,
        actor=curator,
        filename="list.csv",
        content=roster_csv([good_row(), pupil(1, "7б")]),
    )
    assert (stored.school, stored.created_by, stored.filename, stored.applied_at) == (
        school,
        curator,
        "list.csv",
        None,
    )
    assert stored.rows == [
        {
            "line": 2,
            "grade": 6,
            "letter": "А",
            "last_name": "Николаев",
            "first_name": "Василий",
            "middle_name": "Петрович",
            "birth_date": born_aged(12).isoformat(),
            "parent_email": "mama@example.com",
        },
        {
            "line": 3,
            "grade": 7,
            "letter": "Б",
            "last_name": "Петров",
            "first_name": "Алексей",
            "middle_name": "Петрович",
            "birth_date": born_aged(7, days_earlier=1).isoformat(),
            "parent_email": "",
        },
    ]
    assert Student.objects.count() == 0
    assert SchoolClass.objects.count() == 0


def test_apply_creates_the_classes_of_the_current_year_and_the_students_and_one_audit_event(
    school, curator
):
    six_a = SchoolClassFactory(school=school, grade=6, letter="А")
    StudentFactory(
        school_class=six_a,
        last_name="Петров",
        first_name="Алексей",
        birth_date=born_aged(7, days_earlier=1),
    )
    content = roster_csv([good_row(), pupil(1, "6А"), pupil(2, "7Б"), pupil(3, "7Б")])
    stored = roster_import_create(
        school=school, actor=curator, filename="list.csv", content=content
    )

    summary = roster_apply(roster_import=stored, actor=curator)

    assert (summary.created, summary.skipped, summary.classes_created) == (3, 1, ["7Б"])
    assert (
        summary.describe()
        == "Добавлено учеников: 3. Созданы классы: 7Б. Пропущено (уже есть в школе): 1."
    )
    seven_b = SchoolClass.objects.get(school=school, grade=7, letter="Б")
    assert seven_b.year == current_year(school=school)
    nikolaev = Student.objects.get(school=school, last_name="Николаев")
    assert (
        nikolaev.school_class,
        nikolaev.first_name,
        nikolaev.middle_name,
        nikolaev.birth_date,
    ) == (
        six_a,
        "Василий",
        "Петрович",
        born_aged(12),
    )
    assert nikolaev.parent_email == "mama@example.com"
    assert Student.objects.filter(school_class=seven_b).count() == 2
    assert Student.objects.filter(school=school).count() == 4
    stored.refresh_from_db()
    assert stored.applied_at is not None
    event = AuditEvent.objects.get(action=AuditAction.ROSTER_IMPORTED)
    assert (event.school, event.actor, event.target_type, event.target_id) == (
        school,
        curator,
        "rosterimport",
        stored.pk,
    )
    assert event.after == {
        "filename": "list.csv",
        "created": 3,
        "moved": 0,
        "skipped": 1,
        "classes_created": ["7Б"],
    }


def test_a_roster_is_applied_only_once(school, curator):
    stored = roster_import_create(
        school=school, actor=curator, filename="list.csv", content=roster_csv(pupils(3))
    )
    roster_apply(roster_import=stored, actor=curator)
    with pytest.raises(RosterRejected, match="Этот список уже загружен"):
        roster_apply(roster_import=RosterImport.objects.get(pk=stored.pk), actor=curator)
    assert Student.objects.count() == 3
    assert AuditEvent.objects.filter(action=AuditAction.ROSTER_IMPORTED).count() == 1


def test_apply_checks_again_and_refuses_a_roster_that_now_collides_with_the_school(school, curator):
    stored = roster_import_create(
        school=school,
        actor=curator,
        filename="list.csv",
        content=roster_csv([good_row(), *pupils(3, ["8В"])]),
    )
    # After the preview, someone adds the same pupil to another class by hand.
    StudentFactory(
        school_class=SchoolClassFactory(school=school, grade=9, letter="А"),
        last_name="Николаев",
        first_name="Василий",
        middle_name="Петрович",
        birth_date=born_aged(12),
    )
    assert [error.line for error in roster_import_check(roster_import=stored).errors] == [2]

    with pytest.raises(RosterRejected) as rejected:
        roster_apply(roster_import=stored, actor=curator)

    assert [error.line for error in rejected.value.errors] == [2]
    assert Student.objects.count() == 1
    assert set(SchoolClass.objects.values_list("grade", "letter")) == {(9, "А")}
    stored.refresh_from_db()
    assert stored.applied_at is None


def test_a_database_failure_in_the_middle_of_apply_leaves_nothing(school, curator):
    rows = pupils(CHUNK_SIZE + 100, ["1А", "2А"])
    stored = roster_import_create(
        school=school, actor=curator, filename="list.csv", content=roster_csv(rows)
    )
    late = stored.rows[-1]
    done = []

    def progress(created: int, total: int) -> None:
        # Between two chunks, the last pupil appears in the school: the next insert violates
        # the database's one-active-record-per-person constraint.
        done.append(created)
        if len(done) == 1:
            StudentFactory(
                school_class=SchoolClass.objects.get(school=school, grade=1, letter="А"),
                last_name=late["last_name"],
                first_name=late["first_name"],
                middle_name=late["middle_name"],
                birth_date=dt.date.fromisoformat(late["birth_date"]),
            )

    with pytest.raises(RosterRejected, match="Пока шла загрузка, данные школы изменились"):
        roster_apply(roster_import=stored, actor=curator, progress=progress)

    assert done == [CHUNK_SIZE]
    assert Student.objects.count() == 0
    assert SchoolClass.objects.count() == 0
    assert AuditEvent.objects.count() == 0
    stored.refresh_from_db()
    assert stored.applied_at is None


def test_a_5000_row_file_is_imported_completely_with_progress(school, curator):
    labels = [f"{grade}{letter}" for grade in range(1, 11) for letter in "АБ"]
    content = roster_csv(pupils(5000, labels), bom=True)
    stored = roster_import_create(school=school, actor=curator, filename="big.csv", content=content)
    calls = []

    summary = roster_apply(
        roster_import=stored,
        actor=curator,
        progress=lambda done, total: calls.append((done, total)),
    )

    assert (summary.created, summary.skipped, len(summary.classes_created)) == (5000, 0, 20)
    assert Student.objects.filter(school=school).count() == 5000
    assert SchoolClass.objects.filter(school=school).count() == 20
    assert calls == [(done, 5000) for done in range(CHUNK_SIZE, 5001, CHUNK_SIZE)]


# Per chunk of students: one INSERT on PostgreSQL; SQLite splits a chunk by its 999-parameter
# limit (11 columns → 90 rows a statement, 6 statements for 500 rows).
INSERTS_PER_CHUNK = {"postgresql": 1, "sqlite": 6}


def test_apply_runs_a_fixed_number_of_queries_for_a_5000_row_file(
    school, curator, django_assert_num_queries
):
    labels = [f"{grade}{letter}" for grade in range(1, 11) for letter in "АБ"]
    for label in labels:
        SchoolClassFactory(school=school, grade=int(label[:-1]), letter=label[-1])
    content = roster_csv(pupils(5000, labels))
    stored = roster_import_create(school=school, actor=curator, filename="big.csv", content=content)
    stored = RosterImport.objects.select_related("school").get(pk=stored.pk)
    chunks = 5000 // CHUNK_SIZE
    # savepoint, lock the import, the year, its classes, the school's students,
    # the inserts, mark it applied, the audit event, release.
    expected = 8 + chunks * INSERTS_PER_CHUNK[connection.vendor]

    with django_assert_num_queries(expected):
        roster_apply(roster_import=stored, actor=curator)

    assert Student.objects.filter(school=school).count() == 5000


def test_the_sample_file_offered_on_the_page_imports_cleanly(school):
    content = (
        settings.BASE_DIR / "ejournal" / "static" / "samples" / "roster-sample.csv"
    ).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    check = roster_check(school=school, filename="roster-sample.csv", content=content)
    assert check.errors == []
    assert check.total == 5
    assert check.new_class_labels == ["1А", "5Б", "9В"]


def test_names_written_in_nfd_are_accepted_and_stored_in_nfc(school):
    row = ("6А", unicodedata.normalize("NFD", "Соловьёв"), "Йорик", "", good_row()[4], "")
    row = (row[0], row[1], unicodedata.normalize("NFD", row[2]), *row[3:])

    check = check_rows(school, row)

    assert check.errors == []
    assert (check.rows[0].last_name, check.rows[0].first_name) == ("Соловьёв", "Йорик")
