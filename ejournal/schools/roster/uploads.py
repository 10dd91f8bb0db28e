"""An upload handler that stops a roster upload as soon as the file is over the size limit.

Django's own handlers keep the whole file (in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE, then
in a temporary file) before a form can look at its size, and DATA_UPLOAD_MAX_MEMORY_SIZE
leaves files out, so a gigabyte would be written to disk first. The roster upload view puts
this handler in front of them ("Modifying upload handlers on the fly" in Django's docs).
"""

from __future__ import annotations

from typing import IO, Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

# The form's other parts besides the file: the CSRF token, the multipart boundaries, the name.
FORM_OVERHEAD = 64 * 1024


class RosterUploadLimit(FileUploadHandler):
    """Counts the file's bytes as they arrive and stops the upload past
    EJOURNAL_ROSTER_MAX_BYTES; `exceeded` then tells the view why there is no file.

    The rest of the request body is read and thrown away rather than the connection reset,
    so that the browser gets the page that explains; nothing of the file is kept.
    """

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit: int = settings.EJOURNAL_ROSTER_MAX_BYTES
        self.exceeded = False
        self._announced_too_large = False

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
