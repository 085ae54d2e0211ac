"""The "Words used" list after a terminal view: each glossary term the view shows, defined once.

The terms are found in what the view holds (every Text of its groups, tables and panels,
as drawn for the eye: read out, the same is said in the same words),
not in its drawing, so that a term wrapped over two lines of a table cell is found all the same.
The knowledge base's text is left as written: the definitions follow it, never inside it.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from rolefit.kb.glossary import used
from rolefit.kb.models import KnowledgeBase
from rolefit.views.drawing import Either
from rolefit.views.rich_text import text
from rolefit.views.wording import SOURCE, sourced


def shown(renderable: object) -> Iterator[str]:
    """Every string a view holds, in the order drawn: texts, and those in groups, tables and panels."""
    if isinstance(renderable, str):
        yield renderable
    elif isinstance(renderable, Text):
        yield renderable.plain
    elif isinstance(renderable, Group):
        for part in renderable.renderables:
            yield from shown(part)
    elif isinstance(renderable, Table):
        yield from shown(renderable.title)
        for column in renderable.columns:
            yield from shown(column.header)
        for row in range(renderable.row_count):
            for column in renderable.columns:
                yield from shown(list(column.cells)[row])
        yield from shown(renderable.caption)
    elif isinstance(renderable, Panel):
        yield from shown(renderable.title)
        yield from shown(renderable.renderable)
    elif isinstance(renderable, Padding):
        yield from shown(renderable.renderable)
    elif isinstance(renderable, Either):  # as drawn: the words read out say the same
        yield from shown(renderable.drawn)
    elif isinstance(renderable, list | tuple):
        for part in renderable:
            yield from shown(part)


def words_used(kb: KnowledgeBase, views: list[RenderableType]) -> RenderableType | None:
    """The glossary's definitions of the terms that `views` show, in the order of first use;
    None when they show none."""
    entries = used(kb, shown(views))
    if not entries:
        return None
    lines: list[RenderableType] = []
    for term, entry in entries:
        source = sourced(entry)
        defined = (text(term, "bold"), text(f": {entry.definition}"))
        drawn = Text.assemble("• ", *defined, text(f" ({source})" if source else "", "dim"))
        # Read out: no bullet, and the source said to be one.
        lines.append(Either(drawn, Text.assemble(*defined, text(f" {SOURCE}{source}." if source else ""))))
    return Group(Text("\nWords used", "bold"), *lines)
