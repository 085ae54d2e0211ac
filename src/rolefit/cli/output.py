"""Where a command's result goes: one writer per output format, for every command.

A command builds an `Output` (its document for scripts, its view for people) and
`emit` hands it to the writer of the format asked for. Another format (CSV, say) is
one more writer here, reading the same documents (`rolefit.output.documents`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, NamedTuple, TextIO

from rolefit.errors import OutputClosed
from rolefit.output import jsonout
from rolefit.streams import Streams

if TYPE_CHECKING:
    from rich.console import Console


class Output(NamedTuple):
    """What one command has to show."""

    #: Its document (one of `rolefit.output.documents`), built only when asked for.
    document: Callable[[], Mapping[str, object]]
    #: Its view for people, drawn on stdout.
    view: Callable[[Streams], None]


def stdout(streams: Streams) -> TextIO:
    """The run's stdout; a run started with it closed (`>&-`) has lost its reader, as for any output."""
    if streams.stdout is None:
        raise OutputClosed
    return streams.stdout


def drawn(draw: Callable[[Console], None]) -> Callable[[Streams], None]:
    """A view that draws with Rich on a console for stdout (Rich is imported only then)."""

    def view(streams: Streams) -> None:
        from rolefit.views.terminal import stdout_console

        draw(stdout_console(stdout(streams), plain=streams.plain, linear=streams.accessible))

    return view


def _json(output: Output, streams: Streams) -> None:
    jsonout.write(output.document(), stdout(streams))


def _view(output: Output, streams: Streams) -> None:
    output.view(streams)


#: Output format -> its writer. `--json` asks for "json"; people get "text".
WRITERS: dict[str, Callable[[Output, Streams], None]] = {"json": _json, "text": _view}


def emit(output: Output, streams: Streams, *, as_json: bool) -> None:
    """Write `output` in the format asked for."""
    WRITERS["json" if as_json else "text"](output, streams)
