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
