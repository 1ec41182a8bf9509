"""Measurement: how far common changes move the photo hashes, and how close different pictures come.

    .venv/bin/python benchmarks/photo_hashes.py [--portraits 400]

Pictures: the 15 of scikit-image's data (astronaut, coffee, chelsea, camera, rocket, a motorcycle, coins, page,
moon, grass, brick, horse, text, cell, retina; the `test` extra), and `--portraits` generated portraits
(falsefriends.photo.synthetic). For each change, the bits of pHash and dHash (of 64) between the whole picture
before and after, as min-max over the pictures, and the share the fingerprint comparison (all views, photo.yaml's
limits) calls the same photo. Then the closest pairs of different pictures, and the number of different pairs the
comparison calls the same photo (false matches), for both sets; and how many of 300 re-uploads of generated
portraits (mirrored or not, cropped up to 4% a side, resized, JPEG 60-92) are found. Last, the CPU time to read
one photo (decode and fingerprint; with the eye positions), one core.
"""

from __future__ import annotations

import argparse
import io
import itertools

from PIL import Image, ImageOps

from falsefriends.photo.hashes import compare, fingerprint


def _jpeg(image: Image.Image, quality: int) -> Image.Image:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return Image.open(io.BytesIO(out.getvalue())).convert("RGB")


def _crop(image: Image.Image, share: float) -> Image.Image:
    dx, dy = round(image.width * share), round(image.height * share)
    return image.crop((dx, dy, image.width - dx, image.height - dy))


CHANGES = {
    "half size": lambda im: im.resize((im.width // 2, im.height // 2)),
    "JPEG quality 30": lambda im: _jpeg(im, 30),
    "160 px thumbnail, JPEG 50": lambda im: _jpeg(im.resize((160, 160)), 50),
    "grey": lambda im: ImageOps.grayscale(im).convert("RGB"),
    "mirror": ImageOps.mirror,
    "crop 5% a side": lambda im: _crop(im, 0.05),
    "crop 10% a side": lambda im: _crop(im, 0.10),
    "crop 8% on the left only": lambda im: im.crop((round(im.width * 0.08), 0, im.width, im.height)),
    "mirror + crop 2% a side": lambda im: ImageOps.mirror(_crop(im, 0.02)),
    "mirror + crop 3% a side": lambda im: ImageOps.mirror(_crop(im, 0.03)),
}


def _pictures() -> list[Image.Image]:
    from skimage import data

    names = ("astronaut", "coffee", "chelsea", "camera", "rocket", "coins", "page", "moon", "grass", "brick",
             "horse", "text", "cell", "retina")
    pictures = [Image.fromarray(getattr(data, n)()).convert("RGB") for n in names]
    pictures.append(Image.fromarray(data.stereo_motorcycle()[0]).convert("RGB"))
    return pictures


def _whole_bits(a: Image.Image, b: Image.Image) -> tuple[int, int]:
    fa, fb = fingerprint(a).whole, fingerprint(b).whole
    assert fa.dhash is not None and fb.dhash is not None
    return (fa.phash ^ fb.phash).bit_count(), (fa.dhash ^ fb.dhash).bit_count()


def main() -> None:
    from falsefriends.photo.synthetic import portrait

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portraits", type=int, default=400)
    args = parser.parse_args()
    pictures = _pictures()
    prints = [fingerprint(p) for p in pictures]
    print(f"{len(pictures)} pictures of scikit-image's data")
    print("| change | pHash bits (min-max) | dHash bits (min-max) | same photo |")
    print("|---|---|---|---|")
    for name, change in CHANGES.items():
        changed = [change(p) for p in pictures]
        bits = [_whole_bits(p, c) for p, c in zip(pictures, changed, strict=True)]
        same = sum(compare(f, fingerprint(c)) is not None for f, c in zip(prints, changed, strict=True))
        print(f"| {name} | {min(b[0] for b in bits)}-{max(b[0] for b in bits)} | "
              f"{min(b[1] for b in bits)}-{max(b[1] for b in bits)} | {same}/{len(pictures)} |")
    for label, group in (("scikit-image pictures", prints),
                         (f"{args.portraits} generated portraits", [fingerprint(portrait(s))
                                                                    for s in range(args.portraits)])):
        pairs = list(itertools.combinations(group, 2))
        closest = min((a.whole.phash ^ b.whole.phash).bit_count() for a, b in pairs)
        false = sum(compare(a, b) is not None for a, b in pairs)
        print(f"{label}: {len(pairs):,} different pairs; lowest pHash distance of wholes {closest} bits; "
              f"called the same photo: {false}")
    from falsefriends.photo.synthetic import reused

    uploads = min(args.portraits, 300)
    found = sum(compare(fingerprint(portrait(s)), fingerprint(reused(portrait(s), s + 7))) is not None
                for s in range(uploads))
    print(f"re-uploads of generated portraits (photo.synthetic.reused) called the same photo: {found}/{uploads}")

    import time

    from falsefriends.photo.evidence import analyse_photo
    from falsefriends.photo.synthetic import photo_bytes

    for label, sample in (("96 px generated portraits (JPEG)", [photo_bytes(portrait(s)) for s in range(200)]),
                          ("512 px photographs (JPEG 90)", [_encoded(p) for p in pictures])):
        for align in (False, True):
            start = time.process_time()
            for data in sample:
                analyse_photo(data, align=align)
            spent = (time.process_time() - start) / len(sample) * 1000
            what = "decode + fingerprint + eyes" if align else "decode + fingerprint"
            print(f"{label}: {what}: {spent:.1f} ms CPU a photo ({len(sample)} photos)")


def _encoded(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    picture.resize((512, 512)).save(out, "JPEG", quality=90)
    return out.getvalue()


if __name__ == "__main__":
    main()
