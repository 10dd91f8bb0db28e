"""Who may write a remark about which pupil (access_student_for_remark): the class teacher, a
teacher of the pupil's class, the curator. Anyone else gets the 404 of an id that does not
exist, whatever the request says: the answer never names a pupil of another class."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ejournal.core.testing.factories import SchoolClassFactory, StudentFactory
from ejournal.journal.access import JournalAccessError
from ejournal.journal.models import Remark
from ejournal.journal.services import remark_add

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def _remark(client, student_id: int, headers=None, **data):
    url = reverse("journal:remark_add", kwargs={"student_id": student_id})
    return client.post(url, {"text": "Забыл тетрадь.", **data}, **(headers or {}))


@pytest.fixture
def petrov_client(client_for, school, petrov):
    return client_for(school, petrov.user)


@pytest.mark.parametrize("at_lesson", [False, True], ids=["no-lesson", "at-his-lesson"])
def test_a_pupil_of_a_class_the_teacher_does_not_teach_is_a_404(
    petrov_client, math_lesson, borisov, at_lesson
):
    """Петров teaches 6А; Борисов is in 6Б. At Петров's own lesson the service used to answer
    "Борисов П. не учится в классе 6А.", which confirmed the pupil and named him."""
    data = {"lesson": math_lesson.pk} if at_lesson else {}

    for headers in ({}, JSON):
        response = _remark(petrov_client, borisov.pk, headers, **data)

        assert response.status_code == 404
        assert "Борисов" not in response.content.decode()
    assert not Remark.objects.exists()


def test_a_pupil_of_another_school_is_a_404_like_an_id_of_nobody(
    petrov_client, math_lesson, other_school
):
    elsewhere = StudentFactory(school_class=SchoolClassFactory(school=other_school))
    nobody = elsewhere.pk + 1000

    for student_id in (elsewhere.pk, nobody):
        assert _remark(petrov_client, student_id).status_code == 404
        assert _remark(petrov_client, student_id, lesson=math_lesson.pk).status_code == 404
    assert not Remark.objects.exists()


def test_a_lesson_the_teacher_may_not_edit_is_a_404(client_for, school, sidorova, nikolaev):
    """Сидорова teaches 6Б only: a remark about a 6А pupil at a 6А lesson is not hers."""
    response = _remark(client_for(school, sidorova.user), nikolaev.pk)

    assert response.status_code == 404
    assert not Remark.objects.exists()


def test_the_teachers_of_the_class_its_class_teacher_and_the_curator_write_remarks(
    client_for, school, petrov, ivanova, sidorova, curator, nikolaev, borisov, math_lesson
):
    writers = [
        (petrov.user, nikolaev, {"lesson": math_lesson.pk}),  # his lesson in 6А
        (ivanova.user, nikolaev, {}),  # she leads 6А
        (sidorova.user, borisov, {}),  # she teaches 6Б
        (curator, borisov, {}),  # the curator: any pupil of the school
    ]
    for user, student, data in writers:
        response = _remark(client_for(school, user), student.pk, JSON, **data)
        assert response.json() == {"ok": True}, user.login

    assert sorted(Remark.objects.values_list("author__login", "student__last_name")) == [
        ("ivanova", "Николаев"),
        ("kurator", "Борисов"),
        ("petrov", "Николаев"),
        ("sidorova", "Борисов"),
    ]


def test_the_service_refuses_the_same_way_for_every_front_end(petrov, math_lesson, borisov):
    """The API will call remark_add directly: it too must not name the pupil."""
    for lesson in (None, math_lesson):
        with pytest.raises(JournalAccessError):
            remark_add(student=borisov, text="Опоздал.", actor=petrov.user, lesson=lesson)
    assert not Remark.objects.exists()
