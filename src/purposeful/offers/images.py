"""Uploaded pictures are checked by their content and re-encoded before they are kept.

Re-encoding strips metadata (a phone photo's location, for one), bounds the size
visitors download, and means a stored file is always a picture we produced.
"""

from __future__ import annotations

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from purposeful.offers.models import (
    IMAGE_MAX_BYTES,
    IMAGE_MAX_PIXELS,
    IMAGE_STORED_WIDTH,
)

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def image_prepare(upload) -> ContentFile:
    """Return the picture as a WebP file, or raise ValidationError saying what is wrong."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size == 0:
        raise ValidationError({"image": "The file is empty."})
    if size > IMAGE_MAX_BYTES:
        raise ValidationError(
            {
                "image": f"The picture is {_megabytes(size)}; the limit is "
                f"{_megabytes(IMAGE_MAX_BYTES)}. Please make it smaller and try again."
            }
        )
    not_a_picture = ValidationError(
        {
            "image": "This file is not a picture we can read. Use a JPEG, PNG, WebP or GIF."
        }
    )
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise not_a_picture
                if probe.width * probe.height > IMAGE_MAX_PIXELS:
                    raise ValidationError(
                        {
                            "image": "The picture has too many pixels; please scale it down."
                        }
                    )
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                image.thumbnail((IMAGE_STORED_WIDTH, IMAGE_STORED_WIDTH))
                mode = "RGBA" if image.mode in {"RGBA", "LA", "P"} else "RGB"
                image = image.convert(mode)
                out = io.BytesIO()
                image.save(out, format="WEBP", quality=82, method=4)
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ):
        raise not_a_picture from None
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.webp")
