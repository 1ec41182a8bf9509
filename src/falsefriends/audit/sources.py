"""Which exports an audit reads: ZIP files, folders of ZIPs, and unzipped export folders.

A folder is one unzipped export when a LinkedIn export file sits in it (or one level down, as when an
archive is unpacked into its own folder); otherwise each ZIP and each export-looking sub-folder in
it is one export. Symbolic links are not followed: a folder handed in by staff is not trusted to
point only inside itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

EXPORT_FILES = frozenset({"connections.csv", "invitations.csv", "messages.csv", "profile.csv", "positions.csv"})


def _has_export_file(folder: Path) -> bool:
    try:
        return any(entry.name.lower() in EXPORT_FILES and entry.is_file() and not entry.is_symlink()
                   for entry in folder.iterdir())
    except OSError:
        return False


def looks_like_export(folder: Path) -> bool:
    """An export file at the top of the folder or in one of its direct sub-folders."""
    if _has_export_file(folder):
        return True
    try:
        children = [c for c in folder.iterdir() if c.is_dir() and not c.is_symlink()]
    except OSError:
        return False
    return any(_has_export_file(child) for child in children)


def expand_sources(paths: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """The exports to read, in a stable order, and a message for each path that holds none."""
    found: list[Path] = []
    problems: list[str] = []
    for path in paths:
        if path.is_symlink():
            problems.append(f"{path}: symbolic link not followed")
        elif path.is_file():
            found.append(path)
        elif path.is_dir():
            if _has_export_file(path):
                found.append(path)
                continue
            entries = sorted((e for e in path.iterdir() if not e.is_symlink()), key=lambda e: e.name)
            zips = [e for e in entries if e.is_file() and e.suffix.lower() == ".zip"]
            folders = [e for e in entries if e.is_dir() and looks_like_export(e)]
            if zips or folders:
                found.extend([*zips, *folders])
            elif looks_like_export(path):
                found.append(path)
            else:
                problems.append(f"{path}: no ZIP file and no LinkedIn export file in this folder")
        else:
            problems.append(f"{path}: no such file or folder")
    unique = list(dict.fromkeys(found))
    return unique, problems
