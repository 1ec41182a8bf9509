"""The check page takes the sender's photo: its measured eye positions show, a bad file is refused in plain words."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from web.conftest import XSS, csrf_of

skimage_data = pytest.importorskip("skimage.data")


def test_check_page_measures_an_uploaded_photo_and_refuses_a_bad_one(make_app: object) -> None:
    from PIL import Image

    from tests.photo.conftest import ASTRONAUT_EYES, aligned, to_bytes

    face = aligned(Image.fromarray(skimage_data.astronaut()).convert("RGB"), ASTRONAUT_EYES, 512)
    app = make_app(public_check=True)  # type: ignore[operator]
    with TestClient(app, follow_redirects=False) as client:
        token = csrf_of(client)
        good = client.post("/check", data={"csrf_token": token, "headline": XSS},
                           files={"photo": ("face.jpg", to_bytes(face, "JPEG", quality=90), "image/jpeg")})
        bad = client.post("/check", data={"csrf_token": token},
                          files={"photo": (f"{XSS}.png", b"<svg onload=alert(1)>", "image/png")})
        nothing = client.post("/check", data={"csrf_token": token}, files={"photo": ("", b"", "image/jpeg")})
    assert good.status_code == 200
    assert "Eyes at the fixed positions of a GAN-generated portrait" in good.text
    assert "eyes measured at (0.3" in good.text
    assert "<script>alert" not in good.text
    assert bad.status_code == 422 and "The photo cannot be used: not an image" in bad.text
    assert "<svg onload" not in bad.text and "<script>alert" not in bad.text
    assert nothing.status_code == 422 and "choose the sender" in nothing.text


def test_a_signed_in_users_photo_is_kept_and_named_when_it_comes_back(make_app: object) -> None:
    from PIL import Image, ImageOps

    from falsefriends.api.users import Role
    from falsefriends.photo.seen import load_sightings
    from tests.photo.conftest import to_bytes
    from web.conftest import log_in

    face = Image.fromarray(skimage_data.astronaut()).convert("RGB")
    first = to_bytes(face, "JPEG", quality=90)
    again = to_bytes(ImageOps.mirror(face).resize((320, 320)), "JPEG", quality=70)
    app = make_app(public_check=True)  # type: ignore[operator]
    with TestClient(app, follow_redirects=False) as client:
        token = csrf_of(client)
        public = client.post("/check", data={"csrf_token": token, "url": "https://www.linkedin.com/in/anon-1"},
                             files={"photo": ("a.jpg", first, "image/jpeg")})
        assert public.status_code == 200, public.text
        assert load_sightings(app.state.engine) == []  # anonymous: compared, not kept
        token = log_in(client, Role.ANALYST)
        kept = client.post("/check", data={"csrf_token": token, "url": "https://www.linkedin.com/in/jana-luo-1"},
                           files={"photo": ("a.jpg", first, "image/jpeg")})
        later = client.post("/check", data={"csrf_token": token, "url": "https://www.linkedin.com/in/mia-chen-2"},
                            files={"photo": ("b.jpg", again, "image/jpeg")})
    assert kept.status_code == 200 and "also used by" not in kept.text
    assert later.status_code == 200 and "This photo is also used by 1 other account" in later.text
    assert "linkedin.com/in/jana-luo-1 (photo checked on " in later.text
    assert sorted(s.source for s in load_sightings(app.state.engine)) == ["web", "web"]
