"""The curator's set-up pages under curator/schedule/: bells, holidays, a class's week with its
assignments and groups, making lessons. Each write goes through its service and comes back
with a message; a refused one shows the reason in Russian and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from ejournal.core.testing.factories import (
    SchoolClassFactory,
    StudentFactory,
    SubjectFactory,
    UserFactory,
)
from ejournal.core.testing.journal_factories import (
    GroupFactory,
    HolidayFactory,
    LessonFactory,
    MarkFactory,
    teacher_with_account,
)
from ejournal.journal.models import (
    Bell,
    Group,
    GroupMembership,
    Holiday,
    Lesson,
    LessonStatus,
    TeachingAssignment,
    TimetableEntry,
)
from ejournal.journal.services import holiday_create, timetable_entry_set
from ejournal.schools.models import Period
from ejournal.schools.roles import Role
from ejournal.schools.selectors import current_year

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _week(school_class) -> str:
    return reverse("setup:class_week", args=[school_class.pk])


@pytest.fixture
def english(school):
    return SubjectFactory(school=school, name="Английский язык")


@pytest.fixture
def monday_math(class_6a, math, petrov, bells):
    return timetable_entry_set(
        school_class=class_6a, weekday=1, number=1, subject=math, teacher=petrov, actor=None
    )


# The index


def test_the_index_links_the_set_up_pages_and_each_class_week(
    curator_client, class_6a, class_6b, django_assert_num_queries
):
    with django_assert_num_queries(5):
        response = curator_client.get(reverse("setup:index"))

    text = _text(response)
    assert "<h1>Расписание</h1>" in text
    for name in ("setup:bells", "setup:holidays", "setup:lessons_generate"):
        assert f'href="{reverse(name)}"' in text
    assert f'href="{_week(class_6a)}">6А</a>' in text
    assert f'href="{_week(class_6b)}">6Б</a>' in text


# Bells


def test_the_bells_page_shows_the_schedule_in_the_form(
    curator_client, bells, django_assert_num_queries
):
    with django_assert_num_queries(4):
        response = curator_client.get(reverse("setup:bells"))

    text = _text(response)
    assert "<h1>Звонки</h1>" in text
    assert 'name="start_1" value="08:30"' in text
    assert 'name="end_7" value="15:05"' in text
    assert 'name="start_8" ' in text
    assert 'name="start_8" value' not in text


def test_saving_the_bells_replaces_the_schedule(school, curator_client, bells):
    response = curator_client.post(
        reverse("setup:bells"),
        {"start_1": "09:00", "end_1": "09:40", "start_2": "09:50", "end_2": "10:30"},
        follow=True,
    )

    assertRedirects(response, reverse("setup:bells"))
    assert _messages(response) == ["Расписание звонков сохранено: уроков — 2."]
    assert [(b.number, b.starts_at, b.ends_at) for b in Bell.objects.filter(school=school)] == [
        (1, dt.time(9, 0), dt.time(9, 40)),
        (2, dt.time(9, 50), dt.time(10, 30)),
    ]


def test_the_default_button_sets_seven_lessons(school, curator_client):
    response = curator_client.post(reverse("setup:bells"), {"default": "1"}, follow=True)

    assertRedirects(response, reverse("setup:bells"))
    assert _messages(response) == ["Установлено расписание звонков по умолчанию."]
    assert Bell.objects.filter(school=school).count() == 7


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"start_1": "09:00", "end_1": "08:40"}, "Урок 1 кончается раньше, чем начинается."),
        (
            {"start_1": "09:00", "end_1": "09:45", "start_2": "09:30", "end_2": "10:10"},
            "Урок 2 начинается раньше, чем кончается 1.",
        ),
        ({"start_1": "09:00"}, "Урок 1: укажите и начало, и конец."),
        ({"start_2": "09:00", "end_2": "09:45"}, "Урок 2: перед ним пропущен урок."),
        ({"start_1": "9 утра", "end_1": "09:45"}, "Время в виде ЧЧ:ММ."),
        ({}, "Укажите время хотя бы одного урока."),
    ],
)
def test_bad_bells_are_refused_with_the_reason(school, curator_client, bells, data, reason):
    response = curator_client.post(reverse("setup:bells"), data)

    assert response.status_code == 200
    assert reason in _text(response)
    assert Bell.objects.filter(school=school).count() == 7


# Holidays


def test_the_holidays_page_lists_the_years_holidays(
    school, curator_client, django_assert_num_queries
):
    year = current_year(school=school)
    holiday_create(
        school=school,
        year=year,
        name="Осенние каникулы",
        starts_on=dt.date(2026, 10, 26),
        ends_on=dt.date(2026, 11, 3),
        actor=None,
    )

    with django_assert_num_queries(5):
        response = curator_client.get(reverse("setup:holidays"))

    text = _text(response)
    assert "<h1>Каникулы и праздники</h1>" in text
    assert (
        "<td>Осенние каникулы</td><td>Каникулы</td><td>26.10.2026</td><td>03.11.2026</td>" in text
    )


def test_adding_a_holiday(school, curator_client):
    response = curator_client.post(
        reverse("setup:holidays"),
        {
            "name": "День народного единства",
            "kind": "holiday",
            "starts_on": "2026-11-04",
            "ends_on": "04.11.2026",
        },
        follow=True,
    )

    assertRedirects(response, reverse("setup:holidays"))
    assert _messages(response) == ["Добавлено: День народного единства."]
    holiday = Holiday.objects.get(school=school)
    assert (holiday.kind, holiday.starts_on, holiday.ends_on) == (
        "holiday",
        dt.date(2026, 11, 4),
        dt.date(2026, 11, 4),
    )


def test_a_holiday_added_after_the_lessons_cancels_them_and_says_so(
    school, curator_client, math_lesson, nikolaev, class_6a, math, petrov
):
    ahead = LessonFactory(
        school_class=class_6a, subject=math, teacher=petrov, date=dt.date(2026, 11, 30)
    )
    MarkFactory(lesson=math_lesson, student=nikolaev)

    response = curator_client.post(
        reverse("setup:holidays"),
        {
            "name": "Карантин",
            "kind": "vacation",
            "starts_on": "2026-11-24",
            "ends_on": "2026-12-04",
        },
        follow=True,
    )

    assert _messages(response) == [
        "Добавлено: Карантин. Отменено уроков: 1. "
        "Уроки с оценками или отметками о посещаемости остались: 1."
    ]
    ahead.refresh_from_db()
    math_lesson.refresh_from_db()
    assert (ahead.status, math_lesson.status) == (LessonStatus.CANCELLED, LessonStatus.PLANNED)


def test_the_curator_deletes_a_holiday_and_its_lessons_are_planned_again(
    school, curator_client, class_6a, math, petrov, bells
):
    ahead = LessonFactory(
        school_class=class_6a, subject=math, teacher=petrov, date=dt.date(2026, 11, 30)
    )
    holiday = holiday_create(
        school=school,
        year=current_year(school=school),
        name="Карантин",
        starts_on=dt.date(2026, 11, 30),
        ends_on=dt.date(2026, 12, 4),
        actor=None,
    ).holiday
    page = _text(curator_client.get(reverse("setup:holidays")))
    assert f'action="{reverse("setup:holiday_delete")}"' in page
    assert f'name="holiday" value="{holiday.pk}"' in page

    response = curator_client.post(
        reverse("setup:holiday_delete"), {"holiday": holiday.pk}, follow=True
    )

    assertRedirects(response, reverse("setup:holidays"))
    assert _messages(response) == ["Удалено: Карантин. Снова по расписанию уроков: 1."]
    assert not Holiday.objects.filter(school=school).exists()
    ahead.refresh_from_db()
    assert ahead.status == LessonStatus.PLANNED


@pytest.mark.parametrize("value", ["", "abc", "99999999999999999999", "-1", "other"])
def test_deleting_a_holiday_that_is_not_there_says_so_and_deletes_nothing(
    school, other_school, curator_client, value
):
    mine = HolidayFactory(school=school)
    foreign = HolidayFactory(school=other_school)
    sent = str(foreign.pk) if value == "other" else value

    response = curator_client.post(reverse("setup:holiday_delete"), {"holiday": sent}, follow=True)

    assert response.status_code == 200
    assert _messages(response) == ["Таких каникул или праздника нет: возможно, их уже удалили."]
    assert Holiday.objects.filter(pk__in=[mine.pk, foreign.pk]).count() == 2


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "reason"),
    [
        ("2026-12-30", "2027-01-08", None),  # the control: accepted
        ("2026-06-01", "2026-06-10", "Даты должны быть внутри учебного года"),
        ("2026-12-30", "2026-12-20", "Дата окончания раньше даты начала."),
        ("", "2026-12-20", "Обязательное поле."),
    ],
)
def test_a_holiday_outside_the_year_or_backwards_is_refused(
    school, curator_client, starts_on, ends_on, reason
):
    response = curator_client.post(
        reverse("setup:holidays"),
        {"name": "Зимние каникулы", "kind": "vacation", "starts_on": starts_on, "ends_on": ends_on},
    )

    if reason is None:
        assert response.status_code == 302
        assert Holiday.objects.filter(school=school).count() == 1
    else:
        assert response.status_code == 200
        assert reason in _text(response)
        assert not Holiday.objects.filter(school=school).exists()


# A class's week


def test_the_class_week_shows_the_grid_assignments_and_groups(
    curator_client,
    class_6a,
    math,
    english,
    petrov,
    ivanova,
    nikolaev,
    ershova,
    monday_math,
    django_assert_num_queries,
):
    group = GroupFactory(school_class=class_6a, subject=english, name="1 группа", members=[ershova])
    timetable_entry_set(
        school_class=class_6a,
        weekday=3,
        number=2,
        subject=english,
        teacher=ivanova,
        group=group,
        room="21",
        actor=None,
    )

    # The school, session, user and unread messages; the class, bells, grid, assignments,
    # groups and their members, students; and each form's choices (subjects, teachers,
    # groups; students).
    with django_assert_num_queries(18):
        response = curator_client.get(_week(class_6a))

    text = _text(response)
    assert "<h1>Расписание класса 6А</h1>" in text
    assert '<th scope="col">Понедельник</th>' in text
    assert "Суббота" in text
    assert "<strong>Математика</strong>" in text
    assert "Петров Олег Николаевич" in text
    assert "<strong>Английский язык</strong> · 1 группа" in text
    assert "каб. 21" in text
    rows = [(a.subject.name, a.teacher.last_name) for a in response.context["assignments"]]
    assert rows == [("Математика", "Петров"), ("Русский язык", "Иванова")]
    assert "Английский язык: 1 группа" in text
    assert f'value="{ershova.pk}" checked> Ершова Дарья' in text
    assert f'value="{nikolaev.pk}"> Николаев Василий' in text


def test_the_grid_costs_the_same_with_more_lessons(
    curator_client, class_6a, math, petrov, bells, django_assert_num_queries
):
    for day in range(1, 7):
        for number in range(1, 6):
            timetable_entry_set(
                school_class=class_6a,
                weekday=day,
                number=number,
                subject=math,
                teacher=petrov,
                actor=None,
            )

    # As above, less the members query: there are no groups to fetch members for.
    with django_assert_num_queries(17):
        response = curator_client.get(_week(class_6a))

    assert _text(response).count("<strong>Математика</strong>") == 30


def test_an_empty_cell_prefills_the_slot_form(curator_client, class_6a, bells):
    response = curator_client.get(_week(class_6a) + "?weekday=4&number=3")

    assert response.context["slot_form"]["weekday"].value() == "4"
    assert response.context["slot_form"]["number"].value() == "3"


def test_without_bells_the_page_asks_for_them_first(curator_client, class_6a):
    text = _text(curator_client.get(_week(class_6a)))

    assert "Сначала задайте" in text
    assert reverse("setup:bells") in text


def test_setting_a_slot_puts_the_lesson_in_the_week(curator_client, class_6a, math, petrov, bells):
    response = curator_client.post(
        _week(class_6a),
        {"weekday": "2", "number": "3", "subject": math.pk, "teacher": petrov.pk, "room": " 14 "},
        follow=True,
    )

    assertRedirects(response, _week(class_6a))
    assert _messages(response) == ["Вторник, урок 3: Математика."]
    entry = TimetableEntry.objects.get(school_class=class_6a)
    assert (entry.weekday, entry.number, entry.subject, entry.teacher, entry.room) == (
        2,
        3,
        math,
        petrov,
        "14",
    )


def test_a_teacher_busy_in_another_class_is_refused(
    school, curator_client, class_6a, class_6b, math, petrov, bells
):
    timetable_entry_set(
        school_class=class_6b, weekday=1, number=1, subject=math, teacher=petrov, actor=None
    )

    response = curator_client.post(
        _week(class_6a), {"weekday": "1", "number": "1", "subject": math.pk, "teacher": petrov.pk}
    )

    assert response.status_code == 200
    assert "Петров Олег Николаевич в это время ведёт урок в 6Б." in _text(response)
    assert not TimetableEntry.objects.filter(school_class=class_6a).exists()


def test_a_lesson_number_without_a_bell_or_a_foreign_group_is_refused(
    school, curator_client, class_6a, class_6b, math, petrov, bells
):
    other_group = GroupFactory(school_class=class_6b, subject=math)

    no_bell = curator_client.post(
        _week(class_6a), {"weekday": "1", "number": "9", "subject": math.pk, "teacher": petrov.pk}
    )
    foreign = curator_client.post(
        _week(class_6a),
        {
            "weekday": "1",
            "number": "1",
            "subject": math.pk,
            "teacher": petrov.pk,
            "group": other_group.pk,
        },
    )

    assert "Такого урока нет в расписании звонков." in _text(no_bell)
    assert "Выберите из списка." in _text(foreign)
    assert not TimetableEntry.objects.exists()


def test_clearing_a_slot(curator_client, class_6a, monday_math):
    response = curator_client.post(
        reverse("setup:entry_clear", args=[class_6a.pk]), {"entry": monday_math.pk}, follow=True
    )

    assertRedirects(response, _week(class_6a))
    assert _messages(response) == ["Понедельник, урок 1: урок убран из расписания."]
    assert not TimetableEntry.objects.exists()


def test_clearing_another_classs_slot_is_refused(
    curator_client, class_6a, class_6b, math, sidorova, bells
):
    theirs = timetable_entry_set(
        school_class=class_6b, weekday=1, number=1, subject=math, teacher=sidorova, actor=None
    )

    response = curator_client.post(
        reverse("setup:entry_clear", args=[class_6a.pk]), {"entry": theirs.pk}
    )

    assert response.status_code == 200
    assert "Выберите из списка." in _text(response)
    assert TimetableEntry.objects.filter(pk=theirs.pk).exists()


# Teaching assignments


def test_assigning_a_teacher_and_removing_the_assignment(school, curator_client, class_6a, english):
    smirnov = teacher_with_account(
        school, "smirnov", last_name="Смирнов", first_name="Ян", middle_name=""
    )
    url = reverse("setup:assignment_add", args=[class_6a.pk])

    added = curator_client.post(url, {"teacher": smirnov.pk, "subject": english.pk}, follow=True)

    assertRedirects(added, _week(class_6a))
    assert _messages(added) == ["Смирнов Ян ведёт английский язык."]
    assignment = TeachingAssignment.objects.get(school_class=class_6a)
    assert (assignment.teacher, assignment.subject, assignment.group) == (smirnov, english, None)

    removed = curator_client.post(
        reverse("setup:assignment_remove", args=[class_6a.pk]),
        {"assignment": assignment.pk},
        follow=True,
    )

    assertRedirects(removed, _week(class_6a))
    assert _messages(removed) == ["Смирнов Ян больше не ведёт английский язык."]
    assert not TeachingAssignment.objects.filter(school_class=class_6a).exists()


def test_a_second_identical_assignment_is_refused(curator_client, class_6a, math, petrov):
    response = curator_client.post(
        reverse("setup:assignment_add", args=[class_6a.pk]),
        {"teacher": petrov.pk, "subject": math.pk},
    )

    assert response.status_code == 200
    assert "Петров Олег Николаевич уже ведёт этот предмет в 6А." in _text(response)
    assert TeachingAssignment.objects.filter(school_class=class_6a).count() == 1


def test_removing_another_classs_assignment_is_refused(curator_client, class_6a, sidorova):
    theirs = TeachingAssignment.objects.get(teacher=sidorova)

    response = curator_client.post(
        reverse("setup:assignment_remove", args=[class_6a.pk]), {"assignment": theirs.pk}
    )

    assert response.status_code == 200
    assert "Выберите из списка." in _text(response)
    assert TeachingAssignment.objects.filter(pk=theirs.pk).exists()


# Groups


def test_creating_a_group_with_its_students(curator_client, class_6a, english, nikolaev, ershova):
    response = curator_client.post(
        reverse("setup:group_add", args=[class_6a.pk]),
        {"subject": english.pk, "name": "1 группа", "students": [nikolaev.pk]},
        follow=True,
    )

    assertRedirects(response, _week(class_6a))
    assert _messages(response) == ["Группа «1 группа» создана."]
    group = Group.objects.get(school_class=class_6a)
    assert (group.subject, group.name) == (english, "1 группа")
    assert list(group.students.all()) == [nikolaev]


def test_a_group_name_taken_for_the_subject_is_refused(curator_client, class_6a, english):
    GroupFactory(school_class=class_6a, subject=english, name="1 группа")

    response = curator_client.post(
        reverse("setup:group_add", args=[class_6a.pk]), {"subject": english.pk, "name": "1 группа"}
    )

    assert response.status_code == 200
    assert "Группа «1 группа» по этому предмету уже есть." in _text(response)
    assert Group.objects.filter(school_class=class_6a).count() == 1


def test_editing_a_groups_students(curator_client, class_6a, english, nikolaev, ershova):
    group = GroupFactory(school_class=class_6a, subject=english, members=[nikolaev])

    response = curator_client.post(
        reverse("setup:group_members", args=[class_6a.pk]),
        {"group": group.pk, "students": [ershova.pk]},
        follow=True,
    )

    assertRedirects(response, _week(class_6a))
    assert _messages(response) == [f"Группа «{group.name}»: состав сохранён."]
    assert list(group.students.all()) == [ershova]


def test_a_student_of_another_class_cannot_join_a_group(
    curator_client, class_6a, english, nikolaev, borisov
):
    group = GroupFactory(school_class=class_6a, subject=english, members=[nikolaev])

    response = curator_client.post(
        reverse("setup:group_members", args=[class_6a.pk]),
        {"group": group.pk, "students": [borisov.pk]},
    )

    assert response.status_code == 200
    assert "Выберите учеников из списка." in _text(response)
    assert list(GroupMembership.objects.values_list("student_id", flat=True)) == [nikolaev.pk]


# Making lessons


def test_the_lessons_page_offers_today_to_the_end_of_the_period(
    school, curator_client, class_6a, django_assert_num_queries
):
    period = Period.objects.get(school=school, starts_on__lte=TODAY, ends_on__gte=TODAY)

    with django_assert_num_queries(6):
        response = curator_client.get(reverse("setup:lessons_generate"))

    text = _text(response)
    assert "<h1>Создать уроки</h1>" in text
    assert 'name="starts_on" value="2026-11-26"' in text
    assert f'name="ends_on" value="{period.ends_on:%Y-%m-%d}"' in text
    assert '<option value="" selected>все классы</option>' in text


def test_making_a_weeks_lessons_for_one_class(
    curator_client, class_6a, class_6b, math, petrov, sidorova, monday_math
):
    timetable_entry_set(
        school_class=class_6b, weekday=1, number=2, subject=math, teacher=sidorova, actor=None
    )
    url = reverse("setup:lessons_generate")
    data = {"starts_on": "2026-11-30", "ends_on": "2026-12-13", "school_class": class_6a.pk}

    response = curator_client.post(url, data, follow=True)

    assertRedirects(response, url)
    assert _messages(response) == ["Создано уроков: 2 (6А, 30.11.2026–13.12.2026)."]
    assert sorted(Lesson.objects.values_list("school_class_id", "date")) == [
        (class_6a.pk, dt.date(2026, 11, 30)),
        (class_6a.pk, dt.date(2026, 12, 7)),
    ]
    again = curator_client.post(url, {**data, "school_class": ""}, follow=True)
    assert _messages(again) == ["Создано уроков: 2 (всех классов, 30.11.2026–13.12.2026)."]
    assert Lesson.objects.count() == 4


def test_a_backwards_range_makes_no_lessons(curator_client, class_6a, monday_math):
    response = curator_client.post(
        reverse("setup:lessons_generate"), {"starts_on": "2026-12-13", "ends_on": "2026-11-30"}
    )

    assert response.status_code == 200
    assert "Дата окончания раньше даты начала." in _text(response)
    assert not Lesson.objects.exists()


# Who reaches the pages


def _setup_urls(school_class) -> list[str]:
    plain = ["index", "bells", "holidays", "lessons_generate"]
    per_class = [
        "class_week",
        "entry_clear",
        "assignment_add",
        "assignment_remove",
        "group_add",
        "group_members",
    ]
    return [
        *(reverse(f"setup:{name}") for name in plain),
        *(reverse(f"setup:{name}", args=[school_class.pk]) for name in per_class),
    ]


@pytest.mark.parametrize("role", [Role.TEACHER, Role.STUDENT, Role.PARENT])
def test_only_the_curator_reaches_the_set_up_pages(school, client_for, class_6a, bells, role):
    client = client_for(school, UserFactory(school=school, role=role))

    for url in _setup_urls(class_6a):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"default": "1"}).status_code == 404, url
    assert not TimetableEntry.objects.exists()


def test_visitors_are_asked_to_log_in(school, client_for, class_6a):
    client = client_for(school)

    for url in _setup_urls(class_6a):
        response = client.post(url, {"default": "1"})
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login") + "?next=")
    assert not Bell.objects.exists()


def test_another_schools_class_is_404(curator_client, other_school):
    theirs = SchoolClassFactory(school=other_school)
    StudentFactory(school_class=theirs)

    assert curator_client.get(_week(theirs)).status_code == 404
