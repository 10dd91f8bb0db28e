"""Small display helpers of the diary and marks pages: `{% load diary %}`."""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, Parser, Token

from ejournal.core.freshness import cached_read
from ejournal.schools.models import School, Teacher

register = template.Library()


@register.filter
def initials(teacher: Teacher | None) -> str:
    """ "Петров Олег Николаевич" → "Петров О. Н." (a phone's line is short)."""
    if teacher is None:
        return ""
    letters = " ".join(f"{name[0]}." for name in (teacher.first_name, teacher.middle_name) if name)
    return f"{teacher.last_name} {letters}".strip()


@register.filter
def mark_band(value: int | None, school: School) -> str:
    """ "high", "mid" or "low" on the school's scale, for the mark's colour: on 1–5 a 5 and a 4
    are high, a 3 mid, a 2 and a 1 low; a 1–10 scale is cut at the same fractions."""
    if value is None:
        return ""
    span = school.mark_max - school.mark_min
    share = (value - school.mark_min) / span if span else 1
    if share >= 0.75:
        return "high"
    if share >= 0.5:
        return "mid"
    return "low"


class JournalCacheNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str, values: list[FilterExpression]):
        self.nodelist, self.name, self.values = nodelist, name, values

    def render(self, context: template.Context) -> str:
        student, *parts = (value.resolve(context) for value in self.values)
        return cached_read(
            f"page:{self.name}",
            school_id=student.school_id,
            student_id=student.pk,
            parts=[student.school_class_id, *parts],
            read=lambda: self.nodelist.render(context),
        )


@register.tag
def journalcache(parser: Parser, token: Token) -> JournalCacheNode:
    """`{% journalcache "name" student part … %}…{% endjournalcache %}`: the block rendered
    once and kept for the pupil until something it shows changes (core.freshness); the parts
    are everything else it depends on (the week, today, what the viewer may see). Nothing
    inside may differ from one viewer to another unless a part says so: no CSRF token, no
    user's name. The context's lazy values are read only when the block is rendered."""
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError("journalcache takes a name and the student")
    nodelist = parser.parse(("endjournalcache",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    return JournalCacheNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])
