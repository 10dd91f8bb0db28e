"""Closing a period (its marks, attendance and finals locked) and reopening it: the curator's.

The state is `Period.status`: AUTO follows the school's "close N days after the end";
CLOSED and OPEN are the curator's decisions and win over that rule, so a period the curator
reopened stays open until closed again by hand. Whether a period is closed is answered in one
place, `selectors.period_is_closed`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from ejournal.audit.models import AuditAction
from ejournal.audit.services import audit_record

from ..models import Period, PeriodStatus, School
from ..selectors import period_is_closed
from ._person import lock

if TYPE_CHECKING:
    from ejournal.accounts.models import User


def period_close(*, school: School, period: Period, actor: User | None) -> Period:
    """Close the period by hand: nobody changes its marks, attendance or finals until it is
    reopened. Audited (`period.closed`, status and closed before and after)."""
    return _period_set_status(
        school=school, period=period, actor=actor, closed=True, action=AuditAction.PERIOD_CLOSED
    )


def period_reopen(*, school: School, period: Period, actor: User | None) -> Period:
    """Open a closed period again; it stays open even past the school's closing rule.
    Audited (`period.reopened`)."""
    return _period_set_status(
        school=school, period=period, actor=actor, closed=False, action=AuditAction.PERIOD_REOPENED
    )


def _period_set_status(
    *, school: School, period: Period, actor: User | None, closed: bool, action: AuditAction
) -> Period:
    if period.school_id != school.pk:
        raise ValidationError("Период другой школы.")
    with transaction.atomic():
        lock(period)
        was_closed = period_is_closed(period=period, school=school)
        if was_closed == closed:
            state = "закрыт" if closed else "открыт"
            raise ValidationError(f"Период «{period}» уже {state}.")
        before = {"status": period.status, "closed": was_closed}
        period.status = PeriodStatus.CLOSED if closed else PeriodStatus.OPEN
        period.full_clean()
        period.save(update_fields=["status", "updated_at"])
        audit_record(
            school=school,
            actor=actor,
            action=action,
            target=period,
            before=before,
            after={"status": period.status, "closed": closed},
        )
    return period
