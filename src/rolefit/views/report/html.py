"""The report as one self-contained HTML page: its styles inline, nothing fetched from
anywhere (no scripts, fonts or images), readable on a phone and printable on A4 and
Letter, with a bar chart of the fits (its bars small inline SVGs, its words text).

Every string is escaped: control characters are made visible as in the terminal
(`errors.printable`), then `html.escape` turns `<`, `>`, `&` and quotes into
entities, so a role named `<script>` is shown as text.
"""

from __future__ import annotations

import html
import re
from typing import NamedTuple

from rolefit import __version__
from rolefit.errors import printable
from rolefit.views.report.blocks import (
    Block,
    Chart,
    Code,
    Item,
    Items,
    Paragraph,
    Report,
    Section,
    Subheading,
    Table,
)

#: On a screen, the page is one column; a table too wide for a phone scrolls sideways
#: in its box, with a shadow on the side that has more (the white covers move with
#: the table and hide a shadow once its edge is reached), and the page itself never
#: does. Words wrap only between words: `overflow-wrap: break-word` breaks only a word
#: longer than its line, such as a web address.
#:
#: Printed, the report flows from page to page: no part forces a new page, so no page
#: is left with a few lines at its foot. Headings stay with what follows them; a list
#: item, a table row, the chart and the verdict are not split between pages, but lists
#: and tables are, so that no long block leaves a page half empty before it. The last
#: lines stay together (`.end`, see `_END`), so that the last page is never a line or two.
STYLE = """
:root { color-scheme: light; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1b1b1b; background: #fff; margin: 0; padding: 1rem; overflow-wrap: break-word; }
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
.split { margin-bottom: 0; }
.end > :is(ul, ol):first-child { margin-top: 0; }
.wide { overflow-x: auto; margin: 0.6em 0 1em;
  background: linear-gradient(to right, #fff 40%, rgba(255, 255, 255, 0)) left / 2rem 100% no-repeat local,
    linear-gradient(to left, #fff 40%, rgba(255, 255, 255, 0)) right / 2rem 100% no-repeat local,
    radial-gradient(farthest-side at 0 50%, rgba(0, 0, 0, 0.3), rgba(0, 0, 0, 0)) left / 0.8rem 100% no-repeat scroll,
    radial-gradient(farthest-side at 100% 50%, rgba(0, 0, 0, 0.3), rgba(0, 0, 0, 0)) right / 0.8rem 100% no-repeat
    scroll; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #c8c8c8; padding: 0.35em 0.5em; text-align: left; vertical-align: top; }
thead th { background: #f1f1f1; }
td.number { text-align: right; white-space: nowrap; }
caption { text-align: left; color: #555; font-size: 0.9em; padding-bottom: 0.3em; }
figure { margin: 1em 0; }
.chart { max-width: 42rem; font-size: 0.9em; line-height: 1.3; }
.legend { list-style: none; padding: 0; margin: 0 0 0.5em; }
.legend li { display: inline-block; margin: 0 1.2em 0.2em 0; }
.swatch { width: 0.85em; height: 0.85em; margin-right: 0.35em; vertical-align: -0.1em; }
.dimension { display: grid; grid-template-columns: 9rem 1fr; gap: 0 0.6em; padding: 0.25em 0;
  border-top: 1px solid #e4e4e4; }
.dimension > .label { font-weight: 600; }
.bars { display: grid; grid-template-columns: minmax(0, 11rem) minmax(3rem, 1fr) 2.4em; gap: 0.1em 0.5em;
  align-items: center; }
.bars .name { color: #555; }
.bars svg { display: block; width: 100%; height: 0.8em; }
.bars .value { text-align: right; white-space: nowrap; }
figcaption { color: #555; font-size: 0.9em; margin-top: 0.3em; }
pre { background: #f4f4f4; padding: 0.6em 0.8em; white-space: pre-wrap; }
footer { max-width: 46rem; margin: 2rem auto 0; color: #666; font-size: 0.85em; }
@media (max-width: 32rem) {
  body { padding: 0.6rem; font-size: 15px; }
  th, td { padding: 0.25em 0.35em; }
  .dimension { display: block; }
  .bars { grid-template-columns: minmax(0, 9rem) minmax(3rem, 1fr) 2.4em; }
}
@page { margin: 13mm 14mm; }
@media print {
  body { padding: 0; font-size: 9.5pt; line-height: 1.35; color: #000; }
  h1 { font-size: 15pt; }
  h2 { font-size: 12pt; margin: 1em 0 0.45em; }
  h3 { font-size: 10.5pt; margin: 0.9em 0 0.3em; }
  h4 { font-size: 9.5pt; margin: 0.7em 0 0.2em; }
  p { margin: 0.5em 0; }
  .verdict { font-size: 10.5pt; padding: 0.4em 0.7em; }
  ul, ol { margin: 0.4em 0; }
  li { margin: 0.15em 0; }
  table { font-size: 0.92em; }
  th, td { padding: 0.2em 0.4em; }
  main, footer { max-width: none; }
  footer { margin-top: 1em; }
  h1, h2, h3, h4, .muted { break-after: avoid; }
  li, tr, figure, .verdict, pre, .end { break-inside: avoid; }
  footer { break-before: avoid; }
  thead { display: table-header-group; }
  .wide { overflow: visible; background: none; }
  .chart { max-width: 34rem; }
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
    footer = f"<footer><p>Made by rolefit {escape(__version__)}.</p></footer>\n"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}: rolefit report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"<header>\n<h1>{title}</h1>\n{about}</header>\n{_sections(report.sections, footer)}</main>\n"
        "</body>\n</html>\n"
    )


class _Place(NamedTuple):
    """A place in the report: a section, a block in it (-1: its heading), an item in a list (else 0)."""

    section: int
    block: int
    item: int


def _sections(sections: tuple[Section, ...], footer: str) -> str:
    """The sections, their last lines kept together in one `<div class="end">` for print:
    it starts at a section, a block or a list item, closing the section it starts inside,
    and ends with the `footer`, which would otherwise be a printed page of its own when the
    box fills the last page."""
    end = _end(sections)
    parts = []
    for s, section in enumerate(sections):
        if end == (s, -1, 0):
            parts.append('<div class="end">\n')
        parts.append(f"<section>\n<h2>{escape(section.title)}</h2>\n")
        split = end.block if end is not None and end.section == s else -1
        for b, block in enumerate(section.blocks):
            if b == split and end is not None:
                first = end.item if isinstance(block, Items) else 0
                parts.append(_items(block, 0, first) if isinstance(block, Items) and first else "")
                parts.append('</section>\n<div class="end">\n')
                parts.append(_items(block, first) if isinstance(block, Items) else _block(block, f"s{s}-{b}"))
            else:
                parts.append(_block(block, f"s{s}-{b}"))
        parts.append("</section>\n" if split < 0 else "")
    return "".join(parts) + footer + ("</div>\n" if end is not None else "")


#: Printed, the report's last lines stay together (`.end`), so that its last page holds
#: at least them, never only a line or two. The count is in lines of body text (9.5pt on
#: a line of about `_LINE` characters): 27 are 45% of an A4 page (60 lines) and 48% of a
#: Letter page (56). It is an estimate, for fonts differ: off by a fifth either way, the
#: last page still holds a third of a page or more, and the page before it half or more.
_END = 27
_LINE = 105
#: Lines of body text that a part takes, margins included.
_HEADING = {2: 2.5, 3: 2.1, 4: 1.7}
_FOOTER = 2.0


def _end(sections: tuple[Section, ...]) -> _Place | None:
    """Where the report's last `_END` lines start, or None if it is shorter."""
    lines = _FOOTER
    for s in reversed(range(len(sections))):
        blocks = sections[s].blocks
        for b in reversed(range(len(blocks))):
            block = blocks[b]
            if isinstance(block, Items):
                for i in reversed(range(len(block.items))):
                    lines += _item_lines(block.items[i]) + (0.6 if i == 0 else 0)
                    if lines >= _END:
                        return _with_labels(sections, _Place(s, b, i))
            else:
                lines += _block_lines(block)
                if lines >= _END:
                    return _with_labels(sections, _Place(s, b, 0))
        lines += _HEADING[2]
        if lines >= _END:
            return _Place(s, -1, 0)
    return None


def _with_labels(sections: tuple[Section, ...], start: _Place) -> _Place:
    """`start`, or the heading or label it follows: a heading is kept with what follows it."""
    s, b, i = start
    blocks = sections[s].blocks
    while i == 0 and b > 0 and _is_label(blocks[b - 1]):
        b -= 1
    return _Place(s, -1, 0) if i == 0 and b == 0 else _Place(s, b, i)


def _is_label(block: Block) -> bool:
    """A subheading, or a muted line (a region's name) that heads what follows it."""
    return isinstance(block, Subheading) or (isinstance(block, Paragraph) and block.kind == "muted")


def _lines(text: str, share: float = 1.0) -> int:
    """How many lines `text` fills at `share` of a printed line's width."""
    return max(1, -(-len(text) // int(_LINE * share)))


def _item_lines(item: Item) -> float:
    detail = 0.9 * _lines(item.detail, 0.94 / 0.9) if item.detail else 0
    return _lines(item.text, 0.94) + detail + 0.25


def _block_lines(block: Block) -> float:
    if isinstance(block, Paragraph):
        return _lines(block.text) + 0.4
    if isinstance(block, Subheading):
        return _HEADING[block.level]
    if isinstance(block, Table):
        share = 1 / len(block.header)
        rows = [block.header, *block.rows]
        return 1.5 + sum(1.1 * max(_lines(cell, share) for cell in row) + 0.3 for row in rows)
    if isinstance(block, Chart):
        return 2 + sum(0.5 + 1.3 * len(role.fits) for role in block.roles)
    if isinstance(block, Code):
        return _lines(block.text) + 1.2
    return sum(_item_lines(item) for item in block.items) + 0.6


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


def _items(block: Items, first: int = 0, last: int | None = None) -> str:
    """The list, or its items from `first` up to `last` (a numbered list goes on counting)."""
    tag = "ol" if block.kind == "numbers" else "ul"
    classes = " ".join(c for c in ("checks" if block.kind == "checks" else "", "" if last is None else "split") if c)
    attributes = f' class="{classes}"' if classes else ""
    attributes += f' start="{first + 1}"' if first and block.kind == "numbers" else ""
    box = '<span class="box" aria-hidden="true">☐</span>' if block.kind == "checks" else ""
    lines = []
    for item in block.items[first:last]:
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
    """A bar for each role on each dimension, beside its name and value. The words are the
    page's own text, so they keep its size on a phone (an SVG's text shrinks with it) and
    wrap; each bar is a small SVG of no text, which prints without the browser's
    "background graphics". Screen readers get the numbers in words (the chart's label),
    and the table after it has them too."""
    roles = chart.roles
    labels = [name for name, _ in roles[0].fits] if roles else []
    legend = []
    for i, role in enumerate(roles):
        said = role.name + (" (recommended)" if role.recommended else "") + (" (ruled out)" if role.ruled_out else "")
        legend.append(f"<li>{_bar(100, i, 'swatch')}{escape(said)}</li>")
    rows = []
    for row, dimension in enumerate(labels):
        bars = []
        for i, role in enumerate(roles):
            value = role.fits[row][1]
            shown = "not known" if value is None else f"{value:.0f}"
            bars.append(
                f'<span class="name">{escape(role.name)}</span>{_bar(value, i, "bar")}'
                f'<span class="value">{escape(shown)}</span>'
            )
        label = f'<span class="label">{escape(dimension)}</span>'
        rows.append(f'<div class="dimension">{label}<div class="bars">{"".join(bars)}</div></div>')
    return (
        f'<figure>\n<div class="chart" role="img" aria-labelledby="{anchor}-title" '
        f'aria-describedby="{anchor}-desc">\n'
        f'<p hidden id="{anchor}-desc">{escape(_in_words(chart))}</p>\n'
        f'<ul class="legend">{"".join(legend)}</ul>\n' + "\n".join(rows) + "\n</div>\n"
        f'<figcaption id="{anchor}-title">{escape(chart.title)}</figcaption>\n</figure>\n'
    )


def _bar(value: float | None, role: int, kind: str) -> str:
    """A bar `value` percent long in the role's colour, on a grey track: an SVG of no text, as
    wide as its place on the page (`preserveAspectRatio="none"` stretches it)."""
    colour = COLOURS[role % len(COLOURS)]
    shown = f'<rect width="{round(value, 1):g}" height="10" fill="{colour}"/>' if value is not None else ""
    track = '<rect width="100" height="10" fill="#e6e6e6"/>' if kind == "bar" else ""
    return (
        f'<svg class="{kind}" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">'
        f"{track}{shown}</svg>"
    )


def _in_words(chart: Chart) -> str:
    return "; ".join(
        f"{role.name}: "
        + ", ".join(f"{name} {'not known' if value is None else f'{value:.0f}'}" for name, value in role.fits)
        for role in chart.roles
    )
