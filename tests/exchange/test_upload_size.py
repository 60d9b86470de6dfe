"""An import upload is measured before it is read, and read a chunk at a time."""

from __future__ import annotations

import io
import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from purposeful.exchange import csvimport, services
from purposeful.exchange.models import ImportJob

HEADER = "First Name,Last Name,Email,Phone Number,Company Name\n"


class CountingUpload(io.BytesIO):
    """An upload that records how many bytes were read from it."""

    def __init__(self, data: bytes, *, size: int | None = None) -> None:
        super().__init__(data)
        self.bytes_read = 0
        if size is not None:
            self.size = size

    def read(self, n: int | None = -1) -> bytes:
        chunk = super().read(n)
        self.bytes_read += len(chunk)
        return chunk


class Unmeasured(CountingUpload):
    """A stream whose size nobody can know in advance (no size, no seeking)."""

    def seek(self, offset: int, whence: int = 0) -> int:
        if (offset, whence) != (0, 0):
            raise OSError("not seekable")
        return super().seek(0)


def _csv(rows: int) -> bytes:
    lines = [HEADER] + [
        f"Rider{i},Lindqvist,rider{i}@example.org,+31 6 {i:08d},Company {i // 5}\n"
        for i in range(rows)
    ]
    return "".join(lines).encode()


def test_an_upload_over_the_limit_is_refused_before_any_of_it_is_read(cast):
    upload = CountingUpload(_csv(10), size=300 * 1024 * 1024)
    with pytest.raises(ValidationError, match="larger than 50 MB"):
        services.import_preview(
            actor=cast.owner, team=cast.team, data=upload, filename="big.csv"
        )
    assert upload.bytes_read == 0
    assert not ImportJob.objects.exists()


def test_a_stream_of_unknown_size_stops_being_read_past_the_limit(cast, monkeypatch):
    monkeypatch.setattr(csvimport, "MAX_BYTES", 64 * 1024)
    monkeypatch.setattr(csvimport, "CHUNK_BYTES", 8 * 1024)
    upload = Unmeasured(_csv(20_000))  # about 1.4 MB
    with pytest.raises(ValidationError, match="larger than"):
        services.import_preview(
            actor=cast.owner, team=cast.team, data=upload, filename="big.csv"
        )
    # the limit, the chunk that crossed it, and the first bytes that show a BOM
    assert upload.bytes_read <= 64 * 1024 + 8 * 1024 + 3


def test_the_import_page_refuses_a_file_over_the_limit_with_a_form_error(
    cast, monkeypatch
):
    monkeypatch.setattr(csvimport, "MAX_BYTES", 1024)
    client = Client()
    client.force_login(cast.owner)
    upload = SimpleUploadedFile("big.csv", _csv(100), content_type="text/csv")
    response = client.post("/exchange/", {"file": upload, "team": cast.team.pk})
    assert response.status_code == 400
    assert "split it into parts" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_preview_holds_a_few_times_the_file_not_a_row_object_per_line(cast):
    data = _csv(60_000)  # about 4 MB, 60,000 rows
    tracemalloc.start()
    try:
        job = services.import_preview(
            actor=cast.owner, team=cast.team, data=data, filename="many.csv"
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert job.total_rows == 60_000
    # the decoded text, and the keys that find duplicates inside the file
    assert peak < 7 * len(data), f"{peak / len(data):.1f} × the file"


def test_a_large_import_is_written_in_full(cast):
    job = services.import_preview(
        actor=cast.owner, team=cast.team, data=_csv(5_000), filename="many.csv"
    )
    job = services.import_commit(actor=cast.owner, job=job)
    assert job.state == ImportJob.State.DONE
    assert (job.accounts_created, job.contacts_created) == (1_000, 5_000)
