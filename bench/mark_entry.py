"""Quarter-end mark entry: many teachers saving grid cells at once, timed, then checked.

Issue 9's write scenario. Each of TEACHERS bench teachers (the `bench-teacher-*` accounts of
bench/prepare.py) is logged in and given a CSRF token, and gets CELLS cells of their own
lessons (recent lessons they teach, in an open period, that took place) whose pupils have
neither a mark nor an attendance there yet: column after column, as a teacher fills the grid at
the end of a quarter. Every cell is saved once (a mark "5", "4", …; one in ten "н"), through the
grid's own request (POST /journal/lessons/<lesson>/students/<student>/, Accept: JSON), from
CONNECTIONS http.client connections in threads, each sending its own queue of distinct cells.
Since every cell is distinct and was empty, the end state is exact: `verify` finds, for each
planned cell, one Mark (or one Attendance for "н") holding the planned value and one audit
event, and no duplicate (lesson, student) mark anywhere; `cleanup` then deletes what the
scenario wrote (the cells and their audit events), so that the next run starts from the same
data (and `prepare` picks empty cells anyway).

The steps that need Django run in a separate process with the server's environment, as
bench/prepare.py does (`python -m bench.mark_entry prepare|verify|cleanup PLAN.json`); the
client (`run`) needs none. From bench/run.py (`import mark_entry`), the plan at any time after
seeding, the row inside `with gunicorn("config.wsgi", env) as port`:

    plan = mark_entry.prepared(ROOT / "var" / "bench-marks.json", env)
    rows.append(mark_entry.measure(port, plan, plan_path, env))

Standalone, against DATABASE_URL (default ejournal_bench) and REDIS_URL, already seeded or with
--seed: `python -m bench.mark_entry [--seed] [--teachers 30] [--cells 100]`; prints the row.

The client shares the machine's cores with gunicorn and PostgreSQL: the row's `client_cpu`
is the share of one core the client process used while timing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import importlib
import json
import math
import os
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# By name, not `from bench.run import`: bench/ is no package to mypy, which knows bench/run.py as
# the module "run" (the lead's `python bench/run.py` imports this file as "mark_entry").
bench_run = importlib.import_module("bench.run")
CONNECTIONS: int = bench_run.CONNECTIONS

NAME = "mark entry (teachers)"
TEACHERS = 30
CELLS = 100  # per teacher: 3000 saves with 30 teachers, some 85 s at 35 saves/s on 2 cores
WARM_UP = 2  # saves per connection before the timed ones (at most a tenth of all)
# What the teachers type, in turn; "н" is an absence (an Attendance, no Mark).
VALUES = ["5", "4", "5", "3", "4", "н", "5", "4", "2", "4"]
ABSENT = "н"


# --- In the Django process (prepare, verify, cleanup) ---------------------------------------


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    import django

    django.setup()


def _empty_cells(teacher: Any, school: Any, wanted: int) -> list[tuple[int, int]]:
    """(lesson id, student id) of up to `wanted` empty cells the teacher may fill: their latest
    lessons that took place, are not cancelled and lie in no closed period, lesson by lesson,
    each lesson's pupils (its group's, for a group lesson) in the grid's order."""
    from ejournal.journal.models import Attendance, GroupMembership, Lesson, LessonStatus, Mark
    from ejournal.schools.models import Student
    from ejournal.schools.selectors import closed_period_on

    lessons = (
        Lesson.objects.filter(school=school, teacher=teacher, date__lte=school.today())
        .exclude(status=LessonStatus.CANCELLED)
        .order_by("-date", "-number")
    )
    cells: list[tuple[int, int]] = []
    closed: dict[tuple[int, dt.date], bool] = {}
    for lesson in lessons.iterator(chunk_size=50):
        if len(cells) >= wanted:
            break
        key = (lesson.school_class_id, lesson.date)
        if key not in closed:
            closed[key] = (
                closed_period_on(school=school, school_class_id=key[0], day=key[1]) is not None
            )
        if closed[key]:
            continue
        pupils = Student.objects.active().filter(school=school, school_class_id=key[0])
        if lesson.group_id is not None:
            members = GroupMembership.objects.filter(school=school, group_id=lesson.group_id)
            pupils = pupils.filter(pk__in=members.values("student_id"))
        taken = set(
            Mark.objects.filter(school=school, lesson=lesson).values_list("student_id", flat=True)
        ) | set(
            Attendance.objects.filter(school=school, lesson=lesson).values_list(
                "student_id", flat=True
            )
        )
        for pupil_id in pupils.order_by("last_name", "first_name", "pk").values_list(
            "pk", flat=True
        ):
            if pupil_id not in taken:
                cells.append((lesson.pk, pupil_id))
    return cells[:wanted]


def _cell_path(lesson_id: int, student_id: int) -> str:
    return f"/journal/lessons/{lesson_id}/students/{student_id}/"


def prepare(out: Path, *, teachers: int = TEACHERS, cells: int = CELLS) -> dict[str, Any]:
    """Log the teachers in, pick their empty cells, count one save's queries; write the plan:
    {"host", "since", "queries", "teachers", "warmup": [save], "saves": [save]}, a save being
    {"path", "headers", "body", "lesson", "student", "value", "user"}."""
    _django()
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    cast = importlib.import_module("bench.prepare")  # by name: see bench_run
    from ejournal.schools.models import School, Teacher

    school = School.objects.get(number=cast.SCHOOL)
    host = cast.host()
    per_teacher: list[list[dict[str, Any]]] = []
    probe: tuple[Client, int, int] | None = None
    with timezone.override(school.timezone):
        since = timezone.now()
        for user, grid in cast.teachers(school)[:teachers]:
            client = Client(HTTP_HOST=host)
            client.force_login(user)
            page = client.get(grid, headers=cast.PROXY)  # sets the CSRF cookie, as in a browser
            if page.status_code != 200 or settings.CSRF_COOKIE_NAME not in client.cookies:
                raise SystemExit(f"{grid} answered {page.status_code} without a CSRF cookie")
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            token = client.cookies[settings.CSRF_COOKIE_NAME].value
            headers = {
                **cast.PROXY,
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; "
                f"{settings.CSRF_COOKIE_NAME}={token}",
                "X-CSRFToken": token,
                "Referer": f"https://{host}{grid}",
                "Accept": "application/json",
                "Content-Type": "application/x-www-form-urlencoded",
            }
            teacher = Teacher.objects.get(user=user)
            found = _empty_cells(teacher, school, cells + (1 if probe is None else 0))
            if probe is None and found:
                probe = (client, *found.pop())
            per_teacher.append(
                [
                    {
                        "path": _cell_path(lesson_id, student_id),
                        "headers": headers,
                        "lesson": lesson_id,
                        "student": student_id,
                        "user": user.pk,
                    }
                    for lesson_id, student_id in found
                ]
            )
        if probe is None:
            raise SystemExit("no teacher has an empty cell to fill: the bench's data is broken")
        queries = _probe_queries(*probe, proxy=cast.PROXY, since=since)
    # Teacher after teacher, so that each connection's queue mixes them; values in turn.
    saves: list[dict[str, Any]] = []
    for turn in range(cells):
        saves.extend(queue[turn] for queue in per_teacher if turn < len(queue))
    for number, save in enumerate(saves):
        save["value"] = VALUES[number % len(VALUES)]
        save["body"] = urlencode({"value": save["value"]})
    warm = min(CONNECTIONS * WARM_UP, len(saves) // 10)
    plan = {
        "host": host,
        "since": since.isoformat(),
        "queries": queries,
        "teachers": len(per_teacher),
        "warmup": saves[:warm],
        "saves": saves[warm:],
    }
    out.write_text(json.dumps(plan, ensure_ascii=False))
    return plan


def _probe_queries(
    client: Any, lesson_id: int, student_id: int, *, proxy: dict[str, str], since: Any
) -> int:
    """One save (a "4") through the test client, in this process: its SQL queries. The cell
    and its audit event are deleted again, so the plan's counts start clean."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ejournal.audit.models import AuditEvent
    from ejournal.journal.models import Mark

    path = _cell_path(lesson_id, student_id)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            path, {"value": "4"}, headers={**proxy, "Accept": "application/json"}
        )
    if response.status_code != 200 or response.json().get("ok") is not True:
        raise SystemExit(f"{path} answered {response.status_code}: {response.content[:200]!r}")
    Mark.objects.filter(lesson_id=lesson_id, student_id=student_id).delete()
    AuditEvent.objects.filter(
        created_at__gte=since, target_id=student_id, after__lesson_id=lesson_id
    ).delete()
    return len(captured)


def _planned(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [*plan["warmup"], *plan["saves"]]


def verify(plan: dict[str, Any]) -> dict[str, int]:
    """What the database holds for the plan's cells, each typed as the grid shows it ("5",
    "н"). `lost`: a cell without its planned value or without its audit event; `doubled`: a cell
    holding more than its one planned row (two marks, a mark and an absence) or with more than
    one audit event; `duplicates`: (lesson, student) pairs with more than one mark (or
    attendance) anywhere in the database."""
    _django()
    from django.db.models import Count
    from django.utils.dateparse import parse_datetime

    from ejournal.audit.models import AuditAction, AuditEvent
    from ejournal.journal.models import Attendance, AttendanceStatus, Mark

    saves = _planned(plan)
    lessons = {save["lesson"] for save in saves}
    held: dict[tuple[int, int], list[str]] = defaultdict(list)
    for lesson_id, student_id, value in Mark.objects.filter(lesson_id__in=lessons).values_list(
        "lesson_id", "student_id", "value"
    ):
        held[lesson_id, student_id].append(str(value))
    for lesson_id, student_id, status in Attendance.objects.filter(
        lesson_id__in=lessons
    ).values_list("lesson_id", "student_id", "status"):
        held[lesson_id, student_id].append(ABSENT if status == AttendanceStatus.ABSENT else status)
    audited = Counter(
        (event["after"].get("lesson_id"), event["target_id"], event["action"])
        for event in AuditEvent.objects.filter(
            created_at__gte=parse_datetime(plan["since"]),
            actor_id__in={save["user"] for save in saves},
            action__in=[AuditAction.MARK_SET, AuditAction.ATTENDANCE_SET],
        ).values("after", "target_id", "action")
    )
    lost = doubled = 0
    for save in saves:
        cell = (save["lesson"], save["student"])
        action = AuditAction.ATTENDANCE_SET if save["value"] == ABSENT else AuditAction.MARK_SET
        events = audited[(*cell, action)]
        lost += save["value"] not in held[cell] or events == 0
        doubled += len(held[cell]) > 1 or events > 1
    duplicates = sum(
        model.objects.values("school_id", "lesson_id", "student_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
        for model in (Mark, Attendance)
    )
    return {
        "cells": len(saves),
        "marks": sum(1 for save in saves if save["value"] != ABSENT),
        "absences": sum(1 for save in saves if save["value"] == ABSENT),
        "audit_events": sum(audited.values()),
        "lost": lost,
        "doubled": doubled,
        "duplicates": duplicates,
    }


def cleanup(plan: dict[str, Any]) -> dict[str, int]:
    """Delete what the scenario wrote: the planned cells (empty when planned) and the audit
    events of their saves, so that the next run starts from the same data."""
    _django()
    from django.db import transaction
    from django.db.models import Q
    from django.utils.dateparse import parse_datetime

    from ejournal.audit.models import AuditAction, AuditEvent
    from ejournal.journal.models import Attendance, Mark

    saves = _planned(plan)
    cells = Q(pk__in=[])
    for save in saves:
        cells |= Q(lesson_id=save["lesson"], student_id=save["student"])
    with transaction.atomic():
        marks = Mark.objects.filter(cells).delete()[0]
        absences = Attendance.objects.filter(cells).delete()[0]
        events = (
            AuditEvent.objects.filter(
                created_at__gte=parse_datetime(plan["since"]),
                actor_id__in={save["user"] for save in saves},
                action__in=[AuditAction.MARK_SET, AuditAction.ATTENDANCE_SET],
            )
            .filter(
                target_id__in={save["student"] for save in saves},
                after__lesson_id__in=list({save["lesson"] for save in saves}),
            )
            .delete()[0]
        )
    return {"marks": marks, "absences": absences, "audit_events": events}


# --- The client (no Django) -----------------------------------------------------------------


Result = tuple[float, int, bool]  # a save's seconds, HTTP status (0: no answer), ok


def _send(port: int, host: str, queue: list[dict[str, Any]], out: list[Result]) -> None:
    """Each save of the queue once, in order, on one connection (opened again whenever the
    server closed it: gunicorn's sync workers close after each response)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for save in queue:
        start = time.perf_counter()
        try:
            connection.request(
                "POST", save["path"], save["body"], {"Host": host, **save["headers"]}
            )
            response = connection.getresponse()
            body = response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            connection.close()
            out.append((time.perf_counter() - start, 0, False))
            continue
        elapsed = time.perf_counter() - start
        try:
            ok = status == 200 and json.loads(body).get("ok") is True
        except ValueError:
            ok = False
        out.append((elapsed, status, ok))
    connection.close()


def _drive(port: int, host: str, saves: list[dict[str, Any]]) -> tuple[list[Result], float, float]:
    """The saves dealt round-robin to CONNECTIONS threads; (results, seconds, client CPU s)."""
    queues = [saves[k::CONNECTIONS] for k in range(CONNECTIONS)]
    outs: list[list[Result]] = [[] for _ in queues]
    threads = [
        threading.Thread(target=_send, args=(port, host, queue, out))
        for queue, out in zip(queues, outs, strict=True)
    ]
    cpu, start = time.process_time(), time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return [result for out in outs for result in out], seconds, cpu


def _percentile(sorted_values: list[float], share: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[max(0, math.ceil(share * len(sorted_values)) - 1)]


def run(port: int, host: str, plan: dict[str, Any]) -> dict[str, Any]:
    """The warm-up saves, then the timed ones, each cell once: saves per second, p50 and p99
    (ms) of a save, errors (a status other than 200, a broken connection, or a JSON answer
    without ok), the client's CPU as a share of one core."""
    _drive(port, host, plan["warmup"])
    results, seconds, cpu = _drive(port, host, plan["saves"])
    latencies = sorted(elapsed * 1000 for elapsed, _, _ in results)
    statuses = Counter(status for _, status, _ in results)
    return {
        "saves": len(results),
        "seconds": round(seconds, 3),
        "rps": len(results) / seconds if seconds else 0.0,
        "p50": _percentile(latencies, 0.50),
        "p99": _percentile(latencies, 0.99),
        "max": latencies[-1] if latencies else 0.0,
        "errors": sum(1 for _, _, ok in results if not ok),
        "statuses": {str(status): n for status, n in statuses.items()},
        "client_cpu": round(cpu / seconds, 3) if seconds else 0.0,
    }


# --- Glue for bench/run.py and standalone ---------------------------------------------------


def in_django(step: str, plan_path: Path, env: dict[str, str], *options: str) -> Any:
    """`step` (prepare, verify, cleanup) in its own process with the server's environment;
    what it printed (one JSON line)."""
    output = subprocess.run(
        [sys.executable, "-m", "bench.mark_entry", step, str(plan_path), *options],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def prepared(
    plan_path: Path, env: dict[str, str], *, teachers: int = TEACHERS, cells: int = CELLS
) -> dict[str, Any]:
    """The plan, prepared in a Django process (before or after the server starts)."""
    in_django("prepare", plan_path, env, "--teachers", str(teachers), "--cells", str(cells))
    plan: dict[str, Any] = json.loads(plan_path.read_text())
    return plan


def measure(
    port: int, plan: dict[str, Any], plan_path: Path, env: dict[str, str]
) -> dict[str, Any]:
    """The scenario's row for bench/run.py's table: run, verify, clean up."""
    result = run(port, plan["host"], plan)
    checked = in_django("verify", plan_path, env)
    in_django("cleanup", plan_path, env)
    return {
        "name": NAME,
        "accounts": plan["teachers"],
        "rps": round(result["rps"], 1),
        "p50_ms": round(result["p50"], 1),
        "p99_ms": round(result["p99"], 1),
        "queries": plan["queries"],
        "errors": result["errors"],
        "saves": result["saves"],
        "lost": checked["lost"],
        "doubled": checked["doubled"],
        "duplicates": checked["duplicates"],
        "client_cpu": result["client_cpu"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", nargs="?", choices=["prepare", "verify", "cleanup"])
    parser.add_argument("plan", nargs="?", type=Path, default=ROOT / "var" / "bench-marks.json")
    parser.add_argument("--teachers", type=int, default=TEACHERS)
    parser.add_argument("--cells", type=int, default=CELLS, help="per teacher")
    parser.add_argument("--seed", action="store_true", help="migrate and seed_demo first")
    args = parser.parse_args()
    if args.step == "prepare":
        plan = prepare(args.plan, teachers=args.teachers, cells=args.cells)
        print(json.dumps({"saves": len(plan["saves"]), "queries": plan["queries"]}))
        return
    if args.step in ("verify", "cleanup"):
        step = verify if args.step == "verify" else cleanup
        print(json.dumps(step(json.loads(args.plan.read_text()))))
        return
    env = bench_run.environment()
    if args.seed:
        bench_run.create_database(env["DATABASE_URL"])
        for command in (
            ["migrate", "--noinput", "-v0"],
            ["createcachetable"],
            ["collectstatic", "--noinput", "-v0"],
            ["seed_demo", "--size", "school"],
        ):
            bench_run.manage(*command, env=env)
    args.plan.parent.mkdir(exist_ok=True)
    plan = prepared(args.plan, env, teachers=args.teachers, cells=args.cells)
    with bench_run.gunicorn("config.wsgi", env) as port:
        row = measure(port, plan, args.plan, env)
    print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
