"""The DEBUG-only letter log (after Zulip's email_log): letters sent, and every template."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .kinds import KINDS
from .models import Letter
from .rendering import letter_render, letter_sample_context

SAMPLE_LANGUAGES = ("ru", "en")


def letter_preview_policy(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Letters are styled inline, as mail clients need: their previews (sandboxed srcdoc
    frames, which inherit the page's policy) may use style attributes, and nothing more."""
    allow_style_attributes = csp_update({"style-src-attr": [UNSAFE_INLINE]})
    return allow_style_attributes(view)  # type: ignore[arg-type,return-value]


def debug_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """404 unless DEBUG and asked from this machine: under DEBUG the letters keep their
    one-time links, so a demo reachable from the network must not show them."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.DEBUG or request.META.get("REMOTE_ADDR") not in ("127.0.0.1", "::1"):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@debug_only
@letter_preview_policy
def letter_log(request: HttpRequest) -> HttpResponse:
    letters = Letter.objects.only(
        "pk", "kind", "to_email", "subject", "status", "attempts", "created_at", "sent_at"
    )[:200]
    samples = [
        {
            "kind": kind,
            "language": language,
            "letter": letter_render(
                kind=kind, language=language, context=letter_sample_context(kind)
            ),
        }
        for kind in KINDS
        for language in SAMPLE_LANGUAGES
    ]
    return render(request, "notifications/debug_log.html", {"letters": letters, "samples": samples})


@debug_only
@letter_preview_policy
def letter_detail(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = get_object_or_404(Letter, pk=letter_id)
    rendered = letter_render(kind=letter.kind, language=letter.language, context=letter.context)
    return render(
        request, "notifications/debug_letter.html", {"letter": letter, "rendered": rendered}
    )
