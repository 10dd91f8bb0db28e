"""What students and teachers share: the name rules, the person's account, leaving the school."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone

from ..models import Student, Teacher
from ..people import NAME_FIELDS, validate_person_name
from ..signals import answers_total, person_left

if TYPE_CHECKING:
    from ejournal.accounts.models import User

Person = Student | Teacher


def lock(record: Model, *related: str) -> None:
    """Re-read the row under a lock held to the end of the transaction, so what a service
    checks (left the school? which class? which class teacher?) can't change before it writes.

    `related` rows come along in the same query (unlocked) for the service to use.
    """
    rows = type(record)._default_manager.select_for_update(of=("self",))
    record.refresh_from_db(from_queryset=rows.select_related(*related))


def name_errors(person: Person, fields: Collection[str]) -> dict[str, list[str]]:
    """Check these name fields by the shared rules, storing the tidied values; the errors."""
    errors: dict[str, list[str]] = {}
    for field, label, required in NAME_FIELDS:
        if field not in fields:
            continue
        try:
            value = validate_person_name(getattr(person, field), label, required=required)
        except ValidationError as error:
            errors[field] = error.messages
        else:
            setattr(person, field, value)
    return errors


def full_clean_into(record: Model, errors: dict[str, list[str]]) -> None:
    """full_clean() of the fields without an error yet; everything wrong raised at once.

    Constraints are left to the services' own checks, worded for the curator, and the
    database; so are relations, which the services get as records, not as typed-in ids.
    """
    relations = [field.name for field in record._meta.concrete_fields if field.is_relation]
    try:
        record.full_clean(exclude=[*errors, *relations], validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)


def sync_user_name(person: Person) -> None:
    """The person's account takes the name the school keeps."""
    user = person.user
    if user is None:
        return
    user.last_name, user.first_name, user.middle_name = (
        person.last_name,
        person.first_name,
        person.middle_name,
    )
    user.save(update_fields=["last_name", "first_name", "middle_name", "updated_at"])


def person_leave(person: Person, *, actor: User | None) -> tuple[int, bool]:
    """Mark a locked, present person as left; revoke their codes, close their account.

    A student's codes and their parents' codes alike, revoked by the invitations app on
    `person_left`. (codes revoked, account closed).
    """
    if person.archived_at is not None:
        raise ValidationError(f"{person.full_name} уже отмечен(а) как выбывший(ая).")
    person.archived_at = timezone.now()
    person.save(update_fields=["archived_at", "updated_at"])
    revoked = answers_total(person_left, sender=type(person), person=person, actor=actor)
    return revoked, _close_account(person.user)


def _close_account(user: User | None) -> bool:
    """Deactivate the person's own account: its sessions stop working at the next request."""
    if user is None or not user.is_active:
        return False
    user.is_active = False
    user.save(update_fields=["is_active", "updated_at"])
    return True
