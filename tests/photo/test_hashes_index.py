"""Fingerprints survive resizing, recompression, mirroring and small crops; unrelated pictures stay apart; the
multi-index search gives exactly the brute-force answer."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageOps

from falsefriends.photo.hashes import compare, fingerprint, parse_fingerprint
from falsefriends.photo.index import HammingIndex, PhotoIndex, brute_force_within


def _jpeg(image: Image.Image, quality: int) -> Image.Image:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return Image.open(io.BytesIO(out.getvalue())).convert("RGB")


def _crop(image: Image.Image, share: float) -> Image.Image:
    dx, dy = round(image.width * share), round(image.height * share)
    return image.crop((dx, dy, image.width - dx, image.height - dy))


TRANSFORMS = {
    "half size": lambda im: im.resize((im.width // 2, im.height // 2)),
    "thumbnail 160 + JPEG 50": lambda im: _jpeg(im.resize((160, 160)), 50),
    "JPEG 30": lambda im: _jpeg(im, 30),
    "mirror": ImageOps.mirror,
    "mirror + JPEG 60": lambda im: _jpeg(ImageOps.mirror(im), 60),
    "crop 5% a side": lambda im: _crop(im, 0.05),
    "crop 10% a side + resize": lambda im: _crop(im, 0.10).resize((300, 300)),
    "crop 2% a side + mirror": lambda im: ImageOps.mirror(_crop(im, 0.02)),
    "grey": lambda im: ImageOps.grayscale(im).convert("RGB"),
}


@pytest.mark.parametrize("name", sorted(TRANSFORMS))
def test_a_transformed_photo_is_the_same_photo(astronaut: Image.Image, others: list[Image.Image], name: str) -> None:
    for picture in [astronaut, *others[:4]]:
        original = fingerprint(picture)
        changed = fingerprint(TRANSFORMS[name](picture))
        assert compare(original, changed) is not None, name
        assert compare(changed, original) is not None, name


def test_unrelated_pictures_are_not_the_same_photo(astronaut: Image.Image, others: list[Image.Image]) -> None:
    prints = [fingerprint(p) for p in [astronaut, *others]]
    for i, a in enumerate(prints):
        for b in prints[i + 1:]:
            assert compare(a, b) is None


def test_text_form_round_trips_and_a_bare_phash_matches(astronaut: Image.Image) -> None:
    original = fingerprint(astronaut)
    assert len(original.hex()) == 128 and parse_fingerprint(original.hex()) == original
    bare = parse_fingerprint(original.hex()[:16])
    found = compare(fingerprint(_jpeg(astronaut, 40)), bare)
    assert found is not None and found.dhash_bits is None
    with pytest.raises(ValueError, match="hexadecimal"):
        parse_fingerprint("not-a-hash")


@pytest.mark.parametrize("size", [20_000, 500, 0])
def test_multi_index_search_equals_brute_force(size: int) -> None:
    rng = np.random.default_rng(5)
    hashes = rng.integers(0, 2**63, size=size, dtype=np.uint64) * np.uint64(2) + \
        rng.integers(0, 2, size=size, dtype=np.uint64)
    index = HammingIndex(hashes)
    assert bool(index._order) == (size >= 10_000)  # tables only where they pay
    if size == 0:
        assert len(index.within(12345, 10)) == 0
        return
    for i in range(60):
        query = int(hashes[(i * 300) % size])
        for flip in rng.choice(64, size=int(rng.integers(0, 12)), replace=False):
            query ^= 1 << int(flip)
        for radius in (0, 3, 8, 10, 12):
            assert np.array_equal(index.within(query, radius), brute_force_within(hashes, query, radius))


def test_photo_index_names_the_accounts_sharing_a_photo(astronaut: Image.Image, others: list[Image.Image]) -> None:
    index = PhotoIndex()
    index.add("persona-a", fingerprint(astronaut))
    index.add("persona-b", fingerprint(ImageOps.mirror(_jpeg(astronaut, 50))))
    index.add("persona-c", fingerprint(_crop(astronaut, 0.05)))
    for n, picture in enumerate(others):
        index.add(f"someone-{n}", fingerprint(picture))
    index.build()
    found = index.matches(fingerprint(astronaut.resize((200, 200))), exclude="persona-a")
    assert sorted(found) == ["persona-b", "persona-c"]
    assert list(index.groups()) == [("persona-a", "persona-b", "persona-c")]


def test_all_matches_gives_each_owners_matches_and_the_same_groups(astronaut: Image.Image,
                                                                   others: list[Image.Image]) -> None:
    from falsefriends.photo.index import groups_of

    prints = {"persona-a": fingerprint(astronaut), "persona-b": fingerprint(ImageOps.mirror(_jpeg(astronaut, 50))),
              "persona-c": fingerprint(_crop(astronaut, 0.05)), "someone-0-again": fingerprint(_jpeg(others[0], 60))}
    prints.update({f"someone-{n}": fingerprint(picture) for n, picture in enumerate(others)})
    index = PhotoIndex()
    for owner, print_ in prints.items():
        index.add(owner, print_)
    index.build()
    shared = index.all_matches()
    assert set(shared) == {"persona-a", "persona-b", "persona-c", "someone-0", "someone-0-again"}
    for owner, matches in shared.items():  # one query per photo gives what matches() gives for each owner
        assert matches == index.matches(prints[owner], exclude=owner)
    assert groups_of(shared) == sorted(index.groups())
    assert groups_of({}) == []
