"""The report as GitHub-flavoured Markdown: tables for the fits and the answers, lists
for the rest, so that it pastes into an email, a note or an issue.

Every string is escaped: control characters are made visible (`errors.printable`), a
line break becomes a space, and the characters Markdown would read as markup or HTML
(`*`, `_`, `[`, `<`, `|` and the like) are written with a backslash, as CommonMark allows
for any ASCII punctuation; an e-mail address, which no backslash keeps from becoming a
link, is written as code, with the rest of its word.
"""

from __future__ import annotations

import re

from rolefit.errors import printable
from rolefit.views.report.blocks import Block, Chart, Code, Items, Paragraph, Report, Subheading, Table

#: What GFM reads as markup or HTML anywhere in a line: emphasis, code, links and images
#: (a `(` means nothing without a `]` before it), tags and entities, table cells, strikethrough.
_MARKUP = re.compile(r"([\\`*_\[\]<>|~&])")
#: What GFM makes a link of by itself: web addresses and `www.`, after a space or any of
#: `_*~([`; a backslash before the `:` or the dot leaves them as text.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<=www)(\.)")
#: The longest run of backticks in a word, which a code span's fence must outnumber.
_TICKS = re.compile(r"`+")
#: What starts a list, a heading, a quote or a rule at the start of a line. Of `1.`, the
#: dot is escaped: a digit cannot be.
_NUMBERED = re.compile(r"\d+(?=[.)](\s|$))")
#: A `#` that ends a heading's text (but for an escaped one).
_CLOSING = re.compile(r"(?<!\\)#$")


def escape(value: str) -> str:
    words = " ".join(printable(value).split()).split(" ")
    # A word with an `@` is written as code: cmark-gfm links an e-mail address whatever is
    # escaped in it (it finds them after escapes, `mailto:` and `xmpp:` ones too, and with
    # less than a letter after the `@`), but never in code.
    text = " ".join(
        _code(word) if "@" in word else _AUTOLINK.sub(r"\\\g<0>", _MARKUP.sub(r"\\\1", word)) for word in words
    )
    numbered = _NUMBERED.match(text)
    if numbered:
        return numbered.group() + "\\" + text[numbered.end() :]
    return "\\" + text if text[:1] in ("-", "+", "=", "#") else text


def _code(word: str) -> str:
    """A word as a code span, its fence longer than any run of backticks in it; a `|` escaped
    even there, since a table row is split at one before its code spans are read."""
    fence = "`" * (max((len(run) for run in _TICKS.findall(word)), default=0) + 1)
    pad = " " if word.startswith("`") or word.endswith("`") else ""
    return f"{fence}{pad}{word.replace('|', chr(92) + '|')}{pad}{fence}"


def document(report: Report) -> str:
    """The whole Markdown text."""
    lines = [_heading(1, report.title), ""]
    lines += [f"{escape(line)}  " for line in report.about[:-1]] + [escape(report.about[-1]), ""]
    for section in report.sections:
        lines += [_heading(2, section.title), ""]
        for block in section.blocks:
            lines += _block(block)
    return "\n".join(lines).rstrip("\n") + "\n"


def _heading(level: int, text: str) -> str:
    """A heading, its last `#` escaped: unescaped, after a space, it would close the heading and not show."""
    shown = _CLOSING.sub(r"\\#", escape(text))
    return f"{'#' * level} {shown}"


def _block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        text = escape(block.text)
        return [f"**{text}**" if block.kind == "verdict" else f"⚠ {text}" if block.kind == "warning" else text, ""]
    if isinstance(block, Subheading):
        return [_heading(block.level, block.text), ""]
    if isinstance(block, Items):
        lines = []
        for number, item in enumerate(block.items, 1):
            marker = f"{number}." if block.kind == "numbers" else "- [ ]" if block.kind == "checks" else "-"
            indent = " " * (len(marker) + 1)
            lines.append(f"{marker} {escape(item.text)}" + ("\\" if item.detail else ""))
            if item.detail:
                lines.append(f"{indent}*{escape(item.detail)}*")
        return [*lines, ""]
    if isinstance(block, Table):
        rows = [block.header, *block.rows]
        cells = [[escape(c) for c in row] for row in rows]
        lines = ["| " + " | ".join(cells[0]) + " |", "|" + "|".join(" --- " for _ in cells[0]) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in cells[1:]]
        return [f"*{escape(block.caption)}*", "", *lines, ""]
    if isinstance(block, Chart):
        return []  # the table after it holds the same numbers
    assert isinstance(block, Code)
    return ["```sh", block.text.replace("`", "'"), "```", ""]
