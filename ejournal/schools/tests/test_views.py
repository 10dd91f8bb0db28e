"""The curator's pages for classes, students and teachers, as the curator uses them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from ejournal.audit.models import AuditAction, AuditEvent
from ejournal.core.testing.factories import (
    SchoolClassFactory,
    StudentFactory,
    TeacherFactory,
    UserFactory,
)
from ejournal.schools.models import Guardianship, SchoolClass, Student, Teacher
from ejournal.schools.roles import Role
from ejournal.schools.selectors import current_year
from ejournal.schools.services import academic_year_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher(school):
    return TeacherFactory(
        school=school, last_name="Иванова", first_name="Мария", middle_name="Петровна"
    )


@pytest.fixture
def class_6a(school, teacher):
    return SchoolClassFactory(school=school, grade=6, letter="А", class_teacher=teacher)


@pytest.fixture
def class_6b(school):
    return SchoolClassFactory(school=school, grade=6, letter="Б")


@pytest.fixture
def student(class_6a):
    return StudentFactory(
        school_class=class_6a,
        last_name="Николаев",
        first_name="Василий",
        middle_name="Андреевич",
        birth_date=dt.date(2014, 3, 12),
    )


def _h1_count(response) -> int:
    return len(re.findall(r"<h1[\s>]", response.content.decode()))


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _fill_class(school_class, count: int) -> None:
    """`count` more students, every other one with an account and a parent."""
    school = school_class.school
    for n in range(count):
        student = StudentFactory(school_class=school_class)
        if n % 2:
            student.user = UserFactory(school=school, role=Role.STUDENT)
            student.save()
            parent = UserFactory(school=school, role=Role.PARENT)
            Guardianship.objects.create(school=school, parent=parent, student=student)


# Classes


def test_class_list_shows_this_years_classes_with_teacher_and_active_student_count(
    school, curator_client, class_6a, class_6b, student
):
    StudentFactory(school_class=class_6a, archived_at=timezone.now())
    last_year = academic_year_create(
        school=school, start_year=current_year(school=school).starts_on.year - 1
    )
    SchoolClassFactory(school=school, year=last_year, grade=11, letter="Я")

    response = curator_client.get(reverse("schools:class_list"))

    assert response.status_code == 200
    assert _h1_count(response) == 1
    assert [(c.label, c.student_count) for c in response.context["classes"]] == [
        ("6А", 1),
        ("6Б", 0),
    ]
    assertContains(response, "Иванова Мария Петровна")
    assertContains(response, reverse("schools:class_detail", args=[class_6a.pk]))
    assertContains(response, reverse("schools:class_create"))
    assertNotContains(response, "11Я")


def test_class_list_query_count_does_not_grow_with_classes_or_students(
    school, curator_client, class_6a, django_assert_num_queries
):
    _fill_class(class_6a, 3)
    curator_client.get("/healthz")  # the host's school and the curator kept from now on
    # the menu's unread messages, current year, classes with counts
    with django_assert_num_queries(3):
        curator_client.get(reverse("schools:class_list"))

    for letter in "БВГ":
        _fill_class(SchoolClassFactory(school=school, grade=6, letter=letter), 9)
    with django_assert_num_queries(2):
        response = curator_client.get(reverse("schools:class_list"))
    assert len(response.context["classes"]) == 4


def test_class_create_accepts_a_label_as_people_write_it(school, curator_client, teacher):
    response = curator_client.post(
        reverse("schools:class_create"), {"label": "7 в", "class_teacher": teacher.pk}, follow=True
    )

    created = SchoolClass.objects.get(school=school)
    assert (created.label, created.class_teacher, created.year) == (
        "7В",
        teacher,
        current_year(school=school),
    )
    assertRedirects(response, reverse("schools:class_detail", args=[created.pk]))
    assert _messages(response) == ["Класс 7В создан."]
    assert AuditEvent.objects.filter(action=AuditAction.CLASS_CREATED).count() == 1


def test_class_create_page_offers_only_this_schools_active_teachers(
    other_school, curator_client, teacher
):
    TeacherFactory(school=other_school, last_name="Чужакова")
    TeacherFactory(school=teacher.school, last_name="Ушедшая", archived_at=timezone.now())

    response = curator_client.get(reverse("schools:class_create"))

    assert response.status_code == 200
    assert _h1_count(response) == 1
    assertContains(response, "Новый класс", count=2)  # title and heading
    assertContains(response, "Иванова Мария Петровна")
    assertNotContains(response, "Чужакова")
    assertNotContains(response, "Ушедшая")


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("", "Обязательное поле."),
        ("12А", "Класс «12А»: номер класса должен быть от 1 до 11."),
        ("шестой", "Класс «шестой» не распознан: ожидается номер и буква, например 6А."),
    ],
)
def test_class_create_with_a_bad_label_shows_why_and_creates_nothing(
    school, curator_client, label, message
):
    response = curator_client.post(reverse("schools:class_create"), {"label": label})

    assert response.status_code == 200
    assertContains(response, message)
    assert not SchoolClass.objects.filter(school=school).exists()


def test_class_create_of_an_existing_label_shows_why(school, curator_client, class_6a):
    response = curator_client.post(reverse("schools:class_create"), {"label": "6а"})

    assert response.status_code == 200
    assertContains(response, f"Класс 6А в {class_6a.year} учебном году уже есть.")
    assert SchoolClass.objects.filter(school=school).count() == 1


def test_class_edit_changes_the_class_teacher(school, curator_client, class_6a):
    other = TeacherFactory(school=school, last_name="Петров", first_name="Олег", middle_name="")
    url = reverse("schools:class_edit", args=[class_6a.pk])

    page = curator_client.get(url)
    response = curator_client.post(url, {"class_teacher": other.pk}, follow=True)

    assert page.status_code == 200
    assert _h1_count(page) == 1
    assertContains(page, f'<option value="{class_6a.class_teacher_id}" selected>', html=False)
    assertRedirects(response, reverse("schools:class_detail", args=[class_6a.pk]))
    assert _messages(response) == ["Класс 6А: изменения сохранены."]
    assert SchoolClass.objects.get(pk=class_6a.pk).class_teacher == other


def test_class_edit_refuses_a_teacher_of_another_school(other_school, curator_client, class_6a):
    stranger = TeacherFactory(school=other_school)

    response = curator_client.post(
        reverse("schools:class_edit", args=[class_6a.pk]), {"class_teacher": stranger.pk}
    )

    assert response.status_code == 200
    assertContains(response, "Выберите учителя из списка.")
    assert SchoolClass.objects.get(pk=class_6a.pk).class_teacher_id == class_6a.class_teacher_id


def test_class_detail_lists_active_students_with_accounts_parents_and_code_buttons(
    school, curator_client, class_6a, student
):
    student.user = UserFactory(school=school, role=Role.STUDENT)
    student.save()
    for _ in range(2):
        Guardianship.objects.create(
            school=school, parent=UserFactory(school=school, role=Role.PARENT), student=student
        )
    no_account = StudentFactory(school_class=class_6a, last_name="Антонова", first_name="Вера")
    StudentFactory(school_class=class_6a, last_name="Выбывшев", archived_at=timezone.now())

    response = curator_client.get(reverse("schools:class_detail", args=[class_6a.pk]))

    assert response.status_code == 200
    assert _h1_count(response) == 1
    assertContains(response, "<h1>6А</h1>", html=True)
    rows = [
        (s.full_name, s.user_id is not None, s.parent_count) for s in response.context["students"]
    ]
    assert rows == [
        (no_account.full_name, False, 0),
        ("Николаев Василий Андреевич", True, 2),
    ]
    assertContains(response, "12.03.2014")
    assertNotContains(response, "Выбывшев")
    assertContains(response, f"{reverse('schools:student_create')}?class={class_6a.pk}")
    assertContains(response, f"{reverse('invitations:issue')}?class={class_6a.pk}")
    assertContains(response, reverse("schools:student_edit", args=[student.pk]))
    for role in ("student", "parent"):
        action = reverse("invitations:reissue", args=[role, student.pk])
        assertContains(response, f'href="{action}"')
    assertContains(response, "Новый код ученика", count=2)
    assertContains(response, "Новые коды родителей", count=2)


def test_class_detail_query_count_is_the_same_for_3_and_30_students(
    curator_client, class_6a, django_assert_num_queries
):
    url = reverse("schools:class_detail", args=[class_6a.pk])
    _fill_class(class_6a, 3)
    curator_client.get("/healthz")  # the host's school and the curator kept from now on
    # the menu's unread messages, the class, its students with parent counts
    with django_assert_num_queries(3):
        curator_client.get(url)

    _fill_class(class_6a, 27)
    with django_assert_num_queries(2):
        response = curator_client.get(url)
    assert len(response.context["students"]) == 30
    assertContains(response, "Новый код ученика", count=30)


# Students


def test_student_create_preselects_the_class_from_the_link(curator_client, class_6a, class_6b):
    response = curator_client.get(reverse("schools:student_create") + f"?class={class_6b.pk}")

    assert response.status_code == 200
    assert _h1_count(response) == 1
    assertContains(response, f'<option value="{class_6b.pk}" selected>6Б</option>', html=True)
    assertContains(response, 'type="date"')


def test_student_create_with_a_class_id_that_is_not_a_number_is_404(curator_client):
    response = curator_client.get(reverse("schools:student_create") + "?class=6А")

    assert response.status_code == 404


@pytest.mark.parametrize("typed", ["2014-03-12", "12.03.2014"])
def test_student_create_adds_the_student_and_goes_to_the_class(
    school, curator_client, class_6a, typed
):
    response = curator_client.post(
        reverse("schools:student_create") + f"?class={class_6a.pk}",
        {
            "school_class": class_6a.pk,
            "last_name": "Петрова",
            "first_name": "Анна",
            "middle_name": "",
            "birth_date": typed,
            "parent_email": "petrova@example.com",
        },
        follow=True,
    )

    created = Student.objects.get(school=school)
    assert (created.full_name, created.birth_date, created.school_class) == (
        "Петрова Анна",
        dt.date(2014, 3, 12),
        class_6a,
    )
    assertRedirects(response, reverse("schools:class_detail", args=[class_6a.pk]))
    assert _messages(response) == ["Петрова Анна: ученик добавлен в класс 6А."]
    assertContains(response, "Петрова Анна")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("last_name", "", "Обязательное поле."),
        (
            "birth_date",
            "31.02.2014",
            "Введите дату рождения в виде ДД.ММ.ГГГГ, например 12.03.2014.",
        ),
        (
            "birth_date",
            "12.03.2099",
            "Дата рождения 12.03.2099 не подходит ученику: возраст должен быть от 5 до 22 лет.",
        ),
        (
            "last_name",
            '=HYPERLINK("http://evil.example","Петрова")',
            "допустимы только буквы, пробел, дефис и апостроф.",
        ),
        ("parent_email", "mama@", "Введите адрес электронной почты, например ivanova@example.com."),
    ],
)
def test_student_create_with_bad_input_shows_why_and_adds_nothing(
    curator_client, class_6a, field, value, message
):
    data = {
        "school_class": class_6a.pk,
        "last_name": "Петрова",
        "first_name": "Анна",
        "birth_date": "12.03.2014",
        field: value,
    }

    response = curator_client.post(reverse("schools:student_create"), data)

    assert response.status_code == 200
    assertContains(response, message)
    assert not Student.objects.exists()


def test_student_create_of_a_duplicate_shows_which_record_exists(curator_client, class_6b, student):
    response = curator_client.post(
        reverse("schools:student_create"),
        {
            "school_class": class_6b.pk,
            "last_name": "николаев",
            "first_name": "ВАСИЛИЙ",
            "middle_name": "Андреевич",
            "birth_date": "12.03.2014",
        },
    )

    assert response.status_code == 200
    assertContains(
        response, "Ученик Николаев Василий Андреевич, 12.03.2014 г. р., уже есть в классе 6А."
    )
    assert Student.objects.count() == 1


def test_student_edit_shows_the_record_and_saves_changes(curator_client, class_6a, student):
    url = reverse("schools:student_edit", args=[student.pk])

    page = curator_client.get(url)
    response = curator_client.post(
        url,
        {
            "last_name": "Николаев",
            "first_name": "Василий",
            "middle_name": "Андреевич",
            "birth_date": "21.03.2014",
            "parent_email": "",
        },
        follow=True,
    )

    assert page.status_code == 200
    assert _h1_count(page) == 1
    assertContains(page, 'value="2014-03-12"')
    assertContains(page, reverse("schools:student_move", args=[student.pk]))
    assertContains(page, reverse("schools:student_archive", args=[student.pk]))
    assertRedirects(response, reverse("schools:class_detail", args=[class_6a.pk]))
    assert _messages(response) == ["Николаев Василий Андреевич: данные ученика сохранены."]
    assert Student.objects.get(pk=student.pk).birth_date == dt.date(2014, 3, 21)


def test_student_edit_with_bad_input_keeps_the_saved_name_and_changes_nothing(
    curator_client, student
):
    response = curator_client.post(
        reverse("schools:student_edit", args=[student.pk]),
        {"last_name": "Другой", "first_name": "", "birth_date": "12.03.2014"},
    )

    assert response.status_code == 200
    assertContains(response, "Обязательное поле.")
    assertContains(response, "<h1>Николаев Василий Андреевич</h1>", html=True)
    assert Student.objects.get(pk=student.pk).last_name == "Николаев"


def test_student_move_offers_the_other_classes_of_the_year_and_moves(
    school, curator_client, class_6a, class_6b, student
):
    last_year = academic_year_create(
        school=school, start_year=current_year(school=school).starts_on.year - 1
    )
    SchoolClassFactory(school=school, year=last_year, grade=5, letter="Я")
    url = reverse("schools:student_move", args=[student.pk])

    page = curator_client.get(url)
    response = curator_client.post(url, {"to_class": class_6b.pk}, follow=True)

    assert page.status_code == 200
    assert _h1_count(page) == 1
    assert [c.label for c in page.context["form"].fields["to_class"].queryset] == ["6Б"]
    assertRedirects(response, reverse("schools:class_detail", args=[class_6a.pk]))
    assert _messages(response) == ["Николаев Василий Андреевич переведён(а) в класс 6Б."]
    assertNotContains(response, "Николаев Василий Андреевич</a>")
    assert Student.objects.get(pk=student.pk).school_class == class_6b


def test_student_move_without_another_class_says_so(curator_client, student):
    response = curator_client.get(reverse("schools:student_move", args=[student.pk]))

    assertContains(response, "В этом учебном году нет других классов")
    assertNotContains(response, "Перевести</button>")


def test_student_move_to_a_class_of_another_year_is_refused(
    school, curator_client, class_6a, class_6b, student
):
    last_year = academic_year_create(
        school=school, start_year=current_year(school=school).starts_on.year - 1
    )
    old_class = SchoolClassFactory(school=school, year=last_year, grade=5, letter="А")

    response = curator_client.post(
        reverse("schools:student_move", args=[student.pk]), {"to_class": old_class.pk}
    )

    assert response.status_code == 200
    assertContains(response, "Выберите класс из списка.")
    assert Student.objects.get(pk=student.pk).school_class == class_6a


def test_student_archive_asks_first_then_takes_the_student_off_the_class(
    curator_client, class_6a, student
):
    url = reverse("schools:student_archive", args=[student.pk])

    page = curator_client.get(url)
    assert Student.objects.get(pk=student.pk).archived_at is None
    response = curator_client.post(url, follow=True)

    assert page.status_code == 200
    assert _h1_count(page) == 1
    assertContains(page, "Николаев Василий Андреевич")
    assertContains(page, "Выбыл</button>")
    assertRedirects(response, reverse("schools:class_detail", args=[class_6a.pk]))
    assert _messages(response) == ["Николаев Василий Андреевич отмечен(а) как выбывший(ая)."]
    assertNotContains(response, "Николаев Василий Андреевич</a>")
    assert Student.objects.get(pk=student.pk).archived_at is not None
    assert curator_client.get(reverse("schools:student_edit", args=[student.pk])).status_code == 404
    class_list = curator_client.get(reverse("schools:class_list"))
    assert [c.student_count for c in class_list.context["classes"]] == [0]


# Teachers


def test_teacher_list_shows_active_teachers_accounts_classes_and_code_buttons(
    school, curator_client, teacher, class_6a
):
    with_account = TeacherFactory(school=school, last_name="Петров", first_name="Олег")
    with_account.user = UserFactory(school=school, role=Role.TEACHER)
    with_account.save()
    TeacherFactory(school=school, last_name="Ушедшая", archived_at=timezone.now())

    response = curator_client.get(reverse("schools:teacher_list"))

    assert response.status_code == 200
    assert _h1_count(response) == 1
    rows = [
        (t.full_name, t.user_id is not None, [c.label for c in t.year_homerooms])
        for t in response.context["teachers"]
    ]
    assert rows == [("Иванова Мария Петровна", False, ["6А"]), ("Петров Олег Петровна", True, [])]
    assertNotContains(response, "Ушедшая")
    assertContains(response, reverse("schools:teacher_edit", args=[teacher.pk]))
    action = reverse("invitations:reissue", args=["teacher", teacher.pk])
    assertContains(response, f'href="{action}"')
    assertContains(response, "Новый код учителя", count=2)


def test_teacher_list_query_count_is_the_same_for_3_and_30_teachers(
    school, curator_client, django_assert_num_queries
):
    def add_teachers(count):
        for _ in range(count):
            teacher = TeacherFactory(school=school)
            teacher.user = UserFactory(school=school, role=Role.TEACHER)
            teacher.save()
            SchoolClassFactory(
                school=school, grade=SchoolClass.objects.count() % 11 + 1, class_teacher=teacher
            )

    add_teachers(3)
    curator_client.get("/healthz")  # the host's school and the curator kept from now on
    # the menu's unread messages, current year, teachers, their classes this year
    with django_assert_num_queries(4):
        curator_client.get(reverse("schools:teacher_list"))

    add_teachers(27)
    with django_assert_num_queries(3):
        response = curator_client.get(reverse("schools:teacher_list"))
    assert len(response.context["teachers"]) == 30


def test_teacher_create_adds_the_teacher(school, curator_client):
    page = curator_client.get(reverse("schools:teacher_create"))
    response = curator_client.post(
        reverse("schools:teacher_create"),
        {"last_name": "Петров", "first_name": "Олег", "middle_name": "Николаевич"},
        follow=True,
    )

    assert page.status_code == 200
    assert _h1_count(page) == 1
    assertRedirects(response, reverse("schools:teacher_list"))
    assert _messages(response) == ["Петров Олег Николаевич: учитель добавлен."]
    assert Teacher.objects.get(school=school).full_name == "Петров Олег Николаевич"


def test_teacher_create_without_a_name_shows_why_and_adds_nothing(curator_client):
    response = curator_client.post(reverse("schools:teacher_create"), {"last_name": "Петров"})

    assert response.status_code == 200
    assertContains(response, "Обязательное поле.")
    assert not Teacher.objects.exists()


def test_teacher_edit_saves_the_corrected_name(curator_client, teacher):
    url = reverse("schools:teacher_edit", args=[teacher.pk])

    page = curator_client.get(url)
    response = curator_client.post(
        url,
        {"last_name": "Иванова", "first_name": "Марина", "middle_name": "Петровна"},
        follow=True,
    )

    assert page.status_code == 200
    assert _h1_count(page) == 1
    assertContains(page, 'value="Мария"')
    assertContains(page, reverse("schools:teacher_archive", args=[teacher.pk]))
    assertRedirects(response, reverse("schools:teacher_list"))
    assert _messages(response) == ["Иванова Марина Петровна: данные учителя сохранены."]
    assert Teacher.objects.get(pk=teacher.pk).first_name == "Марина"


def test_teacher_archive_asks_first_then_takes_the_teacher_off_the_list(school, curator_client):
    leaving = TeacherFactory(school=school, last_name="Уходящий", first_name="Пётр")
    url = reverse("schools:teacher_archive", args=[leaving.pk])

    page = curator_client.get(url)
    assert Teacher.objects.get(pk=leaving.pk).archived_at is None
    response = curator_client.post(url, follow=True)

    assert page.status_code == 200
    assert _h1_count(page) == 1
    assertContains(page, "Выбыл</button>")
    assertRedirects(response, reverse("schools:teacher_list"))
    assert _messages(response) == ["Уходящий Пётр Петровна отмечен(а) как выбывший(ая)."]
    assertNotContains(response, "Уходящий Пётр Петровна</a>")
    assert Teacher.objects.get(pk=leaving.pk).archived_at is not None


def test_teacher_archive_of_a_class_teacher_is_refused_with_the_reason(
    curator_client, teacher, class_6a
):
    response = curator_client.post(reverse("schools:teacher_archive", args=[teacher.pk]))

    assert response.status_code == 200
    assertContains(response, "Иванова Мария Петровна — классный руководитель (6А).")
    assert Teacher.objects.get(pk=teacher.pk).archived_at is None


# Every page


def test_curator_pages_refuse_other_http_methods(curator_client, class_6a):
    assert curator_client.post(reverse("schools:class_list")).status_code == 405
    assert (
        curator_client.delete(reverse("schools:class_edit", args=[class_6a.pk])).status_code == 405
    )


def test_the_curators_navigation_leads_to_classes_and_teachers(curator_client):
    response = curator_client.get("/", follow=True)

    assertRedirects(response, reverse("schools:class_list"))
    assertContains(response, f'href="{reverse("schools:teacher_list")}"')
