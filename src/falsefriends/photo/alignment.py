"""Where the eyes of a portrait sit, compared with the fixed positions of GAN-generated (FFHQ/StyleGAN) faces.

StyleGAN was trained on FFHQ, whose faces were all cropped by one procedure (Karras et al. 2019; NVlabs/ffhq-dataset,
`recreate_aligned_images`), so the faces it generates keep that geometry: eyes at about (0.375, 0.475) and
(0.625, 0.475) of the square picture (the derivation is in photo.yaml). LinkedIn's detector of GAN-generated
profile photos exploits this regularity. A genuine photo lands there only when it happens to be cropped that way.

The eyes are located with OpenCV's Haar cascades (frontal face, then eyes in its upper part), whose trained
XML files ship inside the opencv-python-headless wheel: nothing is downloaded. The grey picture is histogram-
equalised first, so the measurement depends on the picture's geometry, not on its brightness or colour (tested).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from falsefriends.photo.settings import photo_settings

if TYPE_CHECKING:
    from PIL.Image import Image

DETECT_SIDE = 512
"""Eyes are searched at most at this size (then measured in the picture's own fractions)."""
FACE_SIDE = 256
"""Faces are searched at most at this size (a profile photo's face is large; this is most of the time saved)."""


@dataclass(frozen=True, slots=True)
class Alignment:
    """What was measured: the picture's size, the eyes (fractions of width and height), and the verdict.

    `offset` is the larger distance of the two eyes from their canonical positions, as a fraction of the side;
    `aligned` is True when it is within the tolerance of photo.yaml. `note` says why nothing was scored.
    """

    width: int
    height: int
    left_eye: tuple[float, float] | None = None
    right_eye: tuple[float, float] | None = None
    offset: float | None = None
    aligned: bool = False
    note: str = ""

    def describe(self) -> str:
        if self.left_eye is None or self.right_eye is None:
            return self.note
        spec = photo_settings().alignment
        where = (f"eyes measured at ({self.left_eye[0]:.3f}, {self.left_eye[1]:.3f}) and ({self.right_eye[0]:.3f}, "
                 f"{self.right_eye[1]:.3f}) of the {self.width}x{self.height} picture")
        canonical = (f"the fixed positions of a GAN-generated (StyleGAN/FFHQ-aligned) portrait are "
                     f"({spec.left_eye[0]:.3f}, {spec.left_eye[1]:.3f}) and ({spec.right_eye[0]:.3f}, "
                     f"{spec.right_eye[1]:.3f})")
        if self.offset is None:
            return f"{where}; {self.note}"
        verdict = "within" if self.aligned else "outside"
        return f"{where}; {canonical}: {self.offset:.3f} away, {verdict} the tolerance of {spec.tolerance:.3f}"


@cache
def _cascades() -> tuple[Any, Any]:
    import cv2

    base = cv2.data.haarcascades  # type: ignore[attr-defined]
    face = cv2.CascadeClassifier(base + "haarcascade_frontalface_default.xml")
    eye = cv2.CascadeClassifier(base + "haarcascade_eye.xml")
    if face.empty() or eye.empty():
        raise RuntimeError(f"OpenCV's Haar cascades are missing from {base}")
    return face, eye


def locate_eyes(image: Image) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The centres of the two eyes (in pixels of `image`, image-left first) of its largest frontal face, or None.

    The face is searched on a copy at most FACE_SIDE pixels a side, for faces of at least a sixth of the side (a
    profile photo's face is large); the eyes on the face's upper part at up to DETECT_SIDE pixels a side.
    """
    import cv2
    import numpy as np

    scale = min(1.0, DETECT_SIDE / max(image.size))
    grey_image = image.convert("L")
    if scale < 1.0:
        grey_image = grey_image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))))
    grey = cv2.equalizeHist(np.asarray(grey_image, dtype=np.uint8))
    shrink = min(1.0, FACE_SIDE / max(grey.shape))
    face_grey = grey if shrink == 1.0 else cv2.resize(grey, (max(1, round(grey.shape[1] * shrink)),
                                                              max(1, round(grey.shape[0] * shrink))),
                                                      interpolation=cv2.INTER_AREA)
    face_finder, eye_finder = _cascades()
    smallest = max(24, min(face_grey.shape) // 6)
    faces = face_finder.detectMultiScale(face_grey, scaleFactor=1.1, minNeighbors=5, minSize=(smallest, smallest))
    if len(faces) == 0:
        return None
    fx, fy, fw, fh = max((tuple(int(v) for v in f) for f in faces), key=lambda f: f[2] * f[3])
    x, y, w, h = (round(v / shrink) for v in (fx, fy, fw, fh))
    band = grey[y:y + (h * 6) // 10, x:x + w]  # the eyes are in the upper part of the face box
    eyes = eye_finder.detectMultiScale(band, scaleFactor=1.05, minNeighbors=3, minSize=(max(8, w // 10),) * 2,
                                       maxSize=(w // 2, w // 2))
    centres = [(x + ex + ew / 2, y + ey + eh / 2) for ex, ey, ew, eh in (tuple(int(v) for v in e) for e in eyes)]
    left = [c for c in centres if c[0] < x + w / 2]
    right = [c for c in centres if c[0] >= x + w / 2]
    if not left or not right:
        return None
    # the detections nearest the face's horizontal axis of symmetry at eye height are the eyes (not eyebrows)
    expected_y = y + 0.38 * h
    best_left = min(left, key=lambda c: abs(c[1] - expected_y))
    best_right = min(right, key=lambda c: abs(c[1] - expected_y))
    return ((best_left[0] / scale, best_left[1] / scale), (best_right[0] / scale, best_right[1] / scale))


def measure_alignment(image: Image) -> Alignment:
    """The eyes of `image` against the canonical positions (see the module docstring)."""
    spec = photo_settings().alignment
    width, height = image.size
    eyes = locate_eyes(image)
    if eyes is None:
        return Alignment(width, height, note="no frontal face with two eyes was found, so the eye positions "
                                             "were not measured")
    (lx, ly), (rx, ry) = eyes
    left, right = (lx / width, ly / height), (rx / width, ry / height)
    if max(width, height) / min(width, height) > spec.max_aspect:
        return Alignment(width, height, left, right, note=f"the picture is not square ({width}x{height}), as "
                                                          f"GAN portraits are, so the positions were not scored")
    offset = max(math.dist(left, spec.left_eye), math.dist(right, spec.right_eye))
    return Alignment(width, height, left, right, round(offset, 4), offset <= spec.tolerance)
