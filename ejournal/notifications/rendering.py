"""Letters from templates: `{kind}_subject.txt`, `{kind}_message.txt`, `{kind}_message.html`.

Russian templates live in `templates/notifications/`; another language's in a subfolder
named after it (`notifications/en/`), with the Russian ones as the fallback.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from ejournal.core.tenancy import school_base_url
from ejournal.schools.models import School

from .kinds import KINDS, SAMPLE_PERSON

if TYPE_CHECKING:
    from ejournal.accounts.models import User


@dataclass(frozen=True)
class RenderedLetter:
    subject: str
    text: str
    html: str


def _template_names(kind: str, language: str, suffix: str) -> list[str]:
    names = [f"notifications/{kind}{suffix}"]
    base_language = language.split("-")[0].lower()
    if base_language and base_language != "ru":
        names.insert(0, f"notifications/{base_language}/{kind}{suffix}")
    return names


def letter_render(*, kind: str, language: str, context: dict[str, Any]) -> RenderedLetter:
    """Subject (one line), plain text and HTML of a letter, in its language."""
    with translation.override(language):
        subject = render_to_string(_template_names(kind, language, "_subject.txt"), context)
        text = render_to_string(_template_names(kind, language, "_message.txt"), context)
        html = render_to_string(_template_names(kind, language, "_message.html"), context)
    return RenderedLetter(subject=" ".join(subject.split()), text=text.strip() + "\n", html=html)


def common_context(*, school: School | None, user: User | None) -> dict[str, str]:
    """What every letter may show: the school's name and addresses (from configuration,
    never a request), the account's login and name, and the time in the school's zone."""
    context: dict[str, str] = {}
    if school is not None:
        base = school_base_url(school)
        context |= {
            "school_name": school.name,
            "school_url": base,
            "login_url": base + reverse("accounts:login"),
            "recovery_page_url": base + reverse("accounts:recovery"),
        }
    if user is not None:
        context |= {"login": user.login, "full_name": user.full_name}
    zone = zoneinfo.ZoneInfo(school.timezone) if school is not None else None
    context["time"] = f"{timezone.localtime(timezone=zone):%d.%m.%Y %H:%M}"
    return context


def letter_sample_context(kind: str, school: School | None = None) -> dict[str, Any]:
    """Sample data for a kind of letter, for the debug page and the template tests."""
    school = school or School(number="1399", name="Школа №1399")
    common = {**common_context(school=school, user=None), **SAMPLE_PERSON}
    sample = {
        key: value.format(**common) if isinstance(value, str) else value
        for key, value in KINDS[kind].sample.items()
    }
    return {**common, **sample}
