"""Bad images give a PhotoError in plain words, never a crash."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from falsefriends.photo.decode import MAX_PHOTO_BYTES, PhotoError, load_photo, read_photo_file
from tests.photo.conftest import to_bytes


def _png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that declares huge dimensions (a decompression bomb's header) with almost no data."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + \
        chunk(b"IEND", b"")


def test_a_good_photo_is_decoded_and_reduced(astronaut: Image.Image) -> None:
    big = astronaut.resize((2048, 2048))
    picture = load_photo(to_bytes(big, "JPEG", quality=90))
    assert picture.mode == "RGB" and max(picture.size) <= 1024


@pytest.mark.parametrize(("data", "words"), [
    (b"", "empty"),
    (b"hello, this is not a picture", "not an image"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not an image"),
    (_png_header_only(100_000, 100_000), "pixels"),
    (_png_header_only(9_000, 9_000), "pixels"),
    (_png_header_only(20_000, 10), "pixels"),
])
def test_bad_bytes_are_refused_in_plain_words(data: bytes, words: str) -> None:
    with pytest.raises(PhotoError, match=words):
        load_photo(data)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_truncated_files_are_refused(astronaut: Image.Image, fmt: str) -> None:
    data = to_bytes(astronaut, fmt)
    with pytest.raises(PhotoError, match=r"damaged or truncated|not an image"):
        load_photo(data[: len(data) // 3])


def test_formats_other_than_profile_photos_are_not_tried(astronaut: Image.Image) -> None:
    with pytest.raises(PhotoError, match="not an image of a supported format"):
        load_photo(to_bytes(astronaut.resize((64, 64)), "TIFF"))


def test_a_real_bomb_is_refused_before_decoding() -> None:
    bomb = io.BytesIO()
    Image.new("L", (15_000, 15_000)).save(bomb, "PNG")  # 225 Mpx in a few hundred kB
    assert len(bomb.getvalue()) < MAX_PHOTO_BYTES
    with pytest.raises(PhotoError, match="decompression bomb"):
        load_photo(bomb.getvalue())


def test_oversized_file_is_not_read_whole(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "big.jpg"
    path.write_bytes(b"\xff" * (MAX_PHOTO_BYTES + 10))
    with pytest.raises(PhotoError, match="more than the limit"):
        read_photo_file(path)
    with pytest.raises(PhotoError, match="cannot read"):
        read_photo_file(Path(str(tmp_path)) / "missing.jpg")
