"""`make bench`: the hot pages against a bare Django response, on one server, in one run.

Seeds a full school (`seed_demo --size school`, about 1,000 pupils with a year of
lessons and marks) into its own database, starts gunicorn on a free port, logs in the
demo cast and times each page; prints median and 95th-percentile latency and each
page's ratio to /healthz (a response that runs the same middleware, no page work).

    make bench                     # SQLite file var/bench.sqlite3
    make bench QUICK=1             # 50 requests a page instead of 200
    DATABASE_URL=postgres://... make bench
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Zhurnal2026"
# QUICK=1 (make bench QUICK=1): a quick look, 50 requests a page instead of 200.
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "50" if os.environ.get("QUICK") else "200"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Client:
    """A browser's worth of HTTP: the school's Host header and a cookie jar."""

    def __init__(self, port: int, host: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.host = host
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str = "") -> tuple[int, str, str]:
        headers = {
            "Host": self.host,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}/login/"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", text

    def log_in(self, login: str) -> None:
        _, _, page = self.request("GET", "/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "no CSRF token on the login page"
        body = f"csrfmiddlewaretoken={token.group(1)}&username={login}&password={PASSWORD}"
        status, _, _ = self.request("POST", "/login/", body)
        assert status == 302, f"login of {login} failed ({status})"


def manage(*args: str, env: dict[str, str]) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def timed(client: Client, path: str) -> list[float]:
    client.request("GET", path)  # warm up
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        status, _, _ = client.request("GET", path)
        times.append((time.perf_counter() - start) * 1000)
        assert status == 200, f"{path} answered {status}"
    return times


def main() -> None:
    port = free_port()
    (ROOT / "var").mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
        ),
        "EJOURNAL_BASE_DOMAIN": f"localhost:{port}",
    }
    print(
        "Preparing the data (seed_demo --size school; the first run takes a while)...", flush=True
    )
    manage("migrate", "--noinput", env=env)
    manage("createcachetable", env=env)
    manage("seed_demo", "--size", "school", env=env)
    lookup = (
        "from ejournal.schools.models import Student, SchoolClass, Subject;"
        "s = Student.objects.get("
        "school__number='1399', last_name='Николаев', first_name='Василий');"
        "c = SchoolClass.objects.get(pk=s.school_class_id);"
        "m = Subject.objects.get(school=c.school, name='Математика');"
        "print(s.pk, c.pk, m.pk)"
    )
    ids = manage("shell", "--no-imports", "-c", lookup, env=env).split()
    student, school_class, subject = ids[-3:]
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen(
        [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
    )
    try:
        host = f"1399.localhost:{port}"
        for _ in range(100):
            try:
                Client(port, host).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        parent, teacher = Client(port, host), Client(port, host)
        parent.log_in("nikolaeva")
        teacher.log_in("petrov")
        pages = [
            ("bare /healthz", parent, "/healthz"),
            ("diary week", parent, f"/diary/{student}/"),
            ("marks", parent, f"/diary/{student}/marks/"),
            ("teacher grid", teacher, f"/journal/{school_class}/{subject}/"),
        ]
        results = {name: timed(client, path) for name, client, path in pages}
    finally:
        server.terminate()
        server.wait(timeout=10)
    base = statistics.median(results["bare /healthz"])
    backend = env["DATABASE_URL"].split(":")[0]
    print(f"\n{REQUESTS} sequential requests each, one gunicorn worker, {backend}")
    print(f"{'page':<16}{'median ms':>10}{'p95 ms':>10}{'× bare':>9}")
    for name, times in results.items():
        p95 = statistics.quantiles(times, n=20)[-1]
        median = statistics.median(times)
        print(f"{name:<16}{median:>10.2f}{p95:>10.2f}{median / base:>9.1f}")


if __name__ == "__main__":
    main()
