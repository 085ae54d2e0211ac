"""The standard streams one run reads and writes, and how to draw on them.

The CLI makes one `Streams` from the process's own at the start of a command and
passes it in: the core reads stdin, and writes stdout, only through what it is
given, so that tests can give streams of their own.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, replace
from typing import TextIO


def is_terminal(stream: TextIO | None) -> bool:
    """Whether a stream is a person's terminal (False when closed, or not a file at all)."""
    try:
        return stream is not None and stream.isatty()
    except (OSError, ValueError):
        return False


@dataclass(frozen=True)
class Streams:
    #: Each None when the process was started with it closed (`<&-`, `>&-`).
    stdin: TextIO | None
    stdout: TextIO | None
    stderr: TextIO | None
    #: Whether someone may be typing at stdin, so that the quiz can ask its questions.
    stdin_is_terminal: bool
    #: No colour or bold: `--no-color`, or NO_COLOR in the environment.
    plain: bool
    #: For a screen reader: views as plain lines in reading order, each value labelled, and
    #: no colour. `--accessible`, or ROLEFIT_ACCESSIBLE in the environment (`accessible_asked`).
    accessible: bool = False

    @classmethod
    def of_process(cls, *, plain: bool = False) -> Streams:
        """The process's streams (whatever sys holds now), plain if asked or if NO_COLOR is set,
        accessible if ROLEFIT_ACCESSIBLE asks for it."""
        stdin = sys.stdin
        plain = plain or os.environ.get("NO_COLOR", "") != ""
        accessible = accessible_asked(os.environ.get(ACCESSIBLE_VARIABLE))
        return cls(stdin, sys.stdout, sys.stderr, is_terminal(stdin), plain, accessible)

    def plainly(self) -> Streams:
        """The same streams, drawn without colour or bold."""
        return replace(self, plain=True)

    def accessibly(self) -> Streams:
        """The same streams, drawn for a screen reader."""
        return replace(self, accessible=True)

    def source(self, name: str) -> str:
        """A file to read as the command line names it: "-" is this run's stdin."""
        return StandardInput(self.stdin) if name == "-" else name


#: The environment variable that asks for views drawn for a screen reader, as `--accessible` does.
ACCESSIBLE_VARIABLE = "ROLEFIT_ACCESSIBLE"
#: The values of ACCESSIBLE_VARIABLE that say no, as well as unset and empty (in any case).
_NO = frozenset({"0", "false", "no", "off"})


def accessible_asked(value: str | None) -> bool:
    """Whether ACCESSIBLE_VARIABLE's value asks for views drawn for a screen reader: any value
    but an empty one or a no (0, false, no, off). Never an error: a mistyped value should not
    stop every command of a person who cannot see the screen. Full-width letters and digits (`０`,
    as a Japanese or Chinese keyboard types them) are read as the ASCII ones they stand for."""
    if value is None:
        return False
    if not value.isascii():
        import unicodedata

        value = unicodedata.normalize("NFKC", value)
    return value.strip() != "" and value.strip().lower() not in _NO


class StandardInput(str):
    """Standard input as a source to read: "-", read from the stream the caller gives.

    A str, so that it goes wherever a file's name goes (`load_knowledge_base` takes
    one) and shows as "-"; a plain "-" is a file of that name.
    """

    stream: TextIO | None

    def __new__(cls, stream: TextIO | None) -> StandardInput:
        source = super().__new__(cls, "-")
        source.stream = stream
        return source
