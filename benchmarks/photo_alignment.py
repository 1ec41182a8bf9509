"""Evaluation: how well the eye-position check separates FFHQ-aligned portraits from other crops of real faces.

    .venv/bin/python benchmarks/photo_alignment.py [--positives 60] [--negatives 300] [--near 100] [--seed 1]

No GAN-generated face can be downloaded here, and the only real face photo that ships in an installed wheel is
scikit-image's `astronaut` (Eileen Collins, NASA, public domain; needs the `test` extra). Its eye centres were
annotated independently of the detector under test, with MediaPipe's iris landmarks (tests/photo/conftest.py).

- positives: the photo warped (similarity) so that its eyes sit where FFHQ's procedure puts them for a face whose
  eye-to-mouth distance is r times the eye distance, r drawn in [0.8, 1.3] (photo.yaml), at 256, 512 or 1024
  pixels, mirrored half of the time, saved as JPEG at quality 70-95: what a StyleGAN face's geometry looks like.
- negatives: the same photo cropped as profile photos are: eye midpoint x in [0.35, 0.65], y in [0.25, 0.60],
  eye distance 0.10-0.35 of the side, a roll of up to 8 degrees. Those whose true eyes fall within the tolerance
  anyway are counted apart (a genuine photo cropped like FFHQ: the check cannot tell it from a GAN face).
- near misses: FFHQ's geometry shifted as a whole by 0.045-0.08 of the side: how sharp the tolerance is.

Printed: the detection rate on positives, the false-positive rate on negatives outside the tolerance, the share
of pictures where no face/eyes were found, and the detector's error against the annotation (fractions of the side).
The figures come from one face: they say whether the geometry is measured, not how often real GAN faces or real
profile photos are caught.
"""

from __future__ import annotations

import argparse
import io
import math
import random
import sys
from pathlib import Path

from PIL import Image, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from falsefriends.photo.alignment import measure_alignment
from falsefriends.photo.settings import photo_settings
from tests.photo.conftest import ASTRONAUT_EYES, aligned


def _jpeg(image: Image.Image, quality: int) -> Image.Image:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return Image.open(io.BytesIO(out.getvalue())).convert("RGB")


def _placed(base: Image.Image, left: tuple[float, float], right: tuple[float, float], size: int,
            mirror: bool, quality: int) -> Image.Image:
    picture = aligned(base, ASTRONAUT_EYES, size, left, right)
    return _jpeg(ImageOps.mirror(picture) if mirror else picture, quality)


def _truth(left: tuple[float, float], right: tuple[float, float], mirror: bool
           ) -> tuple[tuple[float, float], tuple[float, float]]:
    if not mirror:
        return left, right
    return (1 - right[0], right[1]), (1 - left[0], left[1])


def main() -> None:
    from skimage import data

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--positives", type=int, default=60)
    parser.add_argument("--negatives", type=int, default=300)
    parser.add_argument("--near", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    spec = photo_settings().alignment
    base = Image.fromarray(data.astronaut()).convert("RGB")
    errors: list[float] = []

    def run(left: tuple[float, float], right: tuple[float, float]) -> tuple[bool, bool]:
        mirror = rng.random() < 0.5
        picture = _placed(base, left, right, rng.choice([256, 512, 1024]), mirror, rng.randint(70, 95))
        found = measure_alignment(picture)
        if found.left_eye is None or found.right_eye is None:
            return False, False
        true_left, true_right = _truth(left, right, mirror)
        errors.append(max(math.dist(found.left_eye, true_left), math.dist(found.right_eye, true_right)))
        return True, found.aligned

    detected = found_pos = 0
    for _ in range(args.positives):
        r = rng.uniform(0.8, 1.3)
        half, eye_y = (0.125, 0.5 - 0.025 * r) if r <= 10 / 9 else (1 / (7.2 * r), 0.5 - 0.1 / 3.6)
        seen, flagged = run((0.5 - half, eye_y), (0.5 + half, eye_y))
        found_pos += seen
        detected += flagged
    outside = inside = flagged_out = flagged_in = found_neg = 0
    for _ in range(args.negatives):
        mx, my = rng.uniform(0.35, 0.65), rng.uniform(0.25, 0.60)
        half = rng.uniform(0.05, 0.175)
        roll = math.radians(rng.uniform(-8, 8))
        dx, dy = half * math.cos(roll), half * math.sin(roll)
        left, right = (mx - dx, my - dy), (mx + dx, my + dy)
        near = max(math.dist(left, spec.left_eye), math.dist(right, spec.right_eye)) <= spec.tolerance
        seen, flagged = run(left, right)
        found_neg += seen
        if near:
            inside += 1
            flagged_in += flagged
        else:
            outside += 1
            flagged_out += flagged
    near_flagged = 0
    for _ in range(args.near):
        # near misses: FFHQ's geometry shifted as a whole by 0.045-0.08 of the side in a random direction
        angle, shift = rng.uniform(0, 2 * math.pi), rng.uniform(0.045, 0.08)
        sx, sy = shift * math.cos(angle), shift * math.sin(angle)
        seen, flagged = run((spec.left_eye[0] + sx, spec.left_eye[1] + sy), (spec.right_eye[0] + sx,
                                                                             spec.right_eye[1] + sy))
        near_flagged += flagged
    errors.sort()
    print(f"tolerance {spec.tolerance} of the side; one real face (skimage astronaut), seed {args.seed}")
    print("| set | pictures | face and eyes found | flagged as GAN-aligned |")
    print("|---|---|---|---|")
    print(f"| positives (FFHQ geometry) | {args.positives} | {found_pos / args.positives:.1%} | "
          f"{detected / args.positives:.1%} |")
    print(f"| negatives, true eyes outside the tolerance | {outside} | - | {flagged_out / max(outside, 1):.1%} |")
    print(f"| negatives, true eyes inside it by chance | {inside} | - | {flagged_in / max(inside, 1):.1%} |")
    print(f"| near misses (FFHQ geometry shifted 0.045-0.08) | {args.near} | - | "
          f"{near_flagged / max(args.near, 1):.1%} |")
    print(f"negatives with face and eyes found: {found_neg / args.negatives:.1%}")
    if errors:
        print(f"detector error (larger eye, fraction of the side): median {errors[len(errors) // 2]:.4f}, "
              f"90th percentile {errors[int(len(errors) * 0.9)]:.4f}, max {errors[-1]:.4f} over {len(errors)}")


if __name__ == "__main__":
    main()
