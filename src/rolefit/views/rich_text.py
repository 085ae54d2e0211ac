"""Knowledge-base text as Rich text: shown as written, never read as markup, with every
terminal control character made visible; and the list and heading every view draws it in."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from rolefit.errors import printable
from rolefit.views.drawing import Either


def text(value: str, style: str = "") -> Text:
    """Knowledge-base text, safe to print."""
    return Text(printable(value), style=style)


def listed(rows: Iterable[tuple[str, RenderableType]], *, said: str | None = None) -> Either:
    """A list whose lines wrap under their text, not under their bullet or number; for a
    screen reader, its lines as they are, each item's first after its number, or after what
    `said` says for its marker ("" for nothing: a bullet is a symbol, read as noise)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    lines: list[RenderableType] = []
    for marker, body in rows:
        grid.add_row(marker, body)
        first, *rest = (_read_form(part) for part in (body.renderables if isinstance(body, Group) else [body]))
        word = marker if said is None else said
        if isinstance(first, Text):
            lines.append(Text.assemble(word, " ", first) if word else first)
        else:
            lines.append(Group(Text(word), first) if word else first)
        lines += [Text.assemble("  ", line) if isinstance(line, Text) else line for line in rest]
    return Either(grid, Group(*lines))


def _read_form(part: RenderableType) -> RenderableType:
    return part.read if isinstance(part, Either) else part


def heading(name: str | None) -> list[RenderableType]:
    """A region's name above its items: underlined for the eye; read out, with a colon, so
    that it is heard as a heading and not as the first item."""
    return [Either(text(name, "underline"), text(f"{name}:"))] if name else []


def plain_or(drawn: str, read: str, style: str = "") -> Either:
    """Knowledge-base text in two forms: as drawn, and as read out by a screen reader (with a
    symbol said in words, or left out where the heading says it)."""
    return Either(text(drawn, style), text(read, style))
