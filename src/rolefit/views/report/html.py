"""The report as one self-contained HTML page: its styles inline, nothing fetched from
anywhere (no scripts, fonts or images), readable on a phone and printable on A4 and
Letter, with an inline SVG picture of the fits.

Every string is escaped: control characters are made visible as in the terminal
(`errors.printable`), then `html.escape` turns `<`, `>`, `&` and quotes into
entities, so a role named `<script>` is shown as text.
"""

from __future__ import annotations

import html
import re

from rolefit import __version__
from rolefit.errors import printable
from rolefit.views.report.blocks import Block, Chart, Code, Items, Paragraph, Report, Section, Subheading, Table

#: Each page of the report starts a printed page; headings stay with what follows them,
#: and rows, list items and the picture are not split between pages. Tables are as wide
#: as the page and wrap their text, so nothing is cut off on A4 or Letter.
STYLE = """
:root { color-scheme: light; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1b1b1b; background: #fff; margin: 0; padding: 1rem; }
main { max-width: 46rem; margin: 0 auto; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.2em 0 0.3em; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #2e7d32; padding-bottom: 0.15em; margin: 1.6em 0 0.6em; }
h3 { font-size: 1.05rem; margin: 1.2em 0 0.4em; }
h4 { font-size: 1rem; margin: 0.9em 0 0.3em; color: #444; }
.about { color: #555; margin: 0; }
.verdict { font-size: 1.15rem; font-weight: 600; background: #eef7ee; border-left: 4px solid #2e7d32;
  padding: 0.6em 0.8em; }
.warning { color: #8a4b00; }
li { margin: 0.35em 0; }
.detail { display: block; color: #555; font-size: 0.9em; }
ul.checks { list-style: none; padding-left: 0.2em; }
.box { margin-right: 0.45em; }
.wide { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0 1em; }
th, td { border: 1px solid #c8c8c8; padding: 0.35em 0.5em; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
thead th { background: #f1f1f1; }
td.number { text-align: right; white-space: nowrap; }
caption { text-align: left; color: #555; font-size: 0.9em; padding-bottom: 0.3em; }
figure { margin: 1em 0; }
figure svg { width: 100%; max-width: 42rem; height: auto; }
pre { background: #f4f4f4; padding: 0.6em 0.8em; white-space: pre-wrap; overflow-wrap: anywhere; }
footer { max-width: 46rem; margin: 2rem auto 0; color: #666; font-size: 0.85em; }
@media (max-width: 32rem) {
  body { padding: 0.6rem; font-size: 15px; }
  th, td { padding: 0.25em 0.35em; }
}
@page { margin: 14mm 14mm; }
@media print {
  body { padding: 0; font-size: 9.5pt; line-height: 1.4; color: #000; }
  h1 { font-size: 16pt; }
  h2 { font-size: 12.5pt; margin: 1.1em 0 0.5em; }
  .verdict { font-size: 11pt; }
  li { margin: 0.2em 0; }
  table { font-size: 0.92em; }
  th, td { padding: 0.25em 0.4em; }
  main, footer { max-width: none; }
  .page + .page { break-before: page; }
  h1, h2, h3, h4 { break-after: avoid; }
  tr, li, figure, .verdict, pre, .wide { break-inside: avoid; }
  thead { display: table-header-group; }
  .wide { overflow: visible; }
  figure svg { max-width: 26rem; }
}
"""

#: A colour for each role's bars, in the order the fits come (best first); dark enough
#: to read as text on white.
COLOURS = ("#2e7d32", "#1565c0", "#6a1b9a", "#c62828", "#ef6c00", "#00838f", "#4e342e", "#37474f")


#: Noncharacters (U+FDD0 to U+FDEF, and the last two of every plane), which HTML does not
#: allow in a document: shown as U+FFFD.
_NONCHARACTERS = re.compile(
    "[\ufdd0-\ufdef"
    + "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000))
    + "]"
)


def escape(value: str) -> str:
    return html.escape(_NONCHARACTERS.sub("\ufffd", printable(value)), quote=True)


def page(report: Report) -> str:
    """The whole HTML document."""
    title = escape(report.title)
    about = "".join(f'<p class="about">{escape(line)}</p>\n' for line in report.about)
    pages = "".join(
        '<div class="page">\n' + "".join(_section(s, f"s{p}-{i}") for i, s in enumerate(sections)) + "</div>\n"
        for p, sections in enumerate(report.pages)
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}: rolefit report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"<header>\n<h1>{title}</h1>\n{about}</header>\n{pages}</main>\n"
        f"<footer><p>Made by rolefit {escape(__version__)}.</p></footer>\n</body>\n</html>\n"
    )


def _section(section: Section, anchor: str) -> str:
    body = "".join(_block(block, f"{anchor}-{i}") for i, block in enumerate(section.blocks))
    return f"<section>\n<h2>{escape(section.title)}</h2>\n{body}</section>\n"


def _block(block: Block, anchor: str) -> str:
    if isinstance(block, Paragraph):
        kind = f' class="{block.kind}"' if block.kind else ""
        return f"<p{kind}>{escape(block.text)}</p>\n"
    if isinstance(block, Subheading):
        return f"<h{block.level}>{escape(block.text)}</h{block.level}>\n"
    if isinstance(block, Items):
        return _items(block)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Chart):
        return _chart(block, anchor)
    assert isinstance(block, Code)
    return f"<pre><code>{escape(block.text)}</code></pre>\n"


def _items(block: Items) -> str:
    tag = "ol" if block.kind == "numbers" else "ul"
    attributes = ' class="checks"' if block.kind == "checks" else ""
    box = '<span class="box" aria-hidden="true">☐</span>' if block.kind == "checks" else ""
    lines = []
    for item in block.items:
        detail = f'<span class="detail">{escape(item.detail)}</span>' if item.detail else ""
        lines.append(f"<li>{box}{escape(item.text)}{detail}</li>\n")
    return f"<{tag}{attributes}>\n{''.join(lines)}</{tag}>\n"


def _table(table: Table) -> str:
    header = "".join(f'<th scope="col">{escape(h)}</th>' for h in table.header)
    rows = []
    cell = '<td class="number">{}</td>' if table.numbers else "<td>{}</td>"
    for first, *rest in table.rows:
        cells = "".join(cell.format(escape(c)) for c in rest)
        rows.append(f'<tr><th scope="row">{escape(first)}</th>{cells}</tr>\n')
    return (
        f'<div class="wide"><table>\n<caption>{escape(table.caption)}</caption>\n'
        f"<thead><tr>{header}</tr></thead>\n<tbody>\n{''.join(rows)}</tbody>\n</table></div>\n"
    )


def _chart(chart: Chart, anchor: str) -> str:
    """A bar for each role on each dimension, labelled with its name and value, with the
    same numbers in words (`<desc>`) for screen readers; the table after it has them too."""
    roles = chart.roles
    labels = [name for name, _ in roles[0].fits] if roles else []
    left, scale, bar, gap = 180, 400, 12, 3
    legend = 20 * len(roles) + 8
    group = len(roles) * (bar + gap) + 20
    height = legend + group * len(labels) + 4
    parts = [
        f'<figure><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 {height}" role="img"'
        f' aria-labelledby="{anchor}-title {anchor}-desc" font-family="sans-serif" font-size="13">',
        f'<title id="{anchor}-title">{escape(chart.title)}</title>',
        f'<desc id="{anchor}-desc">{escape(_in_words(chart))}</desc>',
    ]
    for i, role in enumerate(roles):
        colour, y = COLOURS[i % len(COLOURS)], 4 + 20 * i
        said = role.name + (" (recommended)" if role.recommended else "") + (" (ruled out)" if role.ruled_out else "")
        parts.append(f'<rect x="0" y="{y}" width="14" height="14" fill="{colour}"/>')
        parts.append(f'<text x="20" y="{y + 12}">{escape(said)}</text>')
    for row, label in enumerate(labels):
        top = legend + group * row
        parts.append(f'<text x="0" y="{top + 14}" font-weight="bold">{escape(label)}</text>')
        for i, role in enumerate(roles):
            value = role.fits[row][1]
            y = top + 19 + i * (bar + gap)
            parts.append(f'<rect x="{left}" y="{y}" width="{scale}" height="{bar}" fill="#eeeeee"/>')
            if value is not None:
                width = round(scale * value / 100, 1)
                colour = COLOURS[i % len(COLOURS)]
                parts.append(f'<rect x="{left}" y="{y}" width="{width}" height="{bar}" fill="{colour}"/>')
            shown = "not known" if value is None else f"{value:.0f}"
            parts.append(f'<text x="{left + scale + 8}" y="{y + 11}">{escape(shown)}</text>')
            parts.append(f'<text x="{left - 8}" y="{y + 11}" text-anchor="end" fill="#555">{escape(role.name)}</text>')
    parts.append(f"</svg><figcaption>{escape(chart.title)}</figcaption></figure>\n")
    return "\n".join(parts)


def _in_words(chart: Chart) -> str:
    return "; ".join(
        f"{role.name}: "
        + ", ".join(f"{name} {'not known' if value is None else f'{value:.0f}'}" for name, value in role.fits)
        for role in chart.roles
    )
