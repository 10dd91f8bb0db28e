"""The native API in plain HTTP: a parent's children's week, and a teacher setting a mark.

    python examples/api_v1_walk.py http://127.0.0.1:8000 1399.localhost:8000

As the demo parent: a token, the children (GET /me), each child's diary this week (marks and
homework) and averages this period. As the demo teacher: today's lessons, and a 5 (PUT) for a
child of the parent's at the first of them the teacher may edit; the parent then sees it.
Standard library only; the demo password is the README's.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from typing import Any

PASSWORD = "Zhurnal2026"  # noqa: S105 -- the demo's, printed by `make run`


def call(base: str, host: str, method: str, path: str, token: str = "", body: Any = None) -> Any:
    headers = {"Host": host, "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310 -- http(s) given by the caller
        f"{base}/api/v1{path}", data=data, headers=headers, method=method
    )
    with urllib.request.urlopen(request) as answer:  # noqa: S310
        return json.load(answer)


def token_for(base: str, host: str, login: str) -> str:
    body = {"login": login, "password": PASSWORD, "device": "api_v1_walk"}
    return str(call(base, host, "POST", "/auth/token", body=body)["token"])


def family(base: str, host: str, login: str = "nikolaeva") -> dict[int, Any]:
    """{child id: {"marks": [(subject, value)], "homework": [(subject, text)], "averages":
    {subject: average}}}: the week's marks and homework, the period's averages."""
    token = token_for(base, host, login)
    seen: dict[int, Any] = {}
    for child in call(base, host, "GET", "/me", token)["children"]:
        diary = call(base, host, "GET", f"/students/{child['id']}/diary", token)
        lessons = [lesson for day in diary["days"] for lesson in day["lessons"]]
        marks = call(base, host, "GET", f"/students/{child['id']}/marks", token)
        seen[child["id"]] = {
            "marks": [(x["subject"]["name"], x["mark"]["value"]) for x in lessons if x["mark"]],
            "homework": [
                (x["subject"]["name"], hw["text"]) for x in lessons for hw in x["homework"]
            ],
            "averages": {s["subject"]["name"]: s["average"] for s in marks["subjects"]},
        }
    return seen


def teacher_sets_a_mark(base: str, host: str, pupils: set[int], login: str = "petrov") -> Any:
    """A 5 for one of `pupils` at the first of today's lessons the teacher may edit that they
    attend: {"lesson", "pupil", "cell"} (the cell as it is now)."""
    token = token_for(base, host, login)
    for lesson in call(base, host, "GET", "/teacher/lessons", token):
        sheet = call(base, host, "GET", f"/lessons/{lesson['id']}", token)
        pupil = next((p for p in sheet["pupils"] if p["id"] in pupils), None)
        if lesson["can_edit"] and pupil is not None:
            path = f"/lessons/{lesson['id']}/students/{pupil['id']}"
            cell = call(base, host, "PUT", path, token, body={"mark": 5})
            return {"lesson": lesson, "pupil": pupil, "cell": cell}
    raise LookupError(f"{login} has no lesson today with any of {sorted(pupils)}")


if __name__ == "__main__":
    base_url, school_host = sys.argv[1:3]
    children = family(base_url, school_host)
    for child_id, child in children.items():
        print(f"student {child_id}: {child}")
    done = teacher_sets_a_mark(base_url, school_host, set(children))
    print(f"{done['pupil']['last_name']}: {done['cell']['mark']} at lesson {done['lesson']['id']}")
