"""The report as GitHub-flavoured Markdown: tables for the fits and the answers, lists
for the rest, so that it pastes into an email, a note or an issue, and reads as plain text.

Every string is escaped for the place it stands in, and only where GitHub would read
markup: control characters are made visible (`errors.printable`), a line break becomes a
space, and a backslash goes before a character only where it would start markup there
(`escape` lists each case), so that `Health & Fitness` stays as it is while `<b>`,
`*x*`, `[link](x)`, `&amp;` or a `|` in a table's cell show as written. A web address or
`www.` never becomes a link; an e-mail address, which no backslash keeps from becoming a
link, is written as code, with the rest of its word.
"""

from __future__ import annotations

import re
import string
import unicodedata
from html.entities import html5

from rolefit.errors import printable
from rolefit.views.report.blocks import Block, Chart, Code, Items, Paragraph, Report, Subheading, Table

#: A run of backticks, which opens a code span with the next run as long.
_TICKS = re.compile(r"`+")
#: What could open or close emphasis (`*`, `_`) or, in GFM, strikethrough (`~`).
_DELIMITERS = re.compile(r"\*+|_+|~+")
#: A character reference CommonMark decodes: `&#38;`, `&#x26;`, or a name HTML defines.
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|([A-Za-z][A-Za-z0-9]{0,31});)")
#: What starts a block at the start of any line of a paragraph, and where its backslash
#: goes: an ATX heading, a quote, a bullet, a thematic break, a code fence, a list numbered
#: from 1 (of `1.`, the dot: a digit cannot be escaped).
_BLOCK_STARTS = (
    re.compile(r"^(?=#{1,6}(?:\s|$))"),
    re.compile(r"^(?=>)"),
    re.compile(r"^(?=[-+*](?:\s|$))"),
    re.compile(r"^(?=([-*_])(?:\s*\1){2,}\s*$)"),
    re.compile(r"^(?=```|~~~)"),
    re.compile(r"^0*1(?=[.)](?:\s|$))"),
)
#: And at the start of a paragraph's first line: a list numbered from anything; after it,
#: a setext heading's underline or a table's delimiter row, which would change the lines above.
_FIRST_LINE = (re.compile(r"^\d{1,9}(?=[.)](?:\s|$))"),)
_LATER_LINES = (
    re.compile(r"^(?=(?:=+|-+)\s*$)"),
    re.compile(r"^(?=\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$)"),
)
#: A link reference definition (`[x]: ...`) or a task's box (`[ ]`, `[x]`) at a block's start.
_DEFINITION_OR_BOX = re.compile(r"\[(?:[^\]]*\]:|[ xX]\](?:\s|$))")
#: Dashes alone, which after a list's `-` make a thematic break.
_DASHES = re.compile(r"-(?:\s*-)+\s*")
#: The closing `#`s of an ATX heading: at its end, after a space (or the whole heading).
_CLOSING = re.compile(r"(?:^|(?<= ))(?=#+$)")


def escape(value: str, *, start: bool = True, wrapped: str = "", cell: bool = False) -> str:
    r"""`value` as one line of Markdown that GitHub shows as it is written.

    A backslash goes only before what GFM would read as markup where it stands:
    - a run of `*`, `_` or `~` that can open emphasis or strikethrough (CommonMark's
      flanking rules and rule of 3) when a later run of the same can close it; inside
      emphasis, a `*` that could pair with the marks around the text;
    - a run of backticks when a later run as long (or a code span's fence, or an escaped
      backtick) would close it;
    - a `[` before a `](`, or at a block's start before `]:` or as a task's box `[ ]`;
    - a `<` before a letter, `/`, `!` or `?` that a `>` follows (a tag, an autolink), or at
      a block's start (an HTML block);
    - a `&` that starts a character reference, such as `&amp;` or `&#38;`;
    - a `\` before punctuation, which it would escape;
    - a `|` in a table's cell; the `:` of `http://` and the dot of `www.`, which GFM links;
    - at a block's start, `#`, `>`, `-`, `+`, `*`, a rule, a fence and `1.` (`_BLOCK_STARTS`).

    `start`: the line starts a block (a paragraph, a list item). `wrapped`: the marks of the
    emphasis it stands between (`*` or `**`), if any. `cell`: it is a table's cell, which a
    `|` would end."""
    return _paragraph([value], start=start, wrapped=wrapped, cell=cell)[0]


def _paragraph(values: list[str], *, start: bool, wrapped: str = "", cell: bool = False) -> list[str]:
    """The lines of one paragraph, escaped together, for markup can pair across them."""
    text, code = _written(values, cell)
    firsts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
    marks = _block_marks(text, firsts, code) if start else set()
    # The text where markup can be: outside code spans, and but for what starts a block.
    visible = "".join(" " if i in marks else char for i, char in enumerate(text))
    bare = visible
    for a, b in code:
        bare = bare[:a] + " " * (b - a) + bare[b:]
    edge = "*" if wrapped else " "  # beyond either end: emphasis, or a line's end
    marks |= _delimiter_marks(text, bare, edge, wrapped) | _tick_marks(bare, visible)
    for i, char in enumerate(bare):
        beyond = text[i + 1] if i + 1 < len(text) else edge
        if char == "\\":
            needed = beyond in string.punctuation or beyond == "\n"  # an escape, a line break
        elif char == "[":  # a link, or at a block's start a link's definition or a task's box
            needed = "](" in bare[i:] or (start and i == 0 and bool(_DEFINITION_OR_BOX.match(bare)))
        elif char == "<":
            tag = beyond.isascii() and (beyond.isalpha() or beyond in "/!?")
            needed = tag and (">" in bare[i:] or (start and i in firsts))
        elif char == "&":
            reference = _REFERENCE.match(text, i)
            needed = reference is not None and (reference.group(1) is None or reference.group(1) + ";" in html5)
        elif char == ":":  # GFM links a web address by itself
            needed = i > 0 and text[i - 1].isalpha() and text.startswith("//", i + 1)
        elif char == ".":  # and `www.`
            needed = text[max(0, i - 3) : i].lower() == "www"
        else:
            needed = char == "|" and cell
        if needed:
            marks.add(i)
    return "".join("\\" + char if i in marks else char for i, char in enumerate(text)).split("\n")


def _block_marks(text: str, firsts: list[int], code: list[tuple[int, int]]) -> set[int]:
    """Where a backslash keeps each line from starting a block: before its first character
    (all of its run, for a `*`, `_`, `~` or backtick, which would otherwise pair), or the dot
    of a number."""
    marks: set[int] = set()
    for n, first in enumerate(firsts):
        line = text[first:].split("\n", 1)[0]
        if any(a == first for a, _ in code):
            continue
        for pattern in (*_BLOCK_STARTS, *(_LATER_LINES if n else _FIRST_LINE)):
            found = pattern.match(line)
            if found:
                at = first + found.end()
                run = _DELIMITERS.match(text, at) or _TICKS.match(text, at)
                marks.update(range(at, run.end()) if run else (at,))
                break
    return marks


def _written(values: list[str], cell: bool) -> tuple[str, list[tuple[int, int]]]:
    """The lines, each made printable and its spaces single, joined by line breaks, and
    where the code spans are: a word with an `@` is written as code, for cmark-gfm links an
    e-mail address whatever is escaped in it (it finds them after escapes, `mailto:` and
    `xmpp:` ones too, and with less than a letter after the `@`), but never in code."""
    text, code = "", []
    for n, value in enumerate(values):
        text += "\n" if n else ""
        for w, word in enumerate(printable(value).split()):
            text += " " if w else ""
            written = _code(word, cell) if "@" in word else word
            if written is not word:
                code.append((len(text), len(text) + len(written)))
            text += written
    return text, code


def _delimiter_marks(text: str, bare: str, edge: str, wrapped: str) -> set[int]:
    """Where each run of `*`, `_` or `~` is that could open emphasis or strikethrough with a
    later run of its kind that stays unescaped, or, for a `*` inside the emphasis `wrapped`
    (`*`, `**`), pair with the marks around the text or join them. Read from the end, so that
    a run is escaped only if something after it is left to close it."""
    runs = []
    for run in _DELIMITERS.finditer(bare):
        before = text[run.start() - 1] if run.start() else edge
        beyond = text[run.end()] if run.end() < len(text) else edge
        runs.append((run, _flanking(run.group(), before, beyond)))
    # The marks around the text, in either reading of punctuation: one that opens, one that closes.
    opening, closing = ((len(wrapped), True, False),) * 2, ((len(wrapped), False, True),) * 2
    marks: set[int] = set()
    kept: list[tuple[str, tuple[tuple[int, bool, bool], ...]]] = []
    for run, ways in reversed(runs):
        kind = run.group()[0]
        partners = [(ways, w) for k, w in kept if k == kind]
        if wrapped and kind == "*":
            partners += [(opening, ways), (ways, closing)]
        joins = wrapped and kind == "*" and (run.start() == 0 or run.end() == len(text))
        if joins or any(_pair(kind, a, b) for first, second in partners for a, b in zip(first, second, strict=True)):
            marks.update(range(run.start(), run.end()))
        else:
            kept.append((kind, ways))
    return marks


def _pair(kind: str, opener: tuple[int, bool, bool], closer: tuple[int, bool, bool]) -> bool:
    """Whether a run (its length, whether it can open, whether it can close) can open emphasis
    that a later run closes. For `*` and `_`, CommonMark's rule of 3: if either run can both open
    and close, their lengths must not add up to a multiple of 3, unless both lengths are."""
    (length, opens, closes), (other, other_opens, other_closes) = opener, closer
    if not (opens and other_closes):
        return False
    both = (opens and closes) or (other_opens and other_closes)
    return kind == "~" or not (both and (length + other) % 3 == 0 and (length % 3 or other % 3))


def _tick_marks(bare: str, text: str) -> set[int]:
    """Where each run of backticks is that a later run as long would close: in the text, in a
    code span of ours (a fence, or a backtick in it), or one escaped here, for a backslash
    keeps a backtick from opening a code span but not from closing one (so that each escaped
    backtick is a run of one)."""
    runs = [(run.start(), run.end()) for run in _TICKS.finditer(text)]
    escaped: set[int] = set()
    while True:
        lengths = [1 if n in escaped else b - a for n, (a, b) in enumerate(runs)]
        more = {
            n for n, (a, b) in enumerate(runs) if n not in escaped and bare[a] == "`" and (b - a) in lengths[n + 1 :]
        }
        if not more:
            return {i for n in escaped for i in range(*runs[n])}
        escaped |= more


def _flanking(run: str, before: str, beyond: str) -> tuple[tuple[int, bool, bool], ...]:
    """A run of `*`, `_` or `~` between `before` and `beyond`: its length, whether it can open,
    and whether it can close emphasis or strikethrough by CommonMark's flanking rules, with
    punctuation read as CommonMark 0.29 (GitHub's) and as 0.31 (symbols too) read it."""
    ways = []
    for symbols in (False, True):
        left, right = _flanks(beyond, before, symbols), _flanks(before, beyond, symbols)
        if run[0] == "_":  # `_` inside a word (snake_case) neither opens nor closes
            left, right = (
                left and (not right or _punctuation(before, symbols)),
                right and (not left or _punctuation(beyond, symbols)),
            )
        ways.append((len(run), left, right))
    return tuple(ways)


def _flanks(inner: str, outer: str, symbols: bool) -> bool:
    """Whether a delimiter run with `inner` on one side and `outer` on the other flanks `inner`."""
    return not inner.isspace() and (not _punctuation(inner, symbols) or outer.isspace() or _punctuation(outer, symbols))


def _punctuation(char: str, symbols: bool) -> bool:
    category = unicodedata.category(char)
    return char in string.punctuation or category.startswith("P") or (symbols and category.startswith("S"))


def _code(word: str, cell: bool) -> str:
    """A word as a code span, its fence longer than any run of backticks in it; in a table's
    cell a `|` is escaped even there, since a row is split at one before its code spans are read."""
    fence = "`" * (max((len(run) for run in _TICKS.findall(word)), default=0) + 1)
    pad = " " if word.startswith("`") or word.endswith("`") else ""
    return f"{fence}{pad}{word.replace('|', chr(92) + '|') if cell else word}{pad}{fence}"


def document(report: Report) -> str:
    """The whole Markdown text."""
    about = _paragraph(list(report.about), start=True)
    lines = [_heading(1, report.title), "", *(f"{line}  " for line in about[:-1]), *about[-1:], ""]
    for section in report.sections:
        lines += [_heading(2, section.title), ""]
        for block in section.blocks:
            lines += _block(block)
    return "\n".join(lines).rstrip("\n") + "\n"


def _heading(level: int, text: str) -> str:
    """A heading, a closing sequence of `#`s escaped: unescaped, it would not show."""
    return "#" * level + " " + _CLOSING.sub("\\\\", escape(text, start=False), count=1)


def _emphasis(text: str, mark: str) -> str:
    """`text` between `mark`s (`*`, `**`), or nothing if it is blank (`**` alone would show)."""
    shown = escape(text, start=False, wrapped=mark)
    return f"{mark}{shown}{mark}" if shown else ""


def _block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        if block.kind == "verdict":
            return [_emphasis(block.text, "**"), ""]
        if block.kind == "warning":
            return [f"⚠ {escape(block.text, start=False)}", ""]
        return [escape(block.text), ""]
    if isinstance(block, Subheading):
        return [_heading(block.level, block.text), ""]
    if isinstance(block, Items):
        # An item's detail is a paragraph of its own, in italics: the list is loose, with a
        # blank line between its items. The text after a task's box does not start a block.
        loose = any(item.detail for item in block.items)
        lines = []
        for number, item in enumerate(block.items, 1):
            marker = f"{number}." if block.kind == "numbers" else "- [ ]" if block.kind == "checks" else "-"
            text = escape(item.text, start=block.kind != "checks")
            # After a `-` marker, two more `-` make the line a rule.
            lines.append(f"{marker} " + ("\\" + text if marker == "-" and _DASHES.fullmatch(text) else text))
            if item.detail:
                # Indented to the item's text (a task's box is part of it): four more would be code.
                lines += ["", " " * (len(marker.split()[0]) + 1) + _emphasis(item.detail, "*")]
            lines += [""] if loose else []
        return lines if loose else [*lines, ""]
    if isinstance(block, Table):
        rows = [block.header, *block.rows]
        cells = [[escape(c, start=False, cell=True) for c in row] for row in rows]
        lines = ["| " + " | ".join(cells[0]) + " |", "|" + "|".join(" --- " for _ in cells[0]) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in cells[1:]]
        return [_emphasis(block.caption, "*"), "", *lines, ""]
    if isinstance(block, Chart):
        return []  # the table after it holds the same numbers
    assert isinstance(block, Code)
    return ["```sh", block.text.replace("`", "'"), "```", ""]
