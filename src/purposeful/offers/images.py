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

# Pillow itself refuses to decode more (a warning past it, an error past twice
# it), wherever in the process a picture is opened.
Image.MAX_IMAGE_PIXELS = IMAGE_MAX_PIXELS


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _too_many_pixels(size: tuple[int, int] | None = None) -> ValidationError:
    found = f" ({size[0]:,} × {size[1]:,})" if size else ""
    return ValidationError(
        {
            "image": f"The picture{found} has too many pixels: at most "
            f"{IMAGE_MAX_PIXELS / 1_000_000:.0f} megapixels. Please scale it down "
            f"(it is shown at most {IMAGE_STORED_WIDTH} pixels wide) and try again."
        }
    )


def image_prepare(upload) -> ContentFile:
    """Return the picture as a WebP file, or raise ValidationError saying what is wrong.

    Its header is read first: a picture over ``IMAGE_MAX_PIXELS`` is refused
    before it is decoded, however small its file.
    """
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
            # the probe reads only the header, and says the size itself
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise not_a_picture
                if probe.width * probe.height > IMAGE_MAX_PIXELS:
                    raise _too_many_pixels(probe.size)
                probe.verify()
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            image: Image.Image
            with Image.open(upload) as image:
                # Shrunk before anything else: a JPEG is then decoded at a
                # fraction of its size, and every later copy is small.
                image.thumbnail((IMAGE_STORED_WIDTH, IMAGE_STORED_WIDTH))
                image = ImageOps.exif_transpose(image)
                mode = "RGBA" if image.mode in {"RGBA", "LA", "P"} else "RGB"
                image = image.convert(mode)
                out = io.BytesIO()
                image.save(out, format="WEBP", quality=82, method=4)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
    ):
        raise not_a_picture from None
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.webp")
