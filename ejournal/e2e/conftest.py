"""A real Chromium driven by Playwright against pytest-django's live server.

Chromium resolves `*.localhost` to the loopback address, so a school is opened at
http://1399.localhost:PORT/ exactly as a user opens it under `make run`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are ordinary blocking calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_path() -> str:
    path = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if not path:
        pytest.fail(
            "Chromium is needed for the browser tests: `make test` installs it "
            "(apt-get install chromium), or set CHROMIUM=/path/to/chrome."
        )
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def school_url(live_server, settings) -> str:  # type: ignore[no-untyped-def]
    """The demo school's address on the live server; letters and cards use the same one."""
    port = live_server.url.rsplit(":", 1)[1]
    settings.EJOURNAL_BASE_DOMAIN = f"localhost:{port}"
    return f"http://1399.localhost:{port}"
