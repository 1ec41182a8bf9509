"""P3 evidence from a profile photo: the same photo as other accounts or listed personas, eyes at GAN positions.

`analyse_photo` reads untrusted bytes once (decode, fingerprint, eye positions); `photo_evidence` turns a report into
evidence, given an index of the other accounts' photos (a workspace, a platform scan) when there is one. Both are
pure functions the check, the scan and the audit call; `PhotoProvider` plugs them into `Checker`.

Only hash reuse and geometry are read. Skin tone, apparent ethnicity or any other property of the person shown is
never measured: the hashes are of grey levels, the eye finder works on an equalised grey picture.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from falsefriends.model import Account, Evidence, Message
from falsefriends.photo.alignment import Alignment
from falsefriends.photo.hashes import Fingerprint, Match, is_photo_hash, parse_fingerprint
from falsefriends.photo.index import PhotoIndex
from falsefriends.photo.settings import photo_settings

DETECTOR = "photo"
INDICATOR = "P3"
GEOMETRY_FIELD = "photo:eyes"
"""The eye-position evidence names its own place, so a reader sees it beside the reuse evidence, not merged."""
MAX_NAMED = 5


@dataclass(frozen=True, slots=True)
class PhotoReport:
    """What one photo gave: its fingerprint (None when too plain to compare) and its eye positions."""

    fingerprint: Fingerprint | None
    alignment: Alignment | None
    plain: bool = False

    @property
    def key(self) -> str | None:
        """The fingerprint's hex text (what `Account.photo` holds once the photo is read)."""
        return self.fingerprint.hex() if self.fingerprint is not None else None


def analyse_photo(data: bytes, *, align: bool = True) -> PhotoReport:
    """Decode untrusted bytes (decode.PhotoError when they are not a usable image), hash and measure them."""
    from falsefriends.photo.alignment import measure_alignment
    from falsefriends.photo.decode import load_photo
    from falsefriends.photo.hashes import fingerprint, grey_spread

    image = load_photo(data)
    plain = grey_spread(image) < photo_settings().hashes.min_grey_std
    return PhotoReport(None if plain else fingerprint(image), measure_alignment(image) if align else None, plain)


def report_from_hash(text: str) -> PhotoReport:
    """A report from a photo hash alone (a profile's `photo` that is already a hash): reuse only, no geometry."""
    return PhotoReport(parse_fingerprint(text), None)


def photo_evidence(report: PhotoReport, *, index: PhotoIndex | None = None, owner: str | None = None,
                   labels: Mapping[str, str] | None = None) -> list[Evidence]:
    """P3 evidence for one photo: reuse among `index`'s other owners (not `owner`) and the eye geometry.

    `labels` names owners in the reason (e.g. a listed persona's name); owners default to their key.
    """
    settings = photo_settings()
    found: list[Evidence] = []
    if report.plain:
        found.append(Evidence(rule="photo-too-plain", indicator=INDICATOR, weight=0.0, detector=DETECTOR,
                              field="photo", source=settings.sources.reuse,
                              reason="The photo is nearly uniform (a blank avatar or a flat logo); such pictures are "
                                     "shared by many unrelated accounts, so it was not compared: not counted."))
    if report.fingerprint is not None and index is not None and len(index):
        matches = index.matches(report.fingerprint, exclude=owner)
        if matches:
            found.append(reuse_evidence(matches, labels))
    if report.alignment is not None:
        found.append(_geometry(report.alignment))
    return found


def reuse_evidence(matches: Mapping[str, Match], labels: Mapping[str, str] | None = None) -> Evidence:
    """The `photo-reused` evidence for the other owners whose photo is the same photo (`PhotoIndex.matches`)."""
    settings = photo_settings()
    labels = labels or {}
    owners = sorted(matches)
    count = len(owners)
    weight = settings.weights.reused_one if count < 3 else settings.weights.reused_several
    named = ", ".join(f"{labels.get(o, o)!r} ({matches[o].describe()})"
                      for o in owners[:MAX_NAMED])
    more = f" and {count - MAX_NAMED} more" if count > MAX_NAMED else ""
    accounts = "account" if count == 1 else "accounts"
    return Evidence(
        rule="photo-reused", indicator=INDICATOR, weight=weight, detector=DETECTOR, field="photo",
        source=settings.sources.reuse, excerpt=f"{count} other {accounts}",
        reason=(f"This photo is also used by {count} other {accounts}: {named}{more}. Personas reuse one picture "
                f"(often taken from a catalogue or another profile) across fake profiles."))


def _geometry(alignment: Alignment) -> Evidence:
    settings = photo_settings()
    if alignment.aligned:
        return Evidence(
            rule="photo-gan-aligned", indicator=INDICATOR, weight=settings.weights.gan_aligned, detector=DETECTOR,
            field=GEOMETRY_FIELD, source=settings.sources.gan,
            excerpt=_eyes(alignment),
            reason=(f"Eyes at the fixed positions of a GAN-generated portrait: {alignment.describe()}. Generated "
                    f"faces (StyleGAN, trained on FFHQ) keep that alignment; a genuine photo lands there only when "
                    f"cropped that way, so this is a hint, not proof."))
    return Evidence(
        rule="photo-eyes-measured", indicator=INDICATOR, weight=settings.weights.not_aligned, detector=DETECTOR,
        field=GEOMETRY_FIELD, source=settings.sources.gan, excerpt=_eyes(alignment),
        reason=f"Photo geometry: {alignment.describe()}: not counted.")


def _eyes(alignment: Alignment) -> str:
    """The measured figures in a few words (kept in the excerpt, which a reader in another language still sees)."""
    if alignment.left_eye is None or alignment.right_eye is None:
        return "no eyes measured"
    (lx, ly), (rx, ry) = alignment.left_eye, alignment.right_eye
    offset = "" if alignment.offset is None else f", {alignment.offset:.3f} from GAN positions"
    return f"eyes at ({lx:.3f}, {ly:.3f}) ({rx:.3f}, {ry:.3f}){offset}"


class PhotoProvider:
    """The photo check as an evidence provider for `Checker`.

    `reports` holds the photos already read, by fingerprint text (what `Account.photo` holds after `with_photo`);
    a profile whose `photo` is a bare hash is still compared with `index` (the other accounts' photos).
    Listed personas' photos are matched by the watchlist provider (W3), not here, so nothing counts twice.
    """

    def __init__(self, reports: Mapping[str, PhotoReport] | None = None, index: PhotoIndex | None = None,
                 labels: Mapping[str, str] | None = None) -> None:
        self.reports = dict(reports or {})
        self.index = index
        self.labels = labels

    def profile_evidence(self, account: Account) -> list[Evidence]:
        photo = (account.photo or "").strip()
        if not photo:
            return []
        report = self.reports.get(photo)
        if report is None:
            if not is_photo_hash(photo):
                return []
            report = report_from_hash(photo)
        return photo_evidence(report, index=self.index, owner=account.key or account.url, labels=self.labels)

    def message_evidence(self, message: Message) -> list[Evidence]:
        return []


def with_photo(account: Account | None, report: PhotoReport) -> Account:
    """The profile (or an empty one) carrying the photo's fingerprint as its `photo`."""
    base = account if account is not None else Account()
    return base.model_copy(update={"photo": report.key})


def index_of(photos: Sequence[tuple[str, Fingerprint]]) -> PhotoIndex:
    """An index of (owner, fingerprint) pairs, built."""
    index = PhotoIndex()
    for owner, print_ in photos:
        index.add(owner, print_)
    return index.build()


def photo_hash_of_file(path: object) -> str:
    """The fingerprint text of a photo file (decode.PhotoError, in plain words, when it cannot be used)."""
    from pathlib import Path

    from falsefriends.photo.decode import PhotoError, read_photo_file

    report = analyse_photo(read_photo_file(Path(str(path))), align=False)
    if report.key is None:
        raise PhotoError(f"photo {path} is nearly uniform (a blank avatar or a flat logo): too plain to compare")
    return report.key


@dataclass
class TablePhotos:
    """The photo evidence of a table's accounts (a platform scan, a workspace), and the rows that could not be read."""

    evidence: dict[str, list[Evidence]]
    errors: dict[str, str]
    groups: list[tuple[str, ...]]
    """Accounts sharing one photo (two or more each): the campaign links a shared photo makes."""


def read_photo_rows(rows: Iterable[tuple[str, bytes | str | None]], *, base: object = None, align: bool = True,
                    progress: Callable[[int], None] | None = None
                    ) -> tuple[dict[str, PhotoReport], dict[str, str]]:
    """Each account's photo report from a photo column: JPEG/PNG bytes, a file path (relative to `base`), or a photo
    hash; None or empty for no photo. A photo that cannot be read is reported in the second mapping, in plain words,
    never dropped silently. `progress(done)` is called every 1,000 rows."""
    from pathlib import Path

    from falsefriends.photo.decode import PhotoError, read_photo_file

    reports: dict[str, PhotoReport] = {}
    errors: dict[str, str] = {}
    for done, (owner, value) in enumerate(rows, 1):
        if progress is not None and done % 1000 == 0:
            progress(done)
        if value is None or value in (b"", ""):
            continue
        try:
            if isinstance(value, bytes | bytearray | memoryview):
                reports[owner] = analyse_photo(bytes(value), align=align)
            elif is_photo_hash(value):
                reports[owner] = report_from_hash(value)
            elif "://" in value:
                errors[owner] = "the photo is a web address; it is not downloaded"
            else:
                path = Path(value) if base is None or Path(value).is_absolute() else Path(str(base)) / value
                reports[owner] = analyse_photo(read_photo_file(path), align=align)
        except PhotoError as exc:
            errors[owner] = str(exc)
    return reports, errors


def table_photo_evidence(rows: Iterable[tuple[str, bytes | str | None]], *, base: object = None, align: bool = True,
                         progress: Callable[[int], None] | None = None) -> TablePhotos:
    """P3 evidence for every account of a table from its photo column (see `read_photo_rows`): every photo is
    compared with all the others through one index."""
    from falsefriends.photo.index import groups_of

    reports, errors = read_photo_rows(rows, base=base, align=align, progress=progress)
    index = index_of([(owner, r.fingerprint) for owner, r in reports.items() if r.fingerprint is not None])
    shared = index.all_matches()  # one query per photo, for the evidence and the groups alike
    evidence: dict[str, list[Evidence]] = {}
    for owner, report in reports.items():
        found = photo_evidence(report)  # too plain, eye geometry
        if owner in shared:
            found.insert(0, reuse_evidence(shared[owner]))  # as photo_evidence orders it
        evidence[owner] = found
    return TablePhotos(evidence, errors, groups_of(shared))


MAX_KNOWN_BYTES = 256 * 1024 * 1024
MAX_KNOWN_ROWS = 2_000_000


class KnownPhotosError(ValueError):
    """A known-photos file that cannot be used; the message says where and why."""


def read_photo_list(file: Path, columns: Sequence[str], max_bytes: int,
                    error: type[ValueError]) -> csv.DictReader[str]:
    """The rows of a photo list (a CSV with at least `columns`), read whole within `max_bytes`; `error` naming the
    file when it cannot be read, is too large, is not UTF-8 or lacks a column of its header."""
    try:
        with file.open("rb") as stream:
            raw = stream.read(max_bytes + 1)
    except OSError as exc:
        raise error(f"cannot read {file}: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise error(f"{file} is more than the limit of {max_bytes:,} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"{file} is not UTF-8 (byte {exc.start})") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None or not set(columns) <= set(reader.fieldnames):
        raise error(f"{file} needs a header with the columns {','.join(columns)} (found: "
                    f"{', '.join(reader.fieldnames or []) or 'nothing'})")
    return reader


def load_known_photos(path: object) -> tuple[PhotoIndex, dict[str, str]]:
    """An index of other accounts' photos from a CSV file with the columns `account,photo` (a photo hash, or a
    file path relative to the CSV), and the rows whose photo could not be read (account -> reason).

    This is how `check --known-photos` says "the same photo as N other accounts": a platform's photo hashes, or an
    analyst's collection of a campaign's pictures. Bounded: at most MAX_KNOWN_BYTES and MAX_KNOWN_ROWS rows.
    """
    file = Path(str(path))
    reader = read_photo_list(file, ("account", "photo"), MAX_KNOWN_BYTES, KnownPhotosError)
    rows: list[tuple[str, str | None]] = []
    for line, row in enumerate(reader, start=2):
        if len(rows) >= MAX_KNOWN_ROWS:
            raise KnownPhotosError(f"{file} has more than {MAX_KNOWN_ROWS:,} rows")
        account = (row.get("account") or "").strip()
        if not account:
            raise KnownPhotosError(f"{file}:{line}: the account is empty")
        rows.append((account, (row.get("photo") or "").strip() or None))
    reports, errors = read_photo_rows(rows, base=file.parent, align=False)
    index = index_of([(owner, r.fingerprint) for owner, r in reports.items() if r.fingerprint is not None])
    return index, errors
