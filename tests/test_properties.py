"""Property tests: random valid knowledge bases and answers always give a result, with
fits from 0 to 100 that do not depend on the file's order; random bytes and random
YAML only ever give a result or one `rolefit:` line, never a traceback."""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

from rolefit.cli.commands import app
from rolefit.errors import RolefitError
from rolefit.kb.load import load_knowledge_base
from rolefit.kb.models import DIMENSIONS
from rolefit.output import jsonout
from rolefit.scoring.answers import load_answers
from rolefit.scoring.score import score
from rolefit.views import terminal
from tests.conftest import SMALL_KB

IDS = st.from_regex(r"[a-z][a-z0-9_-]{0,11}", fullmatch=True)
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30).filter(str.strip)
UNIT = st.floats(0, 1, allow_nan=False)


@st.composite
def knowledge_bases(draw: st.DrawFn) -> dict[str, Any]:
    """The data of a valid knowledge base: every reference resolves, every limit holds."""
    traits = draw(st.lists(IDS, min_size=1, max_size=5, unique=True))
    role_ids = draw(st.lists(IDS, min_size=2, max_size=5, unique=True))
    aspect = {"summary": "A summary"}

    def role(role_id: str) -> dict[str, Any]:
        return {
            "name": draw(TEXT),
            "summary": draw(TEXT),
            "duties": [draw(TEXT)],
            "choose_if": [draw(TEXT)],
            "traits": {t: draw(UNIT) for t in traits},
            **{d: dict(aspect) for d in DIMENSIONS},
        }

    def option(option_id: str, neutral: bool) -> dict[str, Any]:
        if neutral:
            return {"id": option_id, "label": draw(TEXT), "neutral": True}
        placed = draw(st.lists(st.sampled_from(traits), min_size=1, unique=True))
        return {"id": option_id, "label": draw(TEXT), "places": {t: draw(UNIT) for t in placed}}

    def question(question_id: str) -> dict[str, Any]:
        option_ids = draw(st.lists(IDS, min_size=2, max_size=4, unique=True))
        neutral = [draw(st.booleans()) for _ in option_ids]
        neutral[draw(st.integers(0, len(option_ids) - 1))] = False  # one option at least says something
        return {
            "id": question_id,
            "text": draw(TEXT),
            "weight": draw(st.floats(0.1, 100, allow_nan=False)),
            "options": [option(o, n) for o, n in zip(option_ids, neutral, strict=False)],
        }

    quizzes = {
        quiz_id: {
            "title": draw(TEXT),
            "questions": [question(q) for q in draw(st.lists(IDS, min_size=1, max_size=5, unique=True))],
        }
        for quiz_id in draw(st.lists(IDS, min_size=1, max_size=2, unique=True))
    }
    return {
        "schema_version": 1,
        "title": draw(TEXT),
        "traits": {
            t: {"name": draw(TEXT), "dimension": draw(st.sampled_from(DIMENSIONS)), "low": "Low", "high": "High"}
            for t in traits
        },
        "roles": {r: role(r) for r in role_ids},
        "scoring": {"both_within": draw(st.floats(0, 100)), "neither_below": draw(st.floats(0, 100))},
        "quizzes": quizzes,
    }


def _answers(draw: Any, quiz: dict[str, Any]) -> dict[str, Any]:
    """An answer per question: an option id, or its number as `rolefit questions` shows it."""
    given: dict[str, Any] = {}
    for q in quiz["questions"]:
        index = draw(st.integers(0, len(q["options"]) - 1))
        given[q["id"]] = draw(st.sampled_from([q["options"][index]["id"], index + 1]))
    return given


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


def _write(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=knowledge_bases(), choices=st.data())
def test_valid_knowledge_bases_and_answers_always_give_a_result(
    workdir: Path, data: dict[str, Any], choices: st.DataObject
) -> None:
    kb = load_knowledge_base(_write(workdir / "kb.yaml", data))
    quiz_id = choices.draw(st.sampled_from(list(data["quizzes"])))
    given_answers = _answers(choices.draw, data["quizzes"][quiz_id])
    _, answers, _ = load_answers(_write(workdir / "answers.yaml", given_answers), kb, quiz_id)
    result = score(kb, quiz_id, answers)
    assert {f.role for f in result.fits} == set(data["roles"])
    for fit in result.fits:
        assert 0 <= fit.fit <= 100 and not math.isnan(fit.fit)
        assert all(0 <= v <= 100 for v in (*fit.traits.values(), *fit.dimensions.values()))
    assert [f.fit for f in result.fits] == sorted((f.fit for f in result.fits), reverse=True)
    assert 0 <= result.verdict.margin <= 100
    assert set(result.verdict.roles) <= set(data["roles"])
    # Both renderings work on whatever the file held.
    console = Console(file=io.StringIO(), width=100, color_system=None)
    terminal.print_result(console, kb, result, "code", explain=True)
    console.print(terminal.compare_view(kb, tuple(kb.roles), None, datetime.date(2026, 12, 1)))
    console.print(terminal.questions_view(quiz_id, kb.quizzes[quiz_id]))
    for document in (jsonout.quiz_document(kb, result), jsonout.compare_document(kb, tuple(kb.roles))):
        for pretty in (True, False):
            assert set(json.loads(jsonout.render(document, pretty=pretty))) == set(document)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=knowledge_bases(), choices=st.data())
def test_order_of_roles_questions_and_keys_in_the_file_changes_nothing(
    workdir: Path, data: dict[str, Any], choices: st.DataObject
) -> None:
    quiz_id = next(iter(data["quizzes"]))
    questions = data["quizzes"][quiz_id]["questions"]
    answers = {q["id"]: choices.draw(st.sampled_from([o["id"] for o in q["options"]])) for q in questions}
    roles = choices.draw(st.permutations(list(data["roles"])))
    shuffled = {
        **data,
        "roles": {r: data["roles"][r] for r in roles},
        "quizzes": {
            **data["quizzes"],
            quiz_id: {**data["quizzes"][quiz_id], "questions": choices.draw(st.permutations(questions))},
        },
    }
    shuffled = dict(reversed(list(shuffled.items())))  # top-level keys in another order too
    first = score(load_knowledge_base(_write(workdir / "a.yaml", data)), quiz_id, answers)
    second = score(load_knowledge_base(_write(workdir / "b.yaml", shuffled)), quiz_id, answers)
    assert second == first


# Random input: bytes, YAML-looking text, and the valid file cut and spliced ---------------------

YAML_ALPHABET = list(":-?[]{},&*!|>'\"#%@`~ \t\n\r\\.0123456789abeflnortuxyNOYE<=\ufeff\u0085\u2028")
RANDOM_TEXT = st.one_of(
    st.binary(max_size=300),
    st.text(YAML_ALPHABET, max_size=200).map(str.encode),
    st.text(max_size=100).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.tuples(st.integers(0, len(SMALL_KB)), st.integers(0, 40), st.text(YAML_ALPHABET, max_size=20)).map(
        lambda cut: (SMALL_KB[: cut[0]] + cut[2] + SMALL_KB[cut[0] + cut[1] :]).encode()
    ),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=20,
    ).map(lambda value: yaml.safe_dump(value, allow_unicode=True).encode()),
)


def _one_line_or_result(args: list[str]) -> None:
    result = CliRunner().invoke(app, args, env={"NO_COLOR": "1", "COLUMNS": "100", "ROLEFIT_DATA": None})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 2), (result.exit_code, result.stderr)
    if result.exit_code == 2:
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("rolefit: "), result.stderr


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=RANDOM_TEXT)
def test_random_input_never_gives_a_traceback(workdir: Path, content: bytes) -> None:
    path = workdir / "random.yaml"
    path.write_bytes(content)
    with contextlib.suppress(RolefitError):
        load_knowledge_base(path)
    _one_line_or_result(["compare", "--json", "--data", str(path)])
    _one_line_or_result(["quiz", "--answers", str(path), "--json"])


@settings(max_examples=50, deadline=None)
@given(content=RANDOM_TEXT)
def test_random_answers_on_stdin_never_give_a_traceback(content: bytes) -> None:
    result = CliRunner().invoke(app, ["quiz", "--answers", "-", "--json"], input=content, env={"ROLEFIT_DATA": None})
    assume(result.exit_code != 0)
    assert isinstance(result.exception, SystemExit) and result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("rolefit: <stdin>")


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.dates(),
)
_documents = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(data=_documents, flow=st.sampled_from([None, True, False]))
def test_the_reader_builds_what_safe_load_builds(data: Any, flow: bool | None) -> None:
    from rolefit.kb.reader import parse

    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    assert parse("x.yaml", text.encode()).data == yaml.safe_load(text)
