"""Open a member data export (ZIP archive or folder) defensively and read its files in memory, within limits.

Exports come from staff but may have been tampered with, so the archive is hostile input: zip bombs
(declared or real sizes too large, extreme compression ratios), path traversal or absolute names,
symlinks, encrypted or corrupt members, truncated archives and files that are not ZIPs at all are
rejected with an `ExportError` that says why. Nothing is ever extracted to disk.
"""

from __future__ import annotations

import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

_CHUNK = 1 << 16


class ExportError(Exception):
    """The whole export is rejected (zip bomb, traversal, symlink, truncated or corrupt archive...); says why."""


@dataclass(frozen=True)
class ArchiveLimits:
    """Bounds on what one export may make us read; the defaults fit real exports with a wide margin."""

    max_members: int = 5_000
    max_member_bytes: int = 256 * 1024 * 1024
    max_total_bytes: int = 1024 * 1024 * 1024
    max_ratio: float = 200.0
    """Largest uncompressed/compressed ratio of a member (CSV compresses ~5-20x; bombs ~1000x)."""
    ratio_floor_bytes: int = 1024 * 1024
    """Members smaller than this are not ratio-checked (a tiny file of spaces compresses very well)."""
    max_field_bytes: int = 1024 * 1024
    """Largest CSV field accepted; a row with a bigger field is quarantined."""


@dataclass
class ExportArchive:
    """The files of one export, by their path inside it, read lazily within `limits`."""

    source: str
    names: tuple[str, ...]
    limits: ArchiveLimits
    _zip: zipfile.ZipFile | None = None
    _root: Path | None = None
    _read_total: int = field(default=0)

    def read(self, name: str) -> bytes:
        """The bytes of one member, counting towards the total limit; raises ExportError when a limit is passed."""
        if name not in self.names:
            raise KeyError(name)
        budget = min(self.limits.max_member_bytes, self.limits.max_total_bytes - self._read_total)
        try:
            data = self._read_zip(name, budget) if self._zip is not None else self._read_file(name, budget)
        except ExportError as why:
            raise ExportError(f"{self.source}: {why}") from why.__cause__
        self._read_total += len(data)
        return data

    def _read_zip(self, name: str, budget: int) -> bytes:
        assert self._zip is not None
        info = self._zip.getinfo(name)
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as member:
                while True:
                    chunk = member.read(_CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    # Declared sizes can lie: count what actually comes out of the decompressor.
                    if size > budget:
                        raise ExportError(f"{name}: decompresses beyond the size limit ({budget} bytes): zip bomb?")
                    if size > self.limits.ratio_floor_bytes and size > self.limits.max_ratio * max(
                        info.compress_size, 1
                    ):
                        raise ExportError(f"{name}: compression ratio above {self.limits.max_ratio:g}: zip bomb?")
                    chunks.append(chunk)
        except ExportError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError) as why:
            raise ExportError(f"{name}: corrupt or truncated member ({why})") from why
        return b"".join(chunks)

    def _read_file(self, name: str, budget: int) -> bytes:
        assert self._root is not None
        path = self._root / name
        try:
            with path.open("rb") as handle:
                data = handle.read(budget + 1)
        except OSError as why:
            raise ExportError(f"{name}: cannot be read ({why.strerror or why})") from why
        if len(data) > budget:
            raise ExportError(f"{name}: larger than the size limit ({budget} bytes)")
        return data

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def __enter__(self) -> ExportArchive:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _unsafe_name(name: str) -> str | None:
    """Why a member name is unsafe (would escape an extraction folder), or None."""
    if not name or "\x00" in name:
        return "empty or NUL in name"
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "absolute path"
    parts = name.replace("\\", "/").split("/")
    if ".." in parts:
        return "path traversal ('..')"
    return None


def open_export(path: Path, limits: ArchiveLimits | None = None) -> ExportArchive:
    """Open a ZIP export or an export folder; raises ExportError if it cannot be trusted or read."""
    limits = limits or ArchiveLimits()
    if path.is_symlink():
        raise ExportError(f"{path}: is a symbolic link; pass the export itself")
    if path.is_dir():
        return _open_folder(path, limits)
    if not path.exists():
        raise ExportError(f"{path}: no such file or folder")
    return _open_zip(path, limits)


def _open_zip(path: Path, limits: ArchiveLimits) -> ExportArchive:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as why:
        raise ExportError(f"{path}: not a ZIP archive or truncated ({why})") from why
    except (OSError, ValueError, EOFError, NotImplementedError, OverflowError) as why:
        raise ExportError(f"{path}: cannot be opened as a ZIP archive ({why})") from why
    try:
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            raise ExportError(f"{path}: {len(infos)} members, more than the limit of {limits.max_members}")
        names: list[str] = []
        declared = 0
        for info in infos:
            problem = _unsafe_name(info.filename)
            if problem:
                raise ExportError(f"{path}: unsafe member name {info.filename!r}: {problem}")
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise ExportError(f"{path}: member {info.filename!r} is a symbolic link")
            if info.is_dir():
                continue
            if info.flag_bits & 0x1:
                raise ExportError(f"{path}: member {info.filename!r} is encrypted")
            if info.file_size > limits.max_member_bytes:
                raise ExportError(
                    f"{path}: member {info.filename!r} declares {info.file_size} bytes, "
                    f"more than the limit of {limits.max_member_bytes}: zip bomb?"
                )
            if info.file_size > limits.ratio_floor_bytes and info.file_size > limits.max_ratio * max(
                info.compress_size, 1
            ):
                raise ExportError(
                    f"{path}: member {info.filename!r} declares a compression ratio above "
                    f"{limits.max_ratio:g}: zip bomb?"
                )
            declared += info.file_size
            names.append(info.filename)
        if declared > limits.max_total_bytes:
            raise ExportError(
                f"{path}: members declare {declared} bytes in all, more than the limit of {limits.max_total_bytes}"
            )
        if len(set(names)) != len(names):
            raise ExportError(f"{path}: the same member name appears twice")
        _check_overlaps(path, infos)
    except BaseException:
        archive.close()
        raise
    return ExportArchive(source=str(path), names=tuple(names), limits=limits, _zip=archive)


def _check_overlaps(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Reject members whose data overlap (the 'non-recursive' zip bomb shares one compressed kernel)."""
    spans = sorted((info.header_offset, info.compress_size) for info in infos if not info.is_dir())
    end = -1
    for offset, size in spans:
        if offset < end:
            raise ExportError(f"{path}: members overlap inside the archive: zip bomb?")
        end = offset + 30 + size  # 30 bytes: the smallest local file header


def _open_folder(root: Path, limits: ArchiveLimits) -> ExportArchive:
    names: list[str] = []
    declared = 0
    for entry in sorted(root.rglob("*")):
        relative = entry.relative_to(root).as_posix()
        if entry.is_symlink():
            raise ExportError(f"{root}: {relative!r} is a symbolic link")
        if not entry.is_file():
            continue
        if len(names) >= limits.max_members:
            raise ExportError(f"{root}: more than {limits.max_members} files")
        size = entry.stat().st_size
        if size > limits.max_member_bytes:
            raise ExportError(f"{root}: {relative!r} has {size} bytes, over the limit of {limits.max_member_bytes}")
        declared += size
        names.append(str(PurePosixPath(relative)))
    if declared > limits.max_total_bytes:
        raise ExportError(f"{root}: files hold {declared} bytes in all, over the limit of {limits.max_total_bytes}")
    return ExportArchive(source=str(root), names=tuple(names), limits=limits, _root=root)
