"""Fetching a roster import named in a URL: another school's import is a 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from ..models import RosterImport, School


def access_roster_import(*, school: School, import_id: int) -> RosterImport:
    return get_object_or_404(
        RosterImport.objects.select_related("school"), school=school, pk=import_id
    )
