"""How /api/v1 writes JSON, and the answers it keeps rendered.

A diary answer is some hundred schema objects: building and validating them took most of a
request (Ninja validates what a view returns once more). What is the same for every reader
of a pupil is therefore rendered once and kept as bytes under the pupil's versions
(core.freshness): built through the response schema, dumped and rendered exactly as Ninja
would, so a kept answer is byte for byte the one Ninja would send.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse
from ninja import Schema
from ninja.renderers import JSONRenderer

from ejournal.core.freshness import cached_read
from ejournal.schools.models import Student


class Utf8JSONRenderer(JSONRenderer):
    """Russian text as itself, not as \\u escapes: a third of the bytes on a phone's line."""

    json_dumps_params = {"ensure_ascii": False}


RENDERER = Utf8JSONRenderer()


def kept_answer(
    request: HttpRequest,
    *,
    name: str,
    student: Student,
    parts: Iterable[object],
    build: Callable[[], Schema],
) -> HttpResponse:
    """The 200 answer `build()` makes for the pupil, rendered once and kept until something
    it shows changes; `parts`: everything else it depends on (the dates, what this reader
    may see)."""
    body = cached_read(
        f"api-v1:{name}",
        school_id=student.school_id,
        student_id=student.pk,
        parts=[student.school_class_id, *parts],
        read=lambda: RENDERER.render(request, build().model_dump(), response_status=200),
    )
    return HttpResponse(body, content_type=f"{RENDERER.media_type}; charset={RENDERER.charset}")
