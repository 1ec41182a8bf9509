"""Layout checks run in the browser: nothing overflows its container, no short word is broken across lines.

`layout_problems(page)` measures the rendered page with JavaScript (bounding boxes, scroll sizes, one
Range per word, each chart label's box against its chart) rather than trusting that a screenshot exists:
"MEDIU M" in a badge, "Scor e" in a table header, a label clipped by its card or its chart, or a rule pattern
running out of its box are each reported with the element and the words.
"""

from __future__ import annotations

from typing import Any

MEASURE = r"""
() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  const scrolls = (style) => ['auto', 'scroll'].includes(style.overflowX);
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    let scroller = el.parentElement;
    while (scroller && !scrolls(getComputedStyle(scroller))) scroller = scroller.parentElement;
    if (!scroller && box.right > width + 1)
      problems.push(`${name(el)} runs ${Math.round(box.right - width)} px past the page`);
    if (style.display !== 'inline' && !scrolls(style) && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1
        && el.tagName.toLowerCase() !== 'svg')
      problems.push(`${name(el)} content is ${el.scrollWidth - el.clientWidth} px wider than its box`);
  }
  const labels = '.badge, th, button, h1, h2, h3, label, .card .n, .card .l, nav a, dt, .figure';
  for (const el of document.querySelectorAll(labels)) {
    const style = getComputedStyle(el);
    if (style.display === 'none') continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /[^\s\-\u2010]+/g;  // a break after a hyphen is a line break, not a broken word
      let m;
      while ((m = re.exec(node.data)) !== null) {
        // a long token (URL, id, an adversary's payload in a name) may break where it must; a heading at 390 px
        // holds about 16 characters of its large type
        if (m[0].length > (/^H[1-3]$/.test(el.tagName) ? 16 : 24)) continue;
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) problems.push(`${name(el)}: "${m[0]}" is broken across ${lines.size} lines`);
      }
    }
  }
  for (const svg of document.querySelectorAll('svg[viewBox]')) {
    const view = svg.viewBox.baseVal;
    if (!view || !view.width || getComputedStyle(svg).display === 'none') continue;
    for (const text of svg.querySelectorAll('text')) {
      const box = text.getBBox();
      if (box.x < view.x - 1 || box.x + box.width > view.x + view.width + 1)
        problems.push(`svg text "${text.textContent.slice(0, 30)}" is cut by its chart's edge`);
    }
  }
  return problems;
}
"""


def layout_problems(page: Any) -> list[str]:
    """What overflows or is broken mid-word on the page as rendered now (empty when the layout holds)."""
    found: list[str] = page.evaluate(MEASURE)
    return found


WIDTHS = {"desktop": 1280, "phone": 390}
"""The widths every page is checked at: a laptop screen and a phone."""
