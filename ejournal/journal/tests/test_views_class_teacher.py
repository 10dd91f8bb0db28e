"""The class teacher's pages (the curator's too): the class summary, its XLSX file and the
audit of the class's marks; who reaches them, and how many queries they cost."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from urllib.parse import quote

import openpyxl
import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from ejournal.core.testing.factories import (
    SchoolClassFactory,
    StudentFactory,
    SubjectFactory,
    UserFactory,
)
from ejournal.core.testing.journal_factories import (
    AttendanceFactory,
    FinalMarkFactory,
    LessonFactory,
    MarkFactory,
    TeachingAssignmentFactory,
)
from ejournal.core.testing.spreadsheets import libreoffice_rows
from ejournal.journal.models import AbsenceReason, AttendanceStatus
from ejournal.journal.services import attendance_set, final_mark_set, mark_set
from ejournal.journal.templatetags.journal_nav import homerooms_of
from ejournal.schools.models import AcademicYear
from ejournal.schools.roles import Role

from .conftest import ROLES

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _summary_url(school_class, **params):
    url = reverse("journal:class_summary", args=[school_class.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def _xlsx_url(school_class, **params):
    url = reverse("journal:class_summary_xlsx", args=[school_class.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def _audit_url(school_class):
    return reverse("journal:class_audit", args=[school_class.pk])


def _text(response):
    """The page's text without tags and with single spaces, for phrases across elements."""
    content = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", content)


@pytest.fixture
def quarters(class_6a):
    return list(class_6a.year.periods.order_by("number"))


@pytest.fixture
def ivanova_client(client_for, school, ivanova):
    return client_for(school, ivanova.user)


@pytest.fixture
def marks(class_6a, math, russian, petrov, ivanova, nikolaev, ershova, quarters):
    """Quarter 2 of 6А.

    Николаев: Математика 4 and 5 ×2 → 4.67, final 5; Русский язык 3 → 3.00; absent twice.
    Ершова: Математика 3 → 3.00, no Russian marks; late once, absent once.
    A mark of quarter 1 (Николаев's 2) counts in quarter 1 only.
    """
    m1 = LessonFactory(
        school_class=class_6a, subject=math, teacher=petrov, date=dt.date(2026, 11, 9)
    )
    m2 = LessonFactory(
        school_class=class_6a, subject=math, teacher=petrov, date=dt.date(2026, 11, 16)
    )
    r1 = LessonFactory(
        school_class=class_6a, subject=russian, teacher=ivanova, date=dt.date(2026, 11, 11)
    )
    q1 = LessonFactory(
        school_class=class_6a, subject=math, teacher=petrov, date=dt.date(2026, 10, 12)
    )
    MarkFactory(lesson=m1, student=nikolaev, value=4)
    MarkFactory(lesson=m2, student=nikolaev, value=5, weight=2)
    MarkFactory(lesson=r1, student=nikolaev, value=3)
    MarkFactory(lesson=m1, student=ershova, value=3)
    MarkFactory(lesson=q1, student=nikolaev, value=2)
    FinalMarkFactory(student=nikolaev, subject=math, period=quarters[1], value=5)
    AttendanceFactory(lesson=r1, student=nikolaev, status=AttendanceStatus.ABSENT)
    AttendanceFactory(lesson=m2, student=nikolaev, status=AttendanceStatus.ABSENT)
    AttendanceFactory(lesson=m1, student=ershova, status=AttendanceStatus.LATE)
    AttendanceFactory(
        lesson=r1,
        student=ershova,
        status=AttendanceStatus.ABSENT,
        reason=AbsenceReason.ILLNESS,
    )


# The summary


def test_the_summary_shows_weighted_averages_finals_absences_and_class_averages(
    ivanova_client, class_6a, marks, quarters, nikolaev
):
    response = ivanova_client.get(_summary_url(class_6a))

    assert response.status_code == 200
    assert response.context["period"] == quarters[1]  # 26 November is in quarter 2
    found = response.context["summary"]
    assert [s.name for s in found.subjects] == ["Математика", "Русский язык"]
    assert [
        (line.student.last_name, line.cells, line.average, line.absences, line.lates)
        for line in response.context["lines"]
    ] == [
        ("Ершова", [(Decimal("3.00"), None), (None, None)], Decimal("3.00"), 1, 1),
        ("Николаев", [(Decimal("4.67"), 5), (Decimal("3.00"), None)], Decimal("3.84"), 2, 0),
    ]
    assert found.class_averages == [Decimal("3.84"), Decimal("3.00")]  # (4.67 + 3.00) / 2
    assert response.context["class_average"] == Decimal("3.42")  # (3.00 + 3.84) / 2
    text = _text(response)
    assert "Сводка класса 6А" in text
    assert "2 четверть 2026/2027 · 05.11.2026–28.12.2026" in text
    assert "Ершова Дарья Петрович 3,00 — 3,00 1 1" in text
    assert "Николаев Василий Петрович 4,67 5 3,00 3,84 2" in text
    assert "Средний по классу 3,84 3,00 3,42 3 1" in text
    content = response.content.decode()
    assert f'href="{_xlsx_url(class_6a, period=quarters[1].pk)}"' in content
    assert f'href="{_audit_url(class_6a)}"' in content
    assert '<span class="final" title="Итоговая оценка">5</span>' in content
    assert '<strong aria-current="page">2 четверть</strong>' in content
    assert f'href="?period={quarters[0].pk}"' in content
    marks_page = reverse("journal:marks", args=[nikolaev.pk])
    assert f'href="{marks_page}?period={quarters[1].pk}">Николаев Василий Петрович</a>' in content


def test_the_period_switcher_shows_another_quarter(ivanova_client, class_6a, marks, quarters):
    response = ivanova_client.get(_summary_url(class_6a, period=quarters[0].pk))

    assert response.context["period"] == quarters[0]
    lines = response.context["lines"]
    assert [(line.student.last_name, line.cells) for line in lines] == [
        ("Ершова", [(None, None)]),
        ("Николаев", [(Decimal("2.00"), None)]),
    ]
    assert [(line.absences, line.lates) for line in lines] == [(0, 0), (0, 0)]


@pytest.mark.parametrize("period", ["abc", "0", "other-school"])
def test_a_period_not_of_the_classs_year_is_404(ivanova_client, class_6a, other_school, period):
    if period == "other-school":
        period = AcademicYear.objects.get(school=other_school).periods.first().pk
    assert ivanova_client.get(_summary_url(class_6a, period=period)).status_code == 404
    assert ivanova_client.get(_xlsx_url(class_6a, period=period)).status_code == 404


def test_a_class_without_students_or_lessons_says_so(curator_client, class_6b):
    response = curator_client.get(_summary_url(class_6b))
    assert response.status_code == 200
    assert "В классе нет учеников." in _text(response)


def test_a_period_without_lessons_lists_the_students_and_says_so(
    curator_client, class_6a, nikolaev, quarters
):
    response = curator_client.get(_summary_url(class_6a, period=quarters[3].pk))
    text = _text(response)
    assert "Николаев Василий" in text
    assert "В этом периоде уроков пока не было." in text


# The XLSX file


def _workbook(response):
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_the_xlsx_is_the_summary_as_a_spreadsheet(ivanova_client, class_6a, marks, quarters):
    response = ivanova_client.get(_xlsx_url(class_6a))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == (
        'attachment; filename="svodka-6A-2-chetvert.xlsx"; '
        f"filename*=UTF-8''{quote('сводка-6А-2-четверть.xlsx')}"
    )
    sheet = _workbook(response).active
    assert sheet.title == "6А, 2 четверть"
    assert sheet["A1"].value == (
        "Школа №1399 · Сводка класса 6А · 2 четверть 2026/2027 (05.11.2026–28.12.2026)"
    )
    assert sheet["A1"].font.bold
    header = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3, max_row=4)]
    assert header == [
        ["№", "Ученик", "Математика", None, "Русский язык", None, "Средний балл",
         "Пропуски (н)", "Опоздания (оп)"],
        [None, None, "ср. балл", "итог", "ср. балл", "итог", None, None, None],
    ]  # fmt: skip
    headings = [cell for row in sheet.iter_rows(min_row=3, max_row=4) for cell in row]
    assert all(cell.font.bold for cell in headings if cell.value is not None)
    assert {str(r) for r in sheet.merged_cells.ranges} >= {"A1:I1", "C3:D3", "E3:F3", "A3:A4"}
    body = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5, max_row=7)]
    assert body == [
        [1, "Ершова Дарья Петрович", 3, None, None, None, 3, 1, 1],
        [2, "Николаев Василий Петрович", 4.67, 5, 3, None, 3.84, 2, 0],
        [None, "Средний по классу", 3.84, None, 3, None, 3.42, 3, 1],
    ]
    assert sheet.max_row == 7
    formats = [cell.number_format for cell in sheet[6]]
    assert formats == ["0", "General", "0.00", "0", "0.00", "0", "0.00", "0", "0"]
    assert sheet["B7"].font.bold
    assert sheet.freeze_panes == "C5"
    assert sheet.column_dimensions["B"].width == len("Николаев Василий Петрович") + 2
    assert sheet.column_dimensions["C"].width >= 9


def test_the_xlsx_of_another_quarter(ivanova_client, class_6a, marks, quarters):
    response = ivanova_client.get(_xlsx_url(class_6a, period=quarters[0].pk))
    assert 'filename="svodka-6A-1-chetvert.xlsx"' in response["Content-Disposition"]
    sheet = _workbook(response).active
    assert sheet["C6"].value == 2
    assert sheet["B4"].value is None


def test_another_spreadsheet_program_reads_the_xlsx(ivanova_client, class_6a, marks, tmp_path):
    """LibreOffice converts the file to CSV: the numbers come out as the page shows them."""
    content = ivanova_client.get(_xlsx_url(class_6a)).content
    rows = libreoffice_rows(content, tmp_path, name="svodka.xlsx")
    assert rows[0][0].startswith("Школа №1399 · Сводка класса 6А")
    assert rows[4] == ["1", "Ершова Дарья Петрович", "3.00", "", "", "", "3.00", "1", "1"]
    assert rows[5] == ["2", "Николаев Василий Петрович", "4.67", "5", "3.00", "", "3.84", "2", "0"]
    assert rows[6][1:] == ["Средний по классу", "3.84", "", "3.00", "", "3.42", "3", "1"]


FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "@SUM(A1)"]


def test_names_that_look_like_formulas_stay_text_in_the_xlsx(
    ivanova_client, school, class_6a, math, petrov, quarters, tmp_path
):
    """A school, a subject and pupils named like formulas: openpyxl reads string cells with
    the names intact, and LibreOffice shows the names, not a formula's result."""
    school.name = FORMULAS[0]
    school.save(update_fields=["name"])
    math.name = "=1+1"
    math.save(update_fields=["name"])
    lesson = LessonFactory(
        school_class=class_6a, subject=math, teacher=petrov, date=dt.date(2026, 11, 9)
    )
    for last_name in FORMULAS:
        student = StudentFactory(school_class=class_6a, last_name=last_name, first_name="Ян")
        MarkFactory(lesson=lesson, student=student, value=4)

    response = ivanova_client.get(_xlsx_url(class_6a))

    sheet = _workbook(response).active
    title = sheet["A1"]
    assert (title.data_type, title.value.split(" · ")[0]) == ("s", FORMULAS[0])
    assert (sheet["C3"].data_type, sheet["C3"].value) == ("s", "=1+1")
    names = {sheet.cell(row, 2).value: sheet.cell(row, 2).data_type for row in range(5, 8)}
    assert names == {f"{name} Ян Петрович": "s" for name in FORMULAS}
    rows = libreoffice_rows(response.content, tmp_path, name="svodka.xlsx")
    assert rows[0][0].split(" · ")[0] == FORMULAS[0]
    assert rows[2][2] == "=1+1"
    assert sorted(row[1] for row in rows[4:7]) == sorted(f"{n} Ян Петрович" for n in FORMULAS)


# The audit


def test_the_audit_lists_a_teachers_mark_change_with_before_and_after(
    ivanova_client, class_6a, math, math_lesson, nikolaev, ershova, petrov, quarters
):
    mark_set(lesson=math_lesson, student=nikolaev, value=4, actor=petrov.user)
    mark_set(
        lesson=math_lesson,
        student=nikolaev,
        value=5,
        weight=2,
        comment="контрольная",
        actor=petrov.user,
    )
    attendance_set(
        lesson=math_lesson, student=ershova, status="absent", reason="illness", actor=petrov.user
    )
    final_mark_set(student=nikolaev, subject=math, period=quarters[1], value=5, actor=petrov.user)

    response = ivanova_client.get(_audit_url(class_6a))

    assert response.status_code == 200
    entries = response.context["entries"]
    assert [(e.student.last_name, e.before, e.after) for e in entries] == [
        ("Николаев", "", "5"),
        ("Ершова", "", "н (Болезнь)"),
        ("Николаев", "4", "5 ×2 (контрольная)"),
        ("Николаев", "", "4"),
    ]
    text = _text(response)
    assert "Журнал изменений оценок 6А" in text
    assert (
        "petrov Николаев Василий Петрович Математика 24.11.2026, 2-й урок "
        "Оценка поставлена 4 → 5 ×2 (контрольная)"
    ) in text
    assert "итог: 2 четверть Итоговая оценка поставлена 5" in text
    assert '<span class="before">4</span> → <strong>5 ×2 (контрольная)</strong>' in (
        response.content.decode()
    )


def test_the_audit_filters_by_subject_and_student(
    curator_client, class_6a, russian, math_lesson, nikolaev, ershova, petrov
):
    mark_set(lesson=math_lesson, student=nikolaev, value=4, actor=petrov.user)
    mark_set(lesson=math_lesson, student=ershova, value=3, actor=petrov.user)
    LessonFactory(school_class=class_6a, subject=russian, date=dt.date(2026, 11, 20))
    url = _audit_url(class_6a)

    response = curator_client.get(url, {"student": ershova.pk})
    assert [e.student for e in response.context["entries"]] == [ershova]
    response = curator_client.get(url, {"subject": russian.pk})
    assert response.context["entries"] == []
    assert "Изменений с такими условиями нет." in _text(response)
    assert [label for _, label in response.context["form"].fields["subject"].choices] == [
        "Все",
        "Математика",
        "Русский язык",
    ]
    # An id that is not a choice (another class's student) is reported and left out.
    other = StudentFactory(school_class=SchoolClassFactory(school=class_6a.school, letter="В"))
    response = curator_client.get(url, {"student": other.pk})
    assert len(response.context["entries"]) == 2
    assert "Выберите корректный вариант" in response.content.decode()


def test_an_empty_audit_says_so(curator_client, class_6a):
    response = curator_client.get(_audit_url(class_6a))
    assert "Изменений оценок и посещаемости пока нет." in _text(response)


# Who reaches the pages

ALLOWED = {"class_teacher", "curator"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["class_summary", "class_summary_xlsx", "class_audit"])
def test_only_the_class_teacher_and_the_curator_reach_the_pages(
    role_clients, class_6a, marks, name, role
):
    url = reverse(f"journal:{name}", args=[class_6a.pk])
    response = role_clients[role].get(url)
    if role in ALLOWED:
        assert response.status_code == 200
    elif role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == 404


def test_the_pages_answer_get_only(ivanova_client, class_6a):
    for url in (_summary_url(class_6a), _xlsx_url(class_6a), _audit_url(class_6a)):
        assert ivanova_client.post(url).status_code == 405


def test_a_class_that_does_not_exist_is_404(curator_client):
    assert curator_client.get(reverse("journal:class_summary", args=[10**9])).status_code == 404


# The way in


def test_the_class_teacher_finds_the_summary_in_the_menu(
    ivanova_client, client_for, school, class_6a, petrov
):
    link = f'<a href="{_summary_url(class_6a)}">Мой класс 6А</a>'
    assert link in ivanova_client.get(_audit_url(class_6a)).content.decode()
    other = client_for(school, petrov.user).get(reverse("accounts:profile")).content.decode()
    assert "Мой класс" not in other


def test_the_curator_finds_the_summary_on_the_class_page(curator_client, class_6a):
    response = curator_client.get(reverse("schools:class_detail", args=[class_6a.pk]))
    assert f'href="{_summary_url(class_6a)}">Сводка</a>' in response.content.decode()


def test_the_menus_homerooms_are_this_years_in_one_query_per_request(
    school, class_6a, ivanova, django_assert_num_queries
):
    last_year = AcademicYear.objects.create(
        school=school, starts_on=dt.date(2025, 9, 1), ends_on=dt.date(2026, 5, 31)
    )
    SchoolClassFactory(school=school, year=last_year, grade=5, letter="А", class_teacher=ivanova)
    also = SchoolClassFactory(school=school, grade=9, letter="В", class_teacher=ivanova)
    user = type(ivanova.user).objects.get(pk=ivanova.user.pk)
    request = RequestFactory().get("/")
    request.school = school
    template = Template(
        "{% load journal_nav %}{% homerooms as a %}{% homerooms as b %}"
        "{% for c in a %}{{ c.label }} {% endfor %}{% for c in b %}{{ c.label }} {% endfor %}"
    )
    with django_assert_num_queries(1):
        rendered = template.render(Context({"user": user, "request": request}))
    assert rendered == "6А 9В 6А 9В "
    assert homerooms_of(UserFactory(school=school, role=Role.CURATOR), school=school) == []
    assert also in homerooms_of(user, school=school)


# Query counts


@pytest.fixture
def filled_class(school, class_6a, petrov, quarters):
    """6А with `students` students and `subjects` subjects, each with two lessons in quarter 2
    where every student has a mark, an absence or a lateness, and a final mark; and the audit
    of one mark change per student and subject."""

    def fill(students_count, subjects_count):
        students = [StudentFactory(school_class=class_6a) for _ in range(students_count)]
        for n in range(subjects_count):
            subject = SubjectFactory(school=school, name=f"Предмет {n:02}")
            TeachingAssignmentFactory(
                school=school, teacher=petrov, school_class=class_6a, subject=subject
            )
            first, second = (
                LessonFactory(
                    school_class=class_6a,
                    subject=subject,
                    teacher=petrov,
                    date=dt.date(2026, 11, 5) + dt.timedelta(days=n),
                    number=number,
                )
                for number in (1, 2)
            )
            for index, student in enumerate(students):
                MarkFactory(lesson=first, student=student, value=4, weight=2)
                AttendanceFactory(
                    lesson=second,
                    student=student,
                    status=[AttendanceStatus.ABSENT, AttendanceStatus.LATE][index % 2],
                )
                FinalMarkFactory(student=student, subject=subject, period=quarters[1], value=4)
                mark_set(lesson=second, student=student, value=5, actor=petrov.user)
        return students

    return fill


# The class; the year's periods; the summary's five queries.
# A teacher adds their teacher record, and on pages the menu's homerooms.
# The host's school is known to the process (schools.hosts) and the session's user kept
# (accounts.identity) after the first request; the year's periods are kept (core.freshness)
# after the curator's first page, the teacher record and the menu's homerooms after the class
# teacher's.
QUERIES = {
    # Each one's first page reads the menu's unread messages too (then kept).
    ("class_summary", "curator"): 8,
    ("class_summary", "class_teacher"): 9,
    ("class_summary_xlsx", "curator"): 6,
    ("class_summary_xlsx", "class_teacher"): 6,
    # the class; its subjects and students (the filters); the audit's five
    ("class_audit", "curator"): 8,
    ("class_audit", "class_teacher"): 8,
}


@pytest.mark.parametrize(("students", "subjects"), [(3, 2), (30, 12)])
def test_the_pages_run_a_fixed_number_of_queries(
    client_for,
    school,
    curator,
    ivanova,
    class_6a,
    filled_class,
    django_assert_num_queries,
    students,
    subjects,
):
    made = filled_class(students, subjects)
    clients = {
        "curator": client_for(school, curator),
        "class_teacher": client_for(school, ivanova.user),
    }
    for client in clients.values():
        client.get("/healthz")
    for (name, role), expected in QUERIES.items():
        url = reverse(f"journal:{name}", args=[class_6a.pk])
        with django_assert_num_queries(expected):
            response = clients[role].get(url)
        assert response.status_code == 200, (name, role)
        if name == "class_summary":
            assert len(response.context["lines"]) == len(made)
            assert len(response.context["summary"].subjects) == subjects
        elif name == "class_audit":
            assert len(response.context["entries"]) == min(students * subjects, 200)
