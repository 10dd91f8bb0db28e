"""Uploads that stop at their size limit while they stream in, not after they arrived.

Django's own handlers keep the whole file (in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE, then
in a temporary file) before a form can look at its size, and DATA_UPLOAD_MAX_MEMORY_SIZE
leaves files out, so a gigabyte would be written to disk first. `limit_upload` puts
`UploadLimit` in front of them for one view ("Modifying upload handlers on the fly" in
Django's docs); the roster import and homework files use it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import IO, Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from .http import View

# The form's other parts besides the file: the CSRF token, the multipart boundaries, the name.
FORM_OVERHEAD = 64 * 1024


def megabytes(size: int) -> str:
    """10, 10,5: megabytes with one decimal, a comma, and no trailing ",0"."""
    text = f"{size / (1024 * 1024):.1f}"
    return text.removesuffix(".0").replace(".", ",")


class UploadLimit(FileUploadHandler):
    """Counts each file's bytes as they arrive and stops the upload past `limit`; `exceeded`
    then tells the view why there is no file.

    The rest of the request body is read and thrown away rather than the connection reset,
    so that the browser gets the page that explains; nothing of the file is kept.
    """

    def __init__(self, request: HttpRequest | None = None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.exceeded = False
        self._announced_too_large = False

    @property
    def message(self) -> str:
        return f"Файл слишком большой: можно загрузить не больше {megabytes(self.limit)} МБ."

    def handle_raw_input(
        self,
        input_data: IO[bytes],
        META: dict[str, str],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        # A body announced far over the limit can't hold a file within it: stop at the file's
        # first byte. The other fields, before the file, are still read (the CSRF token).
        self._announced_too_large = content_length > self.limit + FORM_OVERHEAD

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if self._announced_too_large:
            self._stop()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self._stop()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) makes the file

    def _stop(self) -> None:
        self.exceeded = True
        raise StopUpload(connection_reset=False)


def limit_upload(limit: Callable[[], int]) -> Callable[[View], View]:
    """The view's uploads stop past `limit()` bytes (read per request, so settings apply);
    the view finds the handler with `upload_limit(request)`.

    CSRF is checked inside, by csrf_protect: the middleware would read the body (for the
    token) before the limit could be put in front of Django's own upload handlers.
    """

    def decorator(view: View) -> View:
        protected = csrf_protect(view)

        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            handler = UploadLimit(request, limit=limit())
            request.upload_handlers.insert(0, handler)
            return protected(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


def upload_limit(request: HttpRequest) -> UploadLimit:
    """The handler `limit_upload` put in front of the request's uploads."""
    return next(h for h in request.upload_handlers if isinstance(h, UploadLimit))
