"""The lens model file: a JSON header and raw little-endian arrays, read without numpy.

Reviewing must not pay for importing numpy (~50 ms a command) or ``zipfile``, and
must never unpickle anything, so a model is one file laid out as::

    PURPOSEFUL-LENS-MODEL\\n     magic line
    <8-byte little-endian length of the header>
    {"meta": {...}, "arrays": {"name": [typecode, offset, count], ...}}
    <the arrays, back to back>

Typecodes are those of :mod:`array` (``f`` float32, ``b`` int8, ``B`` bytes, used for
UTF-8 text). Loading is a read, a JSON parse and one zero-copy view per array.
"""

from __future__ import annotations

import json
import sys
from array import array
from pathlib import Path
from typing import Any

__all__ = ["MAGIC", "ModelError", "read_model_file", "write_model_file"]

MAGIC = b"PURPOSEFUL-LENS-MODEL\n"
_SIZES = {"f": 4, "b": 1, "B": 1}


class ModelError(ValueError):
    """A model file is missing, unreadable or of an unknown format."""


def write_model_file(
    path: str | Path, meta: dict[str, Any], arrays: dict[str, array[Any] | bytes]
) -> None:
    """Write ``meta`` and ``arrays`` (float32/int8 arrays, or bytes) to ``path``."""
    index: dict[str, list[Any]] = {}
    blobs: list[bytes] = []
    offset = 0
    for name, values in arrays.items():
        if isinstance(values, bytes | bytearray):
            code, blob = "B", bytes(values)
        else:
            if values.typecode not in _SIZES:
                raise ValueError(f"array {name!r}: unsupported typecode")
            code = values.typecode
            if sys.byteorder == "big":
                values = array(code, values)
                values.byteswap()
            blob = values.tobytes()
        index[name] = [code, offset, len(blob) // _SIZES[code]]
        blobs.append(blob)
        offset += len(blob)
    header = json.dumps({"meta": meta, "arrays": index}).encode("utf-8")
    with open(path, "wb") as fh:
        fh.write(MAGIC)
        fh.write(len(header).to_bytes(8, "little"))
        fh.write(header)
        for blob in blobs:
            fh.write(blob)


def read_model_file(path: str | Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(meta, arrays) of a model file; arrays are memoryviews (``B``: bytes)."""
    try:
        with open(path, "rb") as fh:
            content = fh.read()
    except FileNotFoundError:
        raise ModelError(f"{path}: model file not found") from None
    except IsADirectoryError:
        raise ModelError(f"{path}: is a directory, not a model file") from None
    except OSError as exc:
        raise ModelError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if content.startswith(b"PK\x03\x04"):
        # earlier versions wrote models as .npz (zip) archives of numpy arrays
        raise ModelError(
            f"{path}: a lens model of an earlier version (.npz); train it again "
            "with `purposeful lens train`"
        )
    if not content.startswith(MAGIC):
        raise ModelError(
            f"{path}: not a lens model; train one with `purposeful lens train`"
        )
    try:
        start = len(MAGIC) + 8
        size = int.from_bytes(content[len(MAGIC) : start], "little")
        header = json.loads(content[start : start + size].decode("utf-8"))
        meta = header["meta"]
        data = memoryview(content)[start + size :]
        arrays: dict[str, Any] = {}
        for name, (code, offset, count) in header["arrays"].items():
            end = offset + count * _SIZES[code]
            if end > len(data):
                raise ValueError(f"array {name!r} runs past the end of the file")
            raw = data[offset:end]
            if code == "B":
                arrays[name] = raw.tobytes()
            elif sys.byteorder == "big" and code == "f":
                swapped = array(code, raw.tobytes())
                swapped.byteswap()
                arrays[name] = memoryview(swapped)
            else:
                arrays[name] = raw.cast(code)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise ModelError(f"{path}: damaged lens model ({exc})") from None
    if not isinstance(meta, dict):
        raise ModelError(f"{path}: damaged lens model (no metadata)")
    return meta, arrays
