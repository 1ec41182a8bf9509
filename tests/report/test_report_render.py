"""report.html in a real browser at two widths, and report.pdf printed by Chromium and read back page by page.

The page is measured (nothing overflows, no short word broken across lines), its first screen must be the
summary, and the PDF's pages are read with pypdf: the summary on page one, then the detail, all opened.
Screenshots and the PDF go to test-artifacts/report/ for a person to look at.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web.layout import WIDTHS, layout_problems

from falsefriends.audit.records import Findings
from falsefriends.report.html import render_html
from falsefriends.report.pdf import chromium_path
from falsefriends.report.write import write_reports

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "report"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def chromium() -> str:
    found = chromium_path()
    if found is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return found


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (the test extra)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        yield launched
        launched.close()


def _busy(findings: Findings) -> Findings:
    """The hostile findings with many flagged accounts and notices: the report a director actually gets."""
    accounts = [findings.accounts[n % len(findings.accounts)].model_copy(
        update={"account": f"https://www.linkedin.com/in/p{n}", "name": f"Persona {n} Beratungsgesellschaft"})
        for n in range(30)]
    staff = [findings.staff[n % len(findings.staff)].model_copy(update={"staff_id": f"S{n}"}) for n in range(40)]
    return findings.model_copy(update={"accounts": [*findings.accounts, *accounts], "staff": staff})


@pytest.mark.parametrize("width", sorted(WIDTHS.values()))
def test_report_layout_holds_and_opens_on_the_summary(browser: Any, hostile_findings: Findings, width: int,
                                                      tmp_path: Path) -> None:
    page_file = tmp_path / "report.html"
    page_file.write_text(render_html(_busy(hostile_findings)), encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(page_file.as_uri())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"report-{width}.png"), full_page=True)
    assert layout_problems(page) == []
    for details in page.locator("details").all():  # the detail too, opened
        details.evaluate("d => d.open = true")
    assert layout_problems(page) == []
    summary = page.locator("#summary").bounding_box()
    assert summary is not None and summary["y"] < 300, "the summary opens the page"
    page.evaluate("window.scrollTo(0, 0)")
    assert problems == []
    page.close()


def test_the_screen_report_is_short_and_the_detail_is_one_click_away(browser: Any, hostile_findings: Findings,
                                                                      tmp_path: Path) -> None:
    busy = _busy(hostile_findings)
    heights = {}
    for name, printable in (("screen", False), ("all-open", True)):
        page_file = tmp_path / f"{name}.html"
        page_file.write_text(render_html(busy, printable=printable), encoding="utf-8")
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(page_file.as_uri())
        heights[name] = page.evaluate("document.documentElement.scrollHeight")
        page.close()
    assert heights["screen"] < heights["all-open"] / 2, heights


def test_pdf_is_printed_from_the_report_and_reads_back(chromium: str, hostile_findings: Findings,
                                                       tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf", reason="pip install pypdf (the test extra)")
    written = write_reports(_busy(hostile_findings), tmp_path, language="fr", pdf=True)
    pdf = tmp_path / "report.pdf"
    assert pdf in written and pdf.read_bytes().startswith(b"%PDF-")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "report.pdf").write_bytes(pdf.read_bytes())
    reader = pypdf.PdfReader(str(pdf))
    # NFKC: the PDF's text has the font's ligatures ("ﬁ", "ﬃ")
    pages = [" ".join(unicodedata.normalize("NFKC", p.extract_text() or "").split()) for p in reader.pages]
    assert len(pages) >= 3
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595) < 3 and abs(float(box.height) - 842) < 3  # A4 portrait
    assert "Summary for management" in pages[0] and "What to do now" in pages[0]
    assert "Headline figures" not in pages[0] and "Contents" not in pages[0]  # the summary has its own page
    text = " ".join(pages)
    assert "Persona 29 Beratungsgesellschaft" in text  # collapsed accounts are opened for print
    assert "officier de sécurité" in text  # advice in the report's language
    assert "<script>" in text  # hostile names printed as text
