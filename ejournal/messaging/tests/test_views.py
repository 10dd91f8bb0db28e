"""«Сообщения» on the web, as people use them (messaging/views.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ejournal.messaging.models import Delivery, Message
from ejournal.messaging.services import message_send

pytestmark = pytest.mark.django_db

INBOX = "/messages/"
SENT = "/messages/sent/"
NEW = "/messages/new/"


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _write(client, **data):
    return client.post(NEW, {"subject": "Контрольная", "text": "Завтра контрольная.", **data})


def test_a_teacher_writes_to_all_parents_of_a_class_and_a_parent_reads_and_replies(
    cast, client_for
):
    teacher = client_for(cast.petrov.user.school, cast.petrov.user)
    form = _text(teacher.get(NEW))
    assert "Родители 6А" in form
    assert "Ученики 6А" in form
    parents = next(g for g in teacher.get(NEW).context["form"].circle if g.name == "Родители 6А")
    response = _write(
        teacher,
        groups=[parents.key],
        text="Завтра контрольная по дробям, см. https://example.org/drobi",
    )
    message = Message.objects.get()
    assert response["Location"] == reverse("messaging:message", args=[message.pk])
    assert sorted(Delivery.objects.values_list("recipient_id", flat=True)) == sorted(
        [cast.mama_vasi.pk, cast.two_children.pk]
    )

    parent = client_for(cast.mama_vasi.school, cast.mama_vasi)
    home = parent.get(INBOX)
    assert "Сообщения 1 непрочитанных" in _text(home)
    assert "Контрольная" in _text(home)
    page = parent.get(reverse("messaging:message", args=[message.pk]))
    assert '<a href="https://example.org/drobi" rel="nofollow">' in page.content.decode()
    assert "two-children" not in _text(page)  # the other family is not shown to this one
    assert "two-children" in _text(teacher.get(reverse("messaging:message", args=[message.pk])))
    assert "Сообщения 1 непрочитанных" not in _text(parent.get(INBOX))  # read now

    reply = parent.post(
        reverse("messaging:message", args=[message.pk]), {"text": "Спасибо!", "to": "author"}
    )
    answer = Message.objects.exclude(pk=message.pk).get()
    assert reply["Location"] == reverse("messaging:message", args=[answer.pk])
    assert answer.subject == "Re: Контрольная"
    assert "Re: Контрольная" in _text(teacher.get(INBOX))
    assert "Контрольная" in _text(teacher.get(SENT))


def test_a_pupil_cannot_pick_another_classs_parents_and_a_forged_request_sends_nothing(
    cast, client_for
):
    pupil = client_for(cast.vasya.user.school, cast.vasya.user)
    form = _text(pupil.get(NEW))
    assert "Родители" not in form
    assert "Колин" not in form
    response = _write(pupil, recipients=[cast.mama_koli.pk])
    assert response.status_code == 200
    assert "Выберите корректный вариант" in _text(response)
    response = _write(pupil, groups=[f"parents-{cast.kolya.school_class_id}"])
    assert response.status_code == 200
    assert not Message.objects.exists()


def test_a_message_is_a_404_to_others_and_removing_it_keeps_it_for_the_recipient(cast, client_for):
    teacher = client_for(cast.petrov.user.school, cast.petrov.user)
    _write(teacher, recipients=[cast.mama_vasi.pk])
    message = Message.objects.get()
    url = reverse("messaging:message", args=[message.pk])
    assert client_for(cast.kolya.school, cast.mama_koli).get(url).status_code == 404
    assert client_for(cast.vasya.school, cast.vasya.user).get(url).status_code == 404
    teacher.post(reverse("messaging:remove", args=[message.pk]))
    assert "Отправленных сообщений нет" in _text(teacher.get(SENT))
    assert "Контрольная" in _text(client_for(cast.vasya.school, cast.mama_vasi).get(INBOX))


def test_an_empty_message_is_refused_with_the_reasons_by_the_fields(cast, client_for):
    teacher = client_for(cast.petrov.user.school, cast.petrov.user)
    response = teacher.post(NEW, {"subject": "", "text": ""})
    text = _text(response)
    assert "Обязательное поле." in text
    response = _write(teacher)  # nobody chosen
    assert "Выберите, кому написать." in _text(response)
    assert not Message.objects.exists()


def test_the_folders_run_a_fixed_number_of_queries(cast, client_for, django_assert_num_queries):
    parent = client_for(cast.mama_vasi.school, cast.mama_vasi)
    teacher = client_for(cast.petrov.user.school, cast.petrov.user)
    parent.get(INBOX)
    teacher.get(SENT)

    def fill(count):
        for n in range(count):
            sender = (cast.petrov.user, cast.ivanova.user, cast.curator)[n % 3]
            message_send(
                sender=sender,
                recipient_ids=[cast.mama_vasi.pk, cast.two_children.pk],
                subject=f"Тема {n}",
                text="Текст",
            )

    fill(3)
    # The inbox: the unread count (moved by the new messages), the count, the page.
    with django_assert_num_queries(3):
        assert parent.get(INBOX).status_code == 200
    # Sent: the count, the page, the recipients (the teacher's unread count kept).
    with django_assert_num_queries(3):
        assert teacher.get(SENT).status_code == 200
    fill(30)
    with django_assert_num_queries(3):
        assert parent.get(INBOX).status_code == 200
    with django_assert_num_queries(3):
        assert teacher.get(SENT).status_code == 200
