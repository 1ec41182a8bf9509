"""Perceptual fingerprints of a photo and their comparison.

A fingerprint holds two 64-bit perceptual hashes (imagehash's pHash, a DCT hash, and dHash, a gradient hash)
of four views of the picture: the whole of it, its mirror image, and its centre 90% and 80%. Reusers mirror and
crop a stolen portrait; a crop of a few percent moves pHash by 10-24 bits, more than the tolerance, but it is
then close to a centre view of the original. Two fingerprints are the same photo when one view of one is within
`phash-max` (pHash) AND `dhash-max` (dHash) bits of the whole of the other (photo.yaml); the two hashes must
agree, which keeps unrelated portraits apart.

The text form is hex: 128 digits (the four views, pHash then dHash each), so it fits the watchlist's photo-hash
identifiers. A listed hash may also be a bare 64-bit pHash (16 digits) or pHash+dHash of the whole (32 digits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from falsefriends.photo.settings import photo_settings

if TYPE_CHECKING:
    from PIL.Image import Image

VIEWS = ("whole", "mirror", "centre90", "centre80")
_HEX = re.compile(r"^(?:0x)?(?:[0-9a-f]{16}|[0-9a-f]{32}|[0-9a-f]{128})$")


@dataclass(frozen=True, slots=True)
class View:
    """One view's hashes; `dhash` is None for a listed bare pHash."""

    name: str
    phash: int
    dhash: int | None


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """The hashes of a photo's views (VIEWS order; a listed hash may hold only the whole)."""

    views: tuple[View, ...]

    @property
    def whole(self) -> View:
        return self.views[0]

    def hex(self) -> str:
        """The text form (see the module docstring)."""
        parts = []
        for view in self.views:
            parts.append(f"{view.phash:016x}")
            if view.dhash is not None:
                parts.append(f"{view.dhash:016x}")
        return "".join(parts)


@dataclass(frozen=True, slots=True)
class Match:
    """How two fingerprints matched: the views compared and the bits apart in each hash."""

    view: str
    phash_bits: int
    dhash_bits: int | None

    def describe(self) -> str:
        how = "" if self.view == "whole" else f" ({_VIEW_WORDS[self.view]})"
        bits = f"pHash {self.phash_bits} bits" + ("" if self.dhash_bits is None else f", dHash {self.dhash_bits} bits")
        return f"{bits} apart of 64{how}"


_VIEW_WORDS = {"mirror": "mirror image", "centre90": "cropped by 5% a side", "centre80": "cropped by 10% a side"}


def is_photo_hash(text: str) -> bool:
    """Whether `text` is a fingerprint or a listed photo hash in one of the accepted hex forms."""
    return bool(_HEX.match(text.strip().lower()))


def parse_fingerprint(text: str) -> Fingerprint:
    """A fingerprint from its hex form; ValueError naming the accepted forms otherwise."""
    value = text.strip().lower().removeprefix("0x")
    if not _HEX.match(value):
        raise ValueError("a photo hash is 16 (pHash), 32 (pHash+dHash) or 128 (falsefriends fingerprint) "
                         "hexadecimal digits")
    words = [int(value[i:i + 16], 16) for i in range(0, len(value), 16)]
    if len(words) == 1:
        return Fingerprint((View("whole", words[0], None),))
    return Fingerprint(tuple(View(name, words[2 * i], words[2 * i + 1]) for i, name in enumerate(VIEWS)
                             if 2 * i + 1 < len(words)))


def grey_spread(image: Image) -> float:
    """Standard deviation of the grey levels at 64x64: near 0 for a blank avatar or a flat logo."""
    import numpy as np

    pixels = np.asarray(image.convert("L").resize((64, 64)), dtype=np.float32)
    return float(pixels.std())


def fingerprint(image: Image) -> Fingerprint:
    """The fingerprint of a decoded picture (see decode.load_photo)."""
    import imagehash
    from PIL import ImageOps

    def hashes(view: Image) -> tuple[int, int]:
        return _bits(imagehash.phash(view)), _bits(imagehash.dhash(view))

    width, height = image.size
    views = [image, ImageOps.mirror(image)]
    for share in (0.05, 0.10):
        dx, dy = round(width * share), round(height * share)
        views.append(image.crop((dx, dy, width - dx, height - dy)))
    return Fingerprint(tuple(View(name, *hashes(view)) for name, view in zip(VIEWS, views, strict=True)))


def _bits(value: Any) -> int:
    flat = value.hash.flatten()  # imagehash.ImageHash: a boolean array, first bit most significant
    out = 0
    for bit in flat:
        out = (out << 1) | int(bit)
    return out


def compare(a: Fingerprint, b: Fingerprint) -> Match | None:
    """The closest agreement of a view of one with the whole of the other, or None when they are not the same photo.

    With both hashes on both sides, both must be within their limits; against a bare listed pHash, pHash alone
    must be within the stricter `phash-only-max`.
    """
    limits = photo_settings().hashes
    best: Match | None = None
    pairs = [(view, b.whole) for view in a.views] + [(a.whole, view) for view in b.views[1:]]
    for left, right in pairs:
        p_bits = (left.phash ^ right.phash).bit_count()
        if left.dhash is None or right.dhash is None:
            if p_bits > limits.phash_only_max:
                continue
            candidate = Match(left.name if left.name != "whole" else right.name, p_bits, None)
        else:
            d_bits = (left.dhash ^ right.dhash).bit_count()
            if p_bits > limits.phash_max or d_bits > limits.dhash_max:
                continue
            candidate = Match(left.name if left.name != "whole" else right.name, p_bits, d_bits)
        if best is None or _total(candidate) < _total(best):
            best = candidate
    return best


def _total(match: Match) -> int:
    return match.phash_bits + (match.dhash_bits if match.dhash_bits is not None else match.phash_bits)
