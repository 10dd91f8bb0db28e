"""`{% url %}` with its answers kept in the process: a builtin of the template engine, so it
replaces Django's tag in every template.

Reversing a URL name costs some 40 µs here, and every page's shell reverses a dozen (the
menu, the tabs, the forms' actions): a tenth of a kept diary page. The answer depends only
on the name, the arguments, the URLconf, the script prefix and the current application,
all of which are the key, so a kept answer is the one `reverse` would give. Arguments that
cannot be a key (a list) are reversed as Django's tag does.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.template.base import Parser, Token
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()


@lru_cache(maxsize=8192)
def _reversed(
    urlconf: str | None,
    prefix: str,
    view_name: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    current_app: str | None,
) -> str:
    return reverse(
        view_name, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app
    )


class KeptURLNode(URLNode):
    def render(self, context: template.Context) -> str:
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple(
            sorted((name, value.resolve(context)) for name, value in self.kwargs.items())
        )
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None) or getattr(
            getattr(request, "resolver_match", None), "namespace", None
        )
        key = (get_urlconf(), get_script_prefix(), self.view_name.resolve(context), args, kwargs)
        try:
            url = _reversed(*key, current_app)
        except TypeError:  # an argument that cannot be a key
            return str(super().render(context))
        except NoReverseMatch:
            if self.asvar is None:
                raise
            url = ""
        if self.asvar:
            context[self.asvar] = url
            return ""
        return str(conditional_escape(url)) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> KeptURLNode:
    node = django_url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
