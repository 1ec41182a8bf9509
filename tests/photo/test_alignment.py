"""Eye positions against the FFHQ/StyleGAN aligned positions, on the one real face photo reachable offline.

What these tests can show: a genuine portrait warped so that its eyes (annotated independently, see conftest) sit
at the canonical positions is measured there; the same photo cropped other ways is not. They cannot show the
detection rate on real GAN output (none can be downloaded here): docs/photos.md states the limits.
"""

from __future__ import annotations

import random

import pytest
from PIL import Image, ImageEnhance, ImageOps

from falsefriends.photo.alignment import measure_alignment
from tests.photo.conftest import ASTRONAUT_EYES, aligned


@pytest.mark.parametrize("size", [256, 512, 1024])
def test_a_face_aligned_like_ffhq_is_measured_at_the_canonical_positions(astronaut: Image.Image, size: int) -> None:
    found = measure_alignment(aligned(astronaut, ASTRONAUT_EYES, size))
    assert found.left_eye is not None and found.offset is not None
    assert found.aligned, found.describe()
    assert "0.375" in found.describe() and "within" in found.describe()


def test_the_original_photo_is_not_aligned(astronaut: Image.Image) -> None:
    found = measure_alignment(astronaut)
    assert found.left_eye is not None and not found.aligned and found.offset is not None and found.offset > 0.2


def test_other_crops_of_the_same_face_are_not_aligned(astronaut: Image.Image) -> None:
    rng = random.Random(3)
    flagged = measured = 0
    for _ in range(12):
        # the eyes anywhere else in the square: shifted and scaled away from the canonical geometry
        dx, dy = rng.choice([-1, 1]) * rng.uniform(0.06, 0.15), rng.choice([-1, 1]) * rng.uniform(0.06, 0.15)
        spread = rng.uniform(0.12, 0.18)
        left = (0.5 - spread + dx, 0.475 + dy)
        right = (0.5 + spread + dx, 0.475 + dy)
        found = measure_alignment(aligned(astronaut, ASTRONAUT_EYES, 512, left, right))
        measured += found.offset is not None
        flagged += found.aligned
    assert measured >= 8 and flagged == 0


def test_no_face_and_not_square_are_said(others: list[Image.Image], astronaut: Image.Image) -> None:
    assert "no frontal face" in measure_alignment(others[0]).describe()
    wide = measure_alignment(aligned(astronaut, ASTRONAUT_EYES, 512).crop((0, 0, 512, 300)))
    assert not wide.aligned


@pytest.mark.parametrize("change", ["darker", "lighter", "warmer", "cooler", "grey", "low contrast"])
def test_colour_and_brightness_do_not_move_the_eyes(astronaut: Image.Image, change: str) -> None:
    """Fairness: the measurement reads geometry only; a face's colour or tone does not change it materially."""
    face = aligned(astronaut, ASTRONAUT_EYES, 512)
    red, green, blue = face.split()
    changed = {
        "darker": ImageEnhance.Brightness(face).enhance(0.55),
        "lighter": ImageEnhance.Brightness(face).enhance(1.35),
        "warmer": Image.merge("RGB", (red.point(lambda v: min(255, int(v * 1.2))), green,
                                      blue.point(lambda v: int(v * 0.8)))),
        "cooler": Image.merge("RGB", (red.point(lambda v: int(v * 0.8)), green,
                                      blue.point(lambda v: min(255, int(v * 1.2))))),
        "grey": ImageOps.grayscale(face).convert("RGB"),
        "low contrast": ImageEnhance.Contrast(face).enhance(0.6),
    }[change]
    before, after = measure_alignment(face), measure_alignment(changed)
    assert before.offset is not None and after.offset is not None
    assert abs(before.offset - after.offset) <= 0.01
    assert before.aligned == after.aligned
