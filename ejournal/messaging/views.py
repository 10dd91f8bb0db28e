"""«Сообщения» on the web: the inbox, the sent ones, a message with its thread and reply, a
new message. Every school account has them; the rules are the services' and selectors'."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ejournal.core.http import SchoolRequest, school_required

from . import selectors, services
from .circle import recipient_groups
from .forms import MessageForm, ReplyForm


@school_required
@login_required
def inbox(request: SchoolRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page = selectors.inbox(request.user, page=request.GET.get("page"), unread_only=unread_only)
    return render(
        request,
        "messaging/inbox.html",
        {"page": page, "unread_only": unread_only, "folder": "inbox"},
    )


@school_required
@login_required
def sent(request: SchoolRequest) -> HttpResponse:
    page = selectors.sent(request.user, page=request.GET.get("page"))
    return render(request, "messaging/sent.html", {"page": page, "folder": "sent"})


@school_required
@login_required
def compose(request: SchoolRequest) -> HttpResponse:
    circle = recipient_groups(request.user)
    form = MessageForm(request.POST or None, circle=circle)
    if request.method == "POST" and form.is_valid():
        try:
            message = services.message_send(
                sender=request.user,
                recipient_ids=form.recipient_ids(),
                subject=form.cleaned_data["subject"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            flash.success(request, "Сообщение отправлено.")
            return redirect("messaging:message", message_id=message.pk)
    return render(request, "messaging/compose.html", {"form": form, "folder": "new"})


@school_required
@login_required
def message(request: SchoolRequest, message_id: int) -> HttpResponse:
    """A message with the rest of its thread the user may see; opening it reads it."""
    found = selectors.access_message(user=request.user, message_id=message_id)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reply = services.message_reply(
                sender=request.user,
                message=found,
                text=form.cleaned_data["text"],
                to_all=request.POST.get("to") == "all",
            )
        except ValidationError as refusal:
            form.add_error("text", refusal.messages)
        else:
            flash.success(request, "Ответ отправлен.")
            return redirect("messaging:message", message_id=reply.pk)
    services.message_read(user=request.user, message=found)
    return render(
        request,
        "messaging/message.html",
        {
            "message": found,
            "thread": selectors.thread(user=request.user, message=found),
            "form": form,
            "mine": found.sender_id == request.user.pk,
        },
    )


@school_required
@login_required
@require_POST
def letters(request: SchoolRequest) -> HttpResponse:
    """The profile's switch for the letters about new messages."""
    on = request.POST.get("message_letters") == "on"
    services.message_letters_set(user=request.user, on=on)
    flash.success(
        request,
        "Письма о новых сообщениях включены." if on else "Письма о новых сообщениях выключены.",
    )
    return redirect("accounts:profile")


@school_required
@login_required
@require_POST
def remove(request: SchoolRequest, message_id: int) -> HttpResponse:
    found = selectors.access_message(user=request.user, message_id=message_id)
    services.message_remove(user=request.user, message=found)
    flash.success(request, "Сообщение удалено из папки.")
    return redirect("messaging:sent" if found.sender_id == request.user.pk else "messaging:inbox")
