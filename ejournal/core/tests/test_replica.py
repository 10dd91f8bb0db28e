"""The read replica and the pooler, for real: a PostgreSQL primary, a hot standby streaming
from it and PgBouncer in transaction mode in front of both (core.testing.pgpair), with the
app's checks (replica_checks.py) run against them in a pytest of their own, one outcome per
check here.

These run wherever the suite runs. PostgreSQL's server tools (/usr/lib/postgresql/15/bin, or
EJOURNAL_PG_BIN) and pgbouncer must be installed: without them these tests fail and say what
is missing (.ci/run installs pgbouncer). EJOURNAL_PGPAIR_PORTS="p1,p2,p3" keeps the primary,
the standby and PgBouncer on given ports; otherwise free ones are taken.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from ejournal.core.testing.pgpair import free_ports, pg_pair, pgbouncer

CHECKS_FILE = Path(__file__).with_name("replica_checks.py")
DATABASE = "ejournal_replica"
STANDBY = "ejournal_replica_standby"  # PgBouncer's name for the same database on the standby
CHECKS = [
    "test_the_standby_reads_a_row_written_on_the_primary",
    "test_the_diary_is_read_from_the_replica_and_logging_in_from_the_primary",
    "test_a_parent_sees_a_mark_right_after_the_teacher_saves_it",
    "test_once_the_replica_has_replayed_the_save_it_serves_the_school_again",
    "test_a_save_pins_its_own_school_only",
    "test_reads_inside_a_transaction_go_to_the_primary",
    "test_the_api_and_eljur_read_the_diary_from_the_replica",
    "test_a_parent_sees_a_mark_in_the_api_right_after_the_teacher_puts_it_there",
    "test_the_app_runs_behind_pgbouncer_in_transaction_mode",
]


@dataclass
class Run:
    outcomes: dict[str, str]  # check → "passed", or what went wrong
    output: str


def _outcomes(report: Path) -> dict[str, str]:
    outcomes = {}
    for case in ET.parse(report).getroot().iter("testcase"):  # noqa: S314 (our own pytest's file)
        problem = next(iter(case), None)
        outcomes[case.get("name", "")] = (
            "passed" if problem is None else f"{problem.tag}: {problem.get('message', '')}"
        )
    return outcomes


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    given = os.environ.get("EJOURNAL_PGPAIR_PORTS", "")
    primary, standby, bouncer_port = [int(p) for p in given.split(",") if p] or free_ports(3)
    report = tmp_path_factory.mktemp("replica") / "checks.xml"
    with pg_pair(primary_port=primary, standby_port=standby) as pair:
        pair.create_database(DATABASE)
        databases = {DATABASE: pair.dsn(DATABASE), STANDBY: pair.dsn(DATABASE, standby=True)}
        with pgbouncer(port=bouncer_port, databases=databases) as bouncer:
            env = {
                **os.environ,
                "DATABASE_URL": bouncer.url(DATABASE),
                "DATABASE_REPLICA_URL": bouncer.url(STANDBY),
                "DATABASE_POOLED": "true",
                "EJOURNAL_PAIR": f"{pair.root},{primary},{standby}",
                "EJOURNAL_PGBOUNCER_PORT": str(bouncer_port),
                # The checks are about which server answers; with the journal's cache on, what
                # it keeps is read on the primary by design (core/freshness.py, checked by
                # journal/tests/test_freshness.py), and a diary would not reach the standby.
                "EJOURNAL_JOURNAL_CACHE": "false",
            }
            done = subprocess.run(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "pytest",
                    str(CHECKS_FILE),
                    "-q",
                    "-p",
                    "no:cacheprovider",
                    f"--junitxml={report}",
                    "-o",
                    "junit_family=xunit1",
                ],
                cwd=settings.BASE_DIR,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
    output = done.stdout + done.stderr
    return Run(outcomes=_outcomes(report) if report.exists() else {}, output=output)


def test_every_check_ran(run: Run) -> None:
    assert sorted(run.outcomes) == sorted(CHECKS), run.output


@pytest.mark.parametrize("check", CHECKS)
def test_on_a_real_pair(run: Run, check: str) -> None:
    assert run.outcomes.get(check) == "passed", run.output


def _production_settings(**environ: str) -> subprocess.CompletedProcess[str]:
    """config.settings.production loaded in a fresh process with `environ` (a settings module
    reads the environment once, at import), printing what the database section made."""
    script = (
        "import json; from config.settings import production as s; print(json.dumps("
        "{'routers': getattr(s, 'DATABASE_ROUTERS', []), 'middleware': s.MIDDLEWARE, "
        "'databases': s.DATABASES}, default=str))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
    keys = {"DJANGO_SECRET_KEY": "k" * 50, "EJOURNAL_INVITATION_KEY": "i" * 50}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env={**base, **keys, **environ},
        capture_output=True,
        text=True,
        check=False,
    )


PRIMARY_URL = "postgres://app@db-primary:5432/ejournal"
REPLICA_URL = "postgres://app@db-replica:5432/ejournal"


def test_a_replica_url_adds_the_alias_the_router_and_the_pin_middleware() -> None:
    done = _production_settings(
        DATABASE_URL=PRIMARY_URL,
        DATABASE_REPLICA_URL=REPLICA_URL,
        DATABASE_POOLED="true",
        REDIS_URL="redis://127.0.0.1:6379/13",
    )
    assert done.returncode == 0, done.stderr
    made = json.loads(done.stdout)
    assert made["routers"] == ["ejournal.core.db_router.ReplicaRouter"]
    middleware = made["middleware"]
    tenancy = middleware.index("ejournal.schools.middleware.TenantMiddleware")
    assert middleware[tenancy + 1] == "ejournal.core.db_router.ReplicaPinMiddleware"
    replica = made["databases"]["replica"]
    assert (replica["HOST"], replica["NAME"]) == ("db-replica", "ejournal")
    same = ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "ATOMIC_REQUESTS", "DISABLE_SERVER_SIDE_CURSORS")
    assert {key: replica[key] for key in same} == {
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "ATOMIC_REQUESTS": False,
        "DISABLE_SERVER_SIDE_CURSORS": True,
    }
    assert made["databases"]["default"]["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert replica["TEST"] == {"MIRROR": "default"}


def test_without_a_replica_url_there_is_no_router() -> None:
    done = _production_settings(DATABASE_URL=PRIMARY_URL)
    assert done.returncode == 0, done.stderr
    made = json.loads(done.stdout)
    assert made["routers"] == []
    assert list(made["databases"]) == ["default"]
    assert "ejournal.core.db_router.ReplicaPinMiddleware" not in made["middleware"]
    assert made["databases"]["default"]["DISABLE_SERVER_SIDE_CURSORS"] is False


def test_a_replica_must_be_a_postgresql_standby() -> None:
    done = _production_settings(
        DATABASE_URL=PRIMARY_URL, DATABASE_REPLICA_URL="sqlite:////tmp/replica.sqlite3"
    )
    assert "DATABASE_REPLICA_URL: a replica is a PostgreSQL standby" in done.stderr


def test_production_keeps_the_pins_in_redis() -> None:
    done = _production_settings(DATABASE_URL=PRIMARY_URL, DATABASE_REPLICA_URL=REPLICA_URL)
    assert "DATABASE_REPLICA_URL needs REDIS_URL: the pins live in Redis" in done.stderr
