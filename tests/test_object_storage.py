"""Uploads in an S3-compatible object store, spoken to over HTTP (moto's server)."""

from __future__ import annotations

import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client

from purposeful.backup import backup_restore, backup_write
from purposeful.offers import services
from purposeful.offers.models import OfferImage
from purposeful.settings import _uploads
from tests.offers.factories import offer, picture


@pytest.fixture
def bucket(s3_server, settings, monkeypatch):
    """A fresh bucket, named by the environment as an installation would."""
    name = s3_server.new_bucket()
    for variable, value in s3_server.environment(name).items():
        monkeypatch.setenv(variable, value)
    settings.STORAGES = {**settings.STORAGES, "default": _uploads()}
    return name


def test_uploads_stay_in_the_data_directory_unless_a_bucket_is_named(monkeypatch):
    monkeypatch.delenv("PURPOSEFUL_S3_BUCKET", raising=False)
    assert _uploads() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    monkeypatch.setenv("PURPOSEFUL_S3_BUCKET", "pictures")
    monkeypatch.setenv("PURPOSEFUL_S3_ENDPOINT_URL", "http://minio:9000")
    chosen = _uploads()
    assert chosen["BACKEND"] == "storages.backends.s3.S3Storage"
    assert chosen["OPTIONS"]["bucket_name"] == "pictures"
    assert chosen["OPTIONS"]["endpoint_url"] == "http://minio:9000"
    # a private bucket: pictures are served by the app, never linked to
    assert chosen["OPTIONS"]["default_acl"] is None
    assert chosen["OPTIONS"]["file_overwrite"] is False


def test_a_picture_added_on_the_canvas_is_kept_in_the_bucket_not_on_disk(
    cast, bucket, s3_server, tmp_path
):
    made = offer(cast.team, cast.owner)
    member = Client()
    member.force_login(cast.owner)
    response = member.post(
        f"/offers/{made.slug}/pictures/",
        {"image": picture(), "alt_text": "A bike on the stand"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    image = OfferImage.objects.get()
    stored = s3_server.objects(bucket)
    assert list(stored) == [image.file.name]
    assert stored[image.file.name].startswith(b"RIFF")
    assert (image.width, image.height) == (40, 30)
    assert not (tmp_path / "media").exists()


def _close(response) -> None:
    """Close a streamed answer as the server would, but keep the test's database
    connection: closing sends request_finished, and on PostgreSQL Django then
    closes a connection that is inside the test's transaction."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def test_pictures_from_the_bucket_are_served_with_the_same_permissions(cast, bucket):
    made = offer(cast.team, cast.owner)
    image = services.offer_image_add(
        actor=cast.owner, offer=made, image=picture(), alt_text="A bike"
    )
    url = f"/offers/{made.slug}/pictures/{image.pk}.webp"
    assert Client().get(url).status_code == 404
    member = Client()
    member.force_login(cast.outsider)
    response = member.get(url)
    body = b"".join(response.streaming_content)
    _close(response)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=3600"
    assert body.startswith(b"RIFF")
    services.offer_publish(actor=cast.owner, offer=made)
    visitor = Client().get(url)
    _close(visitor)
    assert visitor.status_code == 200
    assert visitor["Cache-Control"] == "public, max-age=604800"


def test_a_picture_missing_from_the_bucket_is_not_found(cast, bucket, s3_server):
    made = offer(cast.team, cast.owner)
    image = services.offer_image_add(
        actor=cast.owner, offer=made, image=picture(), alt_text="A bike"
    )
    s3_server.client().delete_object(Bucket=bucket, Key=image.file.name)
    member = Client()
    member.force_login(cast.owner)
    assert member.get(f"/offers/{made.slug}/pictures/{image.pk}.webp").status_code == (
        404
    )


def test_a_backup_holds_the_files_of_the_bucket(cast, bucket, s3_server, tmp_path):
    made = offer(cast.team, cast.owner)
    image = services.offer_image_add(
        actor=cast.owner, offer=made, image=picture(), alt_text="A bike"
    )
    manifest = backup_write(tmp_path / "backup.zip")
    assert manifest["media_files"] == 1
    with zipfile.ZipFile(tmp_path / "backup.zip") as archive:
        kept = archive.read(f"media/{image.file.name}")
    assert kept == s3_server.objects(bucket)[image.file.name]


def test_a_backup_of_the_media_folder_restores_into_a_bucket(
    db, settings, s3_server, monkeypatch, tmp_path
):
    """The same backup moves from one machine's disk to an object store."""
    local = FileSystemStorage(location=tmp_path / "media")
    local.save("offers/7/wheel.webp", ContentFile(b"RIFF a picture"))
    backup_write(tmp_path / "backup.zip")
    name = s3_server.new_bucket()
    for variable, value in s3_server.environment(name).items():
        monkeypatch.setenv(variable, value)
    settings.STORAGES = {**settings.STORAGES, "default": _uploads()}
    assert type(storages["default"]).__name__ == "S3Storage"
    manifest = backup_restore(tmp_path / "backup.zip")
    assert manifest["media_files"] == 1
    assert s3_server.objects(name) == {"offers/7/wheel.webp": b"RIFF a picture"}
