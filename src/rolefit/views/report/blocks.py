"""The plain blocks a report is made of: what `rolefit.views.report.content` builds and the HTML and
Markdown writers write. No markup: every string is text, which each writer escapes."""

from __future__ import annotations

from typing import NamedTuple


class Paragraph(NamedTuple):
    text: str
    #: How it stands out: "" (plain), "verdict", "warning" or "muted".
    kind: str = ""


class Item(NamedTuple):
    text: str
    #: A second line: the source and period, or what a figure is.
    detail: str = ""


class Items(NamedTuple):
    items: tuple[Item, ...]
    #: "bullets", "numbers" or "checks" (boxes to tick).
    kind: str = "bullets"


class Subheading(NamedTuple):
    text: str
    #: 3 under a section's heading, 4 under a subheading.
    level: int = 3


class Table(NamedTuple):
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: Whether every cell after a row's first is a number (a fit): such a column is aligned
    #: right, and its cells are kept on one line. Never so for knowledge-base text.
    numbers: bool = False


class RoleBars(NamedTuple):
    """One role's fit overall and per dimension, for the picture; None where not known."""

    name: str
    fits: tuple[tuple[str, float | None], ...]
    recommended: bool
    ruled_out: bool


class Chart(NamedTuple):
    title: str
    roles: tuple[RoleBars, ...]


class Code(NamedTuple):
    text: str


Block = Paragraph | Items | Subheading | Table | Chart | Code


class Section(NamedTuple):
    title: str
    blocks: tuple[Block, ...]


class Report(NamedTuple):
    title: str
    #: Lines under the title: the knowledge base, the day, the region.
    about: tuple[str, ...]
    #: The result, then the plan (if any), then the record of the answers and sources.
    sections: tuple[Section, ...]
