from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from rolefit.errors import RolefitError
from rolefit.kb.load import default_path, load_knowledge_base
from rolefit.kb.models import DIMENSIONS
from tests.conftest import SMALL_KB

DEFAULT_TEXT = default_path().read_text(encoding="utf-8")


def _error(tmp_path: Path, text: str) -> str:
    path = tmp_path / "kb.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RolefitError) as caught:
        load_knowledge_base(path)
    assert caught.value.exit_code == 2
    return str(caught.value)


#: Words that point at other options without naming them: "Both, equally", "Some of each".
POINTING = {"a", "all", "any", "both", "each", "either", "equally", "fine", "is", "mix", "of", "some", "these", "two"}


def test_an_option_before_the_ones_it_mixes_names_them() -> None:
    """A person reads the options in order: "Both, equally", before the second thing it
    refers to, means nothing yet. A mixing option says what it mixes."""
    kb = load_knowledge_base()
    for quiz in kb.quizzes.values():
        for question in quiz.questions:
            for option in question.options[:-1]:
                words = set(option.label.lower().replace(",", " ").split())
                assert not words <= POINTING, f"{question.id}: {option.label!r} names nothing it mixes"


def test_default_knowledge_base_is_complete() -> None:
    kb = load_knowledge_base()
    assert set(kb.roles) == {"fitness-instructor", "personal-trainer"}
    assert set(kb.quizzes) == {"career", "hiring"}
    for quiz in kb.quizzes.values():
        assert 8 <= len(quiz.questions) <= 12
        dimensions = {kb.traits[t].dimension for q in quiz.questions for o in q.options for t in o.places}
        assert dimensions == set(DIMENSIONS), "every quiz covers all five dimensions"
        assert all(any(o.neutral for o in q.options) for q in quiz.questions), (
            "every question has a no-preference option"
        )
    for role in kb.roles.values():
        assert role.certifications.credentials
        assert role.income.figures and all(f.source and f.period for f in role.income.figures)
        assert len(role.choose_if) == 3


def test_estimates_are_labelled() -> None:
    kb = load_knowledge_base()
    figures = [f for r in kb.roles.values() for f in r.income.figures]
    assert [f.value for f in figures if f.estimate] == ["roughly $40 to $150"]


def test_wrong_type_names_file_line_and_field(tmp_path: Path) -> None:
    text = DEFAULT_TEXT.replace("      group_energy: 0.1\n", '      group_energy: "high"\n')
    line = text.splitlines().index('      group_energy: "high"') + 1
    message = _error(tmp_path, text)
    assert message == (
        f"{tmp_path / 'kb.yaml'}:{line}: roles.personal-trainer.traits.group_energy: "
        'expected a number from 0 to 1, got "high"'
    )


def test_out_of_range_and_missing_field(tmp_path: Path) -> None:
    assert "expected a number from 0 to 1, got 1.5" in _error(tmp_path, SMALL_KB.replace("visual: 0.9", "visual: 1.5"))
    message = _error(tmp_path, SMALL_KB.replace("    summary: Builds what users see.\n", ""))
    line = SMALL_KB.splitlines().index("  frontend:") + 1  # a missing field is reported at its parent
    assert message.endswith(f":{line}: roles.frontend.summary: required field is missing")


def test_yaml_booleans_are_explained(tmp_path: Path) -> None:
    message = _error(tmp_path, SMALL_KB.replace('label: "No"', "label: No"))
    assert "quizzes.pick.questions.talk.options.no.label: expected text, got false" in message
    assert "put the text in quotes" in message


def test_duplicate_role_is_an_error(tmp_path: Path) -> None:
    text = SMALL_KB.replace("  data:\n    name: Data engineer", "  frontend:\n    name: Data engineer")
    message = _error(tmp_path, text)
    assert 'roles.frontend: duplicate key "frontend" (first at line' in message


def test_duplicate_question_id_is_an_error(tmp_path: Path) -> None:
    message = _error(tmp_path, SMALL_KB.replace("id: talk", "id: look"))
    assert 'duplicate question id "look"' in message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("places: {visual: 1.0}", "places: {colour: 1.0}"), 'unknown trait "colour"'),
        (("traits: {visual: 0.3, people: 0.2}", "traits: {visual: 0.3}"), 'missing trait "people"'),
        (("{id: meh, label: No preference, neutral: true}", "{id: meh, label: Meh}"), "option has no effect"),
        (("schema_version: 1", "schema_version: 7"), "unsupported version 7"),
        (("    weight: 2\n", "    weight: 0\n"), "expected a number above 0"),
        (("  frontend:\n", "  Front End:\n"), "expected an id of lowercase letters, digits"),
        (("focus: {summary: Interfaces}", "focus: {summary: Interfaces, colour: red}"), "unknown field"),
    ],
)
def test_schema_errors(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    assert change[0] in SMALL_KB
    assert expected in _error(tmp_path, SMALL_KB.replace(*change))


def test_fewer_than_two_roles(tmp_path: Path) -> None:
    data = yaml.safe_load(SMALL_KB)
    data["roles"] = {"frontend": data["roles"]["frontend"]}
    assert "roles: expected at least 2 item(s), got 1" in _error(tmp_path, yaml.safe_dump(data))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("roles: [unclosed\n", "not valid YAML"),
        ("", "expected a knowledge base (a mapping at the top), got nothing"),
        ("- a\n- b\n", "got a list"),
    ],
)
def test_unreadable_documents(tmp_path: Path, content: str, expected: str) -> None:
    assert expected in _error(tmp_path, content)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(RolefitError, match="no such file"):
        load_knowledge_base(tmp_path / "nope.yaml")
    with pytest.raises(RolefitError, match="is a directory"):
        load_knowledge_base(tmp_path)


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    assert "expands to more than" in _error(tmp_path, "\n".join(lines) + "\n")


def test_json_knowledge_base_loads_and_locates_problems(tmp_path: Path) -> None:
    data = yaml.safe_load(SMALL_KB)
    path = tmp_path / "kb.json"
    path.write_text(json.dumps(data, indent=2))
    assert list(load_knowledge_base(path).roles) == ["frontend", "backend", "data"]
    data["roles"]["backend"]["traits"]["visual"] = "high"
    path.write_text(json.dumps(data, indent=2))
    line = json.dumps(data, indent=2).splitlines().index('        "visual": "high",') + 1
    with pytest.raises(RolefitError) as caught:
        load_knowledge_base(path)
    assert str(caught.value) == f'{path}:{line}: roles.backend.traits.visual: expected a number from 0 to 1, got "high"'


def test_the_reader_gives_what_yaml_gives() -> None:
    from rolefit.kb.reader import parse

    for text in (DEFAULT_TEXT, SMALL_KB):
        assert parse("kb.yaml", text.encode()).data == yaml.safe_load(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # anchors and aliases
        "a: !!str 1\nb: !!float '2'\n",  # tags
        "<<: {a: 1}\nb: 2\n",  # a merge key
        "a: [1, {b: ~, c: 2024-01-01, d: 1.5e+3, e: .inf}]\n",  # scalars of every kind
    ],
)
def test_the_unusual_reads_as_yaml_reads_it(text: str) -> None:
    from rolefit.kb.reader import parse

    assert parse("x.yaml", text.encode()).data == yaml.safe_load(text)
