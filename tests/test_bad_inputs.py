"""Hostile knowledge bases and answers files, run through the installed `rolefit`.

Each case is a file under tests/bad_inputs/ (or one made here: too big for the
repository, or not a plain file), the command that reads it, and what must come
out: exit 2, nothing on stdout and one line on stderr, `rolefit: FILE`, then the
line and field where there is one and the start of the message.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from rolefit.files import MAX_BYTES
from rolefit.kb.reader import MAX_VALUES
from tests.conftest import ROOT_CANNOT_BE_REFUSED, as_a_user

ROLEFIT = Path(sys.executable).parent / "rolefit"
CORPUS = Path(__file__).parent / "bad_inputs"
DEV = CORPUS / "dev.yaml"  # a valid knowledge base with the quiz `pick`
#: A guard against hangs only. Every case but one takes well under a second on a quiet
#: machine; `many-values` reads half a million lines before it is refused, which with
#: four cases at once on a loaded two-core machine has taken over 10 s (and 30 s).
TIMEOUT = 60.0

Maker = Callable[[Path], Path]


@dataclass(frozen=True)
class Case:
    """`source` is a file under tests/bad_inputs/, or a function that makes one in a temporary directory."""

    source: str | Maker
    expected: str  # what follows "rolefit: FILE" on the error line
    command: tuple[str, ...] = ("compare", "--json", "--data", "{file}")
    code: int = 2
    stdin: bytes = b""
    wrap: tuple[str, ...] = ()  # run the command under this one (see `unreadable`)
    names: str = ""  # the file the message names, when not `{file}` but one beside it (an areas table)


def kb(name: str, expected: str, *command: str) -> Case:
    return Case(f"kb/{name}", expected, command or ("compare", "--json", "--data", "{file}"))


def answers(name: str, expected: str, *before: str) -> Case:
    return Case(f"answers/{name}", expected, (*before, "quiz", "--data", str(DEV), "--answers", "{file}", "--json"))


# Files that cannot or should not be committed ------------------------------------------------


def directory(tmp: Path) -> Path:
    (tmp / "a-directory.yaml").mkdir()
    return tmp / "a-directory.yaml"


def missing(tmp: Path) -> Path:
    return tmp / "no-such-file.yaml"


def unreadable(tmp: Path) -> Path:
    path = tmp / "unreadable.yaml"
    path.write_text(DEV.read_text())
    path.chmod(0)
    return path


def too_large(tmp: Path) -> Path:
    path = tmp / "too-large.yaml"
    with path.open("wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: instant, and takes no disk space
    return path


def written(name: str, text: str) -> Maker:
    def make(tmp: Path) -> Path:
        (tmp / name).write_text(text)
        return tmp / name

    return make


#: The areas table `with_areas` writes beside the knowledge base, and the row for the whole region.
AREAS = "pay.csv"
AREAS_HEADER = "code,area,employment,hourly_median,annual_median,annual_p10,annual_p90,hourly_mean,annual_mean\n"
WHOLE_REGION = "US,National,1000,20,40000,30000,60000,21,42000\n"
CALIFORNIA = "CA,California,1000,20,40000,30000,60000,21,42000\n"


def with_areas(table: str) -> Maker:
    """dev.yaml with the region US, whose areas table (`AREAS`, beside it) is `table`."""

    def make(tmp: Path) -> Path:
        areas = f"{{file: {AREAS}, label: Pay, period: '2025', source: Nowhere, currency: $}}"
        regions = f"regions:\n  US:\n    name: US\n    areas: {areas}\n"
        (tmp / "kb.yaml").write_text(DEV.read_text().replace("traits:\n", regions + "traits:\n", 1))
        (tmp / AREAS).write_text(table)
        return tmp / "kb.yaml"

    return make


def areas_linked_to(target: str) -> Maker:
    """`with_areas` of a valid table at `target`, with a symbolic link to it in the table's name."""

    def make(tmp: Path) -> Path:
        kb = with_areas("")(tmp)
        (tmp / AREAS).unlink()
        (tmp / target).parent.mkdir(parents=True, exist_ok=True)
        (tmp / target).write_text(AREAS_HEADER + WHOLE_REGION + CALIFORNIA)
        (tmp / AREAS).symlink_to(target)
        return kb

    return make


def area_case(table: str, expected: str, *command: str) -> Case:
    """A case of an areas table, read for the area CA (or as `command` says)."""
    command = command or ("compare", "--json", "--data", "{file}", "--region", "US-CA")
    return Case(with_areas(AREAS_HEADER + WHOLE_REGION + table), expected, command, names=AREAS)


CASES: dict[str, Case] = {
    # Files that are not YAML text at all.
    "directory": Case(directory, ": is a directory, not a file"),
    "missing-file": Case(missing, ": no such file"),
    "unreadable": Case(unreadable, ": permission denied", wrap=as_a_user()),
    "too-large": Case(too_large, f": larger than the {MAX_BYTES // 2**20} MiB limit for a file"),
    "too-large-on-stdin": Case(
        "-",
        f": larger than the {MAX_BYTES // 2**20} MiB limit for a file",
        ("quiz", "--data", str(DEV), "--answers", "-"),
        stdin=b"look: meh\n" * (MAX_BYTES // 10 + 1),
    ),
    "binary-on-stdin": Case(
        "-",
        ": looks like a binary file",
        ("quiz", "--data", str(DEV), "--answers", "-"),
        stdin=b"\x7fELF\x02\x01\x00\x00",
    ),
    "empty": kb("empty.yaml", ": expected a knowledge base (a mapping at the top), got nothing"),
    "comments-only": kb("comments-only.yaml", ": expected a knowledge base (a mapping at the top), got nothing"),
    "not-yaml": kb("not-yaml.yaml", ":3: not valid YAML: did not find expected ',' or ']'"),
    "tab-indent": kb("tab-indent.yaml", ":3: not valid YAML: found character that cannot start any token"),
    "latin-1": kb("latin-1.yaml", ":17: not UTF-8 text (byte 0xe9)"),
    "utf-16": kb("utf-16.yaml", ": UTF-16 or UTF-32 text: save it as UTF-8"),
    "binary": kb("binary.yaml", ": looks like a binary file, not YAML or JSON text"),
    "two-documents": kb("two-documents.yaml", ":67: not valid YAML: but found another document"),
    "top-level-list": kb("top-level-list.yaml", ":1: expected a knowledge base (a mapping at the top), got a list"),
    "top-level-text": kb(
        "top-level-text.yaml", ':1: expected a knowledge base (a mapping at the top), got "just some words"'
    ),
    # YAML's traps.
    "billion-laughs": kb("billion-laughs.yaml", f":8: expands to more than {MAX_VALUES:,} values, aliases included"),
    "merge-key-bomb": kb("merge-key-bomb.yaml", f":9: expands to more than {MAX_VALUES:,} values, aliases included"),
    "many-values": Case(
        written("many-values.yaml", "".join(f"k{i}: {i}\n" for i in range(MAX_VALUES // 2 + 10))),
        f":{MAX_VALUES // 2}: expands to more than {MAX_VALUES:,} values, aliases included (the limit for a file)",
    ),
    "recursive-alias": kb("recursive-alias.yaml", ":3: the alias *roles refers to a value that contains it"),
    "undefined-alias": kb("undefined-alias.yaml", ":20: not valid YAML: found undefined alias"),
    "deep-block-nesting": kb("deep-block-nesting.yaml", ":65: nested too deeply (the limit is 64 levels)"),
    "deep-brackets": Case(written("brackets.yaml", "[" * 100_000), ":1: nested too deeply (the limit is 64 levels)"),
    "deep-braces": Case(
        written("braces.yaml", "a: " + "{a: " * 100_000), ":1: nested too deeply (the limit is 64 levels)"
    ),
    "deep-closed-brackets": Case(
        written("closed.yaml", "a: " + "[" * 70 + "]" * 70 + "\n"), ":1: nested too deeply (the limit is 64 levels)"
    ),
    "duplicate-role": kb("duplicate-role.yaml", ':40: roles.frontend: duplicate key "frontend" (first at line 15)'),
    "duplicate-question-id": kb(
        "duplicate-question-id.yaml", ':61: quizzes.pick.questions.look.id: duplicate question id "look"'
    ),
    "duplicate-option-id": kb(
        "duplicate-option-id.yaml", ':59: quizzes.pick.questions.look.options.yes.id: duplicate option id "yes"'
    ),
    "duplicate-trait-key": kb("duplicate-trait-key.yaml", ':20: roles.frontend.traits.visual: duplicate key "visual"'),
    "duplicate-top-level-key": kb(
        "duplicate-top-level-key.yaml", ':67: title: duplicate key "title" (first at line 2)'
    ),
    "merge-then-duplicate": kb(
        "merge-then-duplicate.yaml", ':29: roles.backend.name: duplicate key "name" (first at line 28)'
    ),
    "merge-of-a-scalar": kb(
        "merge-of-a-scalar.yaml", ":27: not valid YAML: expected a mapping or list of mappings for merging"
    ),
    "no-read-as-false": kb(
        "no-read-as-false.yaml",
        ":66: quizzes.pick.questions.talk.options.no.label: expected text, got false (YAML reads yes/no/on/off",
    ),
    "yes-as-option-id": kb("yes-as-option-id.yaml", ":58: quizzes.pick.questions.look.options.#1.id: expected an id"),
    "exponent-as-text": kb(
        "exponent-as-text.yaml",
        ':63: quizzes.pick.questions.talk.weight: expected a number above 0 and at most 100, got "1e3" (text: YAML',
    ),
    "date-as-period": kb(
        "date-as-period.yaml", ":39: roles.backend.income.figures.#1.period: expected text, got the date 2020-01-01"
    ),
    "octal-weight": kb("octal-weight.yaml", ":63: quizzes.pick.questions.#2.weight: YAML reads 010 as the number 8"),
    "octal-question-id": kb(
        "octal-question-id.yaml", ":61: quizzes.pick.questions.#2.id: YAML reads 010 as the number 8"
    ),
    "hex-weight": kb("hex-weight.yaml", ":63: quizzes.pick.questions.#2.weight: YAML reads 0x10 as the number 16"),
    "sexagesimal-weight": kb(
        "sexagesimal-weight.yaml", ":63: quizzes.pick.questions.#2.weight: YAML reads 1:30 as the number 90"
    ),
    "huge-number": kb(
        "huge-number.yaml", ":63: quizzes.pick.questions.#2.weight: a number of 5000 digits (at most 40)"
    ),
    "lone-surrogate-in-json": Case(
        written("lone.json", '{"title":\n "\\ud83d"}'),
        ":2: an escape that names no character (half of a surrogate pair?)",  # half a character is no text
    ),
    "python-tag": kb("python-tag.yaml", ":63: not valid YAML: could not determine a constructor for the tag"),
    "unhashable-key": kb("unhashable-key.yaml", ":15: not valid YAML: found unhashable key"),
    # The schema.
    "schema-version-missing": kb(
        "schema-version-missing.yaml", ":1: missing schema_version (this rolefit reads version 1)"
    ),
    "schema-version-unknown": kb("schema-version-unknown.yaml", ":1: schema_version: unsupported version 7"),
    "schema-version-true": kb("schema-version-true.yaml", ":1: schema_version: unsupported version true"),
    "schema-version-float": kb("schema-version-float.yaml", ":1: schema_version: unsupported version 1.0"),
    "schema-version-text": kb("schema-version-text.yaml", ':1: schema_version: unsupported version "1"'),
    "missing-summary": kb("missing-summary.yaml", ":15: roles.frontend.summary: required field is missing"),
    "missing-title": kb("missing-title.yaml", ":1: title: required field is missing"),
    "null-name": kb("null-name.yaml", ":16: roles.frontend.name: expected text, got nothing"),
    "empty-text": kb("empty-text.yaml", ':16: roles.frontend.name: expected text, got ""'),
    "blank-text": kb("blank-text.yaml", ":16: roles.frontend.name: expected text, got only white space"),
    "blank-verdict": kb("blank-verdict.yaml", ":54: quizzes.pick.advice.backend: expected text, got only white space"),
    "text-too-long": kb("text-too-long.yaml", ':16: roles.frontend.name: expected text, got "xxxxxxxx'),
    "position-as-text": kb(
        "position-as-text.yaml", ':20: roles.frontend.traits.visual: expected a number from 0 to 1, got "high"'
    ),
    "position-above-one": kb(
        "position-above-one.yaml", ":20: roles.frontend.traits.visual: expected a number from 0 to 1, got 1.5"
    ),
    "position-negative": kb(
        "position-negative.yaml", ":20: roles.frontend.traits.visual: expected a number from 0 to 1, got -0.1"
    ),
    "position-nan": kb(
        "position-nan.yaml", ":20: roles.frontend.traits.visual: expected a number from 0 to 1, got nan"
    ),
    "weight-zero": kb(
        "weight-zero.yaml", ":63: quizzes.pick.questions.talk.weight: expected a number above 0 and at most 100, got 0"
    ),
    "weight-infinite": kb(
        "weight-infinite.yaml",
        ":63: quizzes.pick.questions.talk.weight: expected a number above 0 and at most 100, got inf",
    ),
    "weight-too-big": kb(
        "weight-too-big.yaml",
        ":63: quizzes.pick.questions.talk.weight: expected a number above 0 and at most 100, got 101",
    ),
    "scoring-out-of-range": kb(
        "scoring-out-of-range.yaml", ":67: scoring.both_within: expected a number of fit points from 0 to 100, got 150"
    ),
    "duties-not-a-list": kb("duties-not-a-list.yaml", ':18: roles.frontend.duties: expected a list, got "Build pages"'),
    "duties-empty": kb("duties-empty.yaml", ":18: roles.frontend.duties: expected at least 1 item(s), got 0"),
    "options-not-a-list": kb(
        "options-not-a-list.yaml", ':64: quizzes.pick.questions.talk.options: expected a list, got "many"'
    ),
    "unknown-field": kb("unknown-field.yaml", ":21: roles.frontend.focus.colour: unknown field"),
    "bad-role-id": kb("bad-role-id.yaml", ":15: roles.Front End: expected an id of lowercase letters, digits"),
    "number-as-role-id": kb(
        "number-as-role-id.yaml",
        ":40: roles.42: expected an id of lowercase letters, digits, '-' or '_' (at most 64), got 42",
    ),
    "unknown-dimension": kb("unknown-dimension.yaml", ":6: traits.visual.dimension: expected one of 'focus'"),
    "unknown-trait-in-role": kb(
        "unknown-trait-in-role.yaml",
        ':20: roles.frontend.traits.colour: unknown trait "colour" (known: people, visual)',
    ),
    "missing-trait-in-role": kb("missing-trait-in-role.yaml", ':45: roles.data.traits: missing trait "people"'),
    "unknown-trait-in-option": kb(
        "unknown-trait-in-option.yaml",
        ':58: quizzes.pick.questions.look.options.yes.places.colour: unknown trait "colour"',
    ),
    "unknown-role-in-advice": kb(
        "unknown-role-in-advice.yaml", ':54: quizzes.pick.advice.designer: unknown role "designer"'
    ),
    "unknown-default-quiz": kb("unknown-default-quiz.yaml", ':3: default_quiz: unknown quiz "choose" (known: pick)'),
    "one-role": kb("one-role.yaml", ":14: roles: expected at least 2 item(s), got 1"),
    "no-roles": kb("no-roles.yaml", ":14: roles: expected at least 2 item(s), got 0"),
    "no-quizzes": kb("no-quizzes.yaml", ":51: quizzes: expected at least 1 item(s), got 0"),
    "quiz-without-questions": kb(
        "quiz-without-questions.yaml",
        ":54: quizzes.pick.questions: expected at least 1 item(s), got 0",
        "questions",
        "--data",
        "{file}",
    ),
    "question-with-one-option": kb(
        "question-with-one-option.yaml",
        ":57: quizzes.pick.questions.look.options: expected at least 2 item(s), got 1",
        "quiz",
        "--data",
        "{file}",
        "--answers",
        "-",
    ),
    "option-without-effect": kb(
        "option-without-effect.yaml", ":60: quizzes.pick.questions.look.options.meh: option has no effect"
    ),
    "neutral-option-with-places": kb(
        "neutral-option-with-places.yaml",
        ":60: quizzes.pick.questions.look.options.meh.places: a neutral option must not place",
    ),
    "every-option-neutral": kb(
        "every-option-neutral.yaml", ":61: quizzes.pick.questions.talk: every option is neutral"
    ),
    # Areas tables.
    "areas-employment-of-400-digits": area_case(
        f"CA,California,{'9' * 400},20,40000,30000,60000,21,42000\n",
        ':3: employment: expected a number from 0 to 1,000,000,000, got "9999',
    ),
    "areas-pay-of-309-digits": area_case(
        f"CA,California,1000,20,40000,30000,60000,21,{'9' * 309}\n",
        ':3: annual_mean: expected a number from 0 to 1,000,000,000, got "9999',
        "show",
        "frontend",
        "--json",
        "--data",
        "{file}",
        "--region",
        "US-CA",
    ),
    "areas-pay-too-large-to-be-real": area_case(
        "CA,California,1000,20,40000,30000,60000,21,1000000001\n",
        ':3: annual_mean: expected a number from 0 to 1,000,000,000, got "1000000001"',
    ),
    "areas-too-many-lines": area_case("\n" * 100_000 + CALIFORNIA, ": more than 100,000 lines (the limit for"),
    "areas-linked-out-of-the-folder": Case(
        areas_linked_to("elsewhere/pay.csv"),
        ": is a symbolic link out of the knowledge base's folder (an areas table must be in it)",
        ("compare", "--json", "--data", "{file}", "--region", "US-CA"),
        names=AREAS,
    ),
    # Answers files.
    "answers-unknown-question": answers(
        "unknown-question.yaml", ':3: tempo: unknown question "tempo" in quiz "pick" (known: look, talk)'
    ),
    "answers-unknown-option": answers(
        "unknown-option.yaml", ':1: look: unknown option "loud" for question "look" (known: yes, no, meh)'
    ),
    "answers-missing-answer": answers("missing-answer.yaml", ':1: no answer for question "talk"'),
    "answers-list": answers("list.yaml", ":1: expected a mapping of question id to option id, got a list"),
    "answers-text": answers("text.yaml", ':1: expected a mapping of question id to option id, got "look and talk"'),
    "answers-empty": answers("empty.yaml", ": expected a mapping of question id to option id, got nothing"),
    "answers-option-as-list": answers("option-as-list.yaml", ":1: look: unknown option a list"),
    "answers-option-as-mapping": answers("option-as-mapping.yaml", ":1: look: unknown option a mapping"),
    "answers-option-number-zero": answers("option-number-zero.yaml", ":1: look: unknown option 0"),
    "answers-option-number-too-big": answers("option-number-too-big.yaml", ":1: look: unknown option 9"),
    "answers-option-as-float": answers("option-as-float.yaml", ":1: look: unknown option 1.0"),
    "answers-yes-read-as-true": answers(
        "yes-read-as-true.yaml", ":1: look: unknown option true (YAML reads yes/no/on/off"
    ),
    "answers-question-as-number": answers("question-as-number.yaml", ':1: 1: unknown question 1 in quiz "pick"'),
    "answers-duplicate-question": answers(
        "duplicate-question.yaml", ':3: look: duplicate key "look" (first at line 1)'
    ),
    "answers-saved-for-another-quiz": answers(
        "saved-for-another-quiz.json", ':3: quiz: unknown quiz "other" (known: pick)'
    ),
    "answers-saved-quiz-not-text": answers("saved-quiz-not-text.json", ":3: quiz: expected a quiz id, got 5"),
    "answers-saved-answers-not-a-mapping": answers(
        "saved-answers-not-a-mapping.json", ":4: answers: expected a mapping of question id to option id, got a list"
    ),
    "answers-json-syntax-error": answers(
        "json-syntax-error.json", ":1: not valid YAML: did not find expected ',' or '}'"
    ),
    "answers-not-utf-8": answers("not-utf-8.yaml", ":2: not UTF-8 text (byte 0xf6)"),
    "answers-binary": answers("binary.yaml", ": looks like a binary file"),
    "answers-alias-bomb": answers("alias-bomb.yaml", f":6: expands to more than {MAX_VALUES:,} values"),
    "answers-deep-nesting": answers("deep-nesting.yaml", ":1: nested too deeply (the limit is 64 levels)"),
    "answers-career-for-hiring": Case(
        "answers/career-answers-for-hiring.yaml",
        ':1: crowd: unknown question "crowd" in quiz "hiring"',
        ("quiz", "--for", "hiring", "--answers", "{file}"),
    ),
    "answers-directory": Case(
        directory, ": is a directory, not a file", ("quiz", "--data", str(DEV), "--answers", "{file}")
    ),
    "answers-missing-file": Case(missing, ": no such file", ("quiz", "--data", str(DEV), "--answers", "{file}")),
}


@dataclass(frozen=True)
class Run:
    file: str  # as the command was given it, and as the message must name it
    returncode: int
    stdout: str
    stderr: str
    seconds: float


def _run(case: Case, tmp: Path) -> Run:
    if isinstance(case.source, str):
        file = case.source if case.source == "-" else str(CORPUS / case.source)
    else:
        file = str(case.source(tmp))
    command = [*case.wrap, str(ROLEFIT), *(file if a == "{file}" else a for a in case.command)]
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    env.pop("ROLEFIT_DATA", None)
    start = time.monotonic()
    done = subprocess.run(command, input=case.stdin, capture_output=True, env=env, timeout=TIMEOUT)
    seconds = time.monotonic() - start
    shown = "<stdin>" if file == "-" else str(Path(file).parent / case.names) if case.names else file
    return Run(shown, done.returncode, done.stdout.decode(), done.stderr.decode("utf-8", "replace"), seconds)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """Every case, run at once in parallel: each is a separate process."""
    runnable = {name: case for name, case in CASES.items() if case.wrap != ("skip",)}

    def one(item: tuple[str, Case]) -> tuple[str, Run]:
        name, case = item
        return name, _run(case, tmp_path_factory.mktemp(name))

    with ThreadPoolExecutor(max_workers=min(8, (os.cpu_count() or 2) * 2)) as pool:
        results = dict(pool.map(one, runnable.items()))
    seconds = sorted(r.seconds for r in results.values())
    print(f"\n{len(seconds)} bad inputs: median {statistics.median(seconds):.2f} s, max {seconds[-1]:.2f} s")
    return results


def test_the_corpus_is_large_and_every_committed_file_has_a_case() -> None:
    assert len(CASES) >= 50
    committed = {str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file() and p != DEV}
    committed = {name for name in committed if not name.startswith("cache/")}  # test_cache.py reads those
    used = {c.source for c in CASES.values() if isinstance(c.source, str)}
    assert committed <= used, f"files without a case: {sorted(committed - used)}"


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_one_line_naming_the_file(runs: dict[str, Run], name: str) -> None:
    case = CASES[name]
    if case.wrap == ("skip",):
        pytest.skip(ROOT_CANNOT_BE_REFUSED)
    run = runs[name]
    assert run.returncode == case.code, run.stderr
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    prefix = f"rolefit: {run.file}"
    assert lines[0].startswith(prefix), lines[0]
    assert lines[0][len(prefix) :].startswith(case.expected), lines[0]


# Inputs that look odd but are fine ---------------------------------------------------------------


def _json(*args: str, stdin: bytes = b"") -> object:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("ROLEFIT_DATA", None)
    done = subprocess.run([str(ROLEFIT), *args, "--json"], input=stdin, capture_output=True, env=env, timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda b: b"\xef\xbb\xbf" + b, id="utf-8-bom"),
        pytest.param(lambda b: b.replace(b"\n", b"\r\n"), id="windows-line-endings"),
        pytest.param(lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n"), id="bom-and-windows-line-endings"),
    ],
)
def test_bom_and_windows_line_endings_are_read_as_usual(tmp_path: Path, variant: Callable[[bytes], bytes]) -> None:
    kb = tmp_path / "kb.yaml"
    kb.write_bytes(variant(DEV.read_bytes()))
    answers = tmp_path / "answers.yaml"
    answers.write_bytes(variant(b'look: "yes"\ntalk: 2\n'))
    assert _json("compare", "--data", str(kb)) == _json("compare", "--data", str(DEV))
    plain = _json("quiz", "--data", str(DEV), "--answers", "-", stdin=b'look: "yes"\ntalk: 2\n')
    read = _json("quiz", "--data", str(kb), "--answers", str(answers))
    assert isinstance(read, dict) and isinstance(plain, dict)
    # The same result; only the command that replays it names the other file.
    assert read.pop("replay") == f"rolefit quiz --code pick:1-2 --data {kb}"
    assert read == {k: v for k, v in plain.items() if k != "replay"}
    assert _json("quiz", "--data", str(DEV), "--answers", "-", stdin=answers.read_bytes()) == plain


def test_anchors_and_merge_keys_share_values(tmp_path: Path) -> None:
    text = DEV.read_text()
    text = text.replace("  frontend:\n", "  frontend: &frontend\n", 1)
    start, end = text.index("  data:\n"), text.index("quizzes:\n")
    # `data` takes everything from `frontend` but what it says itself.
    text = (
        text[:start]
        + "  data:\n    <<: *frontend\n    name: Data engineer\n    traits: &low {visual: 0.2, people: 0.2}\n"
        + text[end:]
    )
    kb = tmp_path / "merged.yaml"
    kb.write_text(text)
    roles = {r["id"]: r for r in _json("compare", "--data", str(kb))["roles"]}  # type: ignore[index]
    assert roles["data"]["name"] == "Data engineer"
    assert roles["data"]["traits"] == {"visual": 0.2, "people": 0.2}
    assert {k: v for k, v in roles["data"].items() if k not in ("id", "name", "traits")} == {
        k: v for k, v in roles["frontend"].items() if k not in ("id", "name", "traits")
    }


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_with_a_writer_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "answers.fifo"
    os.mkfifo(fifo)
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("ROLEFIT_DATA", None)
    reader = subprocess.Popen(
        [str(ROLEFIT), "quiz", "--data", str(DEV), "--answers", str(fifo), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    time.sleep(0.2)  # let rolefit reach the pipe first: it waits for the writer, as `cat` would
    with fifo.open("w") as writer:
        writer.write('look: "yes"\ntalk: "no"\n')
    out, err = reader.communicate(timeout=TIMEOUT)
    assert reader.returncode == 0, err
    assert json.loads(out)["answers"] == {"look": "yes", "talk": "no"}


@pytest.mark.parametrize("ensure_ascii", [True, False])
@pytest.mark.parametrize("indent", [2, "\t"])
def test_json_as_json_dump_writes_it_is_read_and_its_lines_are_named(
    tmp_path: Path, ensure_ascii: bool, indent: int | str
) -> None:
    import yaml

    data = yaml.safe_load(DEV.read_text())
    # An emoji (an escaped surrogate pair with ensure_ascii), U+FFFF, DEL, a C1 control, NEL
    # and U+2028: JSON takes each as it is, YAML refuses or breaks lines at some.
    name = "Front\U0001f600\uffff\x7f\x90\x85\u2028end"
    data["roles"]["frontend"]["name"] = name
    kb = tmp_path / "kb.json"
    kb.write_text(json.dumps(data, indent=indent, ensure_ascii=ensure_ascii), encoding="utf-8")
    roles = {r["id"]: r for r in _json("compare", "--data", str(kb))["roles"]}  # type: ignore[index]
    assert roles["frontend"]["name"] == name
    data["roles"]["backend"]["traits"]["visual"] = 3
    text = json.dumps(data, indent=indent, ensure_ascii=ensure_ascii)
    kb.write_text(text, encoding="utf-8")
    line = next(n for n, written in enumerate(text.split("\n"), 1) if '"visual": 3' in written)
    done = subprocess.run([str(ROLEFIT), "validate", str(kb)], capture_output=True, timeout=TIMEOUT)
    assert done.returncode == 2
    assert done.stdout.decode().startswith(f"{kb}:{line}: roles.backend.traits.visual: expected a number from 0 to 1")


def test_an_areas_table_linked_to_in_its_folder_is_read(tmp_path: Path) -> None:
    kb = areas_linked_to("pay-2025.csv")(tmp_path)
    assert _json("compare", "--data", str(kb), "--region", "US-CA")["region"]["name"] == "California (US)"  # type: ignore[index]


def test_minus_zero_in_a_knowledge_base_is_zero(tmp_path: Path) -> None:
    from rolefit.kb.load import default_path

    kb = tmp_path / "kb.yaml"
    written = "cost: {low: -0.0, high: -0.0, unit: GBP}"
    kb.write_text(default_path().read_text().replace("cost: {low: 85, high: 85, unit: USD}", written, 1))
    steps = _json("show", "personal-trainer", "--data", str(kb))["role"]["next_steps"]  # type: ignore[index]
    (cost,) = [
        s["cost"] for s in steps if s["cost"] is not None and s["cost"]["unit"] == "GBP" and not s["cost"]["high"]
    ]
    assert (repr(cost["low"]), repr(cost["high"])) == ("0.0", "0.0")
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    shown = subprocess.run([str(ROLEFIT), "show", "personal-trainer", "--data", str(kb)], capture_output=True, env=env)
    assert b"Cost 0 GBP" in shown.stdout and b"Cost -0" not in shown.stdout
