"""A parent's week over the ЭлЖур protocol, in plain HTTP: what an existing ЭлЖур app does.

    python examples/eljur_walk.py http://127.0.0.1:8000 1399.localhost:8000 nikolaeva Zhurnal2026

Logs in through /apiv3/auth, reads getrules, and for each child getperiods, getdiary and
getmarks for this week; prints each child's marks and homework. Standard library only.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import urllib.parse
import urllib.request
from typing import Any


def call(base: str, host: str, method: str, **params: str) -> Any:
    query = urllib.parse.urlencode({"devkey": "walk", "out_format": "json", **params})
    url = f"{base}/apiv3/{method}?{query}"
    request = urllib.request.Request(url, headers={"Host": host})  # noqa: S310 -- http(s) given
    with urllib.request.urlopen(request) as answer:  # noqa: S310
        response = json.load(answer)["response"]
    if response["state"] != 200:
        raise RuntimeError(f"{method}: {response['error']}")
    return response["result"]


def walk(base: str, host: str, login: str, password: str, today: dt.date) -> dict[str, Any]:
    """{student id: {"name", "marks": [(subject, value)], "homework": [(subject, text)]}}: the
    week's, as the web diary shows it."""
    token = call(base, host, "auth", login=login, password=password)["token"]
    rules = call(base, host, "getrules", auth_token=token)
    monday = today - dt.timedelta(days=today.weekday())
    days = f"{monday:%Y%m%d}-{monday + dt.timedelta(days=6):%Y%m%d}"
    seen: dict[str, Any] = {}
    for student in rules["relations"]["students"]:
        ask = {"auth_token": token, "student": student}
        call(base, host, "getperiods", **ask)
        diary = call(base, host, "getdiary", days=days, **ask)["students"][student]
        homework = [
            (item["name"], task["value"])
            for _, entry in sorted(diary["days"].items())
            for item in entry.get("items", {}).values()
            for task in item.get("homework", {}).values()
        ]
        lessons = call(base, host, "getmarks", days=days, **ask)["students"][student]["lessons"]
        marks = [  # an absence is listed as a mark "н" that does not count
            (lesson["name"], mark["value"])
            for lesson in lessons
            for mark in lesson["marks"]
            if mark["count"]
        ]
        seen[student] = {"name": diary["title"], "marks": marks, "homework": homework}
    return seen


if __name__ == "__main__":
    base_url, school_host, user_login, user_password = sys.argv[1:5]
    found = walk(base_url, school_host, user_login, user_password, dt.date.today())
    for child in found.values():
        print(child["name"])
        for subject, value in child["marks"]:
            print(f"  {subject}: {value}")
        for subject, text in child["homework"]:
            print(f"  {subject}: {text}")
