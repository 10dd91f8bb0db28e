"""Guards over the whole project: migrations, deployment checks, configuration."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EJOURNAL_"))}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deployment_checklist():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "a-long-random-production-key-" + "x9Qz" * 12,
            "EJOURNAL_INVITATION_KEY": "another-long-random-key",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", env={"DJANGO_SETTINGS_MODULE": "config.settings.production"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_requires_its_own_invitation_key():
    result = _manage(
        "check",
        env={"DJANGO_SETTINGS_MODULE": "config.settings.production", "DJANGO_SECRET_KEY": "k" * 60},
    )
    assert result.returncode != 0
    assert "EJOURNAL_INVITATION_KEY" in result.stderr


def test_debug_is_off_and_the_secret_key_comes_from_the_environment_in_production():
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY)",
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "from-env-key",
            "EJOURNAL_INVITATION_KEY": "invitation-key",
        },
    )
    assert result.stdout.split() == ["False", "from-env-key"]


def _make_plan(target: str) -> list[str]:
    """The `uv sync` commands `make TARGET` would run in a fresh checkout (-B: as if no stamp)."""
    result = subprocess.run(  # noqa: S603
        ["make", "-n", "-B", target],  # noqa: S607 -- make from PATH, as a developer runs it
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in result.stdout.splitlines() if "uv sync" in line]


def test_make_run_installs_only_the_runtime_dependencies():
    (sync,) = _make_plan("run")
    assert "--no-dev" in sync.split()


@pytest.mark.parametrize("target", ["test", "lint", "format"])
def test_make_test_and_lint_add_the_development_tools(target):
    assert [sync for sync in _make_plan(target) if "--no-dev" not in sync.split()]
