"""`{% load messaging %}`: the menu's unread count."""

from __future__ import annotations

from django import template

from ejournal.accounts.models import User

from ..selectors import unread_count

register = template.Library()


@register.simple_tag
def unread_messages(user: User) -> int:
    """How many unread messages the user has (kept: selectors.unread_count)."""
    return unread_count(user) if user.is_authenticated and user.school_id else 0
