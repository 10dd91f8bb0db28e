"""The teacher's journal pages: the home page, the grid, the cell and final endpoints, a
lesson's page and remarks; who may use each (a permission matrix) and their query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.conftest import school_host
from ejournal.core.testing.factories import StudentFactory, SubjectFactory
from ejournal.core.testing.journal_factories import (
    AttendanceFactory,
    FinalMarkFactory,
    GroupFactory,
    HomeworkFactory,
    LessonFactory,
    MarkFactory,
    TeachingAssignmentFactory,
    teacher_with_account,
)
from ejournal.journal.models import (
    AbsenceReason,
    Attendance,
    AttendanceStatus,
    ControlType,
    FinalMark,
    Homework,
    HomeworkFile,
    LessonStatus,
    Mark,
    Remark,
)

from .conftest import TODAY

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def petrov_client(school, petrov, client_for):
    return client_for(school, petrov.user)


def _lesson(class_6a, math, petrov, day, number=1, **fields):
    return LessonFactory(
        school_class=class_6a, subject=math, teacher=petrov, date=day, number=number, **fields
    )


def _grid_url(school_class, subject, **query):
    url = reverse("journal:grid", args=[school_class.pk, subject.pk])
    if query:
        url += "?" + "&".join(f"{name}={value}" for name, value in query.items())
    return url


def _cell_url(lesson, student):
    return reverse("journal:cell", kwargs={"lesson_id": lesson.pk, "student_id": student.pk})


def _final_url(school_class, subject, student):
    return reverse(
        "journal:final",
        kwargs={"class_id": school_class.pk, "subject_id": subject.pk, "student_id": student.pk},
    )


def _post_cell(client, lesson, student, **data):
    return client.post(_cell_url(lesson, student), data, **JSON)


def _text(response) -> str:
    """The page's text without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# The home page


def test_the_teacher_home_has_todays_lessons_and_the_years_journals(
    petrov_client, class_6a, math, petrov, bells
):
    today = _lesson(class_6a, math, petrov, TODAY, number=3, topic="Дроби")
    response = petrov_client.get(reverse("journal:teacher_home"))
    assert response.status_code == 200
    text = _text(response)
    assert "Сегодня, четверг, 26 ноября" in text
    assert "3 10:30–11:15 6А Математика 201 Дроби" in text
    assert "Дроби" in text
    assert "6А · Математика" in text
    grid = _grid_url(class_6a, math)
    assert f'href="{grid}"' in response.content.decode()
    assert reverse("journal:lesson", args=[today.pk]) in response.content.decode()


def test_a_class_teacher_also_finds_the_journals_of_their_class(
    school, client_for, ivanova, class_6a, math, petrov
):
    _lesson(class_6a, math, petrov, dt.date(2026, 11, 24))
    response = client_for(school, ivanova.user).get(reverse("journal:teacher_home"))
    text = _text(response)
    assert "Классное руководство: 6А" in text
    assert _grid_url(class_6a, math) in response.content.decode()


def test_the_curator_gets_every_class_and_subject_with_lessons(
    curator_client, class_6a, class_6b, math, russian, petrov, sidorova, ivanova
):
    _lesson(class_6a, math, petrov, dt.date(2026, 11, 24))
    _lesson(class_6a, russian, ivanova, dt.date(2026, 11, 24), number=2)
    _lesson(class_6b, math, sidorova, dt.date(2026, 11, 24))
    response = curator_client.get(reverse("journal:teacher_home"))
    assert response.status_code == 200
    page = response.content.decode()
    for school_class, subject in [(class_6a, math), (class_6a, russian), (class_6b, math)]:
        assert _grid_url(school_class, subject) in page
    assert "для просмотра" in _text(response)


def test_a_teacher_account_without_a_teacher_record_is_told_so(school, client_for):
    from ejournal.core.testing.factories import UserFactory
    from ejournal.schools.roles import Role

    user = UserFactory(school=school, role=Role.TEACHER, login="newcomer")
    response = client_for(school, user).get(reverse("journal:teacher_home"))
    assert "не связана с учителем" in _text(response)


# The grid


@pytest.fixture
def filled(class_6a, math, petrov, nikolaev, ershova, quarter_2, bells):
    """Three lessons of 6А's Математика in the second quarter with marks, an absence, a final."""
    lessons = [
        _lesson(class_6a, math, petrov, dt.date(2026, 11, 9), topic="Дроби"),
        _lesson(class_6a, math, petrov, dt.date(2026, 11, 16), control_type=ControlType.TEST),
        _lesson(class_6a, math, petrov, dt.date(2026, 11, 23)),
    ]
    MarkFactory(lesson=lessons[0], student=nikolaev, value=3, comment="Устный ответ")
    MarkFactory(lesson=lessons[1], student=nikolaev, value=5, weight=2)
    AttendanceFactory(lesson=lessons[2], student=ershova, reason=AbsenceReason.ILLNESS)
    FinalMarkFactory(student=nikolaev, subject=math, period=quarter_2, value=4)
    return lessons


def test_the_grid_shows_students_dates_marks_weights_absences_averages_and_finals(
    petrov_client, class_6a, math, filled, nikolaev, ershova
):
    response = petrov_client.get(_grid_url(class_6a, math))
    assert response.status_code == 200
    page = response.content.decode()
    text = _text(response)
    assert "6А · Математика" in text
    assert "2 четверть" in text
    assert text.index("Ершова Дарья") < text.index("Николаев Василий")
    assert "Ноябрь" in text
    for lesson in filled:
        assert reverse("journal:lesson", args=[lesson.pk]) in page
    assert 'title="Пн 09.11, 1-й урок · Дроби"' in page
    assert '<span class="g-control">К</span>' in page
    assert '<span class="g-mark">3</span>' in page
    assert 'title="Устный ответ"' in page
    assert '<span class="g-mark hi">5</span><sup class="g-weight">×2</sup>' in page
    assert '<span class="g-att">н</span>' in page
    assert 'title="Не был на уроке: Болезнь"' in page
    # Николаев: 3 (×1) and 5 (×2) → 4.33; his final is 4; Ершова has no marks.
    assert '<td class="g-avg">4,33</td>' in page
    assert '<td class="g-avg"></td>' in page
    assert '<span class="g-mark">4</span>' in page
    assert "data-fill" in page
    assert _final_url(class_6a, math, nikolaev) in page


def test_the_grid_opens_on_the_current_period_and_switches_periods(
    petrov_client, class_6a, math, petrov, nikolaev, quarter_1, quarter_2
):
    _lesson(class_6a, math, petrov, dt.date(2026, 10, 5), topic="Из первой четверти")
    _lesson(class_6a, math, petrov, dt.date(2026, 11, 24), topic="Из второй четверти")
    current = petrov_client.get(_grid_url(class_6a, math))
    assert "Из второй четверти" in current.content.decode()
    assert "Из первой четверти" not in current.content.decode()
    assert _grid_url(class_6a, math, period=quarter_1.pk) in current.content.decode()

    first = petrov_client.get(_grid_url(class_6a, math, period=quarter_1.pk))
    assert "Из первой четверти" in first.content.decode()
    assert '<strong aria-current="page">1 четверть</strong>' in first.content.decode()


@pytest.mark.parametrize("period", ["999999", "abc"])
def test_an_unknown_period_is_a_404(petrov_client, class_6a, math, period):
    assert petrov_client.get(_grid_url(class_6a, math, period=period)).status_code == 404


def test_a_period_without_lessons_says_so(petrov_client, class_6a, math, nikolaev, quarter_2):
    response = petrov_client.get(_grid_url(class_6a, math))
    assert "В этом периоде уроков математика в 6А нет." in _text(response)


def test_a_split_subject_has_a_group_switcher_and_each_groups_grid(
    school, client_for, class_6a, petrov, sidorova, nikolaev, ershova, quarter_2
):
    english = SubjectFactory(school=school, name="Английский язык")
    one = GroupFactory(school_class=class_6a, subject=english, name="1 группа", members=[nikolaev])
    two = GroupFactory(school_class=class_6a, subject=english, name="2 группа", members=[ershova])
    TeachingAssignmentFactory(
        school=school, teacher=petrov, school_class=class_6a, subject=english, group=one
    )
    _lesson(class_6a, english, petrov, dt.date(2026, 11, 9), group=one, topic="Present Simple")
    _lesson(class_6a, english, sidorova, dt.date(2026, 11, 10), group=two, topic="Past Simple")
    client = client_for(school, petrov.user)
    response = client.get(_grid_url(class_6a, english, group=one.pk))
    text = _text(response)
    assert "6А · Английский язык · 1 группа" in text
    assert "Николаев" in text
    assert "Ершова" not in text
    assert "Present Simple" in response.content.decode()
    assert "Past Simple" not in response.content.decode()
    two_url = _grid_url(class_6a, english, period=quarter_2.pk, group=two.pk)
    assert two_url.replace("&", "&amp;") in response.content.decode()
    # The other group's grid: readable, but its lessons are not his.
    other = client.get(_grid_url(class_6a, english, group=two.pk))
    assert "Этот урок ведёт другой учитель" in other.content.decode()
    assert client.get(_grid_url(class_6a, english, group=999999)).status_code == 404


def test_cancelled_future_and_todays_columns_are_marked_and_locked(
    petrov_client, class_6a, math, petrov, nikolaev, quarter_2
):
    _lesson(class_6a, math, petrov, dt.date(2026, 11, 19), status=LessonStatus.CANCELLED)
    _lesson(class_6a, math, petrov, TODAY)
    _lesson(class_6a, math, petrov, dt.date(2026, 11, 30))
    page = petrov_client.get(_grid_url(class_6a, math)).content.decode()
    assert 'class="g-day cancelled"' in page
    assert "Урок отменён: оценки и отметки на нём не ставятся." in page
    assert 'class="g-day today"' in page
    assert "Урок ещё не прошёл" in page
    assert '<td class="c off"></td>' in page
    assert '<td class="c today"></td>' in page


@pytest.mark.parametrize("who", ["class_teacher", "curator"])
def test_the_class_teacher_and_the_curator_read_the_grid_only(
    school, client_for, class_6a, math, filled, ivanova, curator, who
):
    user = ivanova.user if who == "class_teacher" else curator
    response = client_for(school, user).get(_grid_url(class_6a, math))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Журнал открыт только для просмотра" in page
    assert "data-fill" not in page
    assert "js/grid.js" not in page
    assert "/finals/" not in page
    assert '<span class="g-mark hi">5</span>' in page
    # They may still leave a remark for the parents.
    assert reverse("journal:remark_add", args=[filled[0].school_class.students.first().pk]) in page


# Saving a cell


def test_typing_a_mark_saves_it_and_answers_the_cell_and_the_average(
    petrov_client, petrov, math_lesson, nikolaev
):
    response = _post_cell(petrov_client, math_lesson, nikolaev, value="4")
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "cell": {
            "html": '<span class="g-mark">4</span>',
            "text": "4",
            "title": "",
            "css": "",
            "mark": 4,
            "weight": 1,
            "comment": "",
            "status": "",
            "reason": "",
        },
        "average": "4,00",
    }
    mark = Mark.objects.get(lesson=math_lesson, student=nikolaev)
    assert (mark.value, mark.weight, mark.author) == (4, 1, petrov.user)
    event = AuditEvent.objects.get(action=AuditAction.MARK_SET)
    assert event.actor == petrov.user
    assert event.after["value"] == 4


def test_a_weight_is_typed_after_a_star_and_a_comment_comes_from_the_details(
    petrov_client, math_lesson, nikolaev
):
    response = _post_cell(petrov_client, math_lesson, nikolaev, value="5*2", comment="Доклад")
    assert response.json()["cell"] == {
        "html": '<span class="g-mark hi">5</span><sup class="g-weight">×2</sup>',
        "text": "5*2",
        "title": "Вес 2 · Доклад",
        "css": "has-comment",
        "mark": 5,
        "weight": 2,
        "comment": "Доклад",
        "status": "",
        "reason": "",
    }
    # Retyped from the keyboard: the comment stays, the weight is what the text says.
    _post_cell(petrov_client, math_lesson, nikolaev, value="4")
    mark = Mark.objects.get(lesson=math_lesson, student=nikolaev)
    assert (mark.value, mark.weight, mark.comment) == (4, 1, "Доклад")
    # The details form sends the weight on its own; an empty comment clears it.
    _post_cell(petrov_client, math_lesson, nikolaev, value="4", weight="3", comment="")
    mark.refresh_from_db()
    assert (mark.value, mark.weight, mark.comment) == (4, 3, "")


def test_a_mark_at_a_control_work_weighs_two_unless_typed_otherwise(
    petrov_client, math_lesson, nikolaev, ershova
):
    math_lesson.control_type = ControlType.TEST
    math_lesson.save()
    first = _post_cell(petrov_client, math_lesson, nikolaev, value="5")
    assert first.json()["cell"]["text"] == "5"  # the lesson's own weight is not typed
    assert Mark.objects.get(student=nikolaev).weight == 2
    _post_cell(petrov_client, math_lesson, ershova, value="5*1")
    assert Mark.objects.get(student=ershova).weight == 1


@pytest.mark.parametrize(
    ("typed", "status", "text"),
    [
        ("н", AttendanceStatus.ABSENT, "н"),
        ("n", AttendanceStatus.ABSENT, "н"),
        ("Н", AttendanceStatus.ABSENT, "н"),
        ("оп", AttendanceStatus.LATE, "оп"),
        ("op", AttendanceStatus.LATE, "оп"),
    ],
)
def test_absent_and_late_are_typed_in_russian_or_latin(
    petrov_client, math_lesson, nikolaev, typed, status, text
):
    response = _post_cell(petrov_client, math_lesson, nikolaev, value=typed)
    assert response.status_code == 200
    assert response.json()["cell"]["text"] == text
    assert Attendance.objects.get(lesson=math_lesson, student=nikolaev).status == status


def test_an_absence_gets_a_reason_that_later_keystrokes_keep(petrov_client, math_lesson, nikolaev):
    response = _post_cell(petrov_client, math_lesson, nikolaev, value="н", reason="illness")
    assert response.json()["cell"] == {
        "html": '<span class="g-att">н</span>',
        "text": "н",
        "title": "Не был на уроке: Болезнь",
        "css": "absent",
        "mark": None,
        "weight": None,
        "comment": "",
        "status": "absent",
        "reason": "illness",
    }
    assert response.json()["average"] is None
    _post_cell(petrov_client, math_lesson, nikolaev, value="н")
    row = Attendance.objects.get(lesson=math_lesson, student=nikolaev)
    assert (row.status, row.reason) == (AttendanceStatus.ABSENT, AbsenceReason.ILLNESS)


def test_late_with_a_mark_in_one_cell_and_typing_a_mark_alone_clears_the_lateness(
    petrov_client, math_lesson, nikolaev
):
    response = _post_cell(petrov_client, math_lesson, nikolaev, value="оп 4")
    assert response.json()["cell"]["text"] == "оп 4"
    assert Attendance.objects.get(student=nikolaev).status == AttendanceStatus.LATE
    assert Mark.objects.get(student=nikolaev).value == 4
    _post_cell(petrov_client, math_lesson, nikolaev, value="4")
    assert not Attendance.objects.filter(student=nikolaev).exists()
    assert Mark.objects.get(student=nikolaev).value == 4


def test_an_empty_value_clears_the_cell_and_the_clearing_is_audited(
    petrov_client, math_lesson, nikolaev
):
    _post_cell(petrov_client, math_lesson, nikolaev, value="оп 3")
    response = _post_cell(petrov_client, math_lesson, nikolaev, value="")
    assert response.status_code == 200
    assert response.json()["cell"]["text"] == ""
    assert response.json()["cell"]["html"] == ""
    assert not Mark.objects.filter(student=nikolaev).exists()
    assert not Attendance.objects.filter(student=nikolaev).exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {AuditAction.MARK_DELETED, AuditAction.ATTENDANCE_CLEARED} <= actions


def test_the_average_in_the_answer_is_the_rows_weighted_average(
    petrov_client, class_6a, math, petrov, nikolaev, quarter_2
):
    earlier = _lesson(class_6a, math, petrov, dt.date(2026, 11, 9))
    MarkFactory(lesson=earlier, student=nikolaev, value=3)
    other_quarter = _lesson(class_6a, math, petrov, dt.date(2026, 10, 5))
    MarkFactory(lesson=other_quarter, student=nikolaev, value=2)
    lesson = _lesson(class_6a, math, petrov, dt.date(2026, 11, 16))
    response = _post_cell(petrov_client, lesson, nikolaev, value="5*2")
    assert response.json()["average"] == "4,33"  # (3 + 5·2) / 3; October is another quarter


@pytest.mark.parametrize(
    ("typed", "param", "code", "message"),
    [
        ("7", "value", "refused", "Оценка — целое число от 1 до 5."),
        ("0", "value", "refused", "Оценка — целое число от 1 до 5."),
        (
            "x",
            "value",
            "invalid_value",
            "Не понимаю «x»: введите оценку от 1 до 5, «н» (отсутствовал) или «оп» (опоздал).",
        ),
        ("5 4", "value", "invalid_value", "В клетке может быть одна оценка."),
        ("н оп", "value", "invalid_value", "Отметка о посещаемости одна: «н» или «оп»."),
        ("5*9", "weight", "refused", "Вес оценки — от 1 до 5."),
        ("5*0", "weight", "refused", "Вес оценки — от 1 до 5."),
        ("н 7", "value", "refused", "Оценка — целое число от 1 до 5."),
    ],
)
def test_a_bad_value_is_refused_with_the_reason_and_nothing_changes(
    petrov_client, math_lesson, nikolaev, typed, param, code, message
):
    MarkFactory(lesson=math_lesson, student=nikolaev, value=4)
    before = AuditEvent.objects.count()
    response = _post_cell(petrov_client, math_lesson, nikolaev, value=typed)
    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "errors": [{"param": param, "code": code, "message": message}],
    }
    assert Mark.objects.get(student=nikolaev).value == 4
    assert not Attendance.objects.exists()
    assert AuditEvent.objects.count() == before


def test_a_cancelled_lesson_takes_no_marks(petrov_client, math_lesson, nikolaev):
    math_lesson.status = LessonStatus.CANCELLED
    math_lesson.save()
    response = _post_cell(petrov_client, math_lesson, nikolaev, value="5")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"param": None, "code": "refused", "message": "Урок отменён: оценка не ставится."}
    ]
    assert not Mark.objects.exists()


def test_a_future_lesson_takes_no_marks(petrov_client, class_6a, math, petrov, nikolaev):
    lesson = _lesson(class_6a, math, petrov, dt.date(2026, 11, 30))
    response = _post_cell(petrov_client, lesson, nikolaev, value="н")
    assert response.status_code == 400
    assert "Урок ещё не прошёл" in response.json()["errors"][0]["message"]


def test_a_student_of_another_class_is_a_404(petrov_client, math_lesson, borisov):
    assert _post_cell(petrov_client, math_lesson, borisov, value="5").status_code == 404
    assert not Mark.objects.exists()


def test_a_student_outside_the_lessons_group_is_refused_with_the_reason(
    school, client_for, class_6a, petrov, nikolaev, ershova
):
    english = SubjectFactory(school=school, name="Английский язык")
    one = GroupFactory(school_class=class_6a, subject=english, name="1 группа", members=[nikolaev])
    lesson = _lesson(class_6a, english, petrov, dt.date(2026, 11, 24), group=one)
    response = _post_cell(client_for(school, petrov.user), lesson, ershova, value="5")
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Ершова Д. не входит в группу «1 группа»."


def test_the_cell_endpoint_takes_posts_only(petrov_client, math_lesson, nikolaev):
    assert petrov_client.get(_cell_url(math_lesson, nikolaev)).status_code == 405


def test_the_cell_endpoint_requires_the_csrf_token(school, petrov, math_lesson, nikolaev):
    client = Client(enforce_csrf_checks=True, HTTP_HOST=school_host(school))
    client.force_login(petrov.user)
    page = client.get(_grid_url(math_lesson.school_class, math_lesson.subject))
    found = re.search(r'data-csrf="([^"]+)"', page.content.decode())
    assert found is not None
    token = found[1]

    refused = _post_cell(client, math_lesson, nikolaev, value="5")
    assert refused.status_code == 403
    assert not Mark.objects.exists()

    accepted = client.post(
        _cell_url(math_lesson, nikolaev), {"value": "5"}, HTTP_X_CSRFTOKEN=token, **JSON
    )
    assert accepted.status_code == 200
    assert Mark.objects.get(student=nikolaev).value == 5


def test_two_teachers_filling_one_grid_keep_both_changes(
    school, client_for, class_6a, math, petrov, nikolaev, ershova, math_lesson
):
    second = teacher_with_account(school, "kuznetsov", last_name="Кузнецов")
    TeachingAssignmentFactory(school=school, teacher=second, school_class=class_6a, subject=math)
    first_client, second_client = client_for(school, petrov.user), client_for(school, second.user)
    assert _post_cell(first_client, math_lesson, nikolaev, value="5").status_code == 200
    assert _post_cell(second_client, math_lesson, ershova, value="н").status_code == 200
    assert Mark.objects.get(student=nikolaev).author == petrov.user
    assert Attendance.objects.get(student=ershova).author == second.user
    assert AuditEvent.objects.filter(action=AuditAction.MARK_SET).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.ATTENDANCE_SET).count() == 1


# Final marks


def test_a_final_mark_is_set_and_cleared_as_json(
    petrov_client, class_6a, math, nikolaev, quarter_2
):
    url = _final_url(class_6a, math, nikolaev)
    response = petrov_client.post(url, {"value": "5", "period": quarter_2.pk}, **JSON)
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "cell": {
            "html": '<span class="g-mark hi">5</span>',
            "text": "5",
            "title": "",
            "css": "",
            "mark": 5,
            "weight": None,
            "comment": "",
            "status": "",
            "reason": "",
        },
    }
    assert FinalMark.objects.get(student=nikolaev, period=quarter_2).value == 5
    cleared = petrov_client.post(url, {"value": "", "period": quarter_2.pk}, **JSON)
    assert cleared.json()["cell"]["text"] == ""
    assert not FinalMark.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [("7", "Оценка — целое число от 1 до 5."), ("x", "Итоговая оценка — целое число от 1 до 5.")],
)
def test_a_bad_final_mark_is_refused_with_the_reason(
    petrov_client, class_6a, math, nikolaev, quarter_2, typed, message
):
    url = _final_url(class_6a, math, nikolaev)
    response = petrov_client.post(url, {"value": typed, "period": quarter_2.pk}, **JSON)
    assert response.status_code == 400
    assert [e["message"] for e in response.json()["errors"]] == [message]
    assert not FinalMark.objects.exists()


def test_a_final_mark_from_the_form_without_javascript_redirects_back_with_a_message(
    petrov_client, class_6a, math, nikolaev, quarter_2
):
    url = _final_url(class_6a, math, nikolaev)
    response = petrov_client.post(url, {"value": "4", "period": quarter_2.pk}, follow=True)
    assert response.redirect_chain == [(_grid_url(class_6a, math, period=quarter_2.pk), 302)]
    assert "Николаев В.: итоговая оценка 4." in _text(response)
    refused = petrov_client.post(url, {"value": "9", "period": quarter_2.pk}, follow=True)
    assert "Николаев В.: Оценка — целое число от 1 до 5." in _text(refused)
    assert FinalMark.objects.get(student=nikolaev).value == 4


def test_a_final_mark_for_a_period_of_another_year_is_a_404(
    petrov_client, class_6a, math, nikolaev, other_school
):
    from ejournal.schools.models import Period

    elsewhere = Period.objects.filter(school=other_school).first()
    url = _final_url(class_6a, math, nikolaev)
    response = petrov_client.post(url, {"value": "4", "period": elsewhere.pk}, **JSON)
    assert response.status_code == 404


def test_a_group_teacher_sets_finals_of_the_groups_students_only(
    school, client_for, class_6a, petrov, nikolaev, ershova, quarter_2
):
    english = SubjectFactory(school=school, name="Английский язык")
    one = GroupFactory(school_class=class_6a, subject=english, name="1 группа", members=[nikolaev])
    TeachingAssignmentFactory(
        school=school, teacher=petrov, school_class=class_6a, subject=english, group=one
    )
    _lesson(class_6a, english, petrov, dt.date(2026, 11, 9))
    client = client_for(school, petrov.user)
    page = client.get(_grid_url(class_6a, english)).content.decode()
    assert _final_url(class_6a, english, nikolaev) in page
    assert _final_url(class_6a, english, ershova) not in page
    refused = client.post(
        _final_url(class_6a, english, ershova), {"value": "5", "period": quarter_2.pk}, **JSON
    )
    assert refused.status_code == 404


# Remarks


def test_a_remark_is_saved_for_the_parents_and_the_page_comes_back(
    petrov_client, petrov, class_6a, math, nikolaev
):
    back = _grid_url(class_6a, math)
    response = petrov_client.post(
        reverse("journal:remark_add", args=[nikolaev.pk]),
        {"text": "  Забыл   тетрадь. ", "next": back},
        follow=True,
    )
    assert response.redirect_chain == [(back, 302)]
    assert "Замечание для Николаев В. сохранено: его увидят родители." in _text(response)
    remark = Remark.objects.get(student=nikolaev)
    assert (remark.text, remark.author) == ("Забыл тетрадь.", petrov.user)


def test_the_curator_finds_a_remark_in_the_audit_log(
    petrov_client, curator_client, math_lesson, nikolaev
):
    petrov_client.post(
        reverse("journal:remark_add", args=[nikolaev.pk]),
        {"text": "Отвлекался.", "lesson": math_lesson.pk},
    )

    page = _text(curator_client.get(reverse("audit:events")))

    assert "Замечание" in page
    assert "Ученик Николаев Василий" in page
    assert "Отвлекался." in page


def test_an_empty_remark_is_refused_and_a_foreign_next_is_ignored(petrov_client, nikolaev):
    response = petrov_client.post(
        reverse("journal:remark_add", args=[nikolaev.pk]),
        {"text": " ", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:teacher_home")
    assert not Remark.objects.exists()


def test_a_remark_at_a_lesson_and_as_json(petrov_client, math_lesson, nikolaev):
    response = petrov_client.post(
        reverse("journal:remark_add", args=[nikolaev.pk]),
        {"text": "Отвлекался.", "lesson": math_lesson.pk},
        **JSON,
    )
    assert response.json() == {"ok": True}
    assert Remark.objects.get(student=nikolaev).lesson == math_lesson
    empty = petrov_client.post(
        reverse("journal:remark_add", args=[nikolaev.pk]), {"text": ""}, **JSON
    )
    assert empty.status_code == 400
    assert empty.json()["errors"][0]["param"] == "text"


# A lesson's page


def test_the_lesson_page_shows_the_form_to_the_lessons_teacher(petrov_client, math_lesson):
    math_lesson.topic = "Сложение дробей"
    math_lesson.save()
    response = petrov_client.get(reverse("journal:lesson", args=[math_lesson.pk]))
    assert response.status_code == 200
    text = _text(response)
    assert "Урок 24 ноября" in text
    assert "Вторник, 2-й урок · 6А · Математика · Петров Олег Николаевич" in text
    assert "Тема урока" in text
    assert "Домашнее задание" in text
    assert 'value="Сложение дробей"' in response.content.decode()


def test_the_teacher_saves_topic_homework_and_control_work_and_returns_to_the_grid(
    petrov_client, petrov, math_lesson, quarter_2
):
    url = reverse("journal:lesson", args=[math_lesson.pk])
    response = petrov_client.post(
        url,
        {
            "action": "save",
            "topic": "Сложение дробей",
            "homework": "№ 112, 115",
            "control_type": ControlType.TEST,
            "room": "305",
            "status": LessonStatus.PLANNED,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _grid_url(
        math_lesson.school_class, math_lesson.subject, period=quarter_2.pk
    )
    math_lesson.refresh_from_db()
    assert (math_lesson.topic, math_lesson.control_type) == ("Сложение дробей", ControlType.TEST)
    assert Homework.objects.get(lesson=math_lesson).text == "№ 112, 115"
    assert math_lesson.room == "305"
    assert AuditEvent.objects.filter(action=AuditAction.LESSON_UPDATED).exists()


def test_a_lesson_with_marks_is_not_cancelled_and_the_page_says_why(
    petrov_client, math_lesson, nikolaev
):
    MarkFactory(lesson=math_lesson, student=nikolaev)
    response = petrov_client.post(
        reverse("journal:lesson", args=[math_lesson.pk]),
        {"action": "save", "status": LessonStatus.CANCELLED, "room": "201"},
    )
    assert response.status_code == 200
    assert "сначала удалите их" in _text(response)
    math_lesson.refresh_from_db()
    assert math_lesson.status == LessonStatus.PLANNED


def test_a_homework_file_is_uploaded_linked_and_deleted(petrov_client, math_lesson):
    url = reverse("journal:lesson", args=[math_lesson.pk])
    upload = SimpleUploadedFile("zadanie.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = petrov_client.post(url, {"action": "file_add", "file": upload}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    homework_file = HomeworkFile.objects.get(homework__lesson=math_lesson)
    assert homework_file.name == "zadanie.pdf"
    assert "Файл «zadanie.pdf» приложен к домашнему заданию." in _text(response)
    link = reverse("journal:homework_file", args=[homework_file.pk])
    assert f'<a href="{link}">zadanie.pdf</a>' in response.content.decode()

    deleted = petrov_client.post(
        url, {"action": "file_delete", "file": homework_file.pk}, follow=True
    )
    assert "Файл «zadanie.pdf» удалён." in _text(deleted)
    assert not HomeworkFile.objects.exists()
    assert not Homework.objects.exists()  # no text, no files: nothing is left


def test_a_file_upload_without_a_file_is_refused_on_the_page(petrov_client, math_lesson):
    response = petrov_client.post(
        reverse("journal:lesson", args=[math_lesson.pk]), {"action": "file_add"}
    )
    assert response.status_code == 200
    assert "Выберите файл." in _text(response)


def test_an_unknown_action_is_a_bad_request(petrov_client, math_lesson):
    response = petrov_client.post(
        reverse("journal:lesson", args=[math_lesson.pk]), {"action": "explode"}
    )
    assert response.status_code == 400


def test_the_curator_cancels_a_lesson_and_names_a_substitute_but_not_its_topic(
    curator_client, math_lesson, sidorova, quarter_2
):
    url = reverse("journal:lesson", args=[math_lesson.pk])
    page = curator_client.get(url)
    assert 'name="topic"' not in page.content.decode()
    assert 'name="teacher"' in page.content.decode()
    response = curator_client.post(
        url,
        {
            "action": "save",
            "status": LessonStatus.PLANNED,
            "room": "101",
            "teacher": sidorova.pk,
            "topic": "ignored",
        },
    )
    assert response.status_code == 302
    math_lesson.refresh_from_db()
    assert (math_lesson.teacher, math_lesson.room, math_lesson.topic) == (sidorova, "101", "")
    curator_client.post(url, {"action": "save", "status": "cancelled", "teacher": sidorova.pk})
    math_lesson.refresh_from_db()
    assert math_lesson.status == LessonStatus.CANCELLED


def test_the_class_teacher_reads_the_lesson_page_without_a_form(
    school, client_for, ivanova, math_lesson
):
    HomeworkFactory(lesson=math_lesson, text="№ 5")
    response = client_for(school, ivanova.user).get(
        reverse("journal:lesson", args=[math_lesson.pk])
    )
    assert response.status_code == 200
    assert '<form method="post" class="card' not in response.content.decode()
    assert "№ 5" in _text(response)


# Who may use which URL


ROLES = [
    "subject_teacher",
    "another_teacher",
    "class_teacher",
    "curator",
    "student",
    "parent",
    "another_schools_curator",
    "anonymous",
]
LOGIN = "login"  # a redirect to the login page
# URL → the expected status per role, in the order of ROLES.
MATRIX = {
    "home": [200, 200, 200, 200, 404, 404, LOGIN, LOGIN],
    "grid": [200, 404, 200, 200, 404, 404, LOGIN, LOGIN],
    "lesson": [200, 404, 200, 200, 404, 404, LOGIN, LOGIN],
    "lesson_save": [302, 404, 404, 302, 404, 404, LOGIN, LOGIN],
    "cell": [200, 404, 404, 404, 404, 404, LOGIN, LOGIN],
    "final": [200, 404, 404, 404, 404, 404, LOGIN, LOGIN],
    "remark": [302, 404, 302, 302, 404, 404, LOGIN, LOGIN],
}


@pytest.fixture
def matrix_users(petrov, sidorova, ivanova, curator, nikolaev, nikolaeva, other_curator):
    return {
        "subject_teacher": petrov.user,
        "another_teacher": sidorova.user,
        "class_teacher": ivanova.user,
        "curator": curator,
        "student": nikolaev.user,
        "parent": nikolaeva,
        "another_schools_curator": other_curator,
        "anonymous": None,
    }


def _request(client, name, *, math_lesson, nikolaev, quarter_2, petrov):
    school_class, subject = math_lesson.school_class, math_lesson.subject
    lesson_url = reverse("journal:lesson", args=[math_lesson.pk])
    requests = {
        "home": lambda: client.get(reverse("journal:teacher_home")),
        "grid": lambda: client.get(_grid_url(school_class, subject)),
        "lesson": lambda: client.get(lesson_url),
        "lesson_save": lambda: client.post(
            lesson_url,
            {
                "action": "save",
                "topic": "Дроби",
                "room": "201",
                "status": LessonStatus.PLANNED,
                "teacher": petrov.pk,
            },
        ),
        "cell": lambda: _post_cell(client, math_lesson, nikolaev, value="5"),
        "final": lambda: client.post(
            _final_url(school_class, subject, nikolaev),
            {"value": "5", "period": quarter_2.pk},
            **JSON,
        ),
        "remark": lambda: client.post(
            reverse("journal:remark_add", args=[nikolaev.pk]), {"text": "Опоздал."}
        ),
    }
    return requests[name]()


@pytest.mark.parametrize("name", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_the_permission_matrix_of_the_teachers_journal(
    school, client_for, matrix_users, math_lesson, nikolaev, quarter_2, petrov, role, name
):
    expected = MATRIX[name][ROLES.index(role)]
    client = client_for(school, matrix_users[role])
    response = _request(
        client, name, math_lesson=math_lesson, nikolaev=nikolaev, quarter_2=quarter_2, petrov=petrov
    )
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert not Mark.objects.exists()
        assert not Remark.objects.exists()
    else:
        assert response.status_code == expected


def test_the_matrix_lists_every_url_of_the_teachers_journal():
    teacher_urls = {"teacher_home", "grid", "lesson", "cell", "final", "remark_add"}
    from ejournal.core.testing.urls import routes_under

    journal = {route.name.split(":")[1] for route in routes_under("journal/")}
    assert journal == teacher_urls
    assert len(MATRIX) == 7  # the lesson's page is there for GET and POST


# Query counts


def _fill(class_6a, math, petrov, quarter_2, students, lessons):
    """`students` students by `lessons` lessons of the second quarter, every cell filled."""
    roster = [StudentFactory(school_class=class_6a) for _ in range(students)]
    columns = [
        _lesson(class_6a, math, petrov, dt.date(2026, 11, 5) + dt.timedelta(days=n // 3), n % 3 + 1)
        for n in range(lessons)
    ]
    school_id = class_6a.school_id
    Mark.objects.bulk_create(
        Mark(school_id=school_id, lesson=lesson, student=s, value=4, weight=1 + n % 2)
        for n, lesson in enumerate(columns)
        for s in roster
    )
    Attendance.objects.bulk_create(
        Attendance(school_id=school_id, lesson=lesson, student=s, status=AttendanceStatus.LATE)
        for lesson in columns[::2]
        for s in roster
    )
    FinalMark.objects.bulk_create(
        FinalMark(school_id=school_id, student=s, subject=math, period=quarter_2, value=4)
        for s in roster
    )
    return roster, columns


# A teacher's first view of a grid (the menu's unread messages among them, once a user).
GRID_QUERIES = 17
# Again, with the rows kept (core.freshness): no marks, absences, finals, nor the lessons;
# nor the year's periods, the class's groups, the menu's homerooms, the access check's five,
# the teacher record, the roster, who may set the finals; nor the user (accounts.identity).
GRID_CACHED_QUERIES = 0


@pytest.mark.parametrize(("students", "lessons"), [(3, 5), (30, 40)])
def test_the_grid_page_runs_a_fixed_number_of_queries_fewer_once_its_rows_are_kept(
    petrov_client,
    class_6a,
    math,
    petrov,
    quarter_2,
    django_assert_num_queries,
    students,
    lessons,
):
    _fill(class_6a, math, petrov, quarter_2, students, lessons)
    url = _grid_url(class_6a, math)
    with django_assert_num_queries(GRID_QUERIES):
        response = petrov_client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('<td class="c') == students * (lessons + 1)
    with django_assert_num_queries(GRID_CACHED_QUERIES):
        again = petrov_client.get(url)
    assert again.content.decode().count('<td class="c') == students * (lessons + 1)


# Tenant, user; the lesson and the teacher (access); the student; the cell's mark and
# attendance; the lesson's period (closed?); then the mark's insert with its lock, savepoints
# and audit; the row's average.
CELL_QUERIES = 18


@pytest.mark.parametrize(("students", "lessons"), [(3, 5), (30, 40)])
def test_saving_a_cell_runs_a_fixed_number_of_queries(
    petrov_client,
    class_6a,
    math,
    petrov,
    quarter_2,
    django_assert_num_queries,
    students,
    lessons,
):
    roster, _ = _fill(class_6a, math, petrov, quarter_2, students, lessons)
    today = _lesson(class_6a, math, petrov, TODAY, number=5)
    with django_assert_num_queries(CELL_QUERIES):
        response = _post_cell(petrov_client, today, roster[0], value="5*2")
    assert response.json()["average"] is not None


HOME_QUERIES = 9  # the menu's unread messages among them (then kept)


@pytest.mark.parametrize("classes", [1, 4])
def test_the_teacher_home_runs_a_fixed_number_of_queries(
    school, petrov_client, math, petrov, bells, django_assert_num_queries, classes
):
    from ejournal.core.testing.factories import SchoolClassFactory

    for n in range(classes):
        school_class = SchoolClassFactory(school=school, grade=7 + n, letter="А")
        TeachingAssignmentFactory(
            school=school, teacher=petrov, school_class=school_class, subject=math
        )
        _lesson(school_class, math, petrov, TODAY, number=n + 1)
    with django_assert_num_queries(HOME_QUERIES):
        response = petrov_client.get(reverse("journal:teacher_home"))
    assert response.status_code == 200
