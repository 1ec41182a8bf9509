"""Test pictures for the photo checks.

The only real face photo reachable offline is scikit-image's `astronaut` (Eileen Collins, NASA, public domain),
which ships inside the scikit-image wheel. Its eye centres, (203.5, 101.1) and (246.6, 103.5) in its 512x512
pixels, were measured with MediaPipe's iris landmarks (mediapipe 0.10.14, face mesh with refined landmarks, run once
in a separate environment): an annotation independent of the Haar cascades under test.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

skimage_data = pytest.importorskip("skimage.data")

ASTRONAUT_EYES = ((203.5, 101.1), (246.6, 103.5))


def to_bytes(image: Image.Image, fmt: str = "PNG", **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def aligned(image: Image.Image, eyes: tuple[tuple[float, float], tuple[float, float]], size: int,
            left: tuple[float, float] = (0.375, 0.475), right: tuple[float, float] = (0.625, 0.475)) -> Image.Image:
    """`image` warped by a similarity so that its eyes land at `left`/`right` (fractions) of a size x size square."""
    (lx, ly), (rx, ry) = eyes
    out_l = np.array(left) * size
    out_r = np.array(right) * size
    d_in = np.array([rx - lx, ry - ly])
    d_out = out_r - out_l
    scale = np.hypot(*d_in) / np.hypot(*d_out)
    angle = np.arctan2(d_in[1], d_in[0]) - np.arctan2(d_out[1], d_out[0])
    a, b = np.cos(angle) * scale, -np.sin(angle) * scale
    d, e = np.sin(angle) * scale, np.cos(angle) * scale
    tx = lx - (a * out_l[0] + b * out_l[1])
    ty = ly - (d * out_l[0] + e * out_l[1])
    return image.transform((size, size), Image.Transform.AFFINE, (a, b, tx, d, e, ty),
                           resample=Image.Resampling.BICUBIC)


@pytest.fixture(scope="session")
def astronaut() -> Image.Image:
    return Image.fromarray(skimage_data.astronaut()).convert("RGB")


@pytest.fixture(scope="session")
def others() -> list[Image.Image]:
    """Unrelated pictures of the same wheel (none is a portrait)."""
    names = ("coffee", "chelsea", "camera", "rocket", "coins", "moon", "brick", "horse", "text", "cell", "retina")
    return [Image.fromarray(getattr(skimage_data, n)()).convert("RGB") for n in names]
