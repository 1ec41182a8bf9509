"""Decoding untrusted profile photos: bounded in bytes and pixels, validated, never a crash.

A profile photo is adversary-supplied. Before any pixel is decoded the byte size and the header's dimensions are
checked (a decompression bomb declares huge dimensions in a small file); the file is verified, then decoded with
Pillow's own bomb guard raised to an error; the picture is then reduced to at most `WORK_SIDE` pixels a side.
Every failure is a `PhotoError` whose message says what was wrong.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

MAX_PHOTO_BYTES = 10 * 1024 * 1024
"""A profile photo larger than this is refused (networks cap uploads at a few MB)."""
MAX_PIXELS = 40_000_000
"""Width x height above which a picture is refused before decoding (a decompression bomb)."""
MAX_SIDE = 12_000
WORK_SIDE = 1024
"""Pictures are reduced to at most this many pixels a side once decoded (hashes use 32x32, faces far less)."""
FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP")
"""What profile photos come as; TIFF and the rarer formats are not even tried (less decoder surface for hostile
files)."""


class PhotoError(ValueError):
    """A photo that cannot be read: the message says why in plain words."""


def read_photo_file(path: Path) -> bytes:
    """The bytes of a photo file, at most MAX_PHOTO_BYTES (never read whole when larger)."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_PHOTO_BYTES + 1)
    except OSError as exc:
        raise PhotoError(f"cannot read photo {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoError(f"photo {path} is more than the limit of {MAX_PHOTO_BYTES:,} bytes")
    return data


def load_photo(data: bytes) -> Image:
    """An RGB picture of at most WORK_SIDE pixels a side from untrusted bytes; PhotoError when it is not one."""
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    if not data:
        raise PhotoError("the photo is empty (0 bytes)")
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoError(f"the photo is {len(data):,} bytes, more than the limit of {MAX_PHOTO_BYTES:,}")
    PILImage.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow warns above this and refuses at twice
    with warnings.catch_warnings():
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        try:
            with PILImage.open(io.BytesIO(data), formats=FORMATS) as probe:
                kind = probe.format or "image"
                width, height = probe.size
                _check_size(width, height)
                probe.verify()
            with PILImage.open(io.BytesIO(data), formats=FORMATS) as image:
                image.draft("RGB", (WORK_SIDE, WORK_SIDE))  # JPEG: decode at a reduced scale directly
                image.load()
                picture = image.convert("RGB")
        except PhotoError:
            raise
        except UnidentifiedImageError:
            raise PhotoError(f"not an image of a supported format ({', '.join(FORMATS)})") from None
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
            raise PhotoError(f"the photo declares more than {MAX_PIXELS:,} pixels (a decompression bomb?)") from None
        except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
            raise PhotoError(f"the photo is damaged or truncated ({type(exc).__name__}: {str(exc)[:120]})") from None
    if kind and picture.width * picture.height == 0:
        raise PhotoError("the photo has no pixels")
    if max(picture.size) > WORK_SIDE:
        picture.thumbnail((WORK_SIDE, WORK_SIDE))
    return picture


def _check_size(width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise PhotoError(f"the photo has no pixels ({width}x{height})")
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise PhotoError(f"the photo is {width:,}x{height:,} pixels, more than the limit of {MAX_SIDE:,} a side "
                         f"and {MAX_PIXELS:,} in all (a decompression bomb?)")
