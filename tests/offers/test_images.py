"""Pictures are read by their content and re-encoded (no database needed)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from purposeful.offers.images import image_prepare
from purposeful.offers.models import IMAGE_MAX_PIXELS


def _upload(image: Image.Image, fmt: str, **save) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **save)
    return SimpleUploadedFile(f"x.{fmt.lower()}", buffer.getvalue())


def _open(prepared) -> Image.Image:
    return Image.open(io.BytesIO(prepared.read()))


def test_a_phone_photo_loses_its_metadata_and_is_turned_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the camera was turned on its side
    exif[0x010F] = "PhoneMaker"  # camera make: private, must not survive
    photo = _upload(Image.new("RGB", (60, 40), "green"), "JPEG", exif=exif)
    result = _open(image_prepare(photo))
    assert result.format == "WEBP"
    assert result.size == (40, 60)
    assert not result.getexif()


@pytest.mark.parametrize("fmt", ["PNG", "GIF", "WEBP", "JPEG"])
def test_common_picture_formats_are_accepted(fmt):
    image = Image.new("RGB", (30, 20), "blue")
    assert _open(image_prepare(_upload(image, fmt))).size == (30, 20)


def test_transparent_pictures_keep_their_transparency():
    image = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    assert _open(image_prepare(_upload(image, "PNG"))).mode == "RGBA"


def test_other_image_formats_are_refused():
    with pytest.raises(ValidationError, match="Use a JPEG, PNG, WebP or GIF"):
        image_prepare(_upload(Image.new("RGB", (10, 10)), "BMP"))


def test_a_truncated_picture_is_refused():
    whole = _upload(Image.new("RGB", (200, 200), "red"), "PNG").read()
    with pytest.raises(ValidationError, match="not a picture we can read"):
        image_prepare(SimpleUploadedFile("x.png", whole[: len(whole) // 2]))


def test_a_picture_with_too_many_pixels_is_refused_before_it_is_decoded():
    side = int(IMAGE_MAX_PIXELS**0.5) + 100
    # A header that claims a huge size: the decoder must never be asked to fill it.
    huge = _upload(Image.new("1", (side, side)), "PNG", optimize=True)
    with pytest.raises(ValidationError, match="too many pixels"):
        image_prepare(huge)


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="The file is empty"):
        image_prepare(SimpleUploadedFile("x.png", b""))


def _forty_megapixels() -> SimpleUploadedFile:
    # one bit per pixel, all white: a file of about 100 KB that decodes to 160 MB
    return _upload(Image.new("1", (8000, 5000), 1), "PNG", optimize=True)


def test_a_40_megapixel_png_is_refused_with_its_size_not_re_encoded(monkeypatch):
    upload = _forty_megapixels()
    assert upload.size < 200_000

    def no_decoding(*args, **kwargs):
        raise AssertionError("the picture was decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    with pytest.raises(ValidationError) as refused:
        image_prepare(upload)
    message = refused.value.message_dict["image"][0]
    assert "(8,000 × 5,000) has too many pixels: at most 24 megapixels" in message


def test_pillow_refuses_pictures_over_the_limit_wherever_they_are_opened():
    assert Image.MAX_IMAGE_PIXELS == IMAGE_MAX_PIXELS


def test_the_picture_form_says_a_40_megapixel_png_has_too_many_pixels(cast):
    from django.test import Client

    from purposeful.offers.models import OfferImage
    from tests.offers.factories import offer

    made = offer(cast.team, cast.owner)
    client = Client()
    client.force_login(cast.owner)
    response = client.post(
        f"/offers/{made.slug}/pictures/",
        {"image": _forty_megapixels(), "alt_text": "A white wall"},
    )
    assert response.status_code == 200
    assert "has too many pixels: at most 24 megapixels" in response.content.decode()
    assert not OfferImage.objects.exists()


def test_a_large_photo_is_shrunk_while_it_is_decoded():
    photo = _upload(Image.new("RGB", (6000, 4000), "green"), "JPEG")
    result = _open(image_prepare(photo))
    assert result.size == (1600, 1067)
