"""`make bench`: the hot paths under load, each against a bare Django view in the same run.

On PostgreSQL (`DATABASE_URL`, default the machine's `ejournal_bench`) and Redis (`REDIS_URL`,
default db 9 of the machine's): seeds the demo school (`seed_demo --size school`), prepares
many logged-in accounts (bench/prepare.py), serves the project with the production settings
(gunicorn, 2 sync workers, debug off) and, the same way, the bare project of bench/bare; then
wrk (32 connections) drives each scenario in turn, and the bare view before and after them
(the ratios are to the better of its two runs). Prints a table — requests per second, p50,
p99, ratio to the bare view, SQL queries per request, errors — and writes it as JSON under
bench/results/.

    make bench                          # 20 s a scenario
    make bench QUICK=1                  # 5 s a scenario: under 3 minutes once the data is seeded
    make bench BENCH_SETUP=pgbouncer    # the same, through PgBouncer in transaction mode
    make bench BENCH_SETUP=replica      # a primary and a streaming hot standby of our own
                                        # (core/testing/pgpair.py), the reads that may lag
                                        # on the standby, both through PgBouncer
"""

from __future__ import annotations

import datetime as dt
import http.client
import importlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ejournal.core.testing.pgpair import free_ports, pg_pair, pgbouncer  # noqa: E402

BIN = Path(sys.executable).parent
QUICK = bool(os.environ.get("QUICK"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5" if QUICK else "20"))
WARM_UP = 1 if QUICK else 3
CONNECTIONS = 32
WORKERS = 2
BASE_DOMAIN = "bench.local"
WRK = shutil.which("wrk") or "/usr/bin/wrk"  # make bench-deps installs it
SETUP = os.environ.get("BENCH_SETUP") or "plain"
SETUPS = ("plain", "pgbouncer", "replica")
DATABASE = "ejournal_bench"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-secret-key-not-for-production-" + "x" * 20,
        "EJOURNAL_INVITATION_KEY": "bench-invitation-key",
        "EJOURNAL_BASE_DOMAIN": BASE_DOMAIN,
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
        ),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9"),
        "PYTHONPATH": str(ROOT),
    }


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def create_database(url: str) -> None:
    """The bench's PostgreSQL database, created if it is missing."""
    match = re.match(r"postgres(?:ql)?://(?P<server>[^/]+)/(?P<name>[^?]+)", url)
    if match is None:
        raise SystemExit(f"make bench runs on PostgreSQL; DATABASE_URL is {url!r}")
    with psycopg.connect(f"postgres://{match['server']}/postgres", autocommit=True) as server:
        found = server.execute("select 1 from pg_database where datname = %s", [match["name"]])
        if found.fetchone() is None:
            server.execute(sql.SQL("create database {}").format(sql.Identifier(match["name"])))


@contextmanager
def database(env: dict[str, str]) -> Iterator[dict[str, str]]:
    """The environment with the setup's databases: the plain server of DATABASE_URL; or it
    behind PgBouncer; or a pair of our own (a primary and its hot standby) behind PgBouncer."""
    if SETUP not in SETUPS:
        raise SystemExit(f"BENCH_SETUP is one of {', '.join(SETUPS)}")
    if SETUP == "replica":
        primary, standby, bouncer_port = free_ports(3)
        with pg_pair(primary_port=primary, standby_port=standby) as pair:
            pair.create_database(DATABASE)
            servers = {DATABASE: pair.dsn(DATABASE), "standby": pair.dsn(DATABASE, standby=True)}
            with pgbouncer(port=bouncer_port, databases=servers) as bouncer:
                yield {
                    **env,
                    "DATABASE_URL": bouncer.url(DATABASE),
                    "DATABASE_REPLICA_URL": bouncer.url("standby"),
                    "DATABASE_POOLED": "true",
                }
        return
    create_database(env["DATABASE_URL"])
    if SETUP == "plain":
        yield env
        return
    match = re.match(
        r"postgres(?:ql)?://(?P<user>[^@]+)@(?P<host>[^:/]+):?(?P<port>\d*)/(?P<db>.+)",
        env["DATABASE_URL"],
    )
    if match is None:
        raise SystemExit("BENCH_SETUP=pgbouncer needs DATABASE_URL as postgres://user@host:port/db")
    server = f"host={match['host']} port={match['port'] or 5432} dbname={match['db']}"
    with pgbouncer(port=free_ports(1)[0], databases={match["db"]: server}) as bouncer:
        yield {**env, "DATABASE_URL": bouncer.url(match["db"]), "DATABASE_POOLED": "true"}


def year_end(today: dt.date | None = None) -> dt.date:
    """The last day of the school year under way (31 May): the bench's school has its whole
    year of marks, some 400 a pupil, as at the year's end."""
    today = today or dt.date.today()
    return dt.date(today.year + (today.month >= 9), 5, 31)


def analyze(url: str) -> None:
    """Fresh planner statistics after the load: without autovacuum (off on some servers) a
    freshly seeded database has none, and the plans are not the ones a live school gets."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("analyze")


def served(port: int, timeout: float = 120) -> None:
    """Until each worker has answered a request (any status): a listening socket alone may
    still sit on workers that are importing the project."""
    deadline = time.monotonic() + timeout
    answered = 0
    while answered < WORKERS * 4:
        if time.monotonic() > deadline:
            raise SystemExit(f"the server on port {port} did not answer in {timeout:.0f} s")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            conn.close()
            answered += 1
        except OSError:
            time.sleep(0.2)


@contextmanager
def gunicorn(app: str, env: dict[str, str]) -> Iterator[int]:
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), app, "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS)],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        served(port)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def wrk(port: int, requests: list[dict[str, Any]], host: str, seconds: int) -> dict[str, Any]:
    """wrk against the port for `seconds`, cycling through the requests; its summary."""
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as file:
        for request in requests:
            headers = {"Host": host, **request["headers"]}
            fields = "\t".join(f"{name}: {value}" for name, value in headers.items())
            file.write(f"{request['path']}\t{fields}\n")
    try:
        output = subprocess.run(
            [
                WRK,
                f"-t{WORKERS}",
                f"-c{CONNECTIONS}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                str(ROOT / "bench" / "wrk.lua"),
                f"http://127.0.0.1:{port}/",
            ],
            env={**os.environ, "BENCH_REQUESTS": file.name},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(file.name)
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    summary: dict[str, Any] = json.loads(line.removeprefix("BENCH "))
    summary["rps"] = summary["requests"] / summary["seconds"]
    return summary


def first_views(port: int, requests: list[dict[str, Any]], host: str) -> tuple[float, int]:
    """Each account's first request, one at a time, as on the morning of a holiday's end:
    nothing of theirs is in the cache yet. The median time in ms, and the failures."""
    times, failures = [], 0
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for request in requests:
        started = time.perf_counter()
        conn.request("GET", request["path"], headers={"Host": host, **request["headers"]})
        response = conn.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000)
        failures += response.status >= 400
    conn.close()
    return sorted(times)[len(times) // 2], failures


def measure(port: int, scenario: dict[str, Any], host: str) -> dict[str, Any]:
    """The first views (which also fill the cache), a warm-up, then wrk's timed run: a
    morning's second and later views, every account's pages already read once."""
    first_ms, failures = first_views(port, scenario["requests"], host)
    wrk(port, scenario["requests"], host, WARM_UP)
    result = wrk(port, scenario["requests"], host, SECONDS)
    errors = sum(result["errors"].values()) or (0 if result["requests"] else 1)  # no answer
    return {
        "name": scenario["name"],
        "accounts": len(scenario["requests"]),
        "first_ms": round(first_ms, 1),
        "rps": round(result["rps"], 1),
        "p50_ms": round(result["p50"], 1),
        "p99_ms": round(result["p99"], 1),
        "queries": scenario["queries"],
        "errors": errors + failures,
    }


def main() -> None:
    with database(environment()) as env:
        bench(env)


def bench(env: dict[str, str]) -> None:
    print(f"Setup: {SETUP}", flush=True)
    print("Preparing the data (seed_demo --size school; the first run takes a while)", flush=True)
    manage("migrate", "--noinput", "-v0", env=env)
    manage("createcachetable", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    manage("seed_demo", "--size", "school", "--until", year_end().isoformat(), env=env)
    analyze(env["DATABASE_URL"])
    plan_path = ROOT / "var" / "bench-plan.json"
    plan_path.parent.mkdir(exist_ok=True)
    subprocess.run(
        [sys.executable, "bench/prepare.py", str(plan_path)], cwd=ROOT, env=env, check=True
    )
    plan = json.loads(plan_path.read_text())
    # By name, and here: bench/mark_entry.py imports this file (bench/ is no package to mypy).
    mark_entry = importlib.import_module("bench.mark_entry")
    marks_plan_path = ROOT / "var" / "bench-marks.json"
    # Quarter-end mark entry: 30 teachers, 30 cells each when QUICK.
    marks_plan = mark_entry.prepared(marks_plan_path, env, cells=30 if QUICK else mark_entry.CELLS)
    print(f"wrk: {CONNECTIONS} connections, {SECONDS} s a scenario", flush=True)
    bare_before = measure_bare(env)
    rows = []
    with gunicorn("config.wsgi", env) as port:
        for scenario in plan["scenarios"]:
            print(f"  {scenario['name']}", flush=True)
            rows.append(measure(port, scenario, plan["host"]))
        print(f"  {mark_entry.NAME}", flush=True)
        rows.append(mark_entry.measure(port, marks_plan, marks_plan_path, env))
    bare_after = measure_bare(env)
    # Against the better of the two bare runs: a noisy moment of the machine during one of
    # them would otherwise flatter every ratio.
    bare_row = max(bare_before, bare_after, key=lambda row: row["rps"])
    bare_row["rps_runs"] = [bare_before["rps"], bare_after["rps"]]
    print(f"bare view: {bare_before['rps']:.0f} req/s before, {bare_after['rps']:.0f} after")
    rows.insert(0, bare_row)
    bare = bare_row["rps"]
    for row in rows:
        row["of_bare"] = round(row["rps"] / bare, 3)
    print_table(rows)
    save(rows, env)


def measure_bare(env: dict[str, str]) -> dict[str, Any]:
    """The bare Django view, served the same way (bench/bare)."""
    with gunicorn("bench.bare.wsgi", env) as port:
        return measure(
            port,
            {"name": "bare Django view", "queries": 0, "requests": [{"path": "/", "headers": {}}]},
            "localhost",
        )


COLUMNS = [  # (heading, the row's key, width, format)
    ("what", "name", 24, ""),
    ("1st ms", "first_ms", 9, ".1f"),
    ("req/s", "rps", 9, ".1f"),
    ("p50 ms", "p50_ms", 9, ".1f"),
    ("p99 ms", "p99_ms", 9, ".1f"),
    ("of bare", "of_bare", 9, ".3f"),
    ("queries", "queries", 9, ""),
    ("errors", "errors", 8, ""),
]


def print_table(rows: list[dict[str, Any]]) -> None:
    print()
    print("".join(f"{h:<{w}}" if k == "name" else f"{h:>{w}}" for h, k, w, _ in COLUMNS))
    for row in rows:
        print("".join(_cell(row.get(k), k, w, f) for _, k, w, f in COLUMNS))


def _cell(value: Any, key: str, width: int, form: str) -> str:
    if value is None:  # a column the scenario has not (the mark entry's first views)
        return f"{'—':>{width}}"
    return f"{value:<{width}{form}}" if key == "name" else f"{value:>{width}{form}}"


def save(rows: list[dict[str, Any]], env: dict[str, str]) -> None:
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    name = f"{now:%Y%m%d-%H%M%S}-{SETUP}-{'quick' if QUICK else 'full'}.json"
    document = {
        "date": now.isoformat(timespec="seconds"),
        "quick": QUICK,
        "seconds": SECONDS,
        "connections": CONNECTIONS,
        "workers": WORKERS,
        "cores": os.cpu_count(),
        "setup": SETUP,
        "database": env["DATABASE_URL"].split("@")[-1],
        "rows": rows,
    }
    (results / name).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(f"\nWritten to bench/results/{name}")


if __name__ == "__main__":
    main()
