"""How a view is drawn: for the eye, with tables, panels, bars and colour; or for a screen
reader (`--accessible`), as plain lines read in order, each value labelled.

A view builds one thing, and the console it is printed on chooses the form (`Page.linear`),
as a console chooses colours. The few parts that differ hold both forms (`Either`): a table
(`sheet`) is read a line per row or per column, a box (`framed`) as its title and its lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from rolefit.streams import is_terminal


class Page(Console):
    """A console that draws views for the eye or, when `linear`, for a screen reader.

    Linear, it never wraps a line into a file or a pipe: a screen reader steps through
    lines, and a line cut in two is a sentence heard in two pieces. At a terminal it wraps
    between words, as the terminal itself would otherwise wrap the line mid-word, and a
    screen reader reviewing the screen row by row would hear the pieces of a word."""

    def __init__(self, *args: Any, linear: bool = False, **kwargs: Any) -> None:
        if linear:
            kwargs.setdefault("soft_wrap", not is_terminal(kwargs.get("file")))
        super().__init__(*args, **kwargs)
        self.linear = linear


def is_linear(console: Console) -> bool:
    """Whether `console` draws views as lines for a screen reader."""
    return isinstance(console, Page) and console.linear


def as_typed(command: str, console: Console) -> str:
    """A `rolefit` command line to show on `console`: for a screen reader with `--accessible`,
    so that running it reads the same way."""
    return read_command(command) if is_linear(console) else command


def read_command(text: str) -> str:
    """`text` with `--accessible` after its leading `rolefit`, if it starts with one."""
    return "rolefit --accessible " + text.removeprefix("rolefit ") if text.startswith("rolefit ") else text


class Either:
    """One part of a view in two forms: `drawn` for the eye, `read` for a screen reader."""

    def __init__(self, drawn: RenderableType, read: RenderableType) -> None:
        self.drawn = drawn
        self.read = read

    def form(self, console: Console) -> RenderableType:
        return self.read if is_linear(console) else self.drawn

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.form(console)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.form(console))


def sheet(table: Table, *, by: Literal["row", "column"], caption_first: bool = False) -> Either:
    """A table, read a row or a column at a time: its first column names each row, and a
    column's header labels each value in it.

    `by="row"`: a line a row, "name: header value; header value". `by="column"`, for a
    table whose columns are the things compared (roles): a line a column, "header: name
    value; name value". When any value takes more than a line, or a value or a label holds
    "; " (which would read as the end of it), each row or column is read as its name alone on
    a line, after an empty one, then a line or more for each value ("label: value").
    The caption is read last, or after the title when `caption_first` (what it says is
    needed before the rows: how to choose what they show)."""
    return Either(table, _ReadTable(table, by, caption_first=caption_first))


def framed(title: str, parts: list[RenderableType], *, said: str | None = None, **panel: Any) -> Either:
    """Parts in a box with a title; read out, after an empty line, the title (or what `said`
    says for it) and then the parts."""
    first, rest = (parts[0], parts[1:]) if parts and isinstance(parts[0], Text) else (Text(""), parts)
    read = Group(Text(""), Text.assemble(f"{said or title}: ", first), *rest)
    return Either(Panel(Group(*parts), title=title, **panel), read)


class _ReadTable:
    """A table as lines (see `sheet`), made when drawn."""

    def __init__(self, table: Table, by: Literal["row", "column"], *, caption_first: bool) -> None:
        self.table = table
        self.by = by
        self.caption_first = caption_first

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = self.table
        if table.title:
            yield _read(table.title) or Text("")
        if table.caption and self.caption_first:
            yield _read(table.caption) or Text("")
        cells = [list(c.cells) for c in table.columns]
        headers = [c.header for c in table.columns[1:]]
        if self.by == "row":  # a row: its first cell, then each other one with its column's header
            entries = [(row[0], list(zip(headers, row[1:], strict=True))) for row in zip(*cells, strict=True)]
        else:  # a column: its header, then each of its cells with its row's first cell
            entries = [
                (h, list(zip(cells[0], column, strict=True))) for h, column in zip(headers, cells[1:], strict=True)
            ]
        # Every entry read alike: each on a line, or each a paragraph when one must be. A label
        # holding "; " would read as more values than there are, as a value would; the name
        # (read first, before its ": ") may hold one.
        apart = not all(_one_line(part) for _, values in entries for pair in values for part in pair)
        for name, values in entries:
            yield from _entry(name, values, apart=apart)
        if table.caption and not self.caption_first:
            yield _read(table.caption) or Text("")


def _entry(
    name: RenderableType, values: list[tuple[RenderableType, RenderableType]], *, apart: bool
) -> Iterator[RenderableType]:
    """One row or column: on one line, "name: label value; label value", or when `apart`,
    after an empty line, its name on a line of its own and each value after it ("label:
    value"). A value without a label says what it is; an empty value is left out."""
    said = [(_read(label), value, _read(value)) for label, value in values if not _empty(value)]
    title = _read(name)
    if not apart:
        pairs = [Text.assemble(label, " ", line) if label else line for label, _, line in said if line is not None]
        joined = Text("; ").join(pairs)
        yield joined if title is None else Text.assemble(title, ": " if pairs else "", joined)
        return
    yield Text("")
    if title is not None:
        yield title
    for label, value, line in said:
        if line is not None:
            yield Text.assemble(label, ": ", line) if label else line
        else:
            if label:
                yield Text.assemble(label, ":")
            yield value


def _one_line(value: RenderableType) -> bool:
    """Whether `value` (or its label) can be said on a line with others: it is text, and holds
    no "; ", which would read as the end of it."""
    line = _read(value)
    return _empty(value) or (line is not None and "; " not in line.plain)


def _form(value: RenderableType) -> RenderableType:
    """What a screen reader is given of `value`: its read form, a group of one as that one
    (and of none as nothing)."""
    while True:
        if isinstance(value, Either):
            value = value.read
        elif isinstance(value, Group) and len(value.renderables) <= 1:
            value = value.renderables[0] if value.renderables else ""
        else:
            return value


def _read(value: RenderableType | None) -> Text | None:
    """`value` as one line of text (its lines joined, spaces at either end left out), or None
    when it is more than text: a list, a table."""
    value = _form(value) if value is not None else ""
    if isinstance(value, str):
        value = Text(value)
    if not isinstance(value, Text):
        return None
    words = Text(" ").join(line for line in value.split("\n") if line.plain.strip())
    start = len(words.plain) - len(words.plain.lstrip())
    line = words[start:]
    line.rstrip()
    return line if line.plain else None


def _empty(value: RenderableType) -> bool:
    read = _form(value)
    return isinstance(read, str | Text) and not str(read).strip()
