"""The docs against the project: every relative link and anchor leads somewhere, and every
command, option and environment variable they name is one rolefit has."""

from __future__ import annotations

import re
import shlex
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import typer.main

from rolefit.cli.commands import app

ROOT = Path(__file__).resolve().parents[1]
#: The pages people read: the README, the contributors' guide and the docs (docs/cli.md is
#: generated from the commands' help, and tests/test_generated.py keeps it so).
PAGES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
WRITTEN = [p for p in PAGES if p.name != "cli.md"]
#: Options of other programs that the docs name, and the file that defines each.
OTHER_OPTIONS = {"--quick": "benchmarks/run.py", "--check": "scripts/regenerate.py"}

FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _prose(text: str) -> str:
    """The text outside fenced code blocks and code spans: where a link is a link."""
    return re.sub(r"`[^`]*`", "", FENCE.sub("", text))


def _code(text: str) -> list[str]:
    """Each line of the fenced code blocks, and each code span."""
    blocks = [line for block in FENCE.finditer(text) for line in block.group(0).splitlines()[1:-1]]
    spans = [" ".join(span.split()) for span in re.findall(r"`([^`]+)`", FENCE.sub("", text))]
    return blocks + spans


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: its text without markup, lower case, with every
    character but letters, digits, `_`, `-` and spaces dropped and each space a hyphen."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text
    text = re.sub(r"[^\w\- ]", "", text.replace("`", "").lower())
    return text.replace(" ", "-")


@cache
def anchors(path: Path) -> frozenset[str]:
    """Every heading anchor of a Markdown file; a repeated heading's get -1, -2, ..."""
    seen: Counter[str] = Counter()
    found = set()
    for heading in re.findall(r"^#{1,6} +(.+?) *#* *$", FENCE.sub("", path.read_text(encoding="utf-8")), re.MULTILINE):
        base = slug(heading)
        found.add(base if not seen[base] else f"{base}-{seen[base]}")
        seen[base] += 1
    return frozenset(found)


def test_the_slug_rule() -> None:
    assert slug("`rolefit quiz`: which role fits you") == "rolefit-quiz-which-role-fits-you"
    assert slug("`rolefit compare [ROLE]...`: the roles side by side") == "rolefit-compare-role-the-roles-side-by-side"
    assert slug('Answers that mean "both"') == "answers-that-mean-both"
    assert slug("Ready to decide?") == "ready-to-decide"


def test_the_pages_are_found() -> None:
    names = {_rel(p) for p in PAGES}
    assert {"README.md", "CONTRIBUTING.md", "docs/cli.md", "docs/reference.md", "docs/quality.md"} <= names


def broken_links(page: Path, root: Path) -> list[str]:
    """The relative links of a Markdown page that lead to no file under `root`, or to no heading."""
    broken = []
    for target in LINK.findall(_prose(page.read_text(encoding="utf-8"))):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:: not ours to check
            continue
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists() or not file.is_relative_to(root.resolve()):
            broken.append(f"{target}: no such file")
        elif anchor and file.suffix == ".md" and anchor not in anchors(file):
            broken.append(f"{target}: no such heading in {file.relative_to(root.resolve())}")
    return broken


@pytest.mark.parametrize("page", PAGES, ids=_rel)
def test_every_relative_link_leads_to_a_file_and_heading(page: Path) -> None:
    assert broken_links(page, ROOT) == []


def test_a_broken_link_and_a_missing_heading_are_found(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "a.md").write_text("# A page\n\n## `rolefit x`: the X\n\n```\n# not a heading\n```\n")
    (tmp_path / "x.md").touch()  # a file, but outside the tree
    page = root / "README.md"
    page.write_text(
        "[ok](docs/a.md#rolefit-x-the-x) `[not a link](nowhere.md)` [top](#a-readme)\n"
        "```\n[nor this](nowhere.md)\n```\n# A README\n"
        "[gone](docs/b.md) [wrong](docs/a.md#not-a-heading) [web](https://example.org/x) [out](../x.md)\n"
    )
    assert broken_links(page, root) == [
        "docs/b.md: no such file",
        "docs/a.md#not-a-heading: no such heading in docs/a.md",
        "../x.md: no such file",
    ]


@cache
def commands() -> dict[str, frozenset[str]]:
    """Each command's long options, and (under "") the options before a command."""
    group: Any = typer.main.get_command(app)

    def options(command: Any) -> frozenset[str]:
        names = {o for p in command.params for o in [*p.opts, *p.secondary_opts] if o.startswith("--")}
        helper = command.get_help_option(command.context_class(command))
        return frozenset(names | {o for o in helper.opts if o.startswith("--")})

    return {"": options(group), **{name: options(c) for name, c in group.commands.items()}}


#: Options before a command that end the command line: --help, --version and the completion ones.
ENDING = {"--help", "--version", "--install-completion", "--show-completion"}
#: Where a shell command ends.
OPERATORS = {"|", "||", "&&", ";", ">", ">>", "<", "&", "(", ")"}


def _words(line: str) -> list[str]:
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split, lexer.commenters = True, "#"
    try:
        return list(lexer)
    except ValueError:  # an unclosed quote in an example's output: its words as they stand
        return line.split()


def _invocations(line: str) -> list[tuple[str, list[str]]]:
    """Each `rolefit [OPTIONS] COMMAND --option ...` a line of code gives, as ("", the options
    before the command) and (the command, its long options); a placeholder is no command."""
    found, words = [], _words(line)
    for at in (i for i, word in enumerate(words) if word == "rolefit"):
        rest = words[at + 1 :]
        rest = rest[: next((i for i, w in enumerate(rest) if w in OPERATORS), len(rest))]
        first = next((i for i, w in enumerate(rest) if not w.startswith("-")), len(rest))
        before = rest[:first]
        found.append(("", before))
        command = rest[first] if first < len(rest) else ""
        if ENDING.isdisjoint(before) and re.fullmatch(r"[a-z][a-z-]*", command):  # not COMMAND, [OPTIONS]
            given = [w.split("=")[0] for w in rest[first + 1 :]]
            found.append((command, [w for w in given if OPTION.fullmatch(w)]))
    return found


def test_invocations_are_read_as_a_shell_reads_them() -> None:
    assert _invocations("rolefit --no-color compare --json -h | jq -r '.roles[]' --arg") == [
        ("", ["--no-color"]),
        ("compare", ["--json"]),
    ]
    assert _invocations("ROLEFIT_REGION=AU rolefit quiz --weight income=3 --region=UK  # not --this") == [
        ("", []),
        ("quiz", ["--weight", "--region"]),
    ]
    assert _invocations("rolefit --no-color COMMAND") == [("", ["--no-color"])]
    assert _invocations("rolefit --show-completion bash") == [("", ["--show-completion"])]
    assert _invocations("python -X importtime -m rolefit compare --json") == [("", []), ("compare", ["--json"])]
    assert _invocations("rolefit: kb.yaml:165: roles") == []


@pytest.mark.parametrize("page", WRITTEN, ids=_rel)
def test_every_command_and_option_in_an_example_is_rolefits(page: Path) -> None:
    known = commands()
    wrong = []
    for line in _code(page.read_text(encoding="utf-8")):
        for command, options in _invocations(line):
            if command and command not in known:
                wrong.append(f"{line}: no command {command!r}")
                continue
            wrong += [
                f"{line}: {command or 'rolefit'} has no {o}"
                for o in options
                if OPTION.fullmatch(o) and o not in known[command]
            ]
    assert wrong == [], wrong


@pytest.mark.parametrize("page", WRITTEN, ids=_rel)
def test_every_option_named_is_one_rolefit_or_its_scripts_have(page: Path) -> None:
    ours = frozenset().union(*commands().values())
    named = set(OPTION.findall(page.read_text(encoding="utf-8")))
    unknown = named - ours - set(OTHER_OPTIONS)
    assert unknown == set(), unknown
    for option, script in OTHER_OPTIONS.items():
        assert f'"{option}"' in (ROOT / script).read_text(encoding="utf-8"), (option, script)


def test_every_option_is_documented() -> None:
    # docs/cli.md lists every option by construction; the reference must say what each does.
    text = "".join((ROOT / "docs" / name).read_text(encoding="utf-8") for name in ("reference.md", "knowledge-base.md"))
    named = set(OPTION.findall(text))
    missing = {f"{command or 'rolefit'} {o}" for command, options in commands().items() for o in options - named}
    assert missing == set(), "describe them in docs/reference.md (or docs/knowledge-base.md)"


def _source() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "src" / "rolefit").rglob("*.py")))


@pytest.mark.parametrize("page", WRITTEN, ids=_rel)
def test_every_environment_variable_named_is_read(page: Path) -> None:
    source = _source()
    named = set(re.findall(r"\bROLEFIT_[A-Z_]+\b", page.read_text(encoding="utf-8")))
    assert {n for n in named if f'"{n}"' not in source} == set()


def test_every_environment_variable_read_is_documented() -> None:
    read = set(re.findall(r'"(ROLEFIT_[A-Z_]+)"', _source()))
    assert read >= {"ROLEFIT_DATA", "ROLEFIT_REGION", "ROLEFIT_CACHE_DIR"}
    assert read - set(re.findall(r"\bROLEFIT_[A-Z_]+\b", (ROOT / "docs" / "reference.md").read_text("utf-8"))) == set()


def test_the_readmes_table_lists_every_command_and_only_those() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Commands") :]
    table = [
        line
        for line in section[: section.index("\n\n", section.index("| command"))].splitlines()
        if line.startswith("| [")
    ]
    listed = [re.match(r"\| \[`rolefit ([a-z-]+)`\]", line) for line in table]
    assert all(listed), table
    assert sorted(m.group(1) for m in listed if m) == sorted(c for c in commands() if c)


def test_the_test_command_is_the_one_ci_runs() -> None:
    # .ci/run takes the first code block after the marker, as this does.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    after = readme[readme.index("<!-- test-command -->") :]
    block = re.search(r"^```[^\n]*\n(.*?)^```", after, re.MULTILINE | re.DOTALL)
    assert block is not None
    assert block.group(1) == "python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[test]' && pytest\n"
    assert "<!-- test-command -->" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
