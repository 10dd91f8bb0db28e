"""The diary pages: a student's week, the marks page, a parent's signature, homework files.

The cast and the day (Thursday 26.11.2026) come from conftest.py. Whatever a user may not see
is a 404, never a 403.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from ejournal.conftest import school_host
from ejournal.core.freshness import journal_changed
from ejournal.core.testing.factories import StudentFactory, SubjectFactory, UserFactory
from ejournal.core.testing.journal_factories import (
    AttendanceFactory,
    FinalMarkFactory,
    GroupFactory,
    HolidayFactory,
    HomeworkFactory,
    LessonFactory,
    MarkFactory,
    RemarkFactory,
    TeachingAssignmentFactory,
)
from ejournal.journal.models import HolidayKind, Homework, HomeworkFile, Lesson, WeekSignature
from ejournal.journal.services import holiday_create, mark_set
from ejournal.journal.views.diary import CHILD_SESSION_KEY
from ejournal.schools.models import Guardianship, Period
from ejournal.schools.roles import Role

from .conftest import MONDAY, ROLES

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
TUESDAY = MONDAY + dt.timedelta(days=1)


def _text(response) -> str:
    """The page's visible text with whitespace collapsed, for phrases split across lines."""
    html = response.content.decode()
    html = re.sub(r"<(script|style|title)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _homework_file(lesson: Lesson, name: str = "Задание №5.pdf") -> HomeworkFile:
    """A file of the homework set at `lesson` (made without a due lesson if it has none)."""
    homework = Homework.objects.filter(lesson=lesson).first() or HomeworkFactory(
        lesson=lesson, text=""
    )
    homework_file = HomeworkFile(school_id=lesson.school_id, homework=homework, name=name)
    homework_file.file.save("zadanie.pdf", ContentFile(b"%PDF-1.4 homework"), save=True)
    return homework_file


def _week_url(student, week: dt.date | str | None = None) -> str:
    url = reverse("journal:diary_week", args=[student.pk])
    return f"{url}?week={week}" if week else url


@pytest.fixture
def sister(school, class_6b, nikolaeva):
    """Николаева Анна in 6Б: the parent Николаева's second child."""
    child = StudentFactory(school_class=class_6b, last_name="Николаева", first_name="Анна")
    Guardianship.objects.create(school=school, parent=nikolaeva, student=child)
    return child


@pytest.fixture
def week_of_math(math_lesson, nikolaev, ershova, petrov):
    """Tuesday's lesson with a topic and the homework (and a file) set last Friday for it; a
    mark ×2 with a comment for Николаев; Ершова absent; Wednesday's lesson where Николаев was
    late."""
    math_lesson.topic = "Сложение дробей"
    math_lesson.room = "301"
    math_lesson.save()
    friday = LessonFactory(
        school_class=math_lesson.school_class,
        subject=math_lesson.subject,
        teacher=petrov,
        date=MONDAY - dt.timedelta(days=3),
        number=4,
    )
    HomeworkFactory(lesson=friday, due_lesson=math_lesson, text="№ 245, 247")
    MarkFactory(
        lesson=math_lesson, student=nikolaev, value=5, weight=2, comment="Контрольная без ошибок"
    )
    AttendanceFactory(lesson=math_lesson, student=ershova)
    wednesday = LessonFactory(
        school_class=math_lesson.school_class,
        subject=math_lesson.subject,
        teacher=petrov,
        date=MONDAY + dt.timedelta(days=2),
        number=1,
    )
    AttendanceFactory(lesson=wednesday, student=nikolaev, status="late")
    return {"file": _homework_file(friday), "wednesday": wednesday}


# The week.


def test_the_student_reads_their_own_week(client_for, school, nikolaev, week_of_math):
    response = client_for(school, nikolaev.user).get(_week_url(nikolaev))

    assert response.status_code == 200
    text = _text(response)
    assert "Дневник" in text
    assert "Николаев Василий" in text
    assert "23–28 ноября 2026" in text
    for day in ("Понедельник, 23 ноября", "Вторник, 24 ноября", "Суббота, 28 ноября"):
        assert day in text
    assert "Воскресенье" not in text
    assert "Четверг, 26 ноября Сегодня" in text
    # Tuesday's lesson: number, bell times, subject, teacher, room, topic, homework, the mark.
    assert "2 Математика 09:25–10:10 · Петров О. Н. · каб. 301" in text
    assert "Тема: Сложение дробей" in text
    assert "Домашнее задание № 245, 247" in text
    assert "Задано 20 ноября" in text
    assert "Оценка 5 ×2" in text
    assert "Оценка 5 ×2: Контрольная без ошибок" in text
    file_url = reverse("journal:homework_file", args=[week_of_math["file"].pk])
    assertContains(response, f'<a href="{file_url}" download>Задание №5.pdf</a>', html=True)
    # Wednesday: late ("оп"); Ершова's absence is hers, not in this diary.
    assert ">оп</span>" in response.content.decode()
    assert ">н</span>" not in response.content.decode()
    # No switcher, no signing for the student.
    assertNotContains(response, 'class="child-switch"')
    assertNotContains(response, "Неделя просмотрена")


def test_a_week_without_lessons_says_so_and_marks_days_off(client_for, school, nikolaev):
    HolidayFactory(
        school=school,
        name="День народного единства",
        kind=HolidayKind.HOLIDAY,
        starts_on=dt.date(2026, 11, 4),
        ends_on=dt.date(2026, 11, 4),
    )
    HolidayFactory(
        school=school,
        name="Осенние каникулы",
        starts_on=dt.date(2026, 10, 26),
        ends_on=dt.date(2026, 11, 3),
    )

    client = client_for(school, nikolaev.user)
    text = _text(client.get(_week_url(nikolaev, "2026-11-04")))

    assert "2–7 ноября 2026" in text
    # Monday and Tuesday of the vacation: one card.
    assert "Осенние каникулы 2 ноября – 3 ноября: уроков нет" in text
    assert text.count("Осенние каникулы") == 1
    assert "Среда, 4 ноября День народного единства" in text
    assert "Четверг, 5 ноября Уроков нет." in text
    assert "Сегодня" not in text


def test_on_sunday_the_diary_opens_at_the_coming_week(client_for, school, nikolaev):
    """The school week is over: families look at what Monday brings."""
    sunday = dt.datetime(2026, 11, 29, 19, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Moscow"))
    with time_machine.travel(sunday, tick=False):
        response = client_for(school, nikolaev.user).get(_week_url(nikolaev))

    text = _text(response)
    assert "30 ноября – 5 декабря 2026" in text
    assert 'href="/diary/' + str(nikolaev.pk) + '/#today"' in response.content.decode()


def test_a_week_signature_without_a_week_is_the_russian_400_page(client_for, school, nikolaeva):
    student = nikolaeva.guardianships.get().student
    response = client_for(school, nikolaeva).post(
        reverse("journal:week_sign", args=[student.pk]), {"week": "²"}
    )

    assert response.status_code == 400
    assert "<h1>Неверный запрос</h1>" in response.content.decode()
    assert not WeekSignature.objects.exists()


def test_the_week_opens_at_today(client_for, school, nikolaev):
    """Today's card is the #today the diary's links end with, and its chip leads there."""
    response = client_for(school, nikolaev.user).get(_week_url(nikolaev))

    html = response.content.decode()
    assert '<section class="card day today" id="today">' in html
    assert html.count('id="today"') == 1
    assert '<a href="#today" class="today">Чт 26</a>' in html
    assert 'href="/diary/' + str(nikolaev.pk) + '/#today"' in html  # the "Неделя" tab
    other_week = client_for(school, nikolaev.user).get(_week_url(nikolaev, "2026-11-30"))
    assert 'id="today"' not in other_week.content.decode()


def test_a_holiday_week_shows_the_holiday_once(client_for, school, nikolaev):
    HolidayFactory(
        school=school,
        name="Осенние каникулы",
        starts_on=dt.date(2026, 10, 26),
        ends_on=dt.date(2026, 11, 3),
    )

    response = client_for(school, nikolaev.user).get(_week_url(nikolaev, "2026-10-28"))

    text = _text(response)
    assert text.count("Осенние каникулы") == 1
    assert "Осенние каникулы 26 октября – 31 октября: уроков нет" in text
    assert "Понедельник" not in text
    assert response.content.decode().count('<section class="card day') == 1
    # Each day's chip leads to the one card.
    assert response.content.decode().count('href="#d2026-10-26"') == 6


def test_a_holiday_is_shown_beside_lessons_kept_on_it(
    client_for, school, nikolaev, math_lesson, petrov
):
    """A lesson that took place (it has a mark) stays on a holiday added later, beside it."""
    mark_set(lesson=math_lesson, student=nikolaev, value=5, actor=petrov.user)
    holiday_create(
        school=school,
        year=math_lesson.school_class.year,
        name="Карантин",
        starts_on=TUESDAY,
        ends_on=TUESDAY,
        actor=None,
    )

    text = _text(client_for(school, nikolaev.user).get(_week_url(nikolaev)))

    assert "Вторник, 24 ноября Карантин 2 Математика" in text
    assert "отменён" not in text


def test_a_quarantine_added_after_the_lessons_were_made_shows_once(
    client_for, school, class_6a, math, petrov, nikolaev, bells, curator
):
    """The lessons it cancelled are not listed day by day: the week is one card."""
    week = [MONDAY + dt.timedelta(days=n) for n in range(6)]
    for day in week:
        LessonFactory(school_class=class_6a, subject=math, teacher=petrov, date=day, number=1)
    holiday_create(
        school=school,
        year=class_6a.year,
        name="Карантин",
        starts_on=week[0],
        ends_on=week[-1],
        actor=curator,
    )

    response = client_for(school, nikolaev.user).get(_week_url(nikolaev))

    text = _text(response)
    assert text.count("Карантин") == 1
    assert "Математика" not in text
    assert "отменён" not in text
    assert response.content.decode().count('<section class="card day') == 1


def test_week_links_go_to_the_previous_the_current_and_the_next_week(
    client_for, school, nikolaev, class_6a, math, petrov, bells
):
    LessonFactory(
        school_class=class_6a,
        subject=math,
        teacher=petrov,
        date=dt.date(2026, 12, 1),
        number=3,
        topic="Деление дробей",
    )
    client = client_for(school, nikolaev.user)

    this_week = client.get(_week_url(nikolaev))
    assertContains(this_week, '<a href="?week=2026-11-16" rel="prev">← Предыдущая неделя</a>')
    assertContains(this_week, '<a href="?week=2026-11-30" rel="next">Следующая неделя →</a>')
    assertContains(
        this_week, '<a href="?week=2026-11-23#today" aria-current="page">Текущая неделя</a>'
    )
    assertNotContains(this_week, "Деление дробей")

    # Any day of a week opens that week from its Monday.
    next_week = client.get(_week_url(nikolaev, "2026-12-03"))
    assert "30 ноября – 5 декабря 2026" in _text(next_week)
    assertContains(next_week, "Деление дробей")
    assertContains(next_week, '<a href="?week=2026-11-23#today">Текущая неделя</a>')
    assertContains(next_week, '<a href="?week=2026-11-23" rel="prev">')

    # A date that isn't one, or is out of range, is this week.
    for bad in ("yesterday", "2026-02-30", "0001-01-01", "9999-12-31"):
        assert "23–28 ноября 2026" in _text(client.get(_week_url(nikolaev, bad))), bad


def test_a_lesson_of_another_group_is_not_in_the_diary(
    client_for, school, class_6a, nikolaev, ershova, sidorova, bells
):
    english = SubjectFactory(school=school, name="Английский язык")
    one = GroupFactory(school_class=class_6a, subject=english, name="1 группа", members=[nikolaev])
    two = GroupFactory(school_class=class_6a, subject=english, name="2 группа", members=[ershova])
    for group, number in ((one, 3), (two, 4)):
        LessonFactory(
            school_class=class_6a,
            subject=english,
            teacher=sidorova,
            group=group,
            date=TUESDAY,
            number=number,
        )

    text = _text(client_for(school, nikolaev.user).get(_week_url(nikolaev)))

    assert "Английский язык (1 группа)" in text
    assert "2 группа" not in text


def test_a_cancelled_lesson_is_marked(client_for, school, nikolaev, math_lesson):
    math_lesson.status = "cancelled"
    math_lesson.save()

    text = _text(client_for(school, nikolaev.user).get(_week_url(nikolaev)))

    assert "Математика 09:25–10:10 · Петров О. Н. · каб. 201 Урок отменён" in text


# A parent's children.


def test_a_parent_switches_between_their_two_children(
    client_for, school, nikolaeva, nikolaev, sister, math_lesson, sidorova, ershova, borisov
):
    LessonFactory(
        school_class=sister.school_class,
        subject=math_lesson.subject,
        teacher=sidorova,
        date=TUESDAY,
        number=5,
        topic="Проценты",
    )
    client = client_for(school, nikolaeva)

    first = client.get(_week_url(nikolaev, "2026-11-24"))
    switcher = re.search(r'<nav class="child-switch".*?</nav>', first.content.decode(), re.S)
    assert switcher is not None
    links = re.findall(r'<a href="([^"]+)"', switcher.group(0))
    # This week: the other child's diary opens at today too.
    assert links == [
        _week_url(nikolaev, "2026-11-23") + "#today",
        _week_url(sister, "2026-11-23") + "#today",
    ]
    assert "Василий 6А" in _text(first)
    assert "Анна 6Б" in _text(first)
    assert 'aria-current="page">Василий' in switcher.group(0)
    for stranger in (ershova, borisov):
        assert stranger.first_name not in switcher.group(0)
    assert "Сложение" not in _text(first)
    assert "Проценты" not in _text(first)
    assert "2 Математика" in _text(first)

    second = client.get(links[1])
    assert second.status_code == 200
    text = _text(second)
    assert "Николаева Анна" in text
    assert "5 Математика 12:30–13:15 · Сидорова А. И." in text
    assert "2 Математика" not in text
    assert 'aria-current="page">Анна' in second.content.decode()


def test_diary_home_opens_the_students_own_diary(client_for, school, nikolaev):
    response = client_for(school, nikolaev.user).get(reverse("journal:diary_home"))

    assertRedirects(response, _week_url(nikolaev) + "#today", fetch_redirect_response=False)


def test_diary_home_opens_a_parents_first_child_then_the_one_opened_last(
    client_for, school, nikolaeva, nikolaev, sister
):
    client = client_for(school, nikolaeva)
    home = reverse("journal:diary_home")

    def opens(student):
        url = _week_url(student) + "#today"
        assertRedirects(client.get(home), url, fetch_redirect_response=False)

    opens(nikolaev)
    client.get(_week_url(sister))
    assert client.session[CHILD_SESSION_KEY] == sister.pk
    opens(sister)

    # A child no longer linked is forgotten.
    Guardianship.objects.filter(student=sister).delete()
    opens(nikolaev)


def test_a_parent_without_children_is_offered_to_add_one_by_code(client_for, school):
    parent = UserFactory(school=school, role=Role.PARENT)

    response = client_for(school, parent).get(reverse("journal:diary_home"))

    assert response.status_code == 200
    assertContains(response, "В вашем аккаунте пока нет детей")
    assertContains(response, f'href="{reverse("accounts:child_add")}"')


# Remarks: for the family, not the student.


@pytest.fixture
def remark(nikolaev, ivanova, math_lesson):
    return RemarkFactory(
        student=nikolaev, author=ivanova.user, lesson=math_lesson, text="Разговаривал на уроке."
    )


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("parent", True),
        ("class_teacher", True),
        ("curator", True),
        ("student", False),
        ("subject_teacher", False),
    ],
)
def test_remarks_are_shown_to_the_parents_and_the_class_teacher_not_the_student(
    client_for, school, nikolaev, nikolaeva, ivanova, petrov, curator, remark, who, sees
):
    user = {
        "parent": nikolaeva,
        "class_teacher": ivanova.user,
        "curator": curator,
        "student": nikolaev.user,
        "subject_teacher": petrov.user,
    }[who]

    response = client_for(school, user).get(_week_url(nikolaev))

    assert response.status_code == 200
    assert ("Разговаривал на уроке." in response.content.decode()) is sees
    assert ("Замечания" in _text(response)) is sees
    if sees:
        assert "Разговаривал на уроке. 24.11.2026 · Математика" in _text(response)


def test_a_week_without_remarks_tells_the_parent_so(client_for, school, nikolaev, nikolaeva):
    text = _text(client_for(school, nikolaeva).get(_week_url(nikolaev)))

    assert "Замечания Замечаний за эту неделю нет." in text


# Signing the week.


def test_a_parent_signs_the_week_and_sees_it_signed(client_for, school, nikolaev, nikolaeva):
    client = client_for(school, nikolaeva)
    page = client.get(_week_url(nikolaev))
    assertContains(page, "Неделя просмотрена")
    assertContains(page, '<input type="hidden" name="week" value="2026-11-23">', html=True)

    response = client.post(reverse("journal:week_sign", args=[nikolaev.pk]), {"week": "2026-11-23"})

    assertRedirects(response, _week_url(nikolaev, "2026-11-23"), fetch_redirect_response=False)
    signature = WeekSignature.objects.get()
    assert (signature.parent, signature.student, signature.week_start) == (
        nikolaeva,
        nikolaev,
        MONDAY,
    )
    page = client.get(_week_url(nikolaev, "2026-11-23"))
    assertContains(page, "Подписано 26.11.2026")
    assertNotContains(page, "Неделя просмотрена</button>")
    # Signing again keeps the first signature.
    client.post(reverse("journal:week_sign", args=[nikolaev.pk]), {"week": "2026-11-23"})
    assert WeekSignature.objects.count() == 1


def test_the_student_and_the_class_teacher_see_who_signed(
    client_for, school, nikolaev, nikolaeva, ivanova
):
    nikolaeva.last_name, nikolaeva.first_name = "Николаева", "Елена"
    nikolaeva.save()
    WeekSignature.objects.create(
        school=school, parent=nikolaeva, student=nikolaev, week_start=MONDAY
    )

    for user in (nikolaev.user, ivanova.user):
        text = _text(client_for(school, user).get(_week_url(nikolaev)))
        assert "Родители подписали неделю: Николаева Елена, 26.11.2026." in text
        assert "Неделя просмотрена" not in text


def test_a_week_not_begun_cannot_be_signed(client_for, school, nikolaev, nikolaeva):
    client = client_for(school, nikolaeva)

    page = client.get(_week_url(nikolaev, "2026-11-30"))
    assertNotContains(page, "Неделя просмотрена")
    assertContains(page, "Неделю можно будет подписать, когда она начнётся.")

    response = client.post(
        reverse("journal:week_sign", args=[nikolaev.pk]), {"week": "2026-11-30"}, follow=True
    )
    assertContains(response, "Эта неделя ещё не началась.")
    assert not WeekSignature.objects.exists()


def test_signing_takes_a_week_date(client_for, school, nikolaev, nikolaeva):
    client = client_for(school, nikolaeva)
    url = reverse("journal:week_sign", args=[nikolaev.pk])

    assert client.post(url, {"week": "на этой неделе"}).status_code == 400
    assert client.post(url).status_code == 400
    # Any day of the week signs its Monday's week: the service is asked for a Monday.
    response = client.post(url, {"week": "2026-11-25"}, follow=True)
    assertContains(response, "Неделя начинается с понедельника.")
    assert not WeekSignature.objects.exists()


@pytest.mark.parametrize("who", ["student", "class_teacher", "curator", "another_parent"])
def test_only_a_linked_parent_may_sign_others_get_404(
    client_for, school, nikolaev, ivanova, curator, borisova, who
):
    user = {
        "student": nikolaev.user,
        "class_teacher": ivanova.user,
        "curator": curator,
        "another_parent": borisova,
    }[who]

    response = client_for(school, user).post(
        reverse("journal:week_sign", args=[nikolaev.pk]), {"week": "2026-11-23"}
    )

    assert response.status_code == 404
    assert not WeekSignature.objects.exists()


def test_signing_needs_the_csrf_token(school, nikolaev, nikolaeva):
    client = Client(HTTP_HOST=school_host(school), enforce_csrf_checks=True)
    client.force_login(nikolaeva)
    url = reverse("journal:week_sign", args=[nikolaev.pk])

    assert client.post(url, {"week": "2026-11-23"}).status_code == 403
    assert not WeekSignature.objects.exists()

    page = client.get(_week_url(nikolaev))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    response = client.post(url, {"week": "2026-11-23", "csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302
    assert WeekSignature.objects.count() == 1


def test_signing_is_post_only(client_for, school, nikolaev, nikolaeva):
    response = client_for(school, nikolaeva).get(reverse("journal:week_sign", args=[nikolaev.pk]))

    assert response.status_code == 405


# The marks page.


@pytest.fixture
def quarter_marks(school, class_6a, math, russian, petrov, ivanova, nikolaev, bells):
    """Математика in the 2nd quarter: 5, 3 ×2 (a test), 4; a final 4. Русский язык: lessons,
    no marks. A 1st-quarter mark in Математика: not in the 2nd quarter."""

    def lesson(day, subject=math, teacher=petrov, **kw):
        return LessonFactory(
            school_class=class_6a, subject=subject, teacher=teacher, date=day, number=1, **kw
        )

    MarkFactory(lesson=lesson(dt.date(2026, 11, 10)), student=nikolaev, value=5)
    MarkFactory(
        lesson=lesson(dt.date(2026, 11, 17), control_type="test"),
        student=nikolaev,
        value=3,
        weight=2,
        comment="Ошибка в задаче 3",
    )
    MarkFactory(lesson=lesson(dt.date(2026, 11, 24)), student=nikolaev, value=4)
    MarkFactory(lesson=lesson(dt.date(2026, 10, 6)), student=nikolaev, value=2)
    lesson(dt.date(2026, 11, 25), subject=russian, teacher=ivanova)
    periods = {p.number: p for p in Period.objects.filter(school=school)}
    FinalMarkFactory(student=nikolaev, subject=math, period=periods[2], value=4)
    return periods


def _section(response, subject_name: str) -> str:
    html = response.content.decode()
    for section in re.findall(r'<section class="card subject-marks".*?</section>', html, re.S):
        if f">{subject_name}</h2>" in section:
            return section
    raise AssertionError(f"no section for {subject_name}")


def test_the_marks_page_shows_the_current_periods_marks_averages_finals_and_a_chart(
    client_for, school, nikolaev, quarter_marks
):
    response = client_for(school, nikolaev.user).get(reverse("journal:marks", args=[nikolaev.pk]))

    assert response.status_code == 200
    text = _text(response)
    assert "Оценки" in text
    assert "05.11.2026 – 28.12.2026" in text
    assert 'aria-current="page">2 четверть</a>' in response.content.decode()
    math = _section(response, "Математика")
    # (5 + 3·2 + 4) / 4 = 3.75; the 1st quarter's 2 is not counted.
    assert re.search(r'<dd class="average-value">\s*3,75\s*</dd>', math)
    assert re.search(r'<dd class="final-value"><span class="mark high">4</span></dd>', math)
    marks = re.findall(r'<span class="mark (\w+)" title="([^"]*)">(\d)', math)
    assert marks == [
        ("high", "10.11", "5"),
        ("mid", "17.11 · вес 2 · Контрольная работа · Ошибка в задаче 3", "3"),
        ("high", "24.11", "4"),
    ]
    assert '<sup class="weight">×2</sup>' in math
    # The chart: one point per mark, the running average as a line, the scale 1–5.
    svg = re.search(r"<svg.*?</svg>", math, re.S)
    assert svg is not None
    assert svg.group(0).count("<circle") == 3
    assert "<title id=" in svg.group(0)
    assert "Математика: оценки за 2 четверть" in svg.group(0)
    assert "10.11 — 5; 17.11 — 3 (вес 2); 24.11 — 4. Средний балл 3,75." in svg.group(0)
    assert re.findall(r'dominant-baseline="middle">(\d+)</text>', svg.group(0)) == [
        "5",
        "4",
        "3",
        "2",
        "1",
    ]
    points = re.search(r'<polyline class="average" points="([^"]+)"', svg.group(0))
    assert points is not None
    assert len(points.group(1).split()) == 3
    # A subject with lessons and no marks.
    russian = _section(response, "Русский язык")
    assert "Оценок пока нет." in russian
    assert "<svg" not in russian


def test_the_period_switcher_opens_another_period(client_for, school, nikolaev, quarter_marks):
    client = client_for(school, nikolaev.user)
    url = reverse("journal:marks", args=[nikolaev.pk])

    first = client.get(f"{url}?period={quarter_marks[1].pk}")

    math = _section(first, "Математика")
    assert re.search(r'<dd class="average-value">\s*2,00\s*</dd>', math)
    assert re.search(r'<dd class="final-value">—</dd>', math)
    assert math.count("<circle") == 1
    assert f'<a href="?period={quarter_marks[1].pk}" aria-current="page">' in (
        first.content.decode()
    )
    # A period that isn't the year's is the current one.
    for bad in ("abc", "999999"):
        assert (
            'aria-current="page">2 четверть' in client.get(f"{url}?period={bad}").content.decode()
        )


def test_a_period_without_lessons_says_so(client_for, school, nikolaev, quarter_marks):
    url = reverse("journal:marks", args=[nikolaev.pk])

    response = client_for(school, nikolaev.user).get(f"{url}?period={quarter_marks[4].pk}")

    assertContains(response, "В этом периоде пока нет уроков и оценок.")


def test_a_parents_marks_page_switches_children_within_the_period(
    client_for, school, nikolaeva, nikolaev, sister, quarter_marks
):
    url = reverse("journal:marks", args=[nikolaev.pk])

    response = client_for(school, nikolaeva).get(f"{url}?period={quarter_marks[1].pk}")

    sister_url = reverse("journal:marks", args=[sister.pk])
    assertContains(response, f'<a href="{sister_url}?period={quarter_marks[1].pk}">')


def test_a_ten_point_scale_labels_every_other_value(client_for, school, nikolaev, quarter_marks):
    school.mark_max = 10
    school.save()

    response = client_for(school, nikolaev.user).get(reverse("journal:marks", args=[nikolaev.pk]))

    svg = re.search(r"<svg.*?</svg>", _section(response, "Математика"), re.S)
    assert svg is not None
    assert svg.group(0).count("<line") == 10
    labels = re.findall(r'dominant-baseline="middle">(\d+)</text>', svg.group(0))
    assert labels == ["9", "7", "5", "3", "1"]


# Homework files.


def test_a_homework_file_downloads_as_an_attachment_with_its_name(
    client_for, school, nikolaev, week_of_math
):
    homework_file = week_of_math["file"]

    response = client_for(school, nikolaev.user).get(
        reverse("journal:homework_file", args=[homework_file.pk])
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 homework"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''%D0%97%D0%B0%D0%B4%D0%B0%D0%BD%D0%B8%D0%B5"
        in (response["Content-Disposition"])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"


def test_a_group_lessons_file_is_for_the_group_and_its_parents(
    client_for, school, class_6a, nikolaev, ershova, nikolaeva, sidorova, ivanova, bells
):
    english = SubjectFactory(school=school, name="Английский язык")
    group = GroupFactory(school_class=class_6a, subject=english, members=[ershova])
    lesson = LessonFactory(
        school_class=class_6a, subject=english, teacher=sidorova, group=group, date=TUESDAY
    )
    url = reverse("journal:homework_file", args=[_homework_file(lesson).pk])
    ershova_parent = UserFactory(school=school, role=Role.PARENT)
    Guardianship.objects.create(school=school, parent=ershova_parent, student=ershova)

    for user, status in (
        (ershova.user, 200),
        (ershova_parent, 200),
        (sidorova.user, 200),  # the lesson's teacher, though not assigned to 6А
        (ivanova.user, 200),  # the class teacher
        (nikolaev.user, 404),  # in the class, not in the group
        (nikolaeva, 404),
    ):
        assert client_for(school, user).get(url).status_code == status, user.login


def test_a_teacher_of_the_class_in_another_subject_gets_the_file_the_diary_shows_them(
    client_for, school, class_6a, math_lesson, sidorova, russian
):
    TeachingAssignmentFactory(
        school=school, teacher=sidorova, school_class=class_6a, subject=russian
    )
    url = reverse("journal:homework_file", args=[_homework_file(math_lesson).pk])

    assert client_for(school, sidorova.user).get(url).status_code == 200


def test_a_file_missing_from_storage_is_404(client_for, school, nikolaev, week_of_math):
    homework_file = week_of_math["file"]
    homework_file.file.storage.delete(homework_file.file.name)

    response = client_for(school, nikolaev.user).get(
        reverse("journal:homework_file", args=[homework_file.pk])
    )

    assert response.status_code == 404


# The permission matrix of the diary's URLs.

DIARY_VIEWERS = {"student", "parent", "subject_teacher", "class_teacher", "curator"}
DIARY_OWNERS = {"student", "another_student", "parent", "another_parent"}
PARENTS = {"parent", "another_parent"}
# The file of a whole-class lesson: the classmate too.
FILE_VIEWERS = DIARY_VIEWERS | {"another_student"}


def _expected(who: str, allowed: set[str], ok: int = 200) -> int:
    if who == "anonymous":
        return 302
    return ok if who in allowed else 404


def test_the_permission_matrix_of_the_diary_urls(role_clients, nikolaev, week_of_math):
    week = _week_url(nikolaev)
    marks = reverse("journal:marks", args=[nikolaev.pk])
    year = reverse("journal:marks_year", args=[nikolaev.pk])
    sign = reverse("journal:week_sign", args=[nikolaev.pk])
    download = reverse("journal:homework_file", args=[week_of_math["file"].pk])
    home = reverse("journal:diary_home")

    actual: dict[tuple[str, str], int] = {}
    expected: dict[tuple[str, str], int] = {}
    for who, client in role_clients.items():
        requests = {
            # Everyone's own diary: the other family's too.
            "diary_home": (client.get(home), _expected(who, DIARY_OWNERS, 302)),
            "diary_week": (client.get(week), _expected(who, DIARY_VIEWERS)),
            "marks": (client.get(marks), _expected(who, DIARY_VIEWERS)),
            "marks_year": (client.get(year), _expected(who, DIARY_VIEWERS)),
            "homework_file": (client.get(download), _expected(who, FILE_VIEWERS)),
            # The method is refused before the student is looked up: nothing is confirmed.
            "week_sign GET": (client.get(sign), _expected(who, PARENTS, 405)),
            "week_sign POST": (
                client.post(sign, {"week": "2026-11-23"}),
                _expected(who, {"parent"}, 302),
            ),
        }
        for name, (response, status) in requests.items():
            actual[who, name] = response.status_code
            expected[who, name] = status
            if who == "anonymous":
                assert response["Location"].startswith(LOGIN + "?next="), name

    assert actual == expected
    assert list(WeekSignature.objects.values_list("parent__login", flat=True)) == ["nikolaeva"]
    assert set(role_clients) == set(ROLES)


def test_an_archived_childs_diary_is_404_even_to_the_parent(
    client_for, school, nikolaev, nikolaeva
):
    nikolaev.archived_at = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    nikolaev.save()

    client = client_for(school, nikolaeva)

    assert client.get(_week_url(nikolaev)).status_code == 404
    assert client.get(reverse("journal:marks", args=[nikolaev.pk])).status_code == 404
    assertContains(client.get(reverse("journal:diary_home")), "В вашем аккаунте пока нет детей")


# Fixed query counts, whatever the week or the period holds.


@pytest.fixture
def busy_week(school, class_6a, nikolaev, ivanova, petrov, nikolaeva, bells):
    """Thirty lessons of 6А this week (five a day), each with a mark, a file; absences,
    remarks and a signature; a group lesson of Николаев's group."""
    subjects = [SubjectFactory(school=school, name=f"Предмет {n}") for n in range(6)]
    lessons = []
    for day in range(6):
        for number in range(3, 8):  # Tuesday's 2nd is math_lesson's
            lesson = LessonFactory(
                school_class=class_6a,
                subject=subjects[number - 2],
                teacher=petrov,
                date=MONDAY + dt.timedelta(days=day),
                number=number,
                topic=f"Тема {day}-{number}",
            )
            lessons.append(lesson)
            set_at = LessonFactory(
                school_class=class_6a,
                subject=lesson.subject,
                teacher=petrov,
                date=MONDAY + dt.timedelta(days=day - 7),
                number=number,
            )
            HomeworkFactory(lesson=set_at, due_lesson=lesson, text="Упражнение 1")
            MarkFactory(
                lesson=lesson, student=nikolaev, value=3 + number % 3, weight=number % 2 + 1
            )
            _homework_file(set_at)
            if number == 7:
                AttendanceFactory(lesson=lesson, student=nikolaev)
                RemarkFactory(student=nikolaev, lesson=lesson, author=ivanova.user)
    group = GroupFactory(school_class=class_6a, subject=subjects[0], members=[nikolaev])
    LessonFactory(
        school_class=class_6a,
        subject=subjects[0],
        teacher=petrov,
        group=group,
        date=MONDAY,
        number=1,
    )
    WeekSignature.objects.create(
        school=school, parent=nikolaeva, student=nikolaev, week_start=MONDAY
    )
    return lessons


def _count(client, url, django_assert_num_queries, queries, cached):
    """The page's queries when its journal read is not in the cache (`queries`) and again
    once it is (`cached`), with the same page both times."""
    first = client.get(url)  # the parent's child is remembered in the session on the first visit
    journal_changed(school_id=first.wsgi_request.school.pk)  # as after any change: read again
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_num_queries(cached):
        again = client.get(url)
    assert _without_csrf(again) == _without_csrf(response)
    return response


def _without_csrf(response):
    """The page without its forms' CSRF tokens, which are masked anew on every page."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


# The request none after the first (the session and its user are in the cache,
# accounts.identity, and the host's school is known to the process, schools.hosts); the
# student 1 (a parent's children, for the access and the switcher); the week 8 (lessons,
# marks, attendance, homework due, its files, holidays, remarks, signatures); a parent's own
# signature 1. A week with no homework due asks for no files (one query fewer).
WEEK_QUERIES_PARENT = 10
WEEK_QUERIES_STUDENT = 9  # no signature of one's own
# Once the week is in the cache (core.freshness) its eight are none, and so are the student
# (the family, kept under the user's version) and the signature (kept under the pupil's).
WEEK_CACHED_PARENT = 0
WEEK_CACHED_STUDENT = 0
# The student 1 (as above); the periods 1; the marks 3.
MARKS_QUERIES_PARENT = 5
MARKS_CACHED_PARENT = 0  # the marks' three kept, the student and the periods


def test_a_weeks_queries_are_fixed_whatever_it_holds(
    client_for, school, nikolaev, nikolaeva, math_lesson, django_assert_num_queries, request
):
    url = _week_url(nikolaev)
    parent, student = client_for(school, nikolaeva), client_for(school, nikolaev.user)

    _count(parent, url, django_assert_num_queries, WEEK_QUERIES_PARENT - 1, WEEK_CACHED_PARENT)
    _count(student, url, django_assert_num_queries, WEEK_QUERIES_STUDENT - 1, WEEK_CACHED_STUDENT)

    request.getfixturevalue("busy_week")
    busy = _count(parent, url, django_assert_num_queries, WEEK_QUERIES_PARENT, WEEK_CACHED_PARENT)
    _count(student, url, django_assert_num_queries, WEEK_QUERIES_STUDENT, WEEK_CACHED_STUDENT)
    assert busy.content.decode().count('<li class="lesson') == 32  # the busy week, Tuesday's math
    assert "Подписано 26.11.2026" in busy.content.decode()


def test_the_marks_pages_queries_are_fixed_whatever_it_holds(
    client_for,
    school,
    class_6a,
    math,
    nikolaev,
    nikolaeva,
    petrov,
    bells,
    django_assert_num_queries,
):
    url = reverse("journal:marks", args=[nikolaev.pk])
    client = client_for(school, nikolaeva)
    period = Period.objects.get(school=school, number=2)
    MarkFactory(
        lesson=LessonFactory(
            school_class=class_6a, subject=math, teacher=petrov, date=dt.date(2026, 11, 6)
        ),
        student=nikolaev,
    )
    _count(client, url, django_assert_num_queries, MARKS_QUERIES_PARENT, MARKS_CACHED_PARENT)

    for n in range(14):
        subject = SubjectFactory(school=school, name=f"Предмет {n:02}")
        for day in range(8):
            lesson = LessonFactory(
                school_class=class_6a,
                subject=subject,
                teacher=petrov,
                date=dt.date(2026, 11, 9) + dt.timedelta(days=day + 14 * (n // 7)),
                number=n % 7 + 1,
            )
            MarkFactory(lesson=lesson, student=nikolaev, value=2 + day % 4, weight=day % 2 + 1)
        FinalMarkFactory(student=nikolaev, subject=subject, period=period, value=4)
    response = _count(
        client, url, django_assert_num_queries, MARKS_QUERIES_PARENT, MARKS_CACHED_PARENT
    )
    assert response.content.decode().count('<section class="card subject-marks"') == 15
    assert response.content.decode().count("<circle") == 1 + 14 * 8
