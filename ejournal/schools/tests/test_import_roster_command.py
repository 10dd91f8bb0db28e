"""python manage.py import_roster --school NUMBER FILE: progress, a summary, errors per line."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.core.testing.factories import SchoolFactory
from ejournal.schools.models import RosterImport, SchoolClass, Student
from ejournal.schools.roster.services import CHUNK_SIZE
from ejournal.schools.roster.testing import born_aged, dmy, pupils, roster_csv, roster_xlsx

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_roster", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_good_file_is_imported_with_progress_and_a_summary(school, tmp_path):
    path = tmp_path / "Список 2025.csv"
    path.write_bytes(roster_csv(pupils(CHUNK_SIZE + 200, ["5А", "6Б"]), encoding="cp1251"))

    out, err = run("--school", "1399", str(path))

    assert err == ""
    assert out.splitlines() == [
        "Проверяем Список 2025.csv…",
        f"Ошибок нет, строк с учениками: {CHUNK_SIZE + 200}.",
        f"Добавлено {CHUNK_SIZE} из {CHUNK_SIZE + 200}",
        f"Добавлено {CHUNK_SIZE + 200} из {CHUNK_SIZE + 200}",
        f"Готово. Добавлено учеников: {CHUNK_SIZE + 200}. Созданы классы: 5А, 6Б.",
    ]
    assert Student.objects.filter(school=school).count() == CHUNK_SIZE + 200
    stored = RosterImport.objects.get()
    assert (stored.created_by, stored.filename, stored.applied_at is not None) == (
        None,
        "Список 2025.csv",
        True,
    )
    event = AuditEvent.objects.get(action=AuditAction.ROSTER_IMPORTED)
    assert event.actor is None


def test_an_xlsx_file_goes_to_the_school_named_in_any_case_and_no_other(school, tmp_path):
    gym5 = SchoolFactory(number="gym5")
    path = tmp_path / "list.xlsx"
    path.write_bytes(roster_xlsx(pupils(3)))
    out, _ = run("--school", "GYM5", str(path))
    assert out.splitlines()[-1] == "Готово. Добавлено учеников: 3. Созданы классы: 6А."
    assert Student.objects.filter(school=gym5).count() == 3
    assert Student.objects.filter(school=school).count() == 0


def test_a_file_with_errors_prints_each_line_to_stderr_exits_non_zero_and_writes_nothing(
    school, tmp_path
):
    rows = [
        *pupils(3),
        ("6А", "", "Иван", "", dmy(born_aged(12)), ""),
        ("6А", "Орлов", "Глеб", "", "сегодня", ""),
    ]
    path = tmp_path / "list.csv"
    path.write_bytes(roster_csv(rows))
    err = StringIO()

    with pytest.raises(CommandError) as failure:
        call_command("import_roster", "--school", "1399", str(path), stdout=StringIO(), stderr=err)

    assert failure.value.returncode == 1
    assert (
        str(failure.value)
        == "Ошибок: 2. Ничего не загружено: исправьте файл и запустите команду снова."
    )
    assert err.getvalue().splitlines() == [
        "Строка 5: Не указано поле «Фамилия».",
        "Строка 6: Дата рождения «сегодня» не распознана: "
        "нужна дата вида ДД.ММ.ГГГГ, например 14.03.2013.",
    ]
    assert Student.objects.count() == 0
    assert SchoolClass.objects.count() == 0
    assert RosterImport.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_an_unreadable_file_is_one_message_and_a_non_zero_exit(school, tmp_path):
    path = tmp_path / "list.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32)
    err = StringIO()
    with pytest.raises(CommandError, match=r"Ошибок: 1\. Ничего не загружено"):
        call_command("import_roster", "--school", "1399", str(path), stdout=StringIO(), stderr=err)
    assert "в старом формате Excel (.xls)" in err.getvalue()
    assert RosterImport.objects.count() == 0


def test_an_unknown_school_or_a_missing_file_is_a_clear_error(school, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(roster_csv(pupils(1)))
    with pytest.raises(CommandError, match=r"Школа «9999» не найдена\."):
        run("--school", "9999", str(path))
    with pytest.raises(CommandError, match=r"Не удалось открыть файл .*missing\.csv"):
        run("--school", "1399", str(tmp_path / "missing.csv"))
    assert Student.objects.count() == 0


def test_the_school_option_is_required(school, tmp_path):
    with pytest.raises(CommandError, match="the following arguments are required: --school"):
        run(str(tmp_path / "list.csv"))
