"""`manage.py prune`: old letters, task results and rosters never applied go, the rest stays."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ejournal.accounts.api_tokens import api_token_create
from ejournal.accounts.models import ApiToken
from ejournal.core.pruning import delete_in_batches
from ejournal.core.testing.factories import UserFactory
from ejournal.notifications.models import Letter
from ejournal.schools.models import RosterImport

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 3, 3, 0, tzinfo=dt.UTC)


def _days_ago(days: int) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def _letter(status: str, days: int) -> Letter:
    with time_machine.travel(_days_ago(days), tick=False):
        return Letter.objects.create(
            kind="recovery",
            to_email="someone@example.com",
            next_attempt_at=timezone.now(),
            status=status,
        )


def _result(status: str, days: int) -> DBTaskResult:
    finished = _days_ago(days) if status in ("SUCCESSFUL", "FAILED") else None
    with time_machine.travel(_days_ago(days), tick=False):
        return DBTaskResult.objects.create(
            status=status,
            args_kwargs={"args": [1], "kwargs": {}},
            task_path="ejournal.notifications.tasks.send_letter",
            backend_name="default",
            run_after=timezone.now(),
            finished_at=finished,
            exception_class_path="",
            traceback="",
        )


def _roster(school, days: int, *, applied: bool) -> RosterImport:
    with time_machine.travel(_days_ago(days), tick=False):
        return RosterImport.objects.create(
            school=school,
            filename="6a.xlsx",
            rows=[{"last_name": "Николаев"}],
            applied_at=timezone.now() if applied else None,
        )


@pytest.fixture
def old_and_new(school):
    """What should go and what should stay with the default ages (30, 14 and 2 days)."""
    gone = [
        _letter("sent", 31),
        _letter("failed", 31),
        _result("SUCCESSFUL", 15),
        _result("FAILED", 15),
        _roster(school, 3, applied=False),
    ]
    kept = [
        _letter("sent", 29),
        _letter("queued", 90),  # still to be sent, however old
        _result("SUCCESSFUL", 13),
        _result("READY", 60),  # still to run
        _roster(school, 1, applied=False),
        _roster(school, 400, applied=True),  # the record of an import
    ]
    return gone, kept


def _exists(row) -> bool:
    return type(row).objects.filter(pk=row.pk).exists()


def _prune(*args: str) -> str:
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("prune", *args, stdout=out)
    return out.getvalue().strip()


def test_prune_deletes_what_is_past_its_age_and_keeps_the_rest(old_and_new):
    gone, kept = old_and_new

    assert _prune() == "Deleted: 2 letters, 2 task results, 1 roster imports, 0 expired app tokens"

    assert [row for row in gone if _exists(row)] == []
    assert all(_exists(row) for row in kept)


def test_running_it_again_deletes_nothing_more(old_and_new):
    _prune()
    assert _prune() == "Deleted: 0 letters, 0 task results, 0 roster imports, 0 expired app tokens"
    assert all(_exists(row) for row in old_and_new[1])


def test_the_ages_are_options(old_and_new):
    output = _prune("--letters-days", "20", "--task-results-days", "10", "--roster-days", "1")
    assert output == "Deleted: 3 letters, 3 task results, 1 roster imports, 0 expired app tokens"
    assert RosterImport.objects.filter(applied_at__isnull=True).count() == 1  # one day old


@pytest.mark.parametrize("value", ["0", "-1", "ten", "99999"])
def test_an_age_that_is_not_a_sensible_number_of_days_is_refused(old_and_new, value):
    with pytest.raises(CommandError, match="days"):
        _prune("--letters-days", value)
    assert Letter.objects.count() == 4


def test_rows_are_deleted_in_batches_until_none_is_left(django_assert_num_queries):
    for _ in range(5):
        _letter("sent", 40)
    # Three batches (2, 2, 1): each a select of ids and a delete, then the select that ends.
    with django_assert_num_queries(7):
        assert delete_in_batches(Letter.objects.all(), batch_size=2) == 5
    assert not Letter.objects.exists()


def test_prune_deletes_the_expired_app_tokens_only(school):
    user = UserFactory(school=school)
    with time_machine.travel(NOW - dt.timedelta(days=91), tick=False):
        api_token_create(user=user, device="Старый телефон")
    with time_machine.travel(NOW - dt.timedelta(days=89), tick=False):
        live, _ = api_token_create(user=user, device="Новый телефон")
    assert _prune().endswith("1 expired app tokens")
    assert list(ApiToken.objects.all()) == [live]
