"""The curator's roster pages: upload with errors or a preview, apply, and who may see them."""

import re

import pytest
from django.contrib.messages import get_messages
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ejournal.core.testing.factories import SchoolClassFactory, StudentFactory, UserFactory
from ejournal.schools.models import RosterImport, SchoolClass, Student
from ejournal.schools.roles import Role
from ejournal.schools.roster.services import roster_import_create
from ejournal.schools.roster.testing import born_aged, dmy, pupil, pupils, roster_csv, roster_xlsx

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("schools:roster_import")


def upload(client, content, name="list.csv"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content)})


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def h1s(response):
    return re.findall(r"<h1[ >]", response.content.decode())


def preview_url(stored):
    return reverse("schools:roster_preview", kwargs={"import_id": stored.pk})


def test_the_upload_page_describes_the_columns_and_offers_the_sample(
    curator_client, django_assert_num_queries
):
    with django_assert_num_queries(3):  # the school, the user, the unread messages
        response = curator_client.get(IMPORT_URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert len(h1s(response)) == 1
    assert "Загрузка списка учеников" in content
    for column in ("Класс", "Фамилия", "Имя", "Отчество", "Дата рождения", "Email родителя"):
        assert f"<td>{column}</td>" in content
    assert 'href="/static/samples/roster-sample.csv"' in content
    assert 'src="/static/js/roster-upload.js"' in content
    assert 'enctype="multipart/form-data"' in content


def test_the_sample_file_and_the_script_are_static_files():
    sample = finders.find("samples/roster-sample.csv")
    script = finders.find("js/roster-upload.js")
    assert sample is not None
    assert script is not None
    with open(sample, "rb") as file:
        assert file.read().startswith("\ufeffКласс;Фамилия;Имя;Отчество;Дата рождения;".encode())


def test_a_good_file_is_stored_and_leads_to_the_preview_without_creating_anyone(
    school, curator, curator_client
):
    response = upload(curator_client, roster_csv(pupils(3, ["6А", "7Б"])))
    stored = RosterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == preview_url(stored)
    assert (stored.school, stored.created_by, stored.filename, len(stored.rows)) == (
        school,
        curator,
        "list.csv",
        3,
    )
    assert Student.objects.count() == 0
    assert SchoolClass.objects.count() == 0


def test_an_xlsx_upload_is_accepted(curator_client):
    response = upload(curator_client, roster_xlsx(pupils(2)), name="Список.xlsx")
    assert response.status_code == 302
    assert RosterImport.objects.get().filename == "Список.xlsx"


def test_a_file_with_bad_rows_comes_back_with_each_line_and_reason_and_nothing_stored(
    curator_client, django_assert_num_queries
):
    rows = [
        pupil(0),
        ("6А", "", "Василий", "", dmy(born_aged(12)), ""),
        pupil(1),
        ("6А", "Орлов", "Глеб", "", "32.13.2013", ""),
    ]
    # the school, the user, its unread messages, the year, its classes, the students
    with django_assert_num_queries(6):
        response = upload(curator_client, roster_csv(rows))
    content = response.content.decode()
    assert response.status_code == 200
    assert len(h1s(response)) == 1
    assert "Файл не загружен" in content
    assert "Строк с учениками в файле: 4, с ошибками: 2." in content
    assert "<td>3</td>" in content
    assert "Не указано поле «Фамилия»." in content
    assert "<td>5</td>" in content
    assert "Дата рождения «32.13.2013» не распознана" in content
    assert RosterImport.objects.count() == 0
    assert Student.objects.count() == 0


def test_a_pupil_in_another_class_is_an_error_linking_to_the_pupils_page(school, curator_client):
    seven_b = SchoolClassFactory(school=school, grade=7, letter="Б")
    row = pupil(0, "6А")
    student = StudentFactory(
        school_class=seven_b,
        last_name=row[1],
        first_name=row[2],
        middle_name=row[3],
        birth_date=born_aged(7),
    )
    response = upload(curator_client, roster_csv([row]))
    content = response.content.decode()
    assert "уже учится в классе 7Б" in content
    assert reverse("schools:student_edit", kwargs={"student_id": student.pk}) in content
    assert RosterImport.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.csv", b"", "Отправленный файл пуст."),
        (
            "photo.jpg",
            b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01",
            "нужна таблица в формате XLSX или CSV",
        ),
        (
            "old.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32,
            "в старом формате Excel (.xls)",
        ),
        ("list.csv", roster_csv([]), "В файле только заголовок"),
    ],
)
def test_a_bad_file_gets_a_clear_message_in_russian_and_changes_nothing(
    curator_client, name, content, message
):
    response = upload(curator_client, content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert RosterImport.objects.count() == 0


def test_a_post_without_a_file_asks_for_one(curator_client):
    response = curator_client.post(IMPORT_URL, {})
    assert response.status_code == 200
    assert "Обязательное поле." in response.content.decode()
    assert RosterImport.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused_with_413_and_a_page_that_states_the_limit(
    curator_client, settings
):
    settings.EJOURNAL_ROSTER_MAX_BYTES = 1024 * 1024
    response = upload(curator_client, roster_csv(pupils(2)).ljust(2 * 1024 * 1024, b"\n"))
    content = response.content.decode()
    assert response.status_code == 413
    assert "Файл слишком большой: можно загрузить не больше 1 МБ." in content
    assert "Таблица XLSX или CSV, не больше 1 МБ." in content
    assert RosterImport.objects.count() == 0


def test_the_preview_shows_counts_new_classes_skipped_pupils_and_the_rows(
    school, curator, curator_client, django_assert_num_queries
):
    six_a = SchoolClassFactory(school=school, grade=6, letter="А")
    first = pupil(0, "6А")
    StudentFactory(
        school_class=six_a,
        last_name=first[1],
        first_name=first[2],
        middle_name=first[3],
        birth_date=born_aged(7),
    )
    content = roster_csv([first, pupil(1, "6А"), pupil(2, "10В", email="ivanova@example.com")])
    stored = roster_import_create(
        school=school, actor=curator, filename="list.csv", content=content
    )

    # the school, the user, the import, the year, its classes, the students
    with django_assert_num_queries(7):
        response = curator_client.get(preview_url(stored))

    page = response.content.decode()
    assert response.status_code == 200
    assert len(h1s(response)) == 1
    assert 'Будут добавлены: <strong data-count="to-create">2</strong>' in page
    assert 'Пропущены, потому что уже есть в школе: <strong data-count="skipped">1</strong>' in page
    assert 'Будут созданы классы: <strong data-count="new-classes">10В</strong>' in page
    assert "пропущен: уже есть в классе 6А" in page
    assert "ivanova@example.com" in page
    assert "Загрузить учеников: 2" in page


def test_the_preview_of_a_large_file_shows_the_first_rows_and_says_how_many_there_are(
    school, curator, curator_client
):
    stored = roster_import_create(
        school=school, actor=curator, filename="big.csv", content=roster_csv(pupils(1000))
    )
    page = curator_client.get(preview_url(stored)).content.decode()
    assert "Показаны первые 300 строк из 1000." in page
    assert page.count("<td>6А</td>") == 300


def test_applying_creates_everyone_and_goes_to_the_class_list_with_a_message(
    school, curator, curator_client
):
    stored = roster_import_create(
        school=school,
        actor=curator,
        filename="list.csv",
        content=roster_csv(pupils(4, ["6А", "7Б"])),
    )
    response = curator_client.post(preview_url(stored))
    assert response.status_code == 302
    assert response["Location"] == reverse("schools:class_list")
    assert messages_of(response) == [
        "Список «list.csv» загружен. Добавлено учеников: 4. Созданы классы: 6А, 7Б."
    ]
    assert Student.objects.filter(school=school).count() == 4
    stored.refresh_from_db()
    assert stored.applied_at is not None


def test_an_applied_roster_cannot_be_previewed_or_applied_again(school, curator, curator_client):
    stored = roster_import_create(
        school=school, actor=curator, filename="list.csv", content=roster_csv(pupils(2))
    )
    curator_client.post(preview_url(stored))
    for response in (
        curator_client.get(preview_url(stored)),
        curator_client.post(preview_url(stored)),
    ):
        assert response.status_code == 302
        assert response["Location"] == IMPORT_URL
        assert messages_of(response)[-1].startswith("Список «list.csv» уже загружен")
    assert Student.objects.count() == 2


def test_a_roster_that_collides_after_upload_shows_the_error_and_cannot_be_applied(
    school, curator, curator_client
):
    row = pupil(0, "6А")
    stored = roster_import_create(
        school=school, actor=curator, filename="list.csv", content=roster_csv([row, pupil(1)])
    )
    StudentFactory(
        school_class=SchoolClassFactory(school=school, grade=8, letter="А"),
        last_name=row[1],
        first_name=row[2],
        middle_name=row[3],
        birth_date=born_aged(7),
    )
    page = curator_client.get(preview_url(stored)).content.decode()
    assert "данные школы изменились" in page
    assert "уже учится в классе 8А" in page
    assert "Загрузить учеников" not in page

    response = curator_client.post(preview_url(stored))

    assert response.status_code == 302
    assert response["Location"] == preview_url(stored)
    assert messages_of(response) == [
        "Список не загружен, ничего не изменилось. Ошибки перечислены ниже."
    ]
    assert Student.objects.count() == 1
    stored.refresh_from_db()
    assert stored.applied_at is None


def test_another_schools_import_is_not_found(other_school, other_curator, curator_client):
    theirs = roster_import_create(
        school=other_school, actor=other_curator, filename="list.csv", content=roster_csv(pupils(2))
    )
    assert curator_client.get(preview_url(theirs)).status_code == 404
    assert curator_client.post(preview_url(theirs)).status_code == 404
    assert Student.objects.count() == 0


@pytest.mark.parametrize("role", [Role.TEACHER, Role.STUDENT, Role.PARENT])
def test_other_roles_cannot_reach_the_roster_pages(school, curator, client_for, role):
    stored = roster_import_create(
        school=school, actor=curator, filename="list.csv", content=roster_csv(pupils(2))
    )
    client = client_for(school, UserFactory(school=school, role=role))
    assert client.get(IMPORT_URL).status_code == 404
    assert upload(client, roster_csv(pupils(2))).status_code == 404
    assert client.get(preview_url(stored)).status_code == 404
    assert client.post(preview_url(stored)).status_code == 404
    assert Student.objects.count() == 0
    assert RosterImport.objects.count() == 1


def test_anonymous_visitors_are_sent_to_the_login_page(school, curator, client_for):
    stored = roster_import_create(
        school=school, actor=curator, filename="list.csv", content=roster_csv(pupils(2))
    )
    client = client_for(school)
    for response in (client.get(IMPORT_URL), client.post(preview_url(stored))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert Student.objects.count() == 0
