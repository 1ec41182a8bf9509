"""An optional on-disk cache of what the package derives from its own data at start-up.

Compiling the bundled rule packs (parsing, validating and self-testing every rule), listing the pinyin
syllables (a walk over pypinyin's 40,000-character dictionary) and dequantising the sentence encoder's
weights take a second or more together, and give the same result every time for the same installation.
Their results are kept here, so `falsefriends check` starts in a fraction of that.

- Where: `$FALSEFRIENDS_CACHE_DIR`, else `$XDG_CACHE_HOME/falsefriends`, else `~/.cache/falsefriends`.
  `FALSEFRIENDS_CACHE=off` turns the cache off.
- Keyed: every entry's key is a SHA-256 over the package version and everything the result depends on
  (the bundled files' bytes, the source of the code that derives it, the versions of the libraries it
  uses). A different key is a miss; the entry is then rebuilt and written under its new key.
- Verified: a JSON entry carries the SHA-256 of its payload, an array entry the SHA-256 of each array
  file (checked on a sample of the file for a memory-mapped array, see `read_arrays`); an entry that
  does not verify is a miss (and is rebuilt).
- Optional: a read-only or missing home, a full disk or any other error only means building in memory.
  Nothing is ever unpickled: entries are JSON and numpy `.npy` files read with `allow_pickle=False`.

Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

FORMAT = 1
MMAP_BYTES = 1 << 20
"""Arrays at least this large are memory-mapped when read back."""
KEEP = 3
"""Entries of one name kept on disk (the newest), so versions and edits do not pile up."""


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is off."""
    if os.environ.get("FALSEFRIENDS_CACHE", "").strip().lower() in ("off", "0", "false", "no"):
        return None
    given = os.environ.get("FALSEFRIENDS_CACHE_DIR", "").strip()
    if given:
        return Path(given)
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if xdg:
        return Path(xdg) / "falsefriends"
    try:
        return Path.home() / ".cache" / "falsefriends"
    except (RuntimeError, KeyError):  # no home directory
        return None


def package_version() -> str:
    try:
        from importlib.metadata import version

        return version("falsefriends")
    except Exception:  # pragma: no cover - running from a source tree that is not installed
        return "unknown"


def library_version(name: str) -> str:
    """The installed version of a distribution, or '' when it is not installed."""
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:
        return ""


def make_key(*parts: str | bytes) -> str:
    """A key over the package version and `parts` (texts, file contents, versions)."""
    digest = hashlib.sha256()
    for part in (f"falsefriends {package_version()} cache {FORMAT}", *parts):
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def file_parts(paths: Iterable[Path | str]) -> list[bytes]:
    """Each file's name and bytes, to put in a key (a missing file counts as empty)."""
    parts: list[bytes] = []
    for path in paths:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError:
            data = b""
        parts.extend((path.name.encode("utf-8"), data))
    return parts


def _entry_path(root: Path, name: str, key: str, suffix: str) -> Path:
    return root / f"{name}-{key[:32]}{suffix}"


def _prune(root: Path, name: str, keep: Path) -> None:
    """Keep the newest `KEEP` entries of `name` (and `keep` in any case)."""
    try:
        others = sorted((p for p in root.glob(f"{name}-*") if p != keep),
                        key=lambda p: p.stat().st_mtime, reverse=True)
        for old in others[KEEP - 1:]:
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def read_json(name: str, key: str) -> Any | None:
    """The payload stored under `name` and `key`, or None (off, missing, another key, corrupt)."""
    root = cache_dir()
    if root is None:
        return None
    path = _entry_path(root, name, key, ".json")
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        head, _, body = raw.partition(b"\n")
        header = json.loads(head)
        if (header.get("format") != FORMAT or header.get("name") != name or header.get("key") != key
                or header.get("sha256") != hashlib.sha256(body).hexdigest()):
            return None
        return json.loads(body)
    except (ValueError, AttributeError):
        return None


def write_json(name: str, key: str, payload: Any) -> bool:
    """Store `payload` (JSON data) under `name` and `key`; False when it could not be written."""
    root = cache_dir()
    if root is None:
        return False
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    header = json.dumps({"format": FORMAT, "name": name, "key": key,
                         "sha256": hashlib.sha256(body).hexdigest()}).encode("utf-8")
    path = _entry_path(root, name, key, ".json")
    try:
        root.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=root, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(header + b"\n" + body)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    _prune(root, name, path)
    return True


def cached_json(name: str, key: str, build: Callable[[], Any]) -> Any:
    """The payload under `name` and `key`, built (and stored when possible) on a miss."""
    found = read_json(name, key)
    if found is not None:
        return found
    payload = build()
    write_json(name, key, payload)
    return payload


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


SAMPLE_BLOCKS = 16
SAMPLE_BYTES = 1 << 16


def _sampled_sha256(path: Path) -> str:
    """SHA-256 of the file's size and of 16 blocks of 64 KiB spread over it, the first and the last included.

    Checking a memory-mapped array in full would read every page of it at every start (50 ms and more for
    the encoder's 65 MB table), which mapping is there to avoid; the sample catches a truncated,
    overwritten or foreign file, and the full hash is checked with `full_check=True`.
    """
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode("ascii"))
    with path.open("rb") as handle:
        last = max(0, size - SAMPLE_BYTES)
        for i in range(SAMPLE_BLOCKS):
            handle.seek(last * i // (SAMPLE_BLOCKS - 1))
            digest.update(handle.read(SAMPLE_BYTES))
    return digest.hexdigest()


def read_arrays(name: str, key: str, mmap: bool = True, full_check: bool = False) -> dict[str, np.ndarray] | None:
    """The arrays stored under `name` and `key`, or None (off, missing, another key, damaged).

    With `mmap`, arrays of `MMAP_BYTES` or more are memory-mapped read-only (a page is read when it is
    used) and checked by a sampled SHA-256 (`_sampled_sha256`); the others are read into memory and
    checked by the SHA-256 of the whole file, as every array is with `full_check`. Shapes and dtypes
    must match the manifest.
    """
    root = cache_dir()
    if root is None:
        return None
    import numpy as np

    folder = _entry_path(root, name, key, "")
    try:
        manifest = json.loads((folder / "manifest.json").read_bytes())
        if manifest.get("format") != FORMAT or manifest.get("key") != key:
            return None
        arrays: dict[str, np.ndarray] = {}
        for array_name, meta in manifest["arrays"].items():
            path = folder / meta["file"]
            mapped = mmap and math.prod(meta["shape"]) * np.dtype(meta["dtype"]).itemsize >= MMAP_BYTES
            if mapped and not full_check:
                if _sampled_sha256(path) != meta["sample_sha256"]:
                    return None
            elif _sha256_file(path) != meta["sha256"]:
                return None
            array = np.load(path, mmap_mode="r" if mapped else None, allow_pickle=False)
            if list(array.shape) != meta["shape"] or str(array.dtype) != meta["dtype"]:
                return None
            arrays[array_name] = array
        return arrays
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_arrays(name: str, key: str, arrays: Mapping[str, np.ndarray]) -> bool:
    """Store `arrays` as uncompressed `.npy` files with a manifest; False when they could not be written."""
    root = cache_dir()
    if root is None:
        return False
    import numpy as np

    folder = _entry_path(root, name, key, "")
    try:
        root.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(dir=root, prefix=f".{name}-", suffix=".tmp"))
        try:
            manifest: dict[str, Any] = {"format": FORMAT, "name": name, "key": key, "arrays": {}}
            for index, (array_name, array) in enumerate(arrays.items()):
                file = f"{index:03d}.npy"
                np.save(temp / file, np.asarray(array), allow_pickle=False)
                manifest["arrays"][array_name] = {"file": file, "shape": list(array.shape), "dtype": str(array.dtype),
                                                  "sha256": _sha256_file(temp / file),
                                                  "sample_sha256": _sampled_sha256(temp / file)}
            (temp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
            os.replace(temp, folder)
        except BaseException:
            shutil.rmtree(temp, ignore_errors=True)
            raise
    except OSError:
        return False
    _prune(root, name, folder)
    return True
