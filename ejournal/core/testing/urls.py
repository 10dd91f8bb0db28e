"""The project's URLs as the resolver knows them, for tests that must cover every one.

A test that walks `routes_under("curator/")` covers a curator page added tomorrow without
being edited; if the new URL takes a parameter the test has no value for, reverse_route()
says which one to add.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# The curator's URLs that answer only one method; every other answers GET and POST.
# The permission matrix (schools/tests/test_permissions.py) checks this table against the views.
GET_ONLY = frozenset(
    {
        "schools:class_list",
        "schools:class_detail",
        "schools:teacher_list",
        "accounts:support_users",
        "accounts:support_user",
        "audit:events",
        "setup:index",
    }
)
POST_ONLY = frozenset(
    {
        "accounts:support_password",
        "setup:holiday_delete",
        "setup:entry_clear",
        "setup:assignment_add",
        "setup:assignment_remove",
        "setup:group_add",
        "setup:group_members",
    }
)


@dataclass(frozen=True)
class Route:
    name: str  # "schools:class_detail"
    route: str  # "curator/classes/<id:class_id>/"
    params: tuple[str, ...]

    @property
    def methods(self) -> tuple[str, ...]:
        if self.name in GET_ONLY:
            return ("GET",)
        if self.name in POST_ONLY:
            return ("POST",)
        return ("GET", "POST")


def routes_under(prefix: str) -> list[Route]:
    """Every named URL whose route starts with `prefix`, in the resolver's order."""
    return [route for route in _walk(get_resolver().url_patterns) if route.route.startswith(prefix)]


def reverse_route(route: Route, values: Mapping[str, object]) -> str:
    """The route's URL with its parameters taken from `values` (by parameter name)."""
    missing = [param for param in route.params if param not in values]
    if missing:
        raise LookupError(f"{route.name} takes {missing}: give the test a value for it.")
    return reverse(route.name, kwargs={param: values[param] for param in route.params})


def _walk(
    patterns: Iterable[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterable[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif pattern.name:
            # path() routes name their parameters as converters, re_path() as regex groups.
            params = tuple(
                getattr(pattern.pattern, "converters", None) or pattern.pattern.regex.groupindex
            )
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield Route(name=name, route=prefix + str(pattern.pattern), params=params)
