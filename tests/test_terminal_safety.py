"""Text from a knowledge base is data: escape sequences and Rich markup in it reach
the terminal as harmless literal text, and come out unchanged in JSON.

These run the installed `rolefit` and look at the bytes it writes.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SMALL_KB

ROLEFIT = Path(sys.executable).parent / "rolefit"

# Each would do something to a terminal if it reached one as it is.
CLEAR = "\x1b[2J"
TITLE = "\x1b]0;owned\x07"
LINK = "\x1b]8;;https://example.com/\x1b\\click\x1b]8;;\x1b\\"
CURSOR = "\x1b[5A\x1b[10C"
C1_CSI = "\x9b2J"
BELL = "\x07"
BIDI = "\u202e"
MARKUP = "[bold]loud[/bold] [link=https://example.com/]here[/link] [red on white]x[/]"
HOSTILE = {
    "role": f"Front{CLEAR}{TITLE}end {MARKUP}",
    "summary": f"Builds{LINK} pages{BELL}",
    "label": f"Very{CURSOR} much {C1_CSI}{BIDI} {MARKUP}",
    "question": f"Do you care{CLEAR} how it looks? [blink]now[/blink]",
    "title": f"Which{TITLE} developer? [bold red]x[/]",
    "advice": f"Be a [link=https://example.com/]frontend[/link]{LINK} developer.",
}
# What `printable` shows in place of the escape character, so the text stays readable.
SHOWN = {
    CLEAR: r"\x1b[2J",
    TITLE: r"\x1b]0;owned\x07",
    CURSOR: r"\x1b[5A\x1b[10C",
    C1_CSI: r"\x9b2J",
    BIDI: r"\u202e",
}


def _yaml(value: str) -> str:
    return json.dumps(value)  # a JSON string is a YAML double-quoted scalar


def hostile_kb() -> str:
    text = SMALL_KB
    for old, new in [
        ("name: Frontend developer", f"name: {_yaml(HOSTILE['role'])}"),
        ("summary: Builds what users see.", f"summary: {_yaml(HOSTILE['summary'])}"),
        ("label: Very much", f"label: {_yaml(HOSTILE['label'])}"),
        ("text: Do you care how it looks?", f"text: {_yaml(HOSTILE['question'])}"),
        (
            "title: Which developer?",
            f"title: {_yaml(HOSTILE['title'])}\n    advice: {{frontend: {_yaml(HOSTILE['advice'])}}}"
            # The same words whatever the verdict's label, so that they are shown either way.
            f"\n    leaning: {{close: {{frontend: {_yaml(HOSTILE['advice'])}}},"
            f" uncertain: {{frontend: {_yaml(HOSTILE['advice'])}}}}}",
        ),
    ]:
        assert old in text
        text = text.replace(old, new)
    return text


# Answers that make the hostile role win, with the hostile option among the reasons.
ANSWERS = {"look": "yes", "talk": "yes"}


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path]:
    kb = tmp_path / "hostile.yaml"
    kb.write_text(hostile_kb(), encoding="utf-8")
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(ANSWERS))
    return kb, answers


def _run(*args: str, colour: bool = False) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "COLUMNS": "400"}
    env.pop("ROLEFIT_DATA", None)
    env.pop("NO_COLOR" if colour else "FORCE_COLOR", None)
    env["FORCE_COLOR" if colour else "NO_COLOR"] = "1"
    return subprocess.run([str(ROLEFIT), *args], capture_output=True, env=env, stdin=subprocess.DEVNULL, timeout=10)


# With colour on, Rich writes Select Graphic Rendition sequences (ESC [ ... m) and,
# for its own links, nothing else. Anything else came from the knowledge base.
_ESCAPE = re.compile(rb"\x1b(\[[0-9;]*m)?")


def assert_terminal_safe(output: bytes) -> None:
    others = [m.group(0) for m in _ESCAPE.finditer(output) if m.group(1) is None]
    assert others == [], f"escape sequences other than colours: {output!r}"
    for raw in (b"\x07", b"\xc2\x9b", BIDI.encode(), b"\x1b]", b"\x1b[2J", b"\x1b[5A"):
        assert raw not in output


def plain(output: bytes) -> str:
    """The text as a person sees it: colours removed, table borders and wrapping undone."""
    text = re.sub(rb"\x1b\[[0-9;]*m", b"", output).decode()
    return " ".join(re.sub(r"[│┃║╭╮╰╯─┬┴┼├┤═]", " ", text).split())


COMMANDS = {
    "compare": ("compare",),
    "quiz": ("quiz", "--answers", "{answers}"),
    "questions": ("questions",),
}


@pytest.mark.parametrize(
    ("colour", "read"), [(False, False), (True, False), (True, True)], ids=["plain", "colour", "read"]
)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_tables_panels_and_lists_show_escapes_and_markup_as_literal_text(
    hostile: tuple[Path, Path], command: str, colour: bool, read: bool
) -> None:
    """As drawn, plain or in colour, and as read out by a screen reader (`--accessible`, which
    has no colour even when it is asked for)."""
    kb, answers = hostile
    args = [str(answers) if a == "{answers}" else a for a in COMMANDS[command]]
    done = _run(*(["--accessible"] if read else []), *args, "--data", str(kb), colour=colour)
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert_terminal_safe(done.stdout)
    if not colour or read:
        assert b"\x1b" not in done.stdout
    seen = plain(done.stdout)
    # Markup is shown as written, not obeyed; escape characters are shown as \x1b.
    expected = {
        "compare": [
            SHOWN[CLEAR],
            SHOWN[TITLE],
            "[bold]loud[/bold] [link=https://example.com/]here[/link]",
            r"\x1b]8;;",
        ],
        "quiz": [
            "[bold]loud[/bold]",
            SHOWN[TITLE],
            "[bold red]x[/]",
            "Be a [link=https://example.com/]frontend[/link]",
            SHOWN[CURSOR],
            SHOWN[C1_CSI],
            SHOWN[BIDI],
        ],
        "questions": [SHOWN[TITLE], SHOWN[CLEAR], "[blink]now[/blink]", SHOWN[CURSOR], SHOWN[C1_CSI], SHOWN[BIDI]],
    }[command]
    for shown in expected:
        assert shown in seen, (shown, seen)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_json_keeps_the_text_unchanged_and_its_bytes_safe(hostile: tuple[Path, Path], command: str) -> None:
    kb, answers = hostile
    args = [str(answers) if a == "{answers}" else a for a in COMMANDS[command]]
    done = _run(*args, "--data", str(kb), "--json")
    assert done.returncode == 0, done.stderr
    assert b"\x1b" not in done.stdout and b"\x07" not in done.stdout
    assert b"\xc2\x9b" not in done.stdout and BIDI.encode() not in done.stdout
    document = json.loads(done.stdout)
    if command == "compare":
        frontend = next(r for r in document["roles"] if r["id"] == "frontend")
        assert frontend["name"] == HOSTILE["role"]
        assert frontend["summary"] == HOSTILE["summary"]
    elif command == "quiz":
        assert document["scores"][0]["name"] == HOSTILE["role"]
        assert document["verdict"]["summary"].startswith(HOSTILE["advice"])  # then what would change it
        assert any(HOSTILE["label"] in reason["text"] for reason in document["verdict"]["reasons"])
    else:
        assert document["title"] == HOSTILE["title"]
        assert document["questions"][0]["text"] == HOSTILE["question"]
        assert document["questions"][0]["options"][0]["label"] == HOSTILE["label"]


def test_an_error_quoting_hostile_text_is_one_safe_line(hostile: tuple[Path, Path]) -> None:
    kb, _ = hostile
    done = _run("compare", f"yoga{CLEAR}{TITLE}\nteacher", "--data", str(kb))
    assert done.returncode == 2
    assert b"\x1b" not in done.stderr and b"\x07" not in done.stderr
    (line,) = done.stderr.decode().splitlines()
    assert line.startswith('rolefit: unknown role "yoga\\u001b[2J')
