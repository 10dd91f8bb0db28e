"""What a user reads of the messages: the inbox, the sent ones, a thread, the unread count.

A fixed number of queries a page whatever the mailbox holds (pinned in tests); a message
another user cannot see is a 404 (`access_message`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from ejournal.accounts.models import User
from ejournal.core.freshness import FORMAT, kept_read, versions_moved

from .circle import circle_user_ids, school_id_of
from .models import Delivery, Message

PAGE_SIZE = 25
INBOX_VERSION = "messaging:v:inbox:{}"


def unread_count(user: User) -> int:
    """How many messages in the user's inbox are unread: on every page's menu, so kept
    under the user's inbox version (`inbox_changed`), which each delivery to the user, read
    or removal moves."""
    school_id = school_id_of(user)
    return kept_read(
        f"messaging:{FORMAT}:unread:{user.pk}",
        [INBOX_VERSION.format(user.pk)],
        lambda: Delivery.objects.filter(
            school_id=school_id, recipient=user, read_at__isnull=True, removed_at__isnull=True
        ).count(),
    )


def inbox_changed(user_ids: Iterable[int]) -> None:
    """Messages delivered to these users, read or removed by them."""
    versions_moved([INBOX_VERSION.format(pk) for pk in user_ids])


def inbox(
    user: User,
    *,
    page: int | str | None = 1,
    unread_only: bool = False,
    per_page: int = PAGE_SIZE,
) -> Page:
    """The user's received messages, newest first: a page of deliveries, each with its
    message and sender."""
    deliveries = Delivery.objects.filter(
        school_id=school_id_of(user), recipient=user, removed_at__isnull=True
    )
    if unread_only:
        deliveries = deliveries.filter(read_at__isnull=True)
    ordered = deliveries.select_related("message__sender").order_by("-message_id")
    return Paginator(ordered, per_page).get_page(page)


def sent(user: User, *, page: int | str | None = 1, per_page: int = PAGE_SIZE) -> Page:
    """The user's sent messages, newest first, each with its recipients."""
    messages = (
        Message.objects.filter(
            school_id=school_id_of(user), sender=user, sender_removed_at__isnull=True
        )
        .prefetch_related(
            Prefetch(
                "deliveries",
                queryset=Delivery.objects.select_related("recipient").order_by(
                    "recipient__last_name", "recipient__first_name", "recipient_id"
                ),
            )
        )
        .order_by("-pk")
    )
    return Paginator(messages, per_page).get_page(page)


def access_message(*, user: User, message_id: int) -> Message:
    """A message the user sent or received (removed from a folder or not), with its sender;
    Http404 for any other."""
    found = (
        Message.objects.filter(school_id=school_id_of(user), pk=message_id)
        .filter(Q(sender=user) | Q(deliveries__recipient=user))
        .select_related("sender")
        .distinct()
        .first()
    )
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class ThreadEntry:
    message: Message
    recipients: list[User]  # those the viewer may see (recipients_seen)


def thread(*, user: User, message: Message) -> list[ThreadEntry]:
    """The messages of `message`'s thread the user sent or received, oldest first, each
    with its sender and the recipients the user may see."""
    messages = list(_visible(user).filter(thread_id=message.thread_id).order_by("created_at", "pk"))
    received = any(m.sender_id != user.pk for m in messages)
    circle = circle_user_ids(user) if received else set()
    return [
        ThreadEntry(
            m,
            recipients_seen(
                user=user,
                message=m,
                recipients=[d.recipient for d in m.deliveries.all()],  # prefetched
                circle=circle,
            ),
        )
        for m in messages
    ]


def recipients_seen(
    *,
    user: User,
    message: Message,
    recipients: Iterable[User] | None = None,
    circle: set[int] | None = None,
) -> list[User]:
    """Whom the user sees that a message went to (`recipients`: all of them, read here if
    not given), by name. Its sender sees every recipient; a recipient sees themselves and
    those of the others they may write to themselves: a teacher's message to the parents of
    a class reaches each family as its own, and no parent learns who the others are (reply
    to all reaches the same people)."""
    if recipients is None:
        recipients = [d.recipient for d in message.deliveries.select_related("recipient")]
    everyone = sorted(recipients, key=lambda u: (u.last_name, u.first_name, u.middle_name, u.pk))
    if message.sender_id == user.pk:
        return everyone
    allowed = circle_user_ids(user) if circle is None else circle
    return [r for r in everyone if r.pk == user.pk or r.pk in allowed]


def _visible(user: User) -> QuerySet[Message]:
    mine = Q(sender=user) | Q(
        pk__in=Delivery.objects.filter(school_id=school_id_of(user), recipient=user).values(
            "message_id"
        )
    )
    return (
        Message.objects.filter(mine, school_id=school_id_of(user))
        .select_related("sender")
        .prefetch_related(
            Prefetch("deliveries", queryset=Delivery.objects.select_related("recipient"))
        )
    )
