"""A real Chromium driven by Playwright against pytest-django's live server.

Chromium resolves `*.localhost` to the loopback address, so a school is opened at
http://1399.localhost:PORT/ exactly as a user opens it under `make run`.

Every journey also asserts that the browser met no problem on the way: no
Content-Security-Policy violation, no console error or warning (a resource that failed to
load, a header the browser could not read), no uncaught script error. A script's own
request answered with an error status is not one: the script reads that answer (the grid
shows a refused value's reason in place).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, sync_playwright

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


# Runs in every page before its own scripts; Chromium reports a violation to the console
# too, but the event also names the directive and what was blocked.
REPORT_POLICY_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI}`
    + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True, locale="ru-RU")
    context.add_init_script(REPORT_POLICY_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    answered_to_scripts: set[str] = set()  # fetch() calls answered with an error status

    def on_response(response: Response) -> None:
        if response.status >= 400 and response.request.resource_type in ("fetch", "xhr"):
            answered_to_scripts.add(response.url)

    def on_console(message: ConsoleMessage) -> None:
        url = message.location.get("url", "")
        if message.type not in ("error", "warning"):
            return
        if message.text.startswith("Failed to load resource") and url in answered_to_scripts:
            return
        problems.append(f"{message.type} at {url}: {message.text}")

    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    yield page
    context.close()
    assert problems == [], "the browser met these problems on the way"


@pytest.fixture
def school_url(live_server, settings) -> str:  # type: ignore[no-untyped-def]
    """The demo school's address on the live server; letters and cards use the same one."""
    port = live_server.url.rsplit(":", 1)[1]
    settings.EJOURNAL_BASE_DOMAIN = f"localhost:{port}"
    return f"http://1399.localhost:{port}"
