"""Knowledge-base text as Rich text: shown as written, never read as markup, with every
terminal control character made visible; and the list and heading every view draws it in."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from rolefit.errors import printable


def text(value: str, style: str = "") -> Text:
    """Knowledge-base text, safe to print."""
    return Text(printable(value), style=style)


def listed(rows: Iterable[tuple[str, RenderableType]]) -> Table:
    """A list whose lines wrap under their text, not under their bullet or number."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for marker, body in rows:
        grid.add_row(marker, body)
    return grid


def heading(name: str | None) -> list[RenderableType]:
    return [text(name, "underline")] if name else []
