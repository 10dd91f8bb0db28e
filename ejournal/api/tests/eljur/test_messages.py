"""The protocol's messages (api/eljur/messages.py): the same messages as the web's."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from ejournal.core.testing.journal_factories import TeachingAssignmentFactory
from ejournal.messaging.models import Message

from .conftest import DEVKEY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _petrov_teaches_6a(cast):
    """The cast's lessons name Петров; the circle goes by the assignments."""
    TeachingAssignmentFactory(school_class=cast["nikolaev"].school_class, teacher=cast["petrov"])


@pytest.fixture
def post(school):
    def call(method: str, **form: str):
        client = Client(HTTP_HOST=f"{school.number}.{settings.EJOURNAL_BASE_DOMAIN}")
        return client.post(f"/apiv3/{method}?devkey={DEVKEY}&out_format=json", form)

    return call


def _result(response):
    body = response.json()["response"]
    assert body["state"] == 200, body
    return body["result"]


def test_a_teacher_sends_and_the_parent_reads_replies_through_the_protocol(
    cast, eljur, post, token_for
):
    teacher, parent = token_for(cast["petrov"].user), token_for(cast["nikolaeva"])
    sent = _result(
        post(
            "sendmessage",
            auth_token=teacher,
            subject="Контрольная",
            text="В пятницу контрольная по дробям.",
            users_to=str(cast["nikolaeva"].pk),
        )
    )
    message = Message.objects.get()
    assert sent == {"id": str(message.pk)}

    inbox = _result(eljur("getmessages", auth_token=parent, folder="inbox", unreadonly="yes"))
    assert (inbox["count"], inbox["total"]) == (1, 1)
    [item] = inbox["messages"]
    assert item["id"] == str(message.pk)
    assert item["subject"] == "Контрольная"
    assert item["short_text"] == "В пятницу контрольная по дробям."
    assert item["unread"] is True
    petrov = cast["petrov"].user
    assert item["user_from"] == {
        "name": str(petrov.pk),
        "lastname": petrov.last_name,
        "firstname": petrov.first_name,
        "middlename": petrov.middle_name,
    }
    assert len(item["date"]) == len("2026-11-26 10:00:00")

    info = _result(eljur("getmessageinfo", auth_token=parent, id=str(message.pk)))["message"]
    assert info["text"] == "В пятницу контрольная по дробям."
    assert [u["name"] for u in info["user_to"]] == [str(cast["nikolaeva"].pk)]
    seen_by_teacher = _result(eljur("getmessageinfo", auth_token=teacher, id=str(message.pk)))[
        "message"
    ]["user_to"]
    assert [u["name"] for u in seen_by_teacher] == [str(cast["nikolaeva"].pk)]
    assert _result(eljur("getmessages", auth_token=parent, unreadonly="yes"))["total"] == 0

    reply = _result(
        post("sendreplymessage", auth_token=parent, replyto=str(message.pk), text="Спасибо!")
    )
    answer = Message.objects.get(pk=int(reply["id"]))
    assert answer.subject == "Re: Контрольная"
    assert _result(eljur("getmessages", auth_token=teacher))["messages"][0]["id"] == reply["id"]
    assert _result(eljur("getmessages", auth_token=teacher, folder="sent"))["total"] == 1


def test_the_receivers_are_the_circle_and_a_forged_recipient_sends_nothing(
    cast, eljur, post, token_for
):
    pupil = token_for(cast["nikolaev"].user)
    groups = _result(eljur("getmessagereceivers", auth_token=pupil))["groups"]
    names = {group["name"] for group in groups}
    assert "Учителя" in names
    assert not any(name.startswith("Родители") for name in names)
    refused = post(
        "sendmessage",
        auth_token=pupil,
        subject="Привет",
        text="Текст",
        users_to=str(cast["borisova"].pk),
    ).json()["response"]
    assert refused["state"] == 400
    assert refused["error"] == "Среди получателей есть те, кому вы писать не можете."
    assert not Message.objects.exists()


def test_another_users_message_is_not_found_and_sending_needs_a_post(cast, eljur, post, token_for):
    _result(
        post(
            "sendmessage",
            auth_token=token_for(cast["petrov"].user),
            subject="Тема",
            text="Текст",
            users_to=str(cast["nikolaeva"].pk),
        )
    )
    message = Message.objects.get()
    other = token_for(cast["borisova"])
    answer = eljur("getmessageinfo", auth_token=other, id=str(message.pk)).json()["response"]
    assert (answer["state"], answer["error"]) == (400, "Сообщение не найдено.")
    by_get = eljur("sendmessage", auth_token=other, subject="a", text="b", users_to="1")
    assert by_get.json()["response"]["error"] == "Этот метод вызывается запросом POST."
    bad = eljur("getmessages", auth_token=other, folder="spam").json()["response"]
    assert bad["error"] == "Параметр folder — inbox или sent."
