"""Sets up the guards of test_guards.py: record the whole run, and run those tests last."""

from __future__ import annotations

from pathlib import Path

import pytest

from ejournal.core.testing import guards

GUARD_MODULE = "ejournal/core/tests/test_guards.py"

guards.install()
_deselected: list[pytest.Item] = []


def pytest_deselected(items: list[pytest.Item]) -> None:
    _deselected.extend(items)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """The guards read what every other test did, so they go last."""
    items.sort(key=lambda item: item.nodeid.startswith(GUARD_MODULE))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Which apps' tests all run: the guards ask those apps' templates to be rendered."""
    root = Path(session.config.rootpath) / "ejournal"
    collected = {Path(str(item.path)) for item in session.items}
    deselected_files = {Path(str(item.path)) for item in _deselected}
    complete: set[str] = set()
    everything = True
    for tests_dir in sorted(root.glob("*/tests")):
        files = set(tests_dir.rglob("test_*.py"))
        if files and files <= collected and not files & deselected_files:
            complete.add(tests_dir.parent.name)
        elif files:
            everything = False
    for other in root.rglob("test_*.py"):  # test files outside the apps' tests folders
        if "tests" not in other.parts and other not in collected:
            everything = False
    if everything and not _deselected:
        complete.add("*")
    guards.RECORD.complete_apps = complete
