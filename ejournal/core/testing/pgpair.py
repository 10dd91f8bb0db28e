"""A throwaway PostgreSQL primary with a hot standby streaming from it, and PgBouncer in front.

What the replica checks (core/tests/test_replica.py) and `make bench` run the app against:
the machine's own server refuses replication connections, so a pair of our own is started in
a temporary folder, on given ports, and removed afterwards, even when starting it failed
halfway.

    with pg_pair(primary_port=55440, standby_port=55441) as pair:
        pair.create_database("ejournal_bench")
        with pgbouncer(port=55442, databases={
            "ejournal_bench": pair.dsn("ejournal_bench"),
            "ejournal_bench_standby": pair.dsn("ejournal_bench", standby=True),
        }) as bouncer:
            env["DATABASE_URL"] = bouncer.url("ejournal_bench")
            env["DATABASE_REPLICA_URL"] = bouncer.url("ejournal_bench_standby")
            env["DATABASE_POOLED"] = "true"

Run as root (as here and in CI), the servers run as the `postgres` OS user, which initdb
and pgbouncer require; run as anyone else, as that user. Everything listens on 127.0.0.1
only and trusts it: these clusters hold test data and live for one run.

`python -m ejournal.core.testing.pgpair` starts a pair and prints its replication lag.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import psycopg

PG_BIN = Path(os.environ.get("EJOURNAL_PG_BIN", "/usr/lib/postgresql/15/bin"))
OWNER = "postgres"
SUPERUSER = "postgres"
TIMEOUT = 30.0


class PairError(RuntimeError):
    """The pair or the pooler did not come up; the message says what is missing."""


def free_ports(count: int) -> list[int]:
    """`count` ports that no one listens on now (all bound at once, so they differ)."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [int(s.getsockname()[1]) for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _as_owner(command: Sequence[str | Path]) -> list[str]:
    """initdb, postgres and pgbouncer refuse to run as root: root runs them as `postgres`."""
    args = [str(part) for part in command]
    return ["runuser", "-u", OWNER, "--", *args] if os.geteuid() == 0 else args


def _run(command: Sequence[str | Path]) -> None:
    done = subprocess.run(_as_owner(command), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise PairError(f"{' '.join(map(str, command))} failed:\n{done.stdout}{done.stderr}")


def _tool(name: str) -> Path:
    path = PG_BIN / name
    if not path.exists():
        raise PairError(
            f"{path} is missing: the replica checks need PostgreSQL's server tools "
            "(apt-get install postgresql, or EJOURNAL_PG_BIN=<its bin folder>)"
        )
    return path


def _temp_root(prefix: str) -> Path:
    """A folder the servers' owner may write: mkdtemp's, handed to `postgres` under root."""
    root = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        shutil.chown(root, OWNER, OWNER)
    return root


def _wait(what: str, ready: Callable[[], object], timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with suppress(psycopg.Error):
            if ready():
                return
        if time.monotonic() > deadline:
            raise PairError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


@dataclass
class PgPair:
    """A primary and a hot standby streaming from it: ports, folders, and what tests ask."""

    root: Path
    primary_port: int
    standby_port: int

    @property
    def primary_dir(self) -> Path:
        return self.root / "primary"

    @property
    def standby_dir(self) -> Path:
        return self.root / "standby"

    def port(self, *, standby: bool = False) -> int:
        return self.standby_port if standby else self.primary_port

    def dsn(self, dbname: str = "postgres", *, standby: bool = False) -> str:
        """libpq's key=value form (PgBouncer's [databases] take it as it is)."""
        return f"host=127.0.0.1 port={self.port(standby=standby)} dbname={dbname}"

    def url(self, dbname: str = "postgres", *, standby: bool = False) -> str:
        """A DATABASE_URL straight to one of the servers."""
        return f"postgres://{SUPERUSER}@127.0.0.1:{self.port(standby=standby)}/{dbname}"

    def connect(self, dbname: str = "postgres", *, standby: bool = False) -> psycopg.Connection:
        """A superuser's autocommit connection, for what the app never does (pausing replay)."""
        return psycopg.connect(
            self.dsn(dbname, standby=standby), user=SUPERUSER, autocommit=True, connect_timeout=5
        )

    def query(self, sql: str, *, standby: bool = False) -> object:
        """The first column of the first row, on the `postgres` database of one server."""
        with self.connect(standby=standby) as conn:
            row = conn.execute(sql).fetchone()  # type: ignore[arg-type]
        return row[0] if row else None

    def create_database(self, name: str) -> None:
        """On the primary; the standby receives it (and everything in it) by streaming."""
        with self.connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
        self.wait_replayed()

    def wait_replayed(self, timeout: float = TIMEOUT) -> None:
        """Until the standby has replayed everything the primary had written by now."""
        target = self.query("SELECT pg_current_wal_lsn()::text")
        _wait(
            f"the standby to replay up to {target}",
            lambda: self.query(
                f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn", standby=True
            ),
            timeout,
        )

    def replay_pause(self) -> None:
        """The standby keeps receiving WAL but applies none of it: its reads stand still."""
        self.query("SELECT pg_wal_replay_pause()", standby=True)
        _wait(
            "the standby's replay to pause",
            lambda: self.query("SELECT pg_get_wal_replay_pause_state()", standby=True) == "paused",
        )

    def replay_resume(self) -> None:
        self.query("SELECT pg_wal_replay_resume()", standby=True)

    def stop(self) -> None:
        """Stop both servers (standby first) and delete their folder; safe to call twice."""
        for data_dir in (self.standby_dir, self.primary_dir):
            if (data_dir / "postmaster.pid").exists():
                with suppress(PairError):
                    _run([_tool("pg_ctl"), "stop", "-D", data_dir, "-m", "immediate", "-w"])
        shutil.rmtree(self.root, ignore_errors=True)


def _start_server(data_dir: Path, port: int, root: Path) -> None:
    options = f"-c port={port} -c unix_socket_directories={root}"
    log = root / f"{data_dir.name}.log"
    try:
        _run([_tool("pg_ctl"), "start", "-D", data_dir, "-l", log, "-o", options, "-w", "-t", "60"])
    except PairError as error:  # the server's own words say why (a port taken, say)
        said = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise PairError(f"{error}\n{data_dir.name}.log:\n{said}") from None


def start_pair(
    *,
    primary_port: int,
    standby_port: int,
    durable: bool = False,
    prefix: str = "ejournal-replica-",
) -> PgPair:
    """initdb a primary, pg_basebackup -R a standby from it, start both and wait until the
    standby streams. `durable=False` turns fsync off (a throwaway cluster; migrations run
    several times faster); a benchmark of writes passes True. On any failure whatever was
    started is stopped and removed before the error is raised."""
    pair = PgPair(root=_temp_root(prefix), primary_port=primary_port, standby_port=standby_port)
    try:
        _run(
            [_tool("initdb"), "-D", pair.primary_dir, "-U", SUPERUSER, "--auth=trust", "-E", "UTF8"]
        )
        with (pair.primary_dir / "postgresql.conf").open("a") as conf:
            conf.write(
                "listen_addresses = '127.0.0.1'\n"
                "wal_level = replica\n"
                "max_wal_senders = 4\n"
                "hot_standby = on\n"
                # A long query on the standby is not cancelled by the rows it reads being
                # vacuumed away on the primary; the primary keeps them instead.
                "hot_standby_feedback = on\n"
                f"fsync = {'on' if durable else 'off'}\n"
                f"full_page_writes = {'on' if durable else 'off'}\n"
            )
        (pair.primary_dir / "pg_hba.conf").write_text(
            "local all all trust\n"
            f"host all {SUPERUSER} 127.0.0.1/32 trust\n"
            f"host replication {SUPERUSER} 127.0.0.1/32 trust\n"
        )
        _start_server(pair.primary_dir, primary_port, pair.root)
        _run(
            [
                _tool("pg_basebackup"),
                *("-h", "127.0.0.1", "-p", str(primary_port), "-U", SUPERUSER),
                *("-D", pair.standby_dir, "-R", "-X", "stream", "-c", "fast"),
            ]
        )
        _start_server(pair.standby_dir, standby_port, pair.root)
        _wait(
            "the standby to be in recovery",
            lambda: pair.query("SELECT pg_is_in_recovery()", standby=True),
        )
        _wait(
            "the standby to stream from the primary",
            lambda: pair.query(
                "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
            ),
        )
    except BaseException:
        pair.stop()
        raise
    return pair


@contextmanager
def pg_pair(*, primary_port: int, standby_port: int, durable: bool = False) -> Iterator[PgPair]:
    pair = start_pair(primary_port=primary_port, standby_port=standby_port, durable=durable)
    try:
        yield pair
    finally:
        pair.stop()


@dataclass
class PgBouncer:
    """PgBouncer in transaction mode: a server connection is the client's for one transaction."""

    root: Path
    port: int

    def url(self, dbname: str) -> str:
        return f"postgres://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def query(self, dbname: str, sql: str) -> list[tuple[object, ...]]:
        """The rows of `sql` through one of PgBouncer's names (`pgbouncer`: its console)."""
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} dbname={dbname}",
            user=SUPERUSER,
            autocommit=True,
            connect_timeout=5,
        ) as conn:
            return conn.execute(sql).fetchall()  # type: ignore[arg-type]

    def stop(self) -> None:
        pidfile = self.root / "pgbouncer.pid"
        with suppress(FileNotFoundError, ProcessLookupError, ValueError):
            pid = int(pidfile.read_text())
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + TIMEOUT
            while time.monotonic() < deadline:
                os.kill(pid, 0)  # ProcessLookupError once it is gone
                time.sleep(0.05)
        shutil.rmtree(self.root, ignore_errors=True)


def start_pgbouncer(
    *,
    port: int,
    databases: Mapping[str, str],
    pool_size: int = 20,
    prefix: str = "ejournal-replica-pgbouncer-",
) -> PgBouncer:
    """PgBouncer on 127.0.0.1:`port` in transaction mode, each name of `databases` leading to
    the server its libpq string names (`PgPair.dsn`). Users are trusted, as by the pair."""
    binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not Path(binary).exists():
        raise PairError("pgbouncer is missing: apt-get install pgbouncer")
    bouncer = PgBouncer(root=_temp_root(prefix), port=port)
    try:
        (bouncer.root / "users.txt").write_text(f'"{SUPERUSER}" ""\n')
        entries = "".join(f"{name} = {dsn}\n" for name, dsn in databases.items())
        (bouncer.root / "pgbouncer.ini").write_text(
            f"[databases]\n{entries}\n[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
            f"auth_type = trust\nauth_file = {bouncer.root / 'users.txt'}\n"
            f"pool_mode = transaction\nadmin_users = {SUPERUSER}\n"
            f"default_pool_size = {pool_size}\nmax_client_conn = 500\n"
            # Sent by some drivers at connect; harmless, but unknown to PgBouncer.
            "ignore_startup_parameters = extra_float_digits\n"
            f"logfile = {bouncer.root / 'pgbouncer.log'}\n"
            f"pidfile = {bouncer.root / 'pgbouncer.pid'}\n"
        )
        _run([binary, "-d", bouncer.root / "pgbouncer.ini"])
        first = next(iter(databases))
        _wait("PgBouncer to pass a query on", lambda: bouncer.query(first, "SELECT true"))
    except BaseException:
        bouncer.stop()
        raise
    return bouncer


@contextmanager
def pgbouncer(
    *, port: int, databases: Mapping[str, str], pool_size: int = 20
) -> Iterator[PgBouncer]:
    bouncer = start_pgbouncer(port=port, databases=databases, pool_size=pool_size)
    try:
        yield bouncer
    finally:
        bouncer.stop()


def replication_lag(pair: PgPair, samples: int = 100) -> list[float]:
    """Seconds from a committed write on the primary to the standby reading it, `samples`
    times: a table of its own in the `postgres` database, polled every millisecond."""
    with pair.connect() as primary, pair.connect(standby=True) as standby:
        primary.execute("CREATE TABLE IF NOT EXISTS lag_probe (n int)")
        pair.wait_replayed()
        lags = []
        for n in range(samples):
            start = time.perf_counter()
            primary.execute("INSERT INTO lag_probe VALUES (%s)", (n,))
            while not standby.execute("SELECT 1 FROM lag_probe WHERE n = %s", (n,)).fetchone():
                time.sleep(0.001)
            lags.append(time.perf_counter() - start)
    return lags


def main() -> None:
    ports = [int(p) for p in os.environ.get("PGPAIR_PORTS", "").split(",") if p] or free_ports(2)
    with pg_pair(primary_port=ports[0], standby_port=ports[1], durable=True) as pair:
        lags = sorted(replication_lag(pair, samples=200))
        print(
            f"replication lag over {len(lags)} writes: "
            f"median {statistics.median(lags) * 1000:.2f} ms, "
            f"95th percentile {lags[int(len(lags) * 0.95)] * 1000:.2f} ms, "
            f"max {lags[-1] * 1000:.2f} ms"
        )


if __name__ == "__main__":
    main()
