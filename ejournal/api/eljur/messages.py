"""The protocol's messages: getmessages, getmessageinfo, getmessagereceivers, sendmessage and
sendreplymessage, on the messaging app's services and selectors (the circle, the throttle,
the folders are theirs)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from ejournal.accounts.models import User
from ejournal.messaging import selectors, services
from ejournal.messaging.circle import Person, recipient_groups
from ejournal.messaging.models import Message

from .protocol import Caller, EljurError

NO_MESSAGE = "Сообщение не найдено."
BAD_FOLDER = "Параметр folder — inbox или sent."
BAD_NUMBER = "Параметры limit и page — целые числа больше нуля."
BAD_USERS = "Параметр users_to — номера получателей через запятую."
SHORT_TEXT = 100
LIMIT_MAX = 100


def _when(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def _person(user_id: int, last_name: str, first_name: str, middle_name: str) -> dict[str, str]:
    return {
        "name": str(user_id),
        "lastname": last_name,
        "firstname": first_name,
        "middlename": middle_name,
    }


def _user(user: User) -> dict[str, str]:
    return _person(user.pk, user.last_name, user.first_name, user.middle_name)


def _short(text: str) -> str:
    return text if len(text) <= SHORT_TEXT else text[: SHORT_TEXT - 1].rstrip() + "…"


def _summary(message: Message, *, unread: bool) -> dict[str, Any]:
    return {
        "id": str(message.pk),
        "date": _when(message.created_at),
        "subject": message.subject,
        "short_text": _short(message.text),
        "unread": unread,
        "user_from": _user(message.sender),
        "with_files": False,
        "with_resources": False,
    }


def _positive(caller: Caller, name: str, default: int) -> int:
    raw = caller.args.get(name, "").strip() or str(default)
    if not raw.isdigit() or int(raw) < 1:
        raise EljurError(BAD_NUMBER)
    return int(raw)


def getmessages(caller: Caller) -> dict[str, Any]:
    """A page of the inbox or the sent folder, newest first."""
    folder = caller.args.get("folder", "").strip() or "inbox"
    limit = min(_positive(caller, "limit", 20), LIMIT_MAX)
    page_number = _positive(caller, "page", 1)
    if folder == "inbox":
        unread_only = caller.args.get("unreadonly", "").strip() == "yes"
        page = selectors.inbox(
            caller.user, page=page_number, unread_only=unread_only, per_page=limit
        )
        found = [_summary(d.message, unread=d.read_at is None) for d in page.object_list]
    elif folder == "sent":
        page = selectors.sent(caller.user, page=page_number, per_page=limit)
        found = [_summary(message, unread=False) for message in page.object_list]
    else:
        raise EljurError(BAD_FOLDER)
    if page.number != page_number:  # past the last page: nothing, not the last one again
        found = []
    return {"messages": found, "count": len(found), "total": page.paginator.count}


def _message(caller: Caller, raw_id: str) -> Message:
    if not raw_id.strip().isdigit():
        raise EljurError(NO_MESSAGE)
    try:
        return selectors.access_message(user=caller.user, message_id=int(raw_id))
    except Http404 as error:
        raise EljurError(NO_MESSAGE) from error


def getmessageinfo(caller: Caller) -> dict[str, Any]:
    """One message with its text and recipients; reading it marks it read."""
    message = _message(caller, caller.args.get("id", ""))
    services.message_read(user=caller.user, message=message)
    recipients = selectors.recipients_seen(user=caller.user, message=message)
    return {
        "message": {
            **_summary(message, unread=False),
            "text": message.text,
            "user_to": [_user(user) for user in recipients],
            "files": [],
        }
    }


def _people(people: tuple[Person, ...]) -> list[dict[str, str]]:
    return [_person(p.user_id, p.last_name, p.first_name, p.middle_name) for p in people]


def getmessagereceivers(caller: Caller) -> dict[str, Any]:
    """Whom the user may write to, in groups (the web's circle)."""
    return {
        "groups": [
            {"key": group.key, "name": group.name, "users": _people(group.people)}
            for group in recipient_groups(caller.user)
        ]
    }


def _refused(refusal: ValidationError) -> EljurError:
    return EljurError(" ".join(refusal.messages))


def sendmessage(caller: Caller) -> dict[str, Any]:
    """`subject`, `text`, `users_to` (ids, comma separated): one message to each."""
    raw = [part.strip() for part in caller.args.get("users_to", "").split(",") if part.strip()]
    if not all(part.isdigit() for part in raw):
        raise EljurError(BAD_USERS)
    try:
        message = services.message_send(
            sender=caller.user,
            recipient_ids=[int(part) for part in raw],
            subject=caller.args.get("subject", ""),
            text=caller.args.get("text", ""),
        )
    except ValidationError as refusal:
        raise _refused(refusal) from refusal
    return {"id": str(message.pk)}


def sendreplymessage(caller: Caller) -> dict[str, Any]:
    """`replyto` (a message the user sent or received) and `text`: a reply to its author."""
    message = _message(caller, caller.args.get("replyto", ""))
    try:
        reply = services.message_reply(
            sender=caller.user, message=message, text=caller.args.get("text", ""), to_all=False
        )
    except ValidationError as refusal:
        raise _refused(refusal) from refusal
    return {"id": str(reply.pk)}


READS = {
    "getmessages": getmessages,
    "getmessagereceivers": getmessagereceivers,
}
# They write (a read mark, a message): on the primary, like every write.
WRITES = {
    "getmessageinfo": getmessageinfo,
    "sendmessage": sendmessage,
    "sendreplymessage": sendreplymessage,
}
