"""Each method's whole answer, recorded, for a student and for a parent of two children."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.django_db

RECORDED = Path(__file__).parent / "recorded"
# ELJUR_RECORD=1 writes the answers instead of comparing them (then read the diff).
RECORD = os.environ.get("ELJUR_RECORD") == "1"
WEEK = "20261123-20261128"


def recorded(name: str, answer: dict[str, Any]) -> None:
    """The whole answer is the one recorded in recorded/<name>.json."""
    path = RECORDED / f"{name}.json"
    if RECORD:
        path.write_text(json.dumps(answer, ensure_ascii=False, indent=2) + "\n")
    assert answer == json.loads(path.read_text())


CALLS = [
    ("getrules", {}),
    ("getperiods", {"weeks": "1"}),
    ("getdiary", {"days": WEEK, "rings": "1"}),
    ("getmarks", {"days": WEEK}),
    ("gethomework", {"days": WEEK}),
    ("getschedule", {"days": WEEK, "rings": "1"}),
    ("getfinalassessments", {}),
]


@pytest.mark.parametrize("who", ["nikolaev", "nikolaeva"])
@pytest.mark.parametrize(("method", "args"), CALLS, ids=[c[0] for c in CALLS])
def test_the_whole_answer_is_the_recorded_one(eljur, cast, token_for, who, method, args):
    """The student (his own diary, no `student` given) and the parent of two children (no
    `student`: both children, keyed by id)."""
    user = cast[who].user if who == "nikolaev" else cast[who]
    response = eljur(method, vendor="1399", auth_token=token_for(user), **args)
    assert response.status_code == 200
    recorded(f"{method}_{'student' if who == 'nikolaev' else 'parent'}", response.json())


def test_a_parent_names_one_child_with_student_or_students(eljur, cast, token_for):
    token = token_for(cast["nikolaeva"])
    ershova = str(cast["ershova"].pk)
    one = eljur("getmarks", auth_token=token, student=ershova, days=WEEK).json()
    assert list(one["response"]["result"]["students"]) == [ershova]
    assert eljur("getmarks", auth_token=token, students=ershova, days=WEEK).json() == one
