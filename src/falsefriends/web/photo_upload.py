"""The check page's photo upload: the bytes of the uploaded file, and a checker that adds the photo check.

The request body as a whole is already capped by the service's limits (api/limits.py: the JSON ceiling, 2 MB by
default, applies to the check page); the photo is then read within photo/decode.py's own limits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sqlalchemy import Engine
    from starlette.requests import Request

    from falsefriends.check import Checker


async def uploaded_photo(request: Request) -> bytes | None:
    """The bytes of the form's `photo` file, or None when no file was chosen."""
    from starlette.datastructures import UploadFile

    from falsefriends.photo.decode import MAX_PHOTO_BYTES

    form = await request.form()
    item = form.get("photo")
    if not isinstance(item, UploadFile):
        return None
    data = await item.read(MAX_PHOTO_BYTES + 1)
    return data or None


def photo_checker(checker: Checker, data: bytes, engine: Engine | None = None,
                  profile: Mapping[str, str] | None = None, record: bool = False) -> tuple[Checker, str]:
    """`checker` with the photo check for this upload, and the text to put in the profile's `photo`.

    With the service's workspace `engine`, the photo is compared with the photos checked before on other accounts
    (photo.seen: "also used by 1 other account: ... (photo checked on DATE)"); with `record` (a signed-in user:
    an anonymous public check must not be able to fill the workspace with claims), its fingerprint is kept under
    the profile's identity (`profile`: the form's fields). Raises photo.decode.PhotoError (plain words) for a file
    that is not a usable image.
    """
    from falsefriends.check import Checker as CheckerClass
    from falsefriends.photo.evidence import PhotoProvider, analyse_photo

    report = analyse_photo(data)
    key = report.key or "uploaded-photo"
    provider = PhotoProvider(reports={key: report})
    if engine is not None and report.key is not None:
        from falsefriends.model import Account
        from falsefriends.photo.seen import account_name, load_sightings, record_sighting, sightings_index

        fields = {f: v for f, v in (profile or {}).items() if f in ("name", "url", "employer", "position") and v}
        this = account_name(Account(**fields))
        earlier = [s for s in load_sightings(engine) if not this or s.account != this]
        if earlier:
            provider.index, labels = sightings_index(earlier)
            provider.labels = labels
        if record:
            record_sighting(engine, report.key, this, "web")
    return CheckerClass(rules=checker.rules, fusion=checker.fusion, providers=(*checker.providers, provider),
                        semantic=checker.semantic if checker.semantic is not None else False), key
