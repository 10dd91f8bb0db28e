"""The task queue's own old rows: results of finished tasks (django-tasks' database backend)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ejournal.core.pruning import delete_in_batches


def task_results_prune(*, older_than: dt.timedelta) -> int:
    """Delete the results of tasks that finished (succeeded or failed) more than `older_than`
    ago; a task waiting or running is never deleted. Returns how many were deleted."""
    finished = DBTaskResult.objects.finished().filter(finished_at__lt=timezone.now() - older_than)
    return delete_in_batches(finished)
