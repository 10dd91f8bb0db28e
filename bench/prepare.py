"""The bench's cast and its requests: run once before the load, against the same database
and settings as the server (`python bench/prepare.py OUT.json`).

Gives many pupils of the seeded school a parent account and each teacher an account (kept
between runs: logins `bench-*`), logs them in through the configured session engine, creates
their API tokens, and writes for each scenario the requests wrk sends (path and headers), with
the SQL queries one such request makes (counted in this process through Django's test client
against the same database). Every scenario's first request is checked to answer 200 here, so
a run cannot time a redirect to the login page.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from ejournal.accounts.api_tokens import api_token_create  # noqa: E402
from ejournal.accounts.models import User  # noqa: E402
from ejournal.journal.dates import week_start_of  # noqa: E402
from ejournal.journal.models import Lesson  # noqa: E402
from ejournal.schools.models import Guardianship, School, Student, Teacher  # noqa: E402
from ejournal.schools.roles import Role  # noqa: E402

SCHOOL = "1399"
PARENTS = int(os.environ.get("BENCH_PARENTS", "300"))
TEACHERS = int(os.environ.get("BENCH_TEACHERS", "40"))
DEVKEY = "bench"
# Behind the TLS proxy of production: the app sees https and checks the Referer as it would.
PROXY = {"X-Forwarded-Proto": "https"}


def host() -> str:
    return f"{SCHOOL}.{settings.EJOURNAL_BASE_DOMAIN}"


def parents(school: School) -> list[tuple[User, Student]]:
    """A parent account for each of PARENTS pupils, spread over every class."""
    pupils = list(Student.objects.active().filter(school=school).order_by("pk"))
    step = max(1, len(pupils) // PARENTS)
    chosen = pupils[::step][:PARENTS]
    cast = []
    for pupil in chosen:
        parent, created = User.objects.get_or_create(
            school=school,
            login=f"bench-parent-{pupil.pk}",
            defaults={"role": Role.PARENT, "last_name": pupil.last_name, "first_name": "Бенч"},
        )
        if created:
            parent.set_unusable_password()
            parent.save(update_fields=["password"])
        Guardianship.objects.get_or_create(school=school, parent=parent, student=pupil)
        cast.append((parent, pupil))
    return cast


def teachers(school: School) -> list[tuple[User, str]]:
    """An account for each of TEACHERS teachers, with the grid of a class and subject they
    teach (the one with most lessons)."""
    cast = []
    for teacher in Teacher.objects.filter(school=school).order_by("pk")[:TEACHERS]:
        if teacher.user_id is None:
            user = User.objects.create(
                school=school,
                login=f"bench-teacher-{teacher.pk}",
                role=Role.TEACHER,
                last_name=teacher.last_name,
                first_name=teacher.first_name,
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
            teacher.user = user
            teacher.save(update_fields=["user"])
        busiest = (
            Lesson.objects.filter(school=school, teacher=teacher)
            .values("school_class_id", "subject_id")
            .order_by()
            .annotate(n=django.db.models.Count("id"))
            .order_by("-n")
            .first()
        )
        if busiest is not None and teacher.user is not None:
            grid = f"/journal/{busiest['school_class_id']}/{busiest['subject_id']}/"
            cast.append((teacher.user, grid))
    return cast


def session_cookie(user: User) -> str:
    client = Client(HTTP_HOST=host())
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def counted(method: str, path: str, headers: dict[str, str]) -> int:
    """The request once, in this process: it must answer 200; returns its SQL queries (the
    host's school already known, as in a running server)."""
    client = Client(HTTP_HOST=host())
    client.get("/healthz", headers=PROXY)
    with ExitStack() as stack:
        captured = [stack.enter_context(CaptureQueriesContext(c)) for c in connections.all()]
        response = client.generic(method, path, headers=headers)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}: the bench's cast is broken")
    return sum(len(queries) for queries in captured)  # on the primary and the replica


def scenario(name: str, requests: list[dict[str, Any]]) -> dict[str, Any]:
    first = requests[0]
    return {
        "name": name,
        "requests": requests,
        "queries": counted("GET", first["path"], first["headers"]),
    }


def main() -> None:
    out = Path(sys.argv[1])
    school = School.objects.get(number=SCHOOL)
    with timezone.override(school.timezone):
        today = timezone.localdate()
        monday = week_start_of(today)
        days = f"{monday:%Y%m%d}-{monday + dt.timedelta(days=5):%Y%m%d}"
        family = parents(school)
        staff = teachers(school)
        web, api = [], []
        for parent, pupil in family:
            cookie = {**PROXY, "Cookie": session_cookie(parent)}
            token = api_token_create(user=parent, device="bench")[1]
            web.append((pupil, cookie))
            api.append((pupil, token))
        grids = [(grid, {**PROXY, "Cookie": session_cookie(user)}) for user, grid in staff]
    eljur = "/apiv3/getdiary?vendor={v}&devkey={d}&out_format=json&auth_token={t}&student={s}"
    scenarios = [
        scenario("/healthz", [{"path": "/healthz", "headers": PROXY}]),
        scenario("login page", [{"path": "/login/", "headers": PROXY}]),
        scenario(
            "diary week (parent)",
            [{"path": f"/diary/{p.pk}/", "headers": h} for p, h in web],
        ),
        scenario(
            "marks page (parent)",
            [{"path": f"/diary/{p.pk}/marks/", "headers": h} for p, h in web],
        ),
        scenario(
            "year's marks (parent)",
            [{"path": f"/diary/{p.pk}/marks/year/", "headers": h} for p, h in web],
        ),
        scenario("teacher's grid", [{"path": g, "headers": h} for g, h in grids]),
        scenario(
            "/api/v1 diary",
            [
                {
                    "path": f"/api/v1/students/{p.pk}/diary",
                    "headers": {**PROXY, "Authorization": f"Bearer {t}"},
                }
                for p, t in api
            ],
        ),
        scenario(
            "/apiv3/getdiary",
            [
                {
                    "path": eljur.format(v=SCHOOL, d=DEVKEY, t=t, s=p.pk) + f"&days={days}",
                    "headers": PROXY,
                }
                for p, t in api
            ],
        ),
    ]
    out.write_text(json.dumps({"host": host(), "scenarios": scenarios}, ensure_ascii=False))


if __name__ == "__main__":
    main()
