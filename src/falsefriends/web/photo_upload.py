"""The check page's photo upload: the bytes of the uploaded file, and a checker that adds the photo check.

The request body as a whole is already capped by the service's limits (api/limits.py: the JSON ceiling, 2 MB by
default, applies to the check page); the photo is then read within photo/decode.py's own limits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
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


def photo_checker(checker: Checker, data: bytes) -> tuple[Checker, str]:
    """`checker` with the photo check for this upload, and the text to put in the profile's `photo`.

    Raises photo.decode.PhotoError (plain words) for a file that is not a usable image.
    """
    from falsefriends.check import Checker as CheckerClass
    from falsefriends.photo.evidence import PhotoProvider, analyse_photo

    report = analyse_photo(data)
    key = report.key or "uploaded-photo"
    provider = PhotoProvider(reports={key: report})
    return CheckerClass(rules=checker.rules, fusion=checker.fusion, providers=(*checker.providers, provider),
                        semantic=checker.semantic if checker.semantic is not None else False), key
