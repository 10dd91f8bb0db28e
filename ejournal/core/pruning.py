"""Deleting old rows a little at a time, for the `prune` command that cron runs.

A first run on a deployment that has never pruned may find millions of rows: deleting them in
batches keeps each transaction (and its locks and WAL) short, and a run that stops halfway has
kept what it deleted, so running it again simply goes on.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

BATCH_SIZE = 2000


def delete_in_batches(rows: QuerySet[Any], *, batch_size: int = BATCH_SIZE) -> int:
    """Delete every row of `rows`, `batch_size` at a time (each batch in its own transaction
    under autocommit); returns how many were deleted."""
    deleted = 0
    while True:
        batch = list(rows.values_list("pk", flat=True)[:batch_size])
        if not batch:
            return deleted
        rows.model._default_manager.filter(pk__in=batch).delete()
        deleted += len(batch)
