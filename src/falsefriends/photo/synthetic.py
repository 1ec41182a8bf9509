"""Generated profile photos for simulated networks and organisations: small drawn portraits, no real person.

`portrait(seed)` draws a 96x96 picture (background, shoulders, head, hair, eyes, mouth) whose shapes, sizes,
positions and colours come from the seed, so two seeds give pictures that are not the same photo. `reused(image,
seed)` is the copy a persona operator uploads again: mirrored or not, slightly cropped, resized and recompressed.
Skin and hair colours are drawn from wide ranges for every seed alike: they play no part in any check.
"""

from __future__ import annotations

import io
import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

SIDE = 96


def portrait(seed: int) -> Image:
    """A drawn portrait, different for each seed."""
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFilter

    rng = random.Random(seed)

    def colour(low: int, high: int) -> tuple[int, int, int]:
        return (rng.randint(low, high), rng.randint(low, high), rng.randint(low, high))

    # a background of smooth light and colour changes (a room, a street, a studio backdrop), as real photos have:
    # the low frequencies that perceptual hashes read differ from one photo to the next
    grid = PILImage.frombytes("RGB", (5, 5), bytes(rng.randint(0, 255) for _ in range(75)))
    image = grid.resize((SIDE, SIDE), PILImage.Resampling.BICUBIC)
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(2, 6)):  # background shapes (an office, a studio, a wall)
        x, y = rng.randint(-20, SIDE), rng.randint(-20, SIDE)
        draw.rectangle((x, y, x + rng.randint(10, 60), y + rng.randint(10, 60)), fill=colour(30, 240))
    cx = SIDE // 2 + rng.randint(-14, 14)
    cy = SIDE // 2 + rng.randint(-10, 8)
    face_w, face_h = rng.randint(22, 34), rng.randint(28, 40)
    skin = (rng.randint(60, 240), rng.randint(40, 200), rng.randint(30, 170))
    draw.ellipse((cx - 34, cy + face_h // 2, cx + 34, cy + face_h + 40), fill=colour(10, 200))  # shoulders
    draw.ellipse((cx - face_w // 2 - 3, cy - face_h // 2 - 6, cx + face_w // 2 + 3, cy + 4), fill=colour(5, 120))
    draw.ellipse((cx - face_w // 2, cy - face_h // 2, cx + face_w // 2, cy + face_h // 2), fill=skin)
    eye_dx, eye_y = face_w // 4, cy - face_h // 8
    for side in (-1, 1):
        ex = cx + side * eye_dx
        draw.ellipse((ex - 3, eye_y - 2, ex + 3, eye_y + 2), fill=(240, 240, 240))
        draw.ellipse((ex - 1, eye_y - 1, ex + 1, eye_y + 1), fill=colour(0, 90))
    draw.arc((cx - 6, cy + face_h // 5, cx + 6, cy + face_h // 5 + 6), 10, 170, fill=colour(60, 160), width=2)
    return image.filter(ImageFilter.GaussianBlur(0.6))


def reused(image: Image, seed: int) -> Image:
    """The same photo as another persona uploads it: maybe mirrored, cropped by up to 4% a side, resized, JPEG."""
    from PIL import Image as PILImage
    from PIL import ImageOps

    rng = random.Random(seed)
    copy = ImageOps.mirror(image) if rng.random() < 0.5 else image
    share = rng.uniform(0.0, 0.04)
    dx, dy = round(copy.width * share), round(copy.height * share)
    copy = copy.crop((dx, dy, copy.width - dx, copy.height - dy)).resize((rng.randint(80, 160),) * 2)
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=rng.randint(60, 92))
    return PILImage.open(io.BytesIO(out.getvalue())).convert("RGB")


def photo_bytes(image: Image) -> bytes:
    """The picture as a small JPEG (what a table's photo column holds)."""
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()
