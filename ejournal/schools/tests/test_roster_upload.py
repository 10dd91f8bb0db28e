"""The roster upload stops at the size limit while the file streams in, not after it arrived."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.test import Client
from django.urls import reverse

from ejournal.conftest import school_host
from ejournal.core.uploads import FORM_OVERHEAD, UploadLimit
from ejournal.schools.models import RosterImport
from ejournal.schools.roster.testing import pupils, roster_csv

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("schools:roster_import")
LIMIT = 100 * 1024


@pytest.fixture
def stored_bytes(monkeypatch, settings) -> list[int]:
    """The bytes of the file that reach Django's own handlers (memory or temporary file)."""
    settings.EJOURNAL_ROSTER_MAX_BYTES = LIMIT
    received: list[int] = []
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        original = handler.receive_data_chunk

        def counting(self, raw_data, start, original=original):
            received.append(len(raw_data))
            return original(self, raw_data, start)

        monkeypatch.setattr(handler, "receive_data_chunk", counting)
    return received


def _csv_of(size: int) -> bytes:
    return roster_csv(pupils(2)).ljust(size, b" ")


def test_a_body_announced_far_over_the_limit_is_stopped_before_the_file_is_stored(
    curator_client, stored_bytes
):
    response = curator_client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("big.csv", _csv_of(5 * 1024 * 1024))}
    )

    assert response.status_code == 413
    assert "Файл слишком большой: можно загрузить не больше 0,1 МБ." in response.content.decode()
    limit = response.wsgi_request.upload_handlers[0]
    assert isinstance(limit, UploadLimit)
    assert limit.exceeded
    assert sum(stored_bytes) == 0
    assert not response.wsgi_request.FILES
    assert RosterImport.objects.count() == 0


def test_a_file_just_over_the_limit_is_stopped_at_the_limit(curator_client, stored_bytes):
    size = LIMIT + FORM_OVERHEAD // 2  # the body's length alone doesn't give it away

    response = curator_client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("big.csv", _csv_of(size))}
    )

    assert response.status_code == 413
    assert response.wsgi_request.upload_handlers[0].exceeded
    assert sum(stored_bytes) <= LIMIT
    assert not response.wsgi_request.FILES


def test_a_file_within_the_limit_goes_through_to_the_preview(curator_client, stored_bytes):
    content = _csv_of(LIMIT)

    response = curator_client.post(IMPORT_URL, {"file": SimpleUploadedFile("ok.csv", content)})

    assert response.status_code == 302
    assert sum(stored_bytes) == len(content)
    assert RosterImport.objects.count() == 1


def test_csrf_is_still_checked_on_the_upload(school, curator, settings):
    settings.EJOURNAL_ROSTER_MAX_BYTES = LIMIT
    client = Client(HTTP_HOST=school_host(school), enforce_csrf_checks=True)
    client.force_login(curator)
    client.get(IMPORT_URL)
    token = client.cookies["csrftoken"].value

    without = client.post(IMPORT_URL, {"file": SimpleUploadedFile("ok.csv", _csv_of(1000))})
    good = client.post(
        IMPORT_URL,
        {"csrfmiddlewaretoken": token, "file": SimpleUploadedFile("ok.csv", _csv_of(1000))},
    )
    too_big = client.post(
        IMPORT_URL,
        {"csrfmiddlewaretoken": token, "file": SimpleUploadedFile("big.csv", _csv_of(LIMIT * 3))},
    )

    assert without.status_code == 403
    assert good.status_code == 302
    # The token comes before the file in the form, so it is read before the upload stops.
    assert too_big.status_code == 413
    assert RosterImport.objects.count() == 1
