"""The HTML report in a real browser: headless Chromium draws it, prints it and reads its DOM.

Debian's `chromium` package; `.ci/run` installs it when it is missing. Without it
(no apt-get, no network) these tests are skipped, and say so; in CI they fail. The printed
pages are read with `pdftotext` (Debian's `poppler-utils`, which `.ci/run` installs too),
under the same rule.

A phone is a 390 px wide frame: Chromium's headless window is never narrower than 500 px
(a `--window-size=390,...` screenshot is the left of a 500 px page), so the report is drawn
in an `<iframe>` of that width, whose own viewport its styles see. The measurements run in a
small script of the test's, outside the report, which stays script-free.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from PIL import Image
from typer.testing import CliRunner

from rolefit.cli.commands import app
from rolefit.views.report.html import STYLE
from tests.conftest import REPORTED

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT = shutil.which("pdftotext")
# In CI (which installs Chromium) a missing browser fails these tests rather than skip them.
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="Chromium is not installed (.ci/run installs it)"
)
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None and not os.environ.get("CI"), reason="pdftotext is not installed (.ci/run installs poppler-utils)"
)

#: The built-in result: the group motivator, in California, on a pinned day.
ARGS = ["quiz", "--code", "career:1-1-3-3-1-3-3-1-1-2-1-1", "--region", "US-CA"]
PINNED = {"SOURCE_DATE_EPOCH": "1796601600"}
#: Printed pages of that result, as measured with Debian's chromium 156 and the fonts it
#: brings: the report flows from page to page (no part starts a new one).
PAGES = {"A4": 5, "Letter": 6}
SIZES = ("A4", "Letter")
PHONE = 390


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("report")


def _written(folder: Path, name: str, args: tuple[str, ...] | list[str]) -> Path:
    path = folder / f"{name}.html"
    if not path.exists():
        result = CliRunner().invoke(app, [*args, "--report", str(path)], env=PINNED)
        assert result.exit_code == 0, result.stderr
    return path


@pytest.fixture(scope="module")
def report(folder: Path) -> Path:
    return _written(folder, "result", ARGS)


def _chromium(page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None, "Chromium is not installed: .ci/run installs Debian's chromium package"
    profile = page.parent / "profile"
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}", *args]
    return subprocess.run([*command, page.as_uri()], capture_output=True, text=True, timeout=120, check=True)


def _framed(report: Path, width: int, script: str = "") -> Path:
    """A page that shows `report` in a frame `width` px wide (and tall enough for all of it),
    with `script` run in the parent once the frame has loaded: `frame` is its window."""
    page = report.with_name(f"{report.stem}-{width}-{len(script)}.html")
    ran = f"<script>document.querySelector('iframe').onload = () => {{ const frame = frames[0]; {script} }};</script>"
    page.write_text(
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><style>html, body { margin: 0 }"
        f" iframe {{ display: block; border: 0; width: {width}px; height: 6000px }}</style></head><body>"
        f'<iframe srcdoc="{html.escape(report.read_text(encoding="utf-8"), quote=True)}"></iframe>'
        f"{ran if script else ''}</body></html>\n",
        encoding="utf-8",
    )
    return page


def _measured(report: Path, width: int, script: str) -> Any:
    """What `script` (the body of a function of `frame`, the report's window) returns, as JSON,
    for the report drawn `width` px wide."""
    wrapped = f"const found = (() => {{ {script} }})(); document.body.dataset.found = JSON.stringify(found);"
    dom = _chromium(_framed(report, width, wrapped), "--window-size=1000,800", "--dump-dom").stdout
    found = re.search(r'<body data-found="([^"]*)"', dom)
    assert found is not None, dom[-2000:]
    return json.loads(html.unescape(found.group(1)))


@pytest.mark.parametrize(("width", "height"), [(1000, 1400), (PHONE, 844)])
def test_the_page_is_drawn_not_blank(report: Path, width: int, height: int) -> None:
    shot = report.parent / f"shot-{width}.png"
    _chromium(
        _framed(report, width), "--hide-scrollbars", f"--window-size={max(width, 500)},{height}", f"--screenshot={shot}"
    )
    with Image.open(shot) as image:
        colours = image.convert("RGB").crop((0, 0, width, height)).getcolors(maxcolors=1_000_000) or []
    assert len(colours) > 50  # text, bars and shading, not one flat colour
    assert any(c == (0x2E, 0x7D, 0x32) for _, c in colours)  # the verdict's green rule or a bar
    white = max(n for n, c in colours if c == (255, 255, 255))
    assert white < 0.97 * width * height


def test_the_verdict_is_in_the_dom(report: Path) -> None:
    dom = _chromium(report, "--dump-dom").stdout
    document = json.loads(CliRunner().invoke(app, [*ARGS, "--json"]).stdout)
    summary = document["verdict"]["summary"]
    assert re.search(r'<p class="verdict">' + re.escape(summary) + "</p>", dom)
    assert "<h2>Next steps</h2>" in dom and "California: median $57,990 a year" in dom


class Line(NamedTuple):
    top: float
    bottom: float
    text: str


class Page(NamedTuple):
    height: float
    lines: list[Line]


def _printed(folder: Path, name: str, args: tuple[str, ...] | list[str], size: str) -> Path:
    report = _written(folder, name, args)
    sized = report.with_name(f"{name}-{size}.html")
    sized.write_text(report.read_text(encoding="utf-8").replace("@page {", f"@page {{ size: {size};", 1))
    pdf = sized.with_suffix(".pdf")
    if not pdf.exists():
        _chromium(sized, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    assert pdf.read_bytes().startswith(b"%PDF-")
    return pdf


def _pages(pdf: Path) -> list[Page]:
    """Each printed page's height and lines of text (in points, from the page's top), as
    pdftotext reads them: its words, in the order it reads them."""
    assert PDFTOTEXT is not None, "pdftotext is not installed: .ci/run installs Debian's poppler-utils package"
    boxes = subprocess.run(
        [PDFTOTEXT, "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    pages = []
    for page in re.finditer(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', boxes, re.S):
        lines = [
            Line(float(top), float(bottom), " ".join(html.unescape(w) for w in re.findall(r">([^<]*)</word>", words)))
            for top, bottom, words in re.findall(
                r'<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</line>', page.group(2), re.S
            )
        ]
        pages.append(Page(float(page.group(1)), lines))
    return pages


def _fullness(page: Page) -> float:
    """How full a printed page is: the share of its printable height (inside the `@page`
    margins) from the top down to the bottom of its lowest line of text."""
    top, bottom = _margins()
    return (max(line.bottom for line in page.lines) - top) / (page.height - top - bottom)


def _margins() -> tuple[float, float]:
    """The top and bottom margins of a printed page, in points, from the report's `@page` rule."""
    found = re.search(r"@page \{ margin: ([\d.]+)mm", STYLE)
    assert found is not None
    return (float(found.group(1)) * 72 / 25.4,) * 2


@pytest.mark.parametrize("size", SIZES)
def test_it_prints_on_the_expected_pages(folder: Path, size: str) -> None:
    data = _printed(folder, "result", ARGS, size).read_bytes()
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)) == PAGES[size]


@needs_pdftotext
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", REPORTED)
def test_every_printed_page_is_a_third_full_or_more(folder: Path, name: str, size: str) -> None:
    """No printed page holds only a few lines: each is at least a third full, the last too.

    A page's fullness is the share of its printable height, inside the `@page` margins, from
    its top down to the bottom of its lowest line of text (`_fullness`). It counts what the
    eye sees, a page that ends early, whatever the font size, where a count of lines would
    weigh a page of small source lines more than one of headings and tables. No part of the
    report forces a new page, and its last lines are kept together (`html._END`), so that
    the last page is not a remainder of a line or two either."""
    pages = _pages(_printed(folder, name, ("quiz", *REPORTED[name]), size))
    fullness = [round(_fullness(page), 2) for page in pages]
    assert len(pages) >= 2 and min(fullness) >= 1 / 3, fullness


def _source_lines(report: Path) -> list[str]:
    """Each list item's text and its source line (its detail), as written in the report."""
    found = []
    for item in re.findall(r"<li>(.*?)</li>", report.read_text(encoding="utf-8"), re.S):
        item = re.sub(r'<span class="box"[^>]*>.*?</span>', "", item)
        text, _, detail = item.partition('<span class="detail">')
        found += [html.unescape(re.sub(r"<[^>]+>", "", part)).strip() for part in (text, detail) if part]
    return [line for line in found if line]


def _unbroken(line: str) -> re.Pattern[str]:
    """`line` as it may be set in lines: a break only between words, or after a hyphen or dash
    in a word (as typesetting allows), or anywhere in a web address (which may be longer than
    a line)."""
    words = []
    for word in line.split():
        if "://" in word or word.lower().startswith("www."):
            words.append(r"\s*".join(map(re.escape, word)))
        else:
            words.append(r"\s*".join(map(re.escape, re.split(r"(?<=[-–—])(?=.)", word))))
    return re.compile(r"\s+".join(words))


@needs_pdftotext
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", ["group-motivator-in-california", "detail-coach-in-texas", "rehab-client-in-the-uk"])
def test_printed_lines_break_between_words(folder: Path, name: str, size: str) -> None:
    """Every list item and source line of the report is in the printed text whole: each of its
    words on one line, or broken only after a hyphen or dash of its own."""
    pdf = _printed(folder, name, ("quiz", *REPORTED[name]), size)
    printed = " ".join(line.text for page in _pages(pdf) for line in page.lines)
    lines = _source_lines(_written(folder, name, ("quiz", *REPORTED[name])))
    assert len(lines) > 40
    missing = [line for line in lines if not _unbroken(line).search(printed)]
    assert missing == []


#: In the report's window: each word of its text that is set on more than one line, but
#: for a break after a hyphen or dash in it, and a web address wider than its line.
SPLIT_WORDS = r"""
const doc = frame.document, split = [];
const walker = doc.createTreeWalker(doc.querySelector('main'), NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  for (const word of node.data.matchAll(/[^\s-–—]+[-–—]*/g)) {
    const range = doc.createRange();
    range.setStart(node, word.index);
    range.setEnd(node, word.index + word[0].length);
    const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    const wide = range.getBoundingClientRect().width > node.parentElement.clientWidth;
    if (tops.size > 1 && !(wide && /^(https?:|www\.)/i.test(word[0]))) split.push(word[0]);
  }
}
"""


@pytest.mark.parametrize("name", ["group-motivator-in-california", "rehab-client-in-the-uk"])
def test_on_a_phone_nothing_is_cut_off_and_words_stay_whole(folder: Path, name: str) -> None:
    """At 390 px: the page does not scroll sideways; a box that scrolls (a wide table) shows
    a shadow on the side with more; nothing is clipped; no word is split between lines."""
    script = (
        SPLIT_WORDS
        + r"""
const boxes = [...doc.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1);
return {
  width: frame.innerWidth,
  scrolls: doc.documentElement.scrollWidth > frame.innerWidth,
  boxes: boxes.map(e => ({
    tag: e.tagName, cls: e.className, overflow: frame.getComputedStyle(e).overflowX,
    images: frame.getComputedStyle(e).backgroundImage, attachments: frame.getComputedStyle(e).backgroundAttachment,
  })),
  split,
};
"""
    )
    found = _measured(_written(folder, name, ("quiz", *REPORTED[name])), PHONE, script)
    assert found["width"] == PHONE and not found["scrolls"]
    # The table of fits, seven columns, is wider than a phone: it scrolls in its box, with a cue.
    assert found["boxes"], "nothing is wider than a phone: nothing here checks the cue"
    for box in found["boxes"]:
        assert box["overflow"] in ("auto", "scroll"), box  # scrolls, never clipped (hidden) or spilt
        assert box["cls"] == "wide" and box["images"].count("radial-gradient") == 2, box  # a shadow at each side
        assert box["attachments"] == "local, local, scroll, scroll", box  # shown only where there is more
    assert found["split"] == []


@pytest.mark.parametrize("name", ["group-motivator-in-california", "career-mix", "hiring-mix-in-australia"])
def test_the_charts_words_are_twelve_pixels_or_more_on_a_phone(folder: Path, name: str) -> None:
    """The effective size of every piece of text in the chart, at 390 px: its font size times
    how much it is scaled (an SVG's user units, by its screen transform; a CSS transform)."""
    script = r"""
const doc = frame.document, sizes = [];
for (const element of doc.querySelectorAll('figure, figure *')) {
  const own = [...element.childNodes].some(n => n.nodeType === 3 && n.data.trim());
  if (!own || element.getClientRects().length === 0) continue;  // not drawn: hidden, an SVG's <title>
  let scale = element.getScreenCTM ? element.getScreenCTM().a : 1;  // an SVG's user units, in CSS px
  for (let e = element; e; e = e.parentElement) {
    const transform = frame.getComputedStyle(e).transform;
    if (transform !== 'none') scale *= new frame.DOMMatrix(transform).a;
  }
  sizes.push([element.textContent.trim().slice(0, 40), parseFloat(frame.getComputedStyle(element).fontSize) * scale]);
}
return sizes;
"""
    sizes = _measured(_written(folder, name, ("quiz", *REPORTED[name])), PHONE, script)
    assert len(sizes) > 20  # the legend, each dimension, each role's name and value, the caption
    assert [(text, size) for text, size in sizes if size < 12] == []
