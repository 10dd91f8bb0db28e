"""`manage.py issue_invitations`: CSV on standard output, a PDF to a file, errors in plain words."""

import csv
import io
from pathlib import Path

import pypdf
import pytest
from django.core.management import CommandError, call_command

from ejournal.audit.models import AuditEvent
from ejournal.core.testing.factories import StudentFactory, UserFactory
from ejournal.invitations.models import Invitation
from ejournal.invitations.services import invitation_find_usable, invitations_issue
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db

HEADER = "code,role,school,class,last_name,first_name,middle_name,expires"


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("issue_invitations", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_csv_on_standard_output_by_default_with_one_row_per_code(school, six_a, six_b, pupils):
    StudentFactory(school_class=six_b, last_name="Абрамов")

    out, err = _run("--school", "1399", "--role", "student")

    lines = out.splitlines()
    assert lines[0] == HEADER
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["class"], r["last_name"]) for r in rows] == [
        ("6А", "Николаев"),
        ("6А", "Петрова"),
        ("6Б", "Абрамов"),
    ]
    assert {(r["role"], r["school"]) for r in rows} == {("student", "1399")}
    assert all(invitation_find_usable(school=school, code=r["code"]) for r in rows)
    assert "Issued 3 student code(s) for the whole school of school 1399" in err
    assert Invitation.objects.get(student__last_name="Абрамов").issued_by is None


def test_class_option_limits_the_codes_to_one_class_however_the_label_is_typed(
    school, six_a, six_b, pupils
):
    StudentFactory(school_class=six_b)
    for label in ("6А", "6a", "6 а"):
        out, _ = _run("--school", "1399", "--role", "parent", "--class", label)
        rows = list(csv.DictReader(io.StringIO(out)))
        assert len(rows) == 6
        assert {r["class"] for r in rows} == {"6А"}


def test_teacher_and_curator_codes(school, teacher):
    out, _ = _run("--school", "1399", "--role", "teacher")
    (row,) = csv.DictReader(io.StringIO(out))
    assert (row["role"], row["last_name"], row["class"]) == ("teacher", "Иванова", "")

    out, _ = _run("--school", "1399", "--role", "curator")
    (row,) = csv.DictReader(io.StringIO(out))
    assert (row["role"], row["last_name"]) == ("curator", "")


def test_pdf_goes_to_the_file_named_by_o(school, six_a, pupils, tmp_path):
    target = tmp_path / "6a-parents.pdf"

    out, err = _run(
        "--school",
        "1399",
        "--role",
        "parent",
        "--class",
        "6А",
        "--format",
        "pdf",
        "-o",
        str(target),
    )

    assert out == ""
    assert "Issued 6 parent code(s) for class 6А" in err
    reader = pypdf.PdfReader(target)
    assert len(reader.pages) == 1
    assert reader.pages[0].extract_text().count("Родителям (6А)") == 6


def test_csv_goes_to_the_file_named_by_o(school, six_a, pupils, tmp_path):
    target = tmp_path / "codes.csv"
    out, _ = _run("--school", "1399", "--role", "student", "-o", str(target))
    assert out == ""
    assert target.read_text(encoding="utf-8").splitlines()[0] == HEADER


def test_a_pdf_is_not_written_to_a_text_stream(school, six_a, pupils):
    with pytest.raises(CommandError, match="-o FILE"):
        _run("--school", "1399", "--role", "student", "--format", "pdf")
    assert not Invitation.objects.exists()


def test_earlier_codes_stay_valid_unless_revoke_previous(school, six_a, pupils, curator):
    earlier = invitations_issue(school=school, role=Role.STUDENT, actor=curator, school_class=six_a)

    _run("--school", "1399", "--role", "student", "--class", "6А")
    assert all(invitation_find_usable(school=school, code=i.code) for i in earlier)

    out, err = _run("--school", "1399", "--role", "student", "--class", "6А", "--revoke-previous")
    assert all(invitation_find_usable(school=school, code=i.code) is None for i in earlier)
    latest = [r["code"] for r in csv.DictReader(io.StringIO(out))]
    assert all(invitation_find_usable(school=school, code=code) for code in latest)
    assert Invitation.objects.usable().count() == 2
    assert "earlier unused codes are revoked" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--school", "9999", "--role", "student"], "No school with number '9999'"),
        (["--school", "1399", "--role", "student", "--class", "9Я"], "No class 9Я in school 1399"),
        (["--school", "1399", "--role", "student", "--class", "six"], "Unknown class 'six'"),
        (["--school", "1399", "--role", "teacher", "--class", "6А"], "--class applies to student"),
        (["--school", "1399", "--role", "operator"], "invalid choice: 'operator'"),
        (["--school", "1399", "--role", "student", "--format", "docx"], "invalid choice: 'docx'"),
        (["--role", "student"], "the following arguments are required: --school"),
    ],
)
def test_errors_are_explained_and_issue_nothing(school, six_a, pupils, args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args)
    assert not Invitation.objects.exists()


def test_nothing_to_issue_is_an_error_worded_as_on_the_curators_page(school, six_a):
    StudentFactory(school_class=six_a, user=UserFactory(school=school, role=Role.STUDENT))
    with pytest.raises(
        CommandError, match=r"Выдавать нечего: у всех учеников в классе 6А уже есть аккаунты\."
    ):
        _run("--school", "1399", "--role", "student", "--class", "6А")


def test_if_the_file_cannot_be_written_no_code_is_issued_or_revoked(
    school, six_a, pupils, curator, tmp_path
):
    earlier = invitations_issue(school=school, role=Role.STUDENT, actor=curator, school_class=six_a)
    unwritable = Path(tmp_path) / "missing-folder" / "codes.csv"

    with pytest.raises(CommandError, match="No codes were issued"):
        _run("--school", "1399", "--role", "student", "--revoke-previous", "-o", str(unwritable))

    assert Invitation.objects.count() == 2
    assert all(invitation_find_usable(school=school, code=i.code) for i in earlier)
    assert AuditEvent.objects.count() == 1
