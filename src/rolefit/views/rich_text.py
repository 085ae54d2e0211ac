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


def listed(rows: Iterable[tuple[str, RenderableType]]) -> Either:
    """A list whose lines wrap under their text, not under their bullet or number; for a
    screen reader, its lines as they are, each item's first after its bullet or number."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    lines: list[RenderableType] = []
    for marker, body in rows:
        grid.add_row(marker, body)
        first, *rest = body.renderables if isinstance(body, Group) else [body]
        lines += [Text.assemble(marker, " ", first) if isinstance(first, Text) else Group(Text(marker), first)]
        lines += [Text.assemble("  ", line) if isinstance(line, Text) else line for line in rest]
    return Either(grid, Group(*lines))


def heading(name: str | None) -> list[RenderableType]:
    return [text(name, "underline")] if name else []
