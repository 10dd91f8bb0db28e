"""Guards over a whole test run: which templates got rendered, and on every page one <h1>
and no inline script or style.

`install()` is called by ejournal/core/tests/conftest.py when the test run collects that
folder. From then on every template rendered in the run is recorded (Django's
`template_rendered` signal, sent while the test environment is set up), and every HTML page
the test client receives is checked for exactly one <h1> and for code the
Content-Security-Policy would block. The tests in ejournal/core/tests/test_guards.py run
last and read what was recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.test.client import Client
from django.test.signals import template_rendered

_H1 = re.compile(rb"<h1[\s>]", re.IGNORECASE)
_HTML_PAGE = re.compile(rb"<html[\s>]", re.IGNORECASE)


class _InlineCodeFinder(HTMLParser):
    """Collects what a policy without 'unsafe-inline' blocks: a <script> without `src`, a
    <style> block, a `style` or `on…` attribute, a `javascript:` URL. Tags and attributes
    as a browser reads them, so that text which merely mentions them (escaped user input,
    an attribute's value) is no match."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if (tag == "script" and "src" not in names) or tag == "style":
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            elif (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")


@dataclass
class Record:
    rendered: set[str] = field(default_factory=set)
    pages_checked: int = 0
    # (path, number of <h1>) of pages without exactly one.
    bad_headings: list[tuple[str, int]] = field(default_factory=list)
    # (path, the markup) of inline code the Content-Security-Policy would block.
    inline_code: list[tuple[str, str]] = field(default_factory=list)
    # Apps (ejournal/<app>/tests) whose every test was collected and none deselected;
    # "*" when the whole suite runs.
    complete_apps: set[str] = field(default_factory=set)


RECORD = Record()


def templates_dir() -> Path:
    return Path(settings.BASE_DIR) / "ejournal" / "templates"


def project_templates() -> list[str]:
    """Every template under ejournal/templates/, by the name it is rendered with."""
    root = templates_dir()
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def required_templates() -> list[str]:
    """The templates this run must have rendered: all of them in a whole-suite run; otherwise
    those of each app whose tests all ran (templates/<app>/…)."""
    complete = RECORD.complete_apps
    if "*" in complete:
        return project_templates()
    return [name for name in project_templates() if name.split("/", 1)[0] in complete]


def _template_rendered(sender: Any, template: Any, **kwargs: Any) -> None:
    if template.name:
        RECORD.rendered.add(template.name)


def inline_code(markup: str) -> list[str]:
    """The pieces of `markup` that a policy without 'unsafe-inline' would block."""
    finder = _InlineCodeFinder()
    finder.feed(markup)
    finder.close()
    return finder.found


def check_page(response: HttpResponse, path: str) -> None:
    """Look for inline code in any HTML under a Content-Security-Policy (all but Django's
    DEBUG error pages), and count the <h1> of a whole page (not a fragment, a file or a
    redirect)."""
    if getattr(response, "streaming", False):
        return
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    content = response.content
    if "Content-Security-Policy" in response:
        found = inline_code(content.decode(response.charset or "utf-8", "replace"))
        RECORD.inline_code.extend((path, piece) for piece in found)
    if not _HTML_PAGE.search(content[:2048]):
        return
    RECORD.pages_checked += 1
    headings = len(_H1.findall(content))
    if headings != 1:
        RECORD.bad_headings.append((path, headings))


def install() -> None:
    """Record templates and check the pages of every test from now on (idempotent)."""
    template_rendered.connect(_template_rendered, dispatch_uid="ejournal.guards.templates")
    if getattr(Client.request, "_ejournal_guard", False):
        return
    original = Client.request

    def request(self: Client, **request: Any) -> Any:
        response = original(self, **request)
        check_page(response, str(request.get("PATH_INFO", "")))
        return response

    request._ejournal_guard = True  # type: ignore[attr-defined]
    Client.request = request  # type: ignore[method-assign]
