"""The HTML report in a real browser: headless Chromium draws it, prints it and reads its DOM.

Debian's `chromium` package; `.ci/run` installs it when it is missing. Without it
(no apt-get, no network) these tests are skipped, and say so; in CI they fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from rolefit.cli.commands import app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# In CI (which installs Chromium) a missing browser fails these tests rather than skip them.
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="Chromium is not installed (.ci/run installs it)"
)

#: The built-in result: the group motivator, in California, on a pinned day.
ARGS = ["quiz", "--code", "career:1-1-3-3-1-3-3-1-1-2-1-1", "--region", "US-CA"]
PINNED = {"SOURCE_DATE_EPOCH": "1796083200"}
#: Printed pages of that result, as measured with Debian's chromium 156 and the fonts it
#: brings: the result, the plan (both sides of two options, each downside with its source,
#: then the steps and pay) and the record (with the guide's account of itself) each start
#: a page, and the plan and the record run over two pages each.
PAGES = {"A4": 6, "Letter": 6}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "result.html"
    result = CliRunner().invoke(app, [*ARGS, "--report", str(path)], env=PINNED)
    assert result.exit_code == 0, result.stderr
    return path


def _chromium(page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None, "Chromium is not installed: .ci/run installs Debian's chromium package"
    profile = page.parent / "profile"
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}", *args]
    return subprocess.run([*command, page.as_uri()], capture_output=True, text=True, timeout=120, check=True)


@pytest.mark.parametrize(("width", "height"), [(1000, 1400), (390, 844)])
def test_the_page_is_drawn_not_blank(report: Path, width: int, height: int) -> None:
    shot = report.parent / f"shot-{width}.png"
    _chromium(report, "--hide-scrollbars", f"--window-size={width},{height}", f"--screenshot={shot}")
    with Image.open(shot) as image:
        assert image.size == (width, height)
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
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


@pytest.mark.parametrize("size", sorted(PAGES))
def test_it_prints_on_the_expected_pages(report: Path, size: str) -> None:
    sized = report.with_name(f"result-{size}.html")
    sized.write_text(report.read_text().replace("@page {", f"@page {{ size: {size};", 1))
    pdf = report.parent / f"result-{size}.pdf"
    _chromium(sized, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)) == PAGES[size]
