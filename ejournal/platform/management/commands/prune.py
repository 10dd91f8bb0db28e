"""Deletes what the product no longer needs: old letters, task results and roster files,
and expired app tokens.

Meant for cron, once a day. Each kind of row is pruned by the app that owns it; this command
only calls them, with the ages given. It is safe to run at any time and any number of times:
it deletes only rows past their age, in small batches, and never a letter still to be sent,
a task still to run or a roster already applied.
"""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ejournal.accounts.api_tokens import api_tokens_prune
from ejournal.notifications.services import letters_prune
from ejournal.platform.pruning import task_results_prune
from ejournal.schools.roster.services import roster_imports_prune


def _days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        raise ArgumentTypeError(f"not a number of days: {value!r}") from None
    if not 0 < days <= 3650:
        raise ArgumentTypeError(f"between 1 and 3650 days, not {days}")
    return days


class Command(BaseCommand):
    help = (
        "Delete letters sent or failed, finished task results, and checked rosters never "
        "applied, once older than the given ages, and expired app tokens. Run daily from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--letters-days",
            type=_days,
            default=30,
            help="keep letters sent or failed for this many days (default 30)",
        )
        parser.add_argument(
            "--task-results-days",
            type=_days,
            default=14,
            help="keep the results of finished tasks for this many days (default 14)",
        )
        parser.add_argument(
            "--roster-days",
            type=_days,
            default=2,
            help="keep a checked roster that was never applied for this many days (default 2)",
        )

    def handle(
        self,
        *args: Any,
        letters_days: int,
        task_results_days: int,
        roster_days: int,
        **options: Any,
    ) -> None:
        letters = letters_prune(older_than=dt.timedelta(days=letters_days))
        results = task_results_prune(older_than=dt.timedelta(days=task_results_days))
        rosters = roster_imports_prune(older_than=dt.timedelta(days=roster_days))
        tokens = api_tokens_prune()
        self.stdout.write(
            f"Deleted: {letters} letters, {results} task results, {rosters} roster imports, "
            f"{tokens} expired app tokens"
        )
