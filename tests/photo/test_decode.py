"""Bad images give a PhotoError in plain words, never a crash."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
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


def _seed_files() -> list[bytes]:
    picture = Image.new("RGB", (48, 40), (120, 30, 200))
    for x in range(48):
        picture.putpixel((x, x % 40), (x * 5, 255 - x * 5, 90))
    return [to_bytes(picture, fmt) for fmt in ("PNG", "JPEG", "WEBP", "GIF", "BMP")]


_SEEDS = _seed_files()


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(_SEEDS) - 1), st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=8),
       st.integers(0, 10_000))
def test_mutated_images_give_a_picture_or_a_photo_error_never_a_crash(
        seed: int, flips: list[tuple[int, int]], cut: int) -> None:
    data = bytearray(_SEEDS[seed])
    for position, value in flips:
        data[position % len(data)] = value
    data = data[: max(1, len(data) - cut % len(data))]
    try:
        picture = load_photo(bytes(data))
    except PhotoError:
        return
    assert picture.mode == "RGB" and max(picture.size) <= 1024
