"""Homework files, downloaded by those who see the lesson (access_homework_file)."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from ejournal.core.http import SchoolRequest, role_required
from ejournal.schools.roles import Role

from ..access import access_homework_file
from ..models import HomeworkFile


def homework_file_response(homework_file: HomeworkFile) -> FileResponse:
    """The file as an attachment under the name it was uploaded with (the site's download and
    the API's); a file missing from storage is a 404."""
    try:
        handle = homework_file.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=homework_file.name)
    # A file of a child's lesson is private: no shared cache keeps a copy.
    response["Cache-Control"] = "private, no-store"
    return response


# role_required is typed for HttpResponse views; a FileResponse is a streaming response.
@role_required(Role.STUDENT, Role.PARENT, Role.TEACHER, Role.CURATOR)  # type: ignore[type-var]
@require_GET
def homework_file(request: SchoolRequest, file_id: int) -> FileResponse:
    homework_file = access_homework_file(user=request.user, file_id=file_id)
    return homework_file_response(homework_file)
