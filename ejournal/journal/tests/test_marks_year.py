"""The year's marks on one page ("Итоговые", /diary/<id>/marks/year/): every subject × every
period, each cell exactly what the marks page shows for that period, in a fixed number of
queries whatever the year holds.

The cast and the day (Thursday 26.11.2026, the 2nd quarter) come from conftest.py; the
quarters of 2026/27 are 1.09–25.10, 5.11–28.12, 9.01–21.03 and 1.04–31.05.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from ejournal.core.freshness import journal_changed
from ejournal.core.testing.factories import StudentFactory, SubjectFactory
from ejournal.core.testing.journal_factories import (
    AttendanceFactory,
    FinalMarkFactory,
    GroupFactory,
    LessonFactory,
    MarkFactory,
)
from ejournal.journal.models import ControlType, Lesson, Mark
from ejournal.journal.selectors import marks_for_period, marks_for_year, mean
from ejournal.schools.models import Guardianship, Period, PeriodStatus

pytestmark = pytest.mark.django_db


def _url(student) -> str:
    return reverse("journal:marks_year", args=[student.pk])


@pytest.fixture
def quarters(class_6a) -> dict[int, Period]:
    return {p.number: p for p in Period.objects.filter(year=class_6a.year)}


@pytest.fixture
def year(school, class_6a, math, russian, nikolaev, ershova, petrov, ivanova, quarters):
    """Николаев's year so far: Математика in the 1st quarter (4, then a control work 2 ×2 with a
    comment; final 3) and the 2nd (5, 3 ×2), a mark in the autumn vacation (in no quarter);
    Русский язык with lessons, an absence and no marks; Физкультура with a 1st-quarter final only;
    Английский язык with a mark from a group he has left.
    Ершова's mark at the same lesson is hers."""

    def lesson(day, subject=math, teacher=petrov, **fields):
        return LessonFactory(
            school_class=class_6a, subject=subject, teacher=teacher, date=day, **fields
        )

    first = lesson(dt.date(2026, 9, 10))
    MarkFactory(lesson=first, student=nikolaev, value=4)
    MarkFactory(lesson=first, student=ershova, value=2)
    MarkFactory(
        lesson=lesson(dt.date(2026, 10, 6), control_type=ControlType.TEST),
        student=nikolaev,
        value=2,
        weight=2,
        comment="Ошибка в задаче 3",
    )
    MarkFactory(lesson=lesson(dt.date(2026, 10, 28)), student=nikolaev, value=5)  # vacation
    MarkFactory(lesson=lesson(dt.date(2026, 11, 10)), student=nikolaev, value=5)
    MarkFactory(lesson=lesson(dt.date(2026, 11, 17)), student=nikolaev, value=3, weight=2)
    russian_lesson = lesson(dt.date(2026, 11, 18), subject=russian, teacher=ivanova)
    lesson(dt.date(2026, 11, 25), subject=russian, teacher=ivanova)
    AttendanceFactory(lesson=russian_lesson, student=nikolaev)
    # A mark from a group Николаев has left: the marks page lists its subject, so does the year.
    english = SubjectFactory(school=school, name="Английский язык")
    group = GroupFactory(school_class=class_6a, subject=english, members=[ershova])
    MarkFactory(
        lesson=lesson(dt.date(2026, 9, 15), subject=english, group=group),
        student=nikolaev,
        value=5,
    )
    sport = SubjectFactory(school=school, name="Физкультура")
    FinalMarkFactory(student=nikolaev, subject=math, period=quarters[1], value=3)
    FinalMarkFactory(student=nikolaev, subject=sport, period=quarters[1], value=5)
    FinalMarkFactory(student=ershova, subject=math, period=quarters[2], value=5)
    return SimpleNamespace(english=english, math=math, russian=russian, sport=sport)


def _shown(mark):
    return (mark.value, mark.weight, mark.date, mark.control, mark.comment)


def _page_shown(mark):
    """A mark of the marks page (a Mark with its lesson), as the year's table shows it."""
    lesson = mark.lesson
    control = lesson.get_control_type_display() if lesson.control_type else ""
    return (mark.value, mark.weight, lesson.date, control, mark.comment)


def _values(cell) -> list[tuple[int, int]]:
    return [(m.value, m.weight) for m in cell.marks]


def _finals(row) -> list[int | None]:
    return [cell.final.value if cell.final else None for cell in row.cells]


# The selector.


def test_every_period_cell_is_what_the_marks_page_shows_for_that_period(nikolaev, year, quarters):
    result = marks_for_year(student=nikolaev)

    rows = {row.subject: row for row in result.subjects}
    for index, period in enumerate(quarters[n] for n in sorted(quarters)):
        page = marks_for_period(student=nikolaev, period=period)
        shown = {item.subject: item for item in page}
        for subject, row in rows.items():
            cell = row.cells[index]
            item = shown.get(subject)
            assert [_shown(m) for m in cell.marks] == (
                [_page_shown(m) for m in item.marks] if item else []
            )
            assert cell.average == (item.average if item else None)
            assert cell.final == (item.final if item else None)
        assert set(shown) <= set(rows)
        # The foot's average per period is the marks page's "средний балл по предметам".
        assert result.averages[index] == mean(item.average for item in page)


def test_the_year_lists_every_subject_by_name_with_marks_averages_and_finals(
    nikolaev, year, quarters
):
    result = marks_for_year(student=nikolaev)

    assert [column.period for column in result.periods] == [quarters[n] for n in (1, 2, 3, 4)]
    assert [row.subject for row in result.subjects] == [
        year.english,
        year.math,
        year.russian,
        year.sport,
    ]
    english, math, russian, sport = result.subjects
    assert [_values(cell) for cell in english.cells] == [[(5, 1)], [], [], []]
    assert [_values(cell) for cell in math.cells] == [[(4, 1), (2, 2)], [(5, 1), (3, 2)], [], []]
    assert _shown(math.cells[0].marks[1]) == (
        2,
        2,
        dt.date(2026, 10, 6),
        "Контрольная работа",
        "Ошибка в задаче 3",
    )
    # (4 + 2·2) / 3 = 2.67; (5 + 3·2) / 3 = 3.67; the year (4 + 4 + 5 + 6) / 6 = 3.17, without
    # the vacation's 5, which is in no period.
    assert [cell.average for cell in math.cells] == [Decimal("2.67"), Decimal("3.67"), None, None]
    assert math.average == Decimal("3.17")
    assert _finals(math) == [3, None, None, None]
    # Lessons and no marks: an empty row. A final and no lessons: the final alone.
    assert [(cell.marks, cell.average, cell.final) for cell in russian.cells] == [
        ([], None, None)
    ] * 4
    assert russian.average is None
    assert _finals(sport) == [5, None, None, None]
    assert sport.average is None
    # The means of the subjects' averages: (5 + 2.67) / 2 = 3.84 (3.835 half up); (5 + 3.17) / 2.
    assert result.averages == [Decimal("3.84"), Decimal("3.67"), None, None]
    assert result.average == Decimal("4.09")


def test_absences_are_not_marks(nikolaev, year, quarters):
    russian = next(
        row for row in marks_for_year(student=nikolaev).subjects if row.subject == year.russian
    )

    assert [cell.marks for cell in russian.cells] == [[], [], [], []]
    assert russian.average is None


def test_a_closed_period_says_so_and_keeps_its_marks(school, nikolaev, year, quarters):
    quarters[2].status = PeriodStatus.CLOSED  # by the curator, though it is under way
    quarters[2].save()
    school.close_periods_after_days = 10  # the 1st quarter closed on 5.11 by the rule
    school.save()
    nikolaev.school.refresh_from_db()

    result = marks_for_year(student=nikolaev)

    assert [column.closed for column in result.periods] == [True, True, False, False]
    math = next(row for row in result.subjects if row.subject == year.math)
    assert _values(math.cells[1]) == [(5, 1), (3, 2)]


def test_a_year_without_periods_or_marks(nikolaev, quarters, django_assert_num_queries):
    empty = marks_for_year(student=nikolaev)
    assert ([c.period.number for c in empty.periods], empty.subjects) == ([1, 2, 3, 4], [])
    assert (empty.averages, empty.average) == ([None] * 4, None)

    Period.objects.filter(year=nikolaev.school_class.year).delete()
    with django_assert_num_queries(1):
        undivided = marks_for_year(student=nikolaev)
    assert (undivided.periods, undivided.subjects, undivided.average) == ([], [], None)


def _full_year(school, class_6a, student, teacher, quarters, subjects=12, per_period=9):
    """`subjects` subjects with `per_period` marked lessons in each quarter (12 × 4 × 9 = 432
    marks, a whole year's), and a final in each of the first two; in bulk, to stay quick. (The
    days, from each quarter's second, miss those of the `year` fixture.)"""
    lessons = []
    for n in range(subjects):
        subject = SubjectFactory(school=school, name=f"Предмет {n:02}")
        for period in quarters.values():
            for k in range(per_period):
                lessons.append(
                    Lesson(
                        school=school,
                        school_class=class_6a,
                        subject=subject,
                        teacher=teacher,
                        date=period.starts_on + dt.timedelta(days=1 + k * 5),
                        number=n + 1,
                        control_type=ControlType.TEST if k == 4 else "",
                    )
                )
        for number in (1, 2):
            FinalMarkFactory(student=student, subject=subject, period=quarters[number], value=4)
    Lesson.objects.bulk_create(lessons)
    Mark.objects.bulk_create(
        Mark(
            school=school,
            lesson=lesson,
            student=student,
            value=2 + i % 4,
            weight=2 if lesson.control_type else 1,
            comment="Хорошо" if i % 7 == 0 else "",
        )
        for i, lesson in enumerate(lessons)
    )
    return len(lessons)


def test_the_selector_runs_four_queries_whatever_the_year_holds(
    school, class_6a, nikolaev, petrov, quarters, year, django_assert_num_queries
):
    with django_assert_num_queries(4):
        marks_for_year(student=nikolaev)

    assert _full_year(school, class_6a, nikolaev, petrov, quarters) == 432
    with django_assert_num_queries(4):
        result = marks_for_year(student=nikolaev)
    # The fixture's five marks in quarters are there too (its vacation mark is in none).
    assert sum(len(cell.marks) for row in result.subjects for cell in row.cells) == 432 + 5


# The page.


def _table_rows(response) -> list[list[str]]:
    """The body rows of the year's table, each cell's text with whitespace collapsed."""
    html = response.content.decode()
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    assert body is not None
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells])
    return rows


def test_the_student_reads_the_year_subjects_by_periods(client_for, school, nikolaev, year):
    response = client_for(school, nikolaev.user).get(_url(nikolaev))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Итоговые оценки</h1>" in html
    caption = "Оценки, средний балл и итоговые оценки по периодам за 2026/2027 учебный год"
    assert f'<caption id="year-caption" class="sr-only">{caption}</caption>' in html
    assert re.findall(
        r'<th colspan="3" scope="colgroup" class="period"><a href="[^"]*\?period=\d+">([^<]+)</a>',
        html,
    ) == [
        "1 четверть",
        "2 четверть",
        "3 четверть",
        "4 четверть",
    ]
    assert html.count('<th scope="col" class="num">Итог</th>') == 4
    dash = ["", "—", "—"]
    assert _table_rows(response) == [
        ["Английский язык", "5", "5,00", "—", *dash, *dash, *dash, "5,00"],
        ["Математика", "4 2 ×2", "2,67", "3", "5 3 ×2", "3,67", "—", *dash, *dash, "3,17"],
        ["Русский язык", *dash, *dash, *dash, *dash, "—"],
        ["Физкультура", "", "—", "5", *dash, *dash, *dash, "—"],
    ]
    titles = re.findall(r'<span class="mark (\w+)" title="([^"]*)">(\d)', html)
    assert titles[1:3] == [
        ("high", "10.09", "4"),
        ("low", "06.10 · вес 2 · Контрольная работа · Ошибка в задаче 3", "2"),
    ]
    assert re.search(r'<th scope="row" class="subject">Математика</th>', html)
    foot = re.search(r"<tfoot>.*?</tfoot>", html, re.S)
    assert foot is not None
    assert "Средний балл по предметам" in foot.group(0)
    assert "4,09" in foot.group(0)
    # The table scrolls in its own box, which a keyboard can reach.
    region = 'role="region" aria-labelledby="year-caption" tabindex="0"'
    assert f'<div class="table-wrap year-wrap" {region}>' in html


def test_the_tab_is_on_the_week_the_marks_and_the_year_page_marked_where_it_is(
    client_for, school, nikolaev, year
):
    client = client_for(school, nikolaev.user)
    year_url = _url(nikolaev)
    marks_url = reverse("journal:marks", args=[nikolaev.pk])
    week_url = reverse("journal:diary_week", args=[nikolaev.pk])

    for url, current in ((year_url, "Итоговые"), (marks_url, "Оценки"), (week_url, "Неделя")):
        tabs = re.search(
            r'<nav class="diary-tabs".*?</nav>', client.get(url).content.decode(), re.S
        )
        assert tabs is not None
        assert f'<a href="{year_url}"' in tabs.group(0)
        assert re.findall(r'aria-current="page">([^<]+)</a>', tabs.group(0)) == [current], url


def test_a_closed_period_is_marked_in_its_heading(client_for, school, nikolaev, year, quarters):
    quarters[1].status = PeriodStatus.CLOSED
    quarters[1].save()

    response = client_for(school, nikolaev.user).get(_url(nikolaev))

    assertContains(response, '>1 четверть</a> <span class="closed">закрыт</span></th>')
    assertContains(response, '<span class="closed">закрыт</span>', count=1)


def test_an_empty_year_and_an_undivided_one_say_so(client_for, school, nikolaev, quarters):
    client = client_for(school, nikolaev.user)

    assertContains(client.get(_url(nikolaev)), "В этом учебном году пока нет уроков и оценок.")
    Period.objects.filter(year=nikolaev.school_class.year).delete()
    assertContains(client.get(_url(nikolaev)), "Школа ещё не разделила учебный год на периоды.")


def test_a_parent_of_two_switches_children_on_the_year_page(
    client_for, school, class_6b, nikolaeva, nikolaev, year
):
    sister = StudentFactory(school_class=class_6b, last_name="Николаева", first_name="Анна")
    Guardianship.objects.create(school=school, parent=nikolaeva, student=sister)
    client = client_for(school, nikolaeva)

    response = client.get(_url(nikolaev))

    assertContains(response, f'<a href="{_url(sister)}">Анна')
    assertContains(response, f'<a href="{_url(nikolaev)}" aria-current="page">Василий')
    assert client.get(_url(sister)).status_code == 200


YEAR_VIEWERS = {"student", "parent", "subject_teacher", "class_teacher", "curator"}


def test_who_reads_the_year_page_is_who_reads_the_marks_page(role_clients, nikolaev, year):
    """Another family's child, a classmate's, another class's teacher, another school: 404."""
    answers = {who: client.get(_url(nikolaev)).status_code for who, client in role_clients.items()}
    marks = reverse("journal:marks", args=[nikolaev.pk])
    same = {who: client.get(marks).status_code for who, client in role_clients.items()}

    assert answers == same
    assert {who for who, status in answers.items() if status == 200} == YEAR_VIEWERS
    assert answers["another_parent"] == answers["another_student"] == 404
    assert answers["anonymous"] == 302


# Fixed queries. None for the request after the first (the session and its user are in the
# cache, accounts.identity, and the host's school is known to the process, schools.hosts);
# the student 1 (a parent's children, for the access and the switcher); the year 4 (periods,
# subjects, marks, finals).
YEAR_QUERIES_PARENT = 5
YEAR_QUERIES_STUDENT = 5
# The year's four, once kept for the pupil (core.freshness; the parent's visit keeps it for the
# pupil's too), are none, and so is the student (the family, kept under the user's version).
YEAR_CACHED_PARENT = 0
YEAR_CACHED_STUDENT = 0


def test_the_year_pages_queries_are_fixed_whatever_the_year_holds(
    client_for, school, class_6a, nikolaev, nikolaeva, petrov, quarters, django_assert_num_queries
):
    parent, student = client_for(school, nikolaeva), client_for(school, nikolaev.user)
    url = _url(nikolaev)
    parent.get(url)  # the parent's child is remembered in the session on the first visit
    student.get("/healthz")  # the student's user kept
    journal_changed(school_id=school.pk)  # as after any change: the year is read again

    with django_assert_num_queries(YEAR_QUERIES_PARENT):
        assert parent.get(url).status_code == 200
    # The year kept by the parent's visit; the student's own record and unread messages
    # read once.
    with django_assert_num_queries(YEAR_CACHED_STUDENT + 2):
        assert student.get(url).status_code == 200

    _full_year(school, class_6a, nikolaev, petrov, quarters)  # its writes move the versions
    with django_assert_num_queries(YEAR_QUERIES_STUDENT):
        assert student.get(url).status_code == 200
    # The year's lessons moved the school's version: the parent's children are read again once.
    with django_assert_num_queries(YEAR_CACHED_PARENT + 1):
        assert parent.get(url).status_code == 200
    for client, queries in ((parent, YEAR_CACHED_PARENT), (student, YEAR_CACHED_STUDENT)):
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.content.decode().count('<span class="mark ') == 432 + 12 * 2
        assert len(_table_rows(response)) == 12
