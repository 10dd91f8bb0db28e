"""The curator's invitations page: issue and download, counts, reissue; nobody else gets in."""

import csv
import datetime as dt
import io

import pypdf
import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertTemplateUsed

from ejournal.core.testing.factories import (
    SchoolClassFactory,
    StudentFactory,
    TeacherFactory,
    UserFactory,
)
from ejournal.core.testing.spreadsheets import libreoffice_rows
from ejournal.invitations.models import Invitation
from ejournal.invitations.services import invitation_find_usable, invitations_issue
from ejournal.schools.roles import Role

pytestmark = pytest.mark.django_db

ISSUE_URL = reverse("invitations:issue")
TODAY = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


CONFIRMED = {"confirmed": "yes"}


def _reissue_url(role, person):
    return reverse("invitations:reissue", args=[role, person.pk])


def _codes_in(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_the_page_shows_the_form_and_the_counts_per_class(
    curator_client, school, six_a, six_b, pupils, curator
):
    invitations_issue(school=school, role=Role.PARENT, actor=curator, school_class=six_a)
    redeemed = invitations_issue(
        school=school, role=Role.STUDENT, actor=curator, school_class=six_a
    )[0]
    redeemed.invitation.redeemed_at = redeemed.invitation.created_at
    redeemed.invitation.save(update_fields=["redeemed_at"])

    response = curator_client.get(ISSUE_URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1>") == 1
    assert "Пригласительные коды" in content
    for text in (
        "Ученики",
        "Родители",
        "Учителя",
        "Куратор",
        "— выберите класс —",
        "действует 180 дней",
        "Отозвать ранее выданные",
    ):
        assert text in content
    rows = {row.school_class.label: row for row in response.context["overview"].classes}
    a = rows["6А"]
    assert (a.students, a.students_without_account) == (3, 2)
    assert (a.student_codes.usable, a.student_codes.redeemed) == (1, 1)
    assert (a.parent_codes.usable, a.parent_codes.redeemed) == (6, 0)
    assert rows["6Б"].parent_codes.usable == 0
    cells = "".join(content.split())
    assert "<td>6А</td><td>3</td><td>2</td><td>1</td><td>1</td><td>6</td><td>0</td>" in cells


def test_the_page_makes_the_same_number_of_queries_whatever_the_data(
    curator_client, school, curator, django_assert_num_queries
):
    grades = iter(range(1, 12))

    def classes_with_codes(count):
        for _ in range(count):
            school_class = SchoolClassFactory(school=school, grade=next(grades), letter="А")
            StudentFactory.create_batch(2, school_class=school_class)
            invitations_issue(
                school=school, role=Role.PARENT, actor=curator, school_class=school_class
            )

    curator_client.get("/healthz")  # the host's school and the curator kept from now on
    classes_with_codes(1)
    with django_assert_num_queries(7):
        assert curator_client.get(ISSUE_URL).status_code == 200
    classes_with_codes(3)
    with django_assert_num_queries(6):
        assert curator_client.get(ISSUE_URL).status_code == 200


def test_the_curator_downloads_a_classs_parent_codes_as_a_pdf(
    curator_client, school, six_a, pupils
):
    with time_machine.travel(TODAY, tick=False):
        response = curator_client.post(
            ISSUE_URL, {"role": "parent", "school_class": six_a.pk, "format": "pdf"}
        )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''invitations-6%D0%90-parent-2026-11-26.pdf"
    )
    assert "no-store" in response["Cache-Control"]
    text = _codes_in(response.content)
    assert text.count("Родителям (6А)") == 6
    invitations = Invitation.objects.filter(school=school, role=Role.PARENT)
    assert invitations.count() == 6
    assert {i.issued_by.login for i in invitations} == {"kurator"}


def test_the_curator_downloads_student_codes_as_a_csv_whose_codes_work(
    curator_client, school, six_a, pupils
):
    response = curator_client.post(
        ISSUE_URL, {"role": "student", "school_class": six_a.pk, "format": "csv"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "invitations-6%D0%90-student-" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "code,role,school,class,last_name,first_name,middle_name,expires"
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["last_name"] for r in rows] == ["Николаев", "Петрова"]
    assert all(invitation_find_usable(school=school, code=r["code"]) for r in rows)


def test_names_that_look_like_formulas_stay_text_in_the_csv(
    curator_client, school, six_a, tmp_path
):
    """Each name a spreadsheet would run as a formula has an apostrophe in front; LibreOffice,
    evaluating formulas as it opens the file, shows the names as text, not a result."""
    names = ['=HYPERLINK("http://x","y")', "+1", "@SUM(A1)", "-2+3"]
    for name in names:
        StudentFactory(school_class=six_a, last_name=name, first_name="Ян", middle_name="")

    response = curator_client.post(
        ISSUE_URL, {"role": "student", "school_class": six_a.pk, "format": "csv"}
    )

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(r["last_name"] for r in rows) == sorted("'" + name for name in names)
    assert {r["first_name"] for r in rows} == {"Ян"}
    shown = libreoffice_rows(response.content, tmp_path, name="codes.csv")
    assert sorted(row[4] for row in shown[1:]) == sorted("'" + name for name in names)


def test_teacher_codes_ignore_the_class_and_revoke_previous_replaces_old_codes(
    curator_client, school, six_a, teacher, curator
):
    old = invitations_issue(school=school, role=Role.TEACHER, actor=curator)[0]
    response = curator_client.post(
        ISSUE_URL,
        {"role": "teacher", "school_class": six_a.pk, "format": "csv", "revoke_previous": "on"},
    )
    assert response.status_code == 200
    assert "invitations-teacher-" in response["Content-Disposition"]
    assert invitation_find_usable(school=school, code=old.code) is None
    (row,) = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    new_code = row["code"]
    assert invitation_find_usable(school=school, code=new_code).teacher == teacher


def test_when_nobody_needs_a_code_the_page_says_so(curator_client, school, six_a):
    StudentFactory(school_class=six_a, user=UserFactory(school=school, role=Role.STUDENT))
    response = curator_client.post(
        ISSUE_URL, {"role": "student", "school_class": six_a.pk, "format": "pdf"}
    )
    assert response.status_code == 200
    assert "у всех учеников в классе 6А уже есть аккаунты" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_class_of_another_school_is_not_a_valid_choice(curator_client, other_school, pupils):
    foreign = SchoolClassFactory(school=other_school)
    response = curator_client.post(
        ISSUE_URL, {"role": "student", "school_class": foreign.pk, "format": "pdf"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["school_class"]
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", [Role.TEACHER, Role.STUDENT, Role.PARENT])
def test_other_roles_get_404(client_for, school, six_a, pupils, role):
    client = client_for(school, UserFactory(school=school, role=role))
    assert client.get(ISSUE_URL).status_code == 404
    assert client.post(ISSUE_URL, {"role": "student", "format": "csv"}).status_code == 404
    assert client.post(_reissue_url("student", pupils[0])).status_code == 404
    assert not Invitation.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client_for, school, pupils):
    client = client_for(school)
    for response in (
        client.get(ISSUE_URL),
        client.post(ISSUE_URL, {"role": "student", "format": "csv"}),
        client.post(_reissue_url("student", pupils[0])),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert not Invitation.objects.exists()


def test_another_schools_curator_gets_nothing_here(client_for, school, other_curator, pupils):
    client = client_for(school)
    client.force_login(other_curator)
    response = client.post(ISSUE_URL, {"role": "curator", "format": "csv"})
    assert response.status_code == 302  # their session is not valid at this school's address
    assert not Invitation.objects.exists()


def test_posting_without_the_csrf_token_is_refused(school, curator, pupils):
    client = Client(HTTP_HOST="1399.testserver.local", enforce_csrf_checks=True)
    client.force_login(curator)
    assert client.post(ISSUE_URL, {"role": "curator", "format": "csv"}).status_code == 403
    assert client.post(_reissue_url("student", pupils[0])).status_code == 403
    assert not Invitation.objects.exists()


def test_reissue_gives_a_pdf_and_revokes_the_lost_code(
    curator_client, school, six_a, pupils, curator
):
    lost = invitations_issue(school=school, role=Role.STUDENT, actor=curator, school_class=six_a)[0]
    student = lost.invitation.student

    response = curator_client.post(_reissue_url("student", student), CONFIRMED)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "invitations-6%D0%90-student-" in response["Content-Disposition"]
    assert invitation_find_usable(school=school, code=lost.code) is None
    fresh = Invitation.objects.usable().get(student=student, role=Role.STUDENT)
    text = _codes_in(response.content)
    assert "Ученику (6А)" in text
    assert f"для: {student.full_name}" in text
    assert fresh.issued_by == curator


def test_reissue_for_parents_gives_two_cards(curator_client, pupils):
    response = curator_client.post(_reissue_url("parent", pupils[0]), CONFIRMED)
    assert _codes_in(response.content).count("Родителям (6А)") == 2


def test_reissue_for_a_teacher_gives_a_teacher_card(curator_client, school, teacher):
    response = curator_client.post(_reissue_url("teacher", teacher), CONFIRMED)
    assert response.status_code == 200
    assert "invitations-teacher-" in response["Content-Disposition"]
    assert "Учителю" in _codes_in(response.content)
    assert Invitation.objects.usable().get(role=Role.TEACHER).teacher == teacher


def test_reissue_for_another_schools_student_or_teacher_is_404(curator_client, other_school):
    foreign = StudentFactory(school_class=SchoolClassFactory(school=other_school))
    foreign_teacher = TeacherFactory(school=other_school)
    assert curator_client.post(_reissue_url("student", foreign)).status_code == 404
    assert curator_client.post(_reissue_url("parent", foreign)).status_code == 404
    assert curator_client.post(_reissue_url("teacher", foreign_teacher)).status_code == 404
    assert not Invitation.objects.exists()


def test_reissue_answers_only_get_and_post_and_only_reissuable_roles(curator_client, pupils):
    assert curator_client.put(_reissue_url("student", pupils[0])).status_code == 405
    assert curator_client.post(_reissue_url("curator", pupils[0]), CONFIRMED).status_code == 404
    assert curator_client.get(_reissue_url("curator", pupils[0])).status_code == 404
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("role", "title", "back"),
    [
        ("student", "Новый код ученика", "class"),
        ("parent", "Новые коды родителей", "class"),
        ("teacher", "Новый код учителя", "teachers"),
    ],
)
def test_reissue_asks_first_and_says_the_printed_codes_stop_working(
    curator_client, six_a, pupils, teacher, role, title, back
):
    person = teacher if role == "teacher" else pupils[0]
    response = curator_client.get(_reissue_url(role, person))
    assert response.status_code == 200
    content = response.content.decode()
    assert f"<h1>{title}</h1>" in content
    assert "Напечатанные ранее коды перестанут действовать." in content
    assert f'action="{_reissue_url(role, person)}"' in content
    assert 'name="confirmed" value="yes"' in content
    back_url = (
        reverse("schools:class_detail", args=[six_a.pk])
        if back == "class"
        else reverse("schools:teacher_list")
    )
    assert f'href="{back_url}">Отмена</a>' in content
    assert not Invitation.objects.exists()


def test_the_old_one_click_post_changes_nothing_and_leads_to_the_question(
    curator_client, school, six_a, pupils, curator
):
    printed = invitations_issue(
        school=school, role=Role.STUDENT, actor=curator, school_class=six_a
    )[0]
    student = printed.invitation.student
    response = curator_client.post(_reissue_url("student", student))
    assert response.status_code == 302
    assert response["Location"] == _reissue_url("student", student)
    assert invitation_find_usable(school=school, code=printed.code) is not None
    assert Invitation.objects.filter(student=student, role=Role.STUDENT).count() == 1
    confirmed = curator_client.post(_reissue_url("student", student), CONFIRMED)
    assert confirmed["Content-Type"] == "application/pdf"
    assert invitation_find_usable(school=school, code=printed.code) is None


def test_reissue_for_a_registered_student_explains_why_not(curator_client, pupils):
    response = curator_client.post(_reissue_url("student", pupils[2]), CONFIRMED, follow=True)
    assert response.redirect_chain == [(ISSUE_URL, 302)]
    assert "у ученика уже есть аккаунт" in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_reissue_button_links_to_the_confirmation(pupils):
    html = render_to_string(
        "invitations/reissue_button.html", {"role": "parent", "person": pupils[0]}
    )
    assert f'href="{_reissue_url("parent", pupils[0])}"' in html
    assert "<form" not in html
    assert "Новый код" in html


# The web form issues a class's codes; the whole school's are for the command


@pytest.mark.parametrize("role", ["student", "parent"])
def test_student_and_parent_codes_need_a_class_in_the_web_form(curator_client, pupils, role):
    response = curator_client.post(ISSUE_URL, {"role": role, "format": "pdf"})

    assert response.status_code == 200
    assert response.context["form"].errors["school_class"] == [
        "Выберите класс: коды учеников и родителей выдаются по классу."
    ]
    assert not Invitation.objects.exists()


def test_the_class_pages_link_preselects_the_class(curator_client, six_a, six_b):
    response = curator_client.get(ISSUE_URL, {"class": six_b.pk})

    assert response.status_code == 200
    assert response.context["form"]["school_class"].value() == six_b.pk
    assert f'<option value="{six_b.pk}" selected>6Б</option>' in response.content.decode()


@pytest.mark.parametrize("value", ["abc", "999999"])
def test_a_class_in_the_link_that_is_not_this_schools_is_404(curator_client, six_a, value):
    assert curator_client.get(ISSUE_URL, {"class": value}).status_code == 404


def test_another_schools_class_in_the_link_is_404(curator_client, other_school):
    foreign = SchoolClassFactory(school=other_school)
    assert curator_client.get(ISSUE_URL, {"class": foreign.pk}).status_code == 404


def test_the_page_answers_only_get_and_post(curator_client):
    assert curator_client.put(ISSUE_URL).status_code == 405
    assert curator_client.delete(ISSUE_URL).status_code == 405


@pytest.mark.parametrize(("days", "text"), [(1, "1 день"), (21, "21 день"), (3, "3 дня")])
def test_the_validity_is_written_with_the_right_plural(curator_client, settings, days, text):
    settings.EJOURNAL_INVITATION_DAYS = days
    assert f"действует {text}." in curator_client.get(ISSUE_URL).content.decode()


def test_the_class_page_and_the_teacher_list_use_the_reissue_button_include(
    curator_client, six_a, pupils, teacher
):
    class_page = curator_client.get(reverse("schools:class_detail", args=[six_a.pk]))
    teacher_page = curator_client.get(reverse("schools:teacher_list"))

    for response in (class_page, teacher_page):
        assertTemplateUsed(response, "invitations/reissue_button.html")
    content = class_page.content.decode()
    assert f'href="{_reissue_url("parent", pupils[0])}"' in content
    assert "Новые коды родителей" in content
    assert f'href="{_reissue_url("teacher", teacher)}"' in teacher_page.content.decode()


def test_reissue_for_a_student_who_left_explains_why_not(curator_client, pupils, curator):
    archive = reverse("schools:student_archive", args=[pupils[0].pk])
    assert curator_client.post(archive).status_code == 302

    response = curator_client.post(_reissue_url("parent", pupils[0]), CONFIRMED, follow=True)

    assert response.redirect_chain == [(ISSUE_URL, 302)]
    assert "выбыл(а) из школы, коды не выдаются" in response.content.decode()
    assert not Invitation.objects.exists()


# Query counts of the downloads (STYLE: pin query counts)


@pytest.mark.parametrize(("revoke", "queries"), [(False, 12), (True, 13)])
def test_issuing_a_classs_codes_runs_a_fixed_number_of_queries(
    curator_client, six_a, pupils, django_assert_num_queries, revoke, queries
):
    # school, user, the year, the class chosen; savepoint ×2, the students,
    # [revoke], codes taken?, insert, audit, release ×2
    data = {"role": "parent", "school_class": six_a.pk, "format": "pdf"}
    if revoke:
        data["revoke_previous"] = "on"
    with django_assert_num_queries(queries):
        assert curator_client.post(ISSUE_URL, data).status_code == 200


@pytest.mark.parametrize("role", ["student", "parent", "teacher"])
def test_reissuing_runs_a_fixed_number_of_queries(
    curator_client, pupils, teacher, django_assert_num_queries, role
):
    # school, user, the person; savepoint ×2, revoke, codes taken?, insert, audit,
    # release ×2
    person = teacher if role == "teacher" else pupils[0]
    with django_assert_num_queries(11):
        assert curator_client.post(_reissue_url(role, person), CONFIRMED).status_code == 200
