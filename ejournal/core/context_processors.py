from typing import Any

from django.http import HttpRequest


def school(request: HttpRequest) -> dict[str, Any]:
    return {"school": getattr(request, "school", None)}
