"""The one exception users can cause, the one for an output nobody reads, the exit
codes rolefit promises, and how values are quoted in messages."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    """The exit codes rolefit promises (the table in docs/reference.md)."""

    OK = 0
    #: `audit --strict` found a problem; or the run could not finish: input ended at a
    #: quiz's prompt, or a standard stream failed (stdout on a full disk, stdin closed or
    #: opened for writing only).
    FAILED = 1
    #: Bad usage or bad input: a knowledge base, an answers file or an areas table, an
    #: unknown role, quiz or region, or a file that `--save` or `init` must not write.
    BAD_INPUT = 2
    #: Interrupted with Ctrl-C (128 + SIGINT, as shells report it).
    INTERRUPTED = 130
    #: stdout was closed before the output was written, as in `rolefit compare | head -1`
    #: (128 + SIGPIPE, what shells report for any program stopped by a closed pipe).
    OUTPUT_CLOSED = 141


class RolefitError(Exception):
    """Something the user gave us is wrong; the message says what and where."""

    def __init__(self, message: str, exit_code: ExitCode = ExitCode.BAD_INPUT) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class OutputClosed(Exception):
    """stdout is closed, or its reader has gone: nobody is left to tell, so the run stops
    quietly with ExitCode.OUTPUT_CLOSED. Not an OSError, which Click would handle itself."""


def quoted(value: Any) -> str:
    """A short, quoted rendering of a value from a user's file, for error messages.

    YAML 1.1 reads some plain words as other types (`no` is false, `2024-01-01` a
    date), so those say how to keep the text as text.
    """
    if isinstance(value, bool):
        word = "true" if value else "false"
        return f"{word} (YAML reads yes/no/on/off as true/false: put the text in quotes)"
    if value is None:
        return "nothing"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"the date {value.isoformat()} (put it in quotes to keep it as text)"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return json.dumps(shown, ensure_ascii=True)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return type(value).__name__


def known(ids: Iterable[str], limit: int = 8) -> str:
    """` (known: a, b, c)` for an error message: the first `limit` ids, and how many more."""
    ids = list(ids)
    shown = ", ".join(ids[:limit])
    if len(ids) > limit:
        shown += f", and {len(ids) - limit:,} more"
    return f" (known: {shown})"


#: Characters that a terminal may obey, or that disguise the text around them: DEL and
#: the C1 controls (U+009B starts a control sequence on some terminals), the marks that
#: reorder text (U+202E reverses a line, U+200F and U+061C move it), the invisible
#: U+200B and U+FEFF, and the line and paragraph separators that some terminals and
#: editors break lines at. JSON leaves them as they are (it escapes only C0), so
#: `rolefit.output.jsonout` escapes them as well.
TERMINAL_UNSAFE = (
    0x7F,
    *range(0x80, 0xA0),
    0x061C,
    0x200B,
    0x200E,
    0x200F,
    0x2028,
    0x2029,
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
    0xFEFF,
)

# And the C0 controls but tab and newline: a knowledge base could otherwise clear the
# screen or retitle the window. They are shown as escapes instead.
_UNPRINTABLE = {
    c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"
    for c in (*(c for c in range(0x20) if c not in (0x09, 0x0A)), *TERMINAL_UNSAFE)
}


def printable(text: str) -> str:
    """`text` with every terminal control character shown as a visible escape."""
    return text.translate(_UNPRINTABLE)
