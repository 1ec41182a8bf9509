"""report.pdf: the report's HTML printed by headless Chromium (Debian's `chromium` package).

The PDF is the same page as report.html, rendered for print (every collapsed section open, see
`render_html(printable=True)`), by a real browser engine: no second layout to drift from the first.
Chromium runs with no network access needed: the page fetches nothing (its Content-Security-Policy
allows no fetch), and it is loaded from a file in a private temporary folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM_ENV = "FALSEFRIENDS_CHROMIUM"
"""The environment variable naming the Chromium executable (default: chromium or chromium-browser on PATH)."""

TIMEOUT_S = 180


class PdfUnavailable(OSError):
    """No browser engine to print the PDF with, or it failed: the message says what to do."""


def chromium_path() -> str | None:
    """The Chromium executable to print with, or None."""
    given = os.environ.get(CHROMIUM_ENV)
    if given:
        return given if Path(given).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def html_to_pdf(html: str, target: Path) -> Path:
    """Print `html` to `target` as an A4 PDF with headless Chromium; raise PdfUnavailable when it cannot."""
    browser = chromium_path()
    if browser is None:
        raise PdfUnavailable(f"--pdf needs Chromium: install Debian's `chromium` package, or set ${CHROMIUM_ENV} "
                             "to a Chromium or Chrome executable")
    with tempfile.TemporaryDirectory(prefix="falsefriends-pdf-") as folder:
        page = Path(folder) / "report.html"
        page.write_text(html, encoding="utf-8")
        printed = Path(folder) / "report.pdf"
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                   "--disable-component-update", "--disable-sync", "--no-first-run", "--no-pdf-header-footer",
                   f"--user-data-dir={Path(folder) / 'profile'}", f"--print-to-pdf={printed}", page.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfUnavailable(f"Chromium could not print the report: {exc}") from exc
        if not printed.exists() or printed.stat().st_size == 0:
            why = done.stderr.strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
            raise PdfUnavailable(f"Chromium did not print the report: {why[0][:300]}")
        shutil.move(str(printed), str(target))
    return target
