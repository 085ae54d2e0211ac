"""The one reader of YAML and JSON files: the lines it gives problems, what it refuses,
and that it parses a file once, whatever the file holds."""

from __future__ import annotations

import json
import os
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from rolefit.errors import RolefitError
from rolefit.kb.authoring import validate_file
from rolefit.kb.load import load_knowledge_base
from rolefit.kb.reader import MAX_VALUES, parse
from rolefit.scoring.answers import load_answers
from tests.conftest import SMALL_KB

SMALL_DATA = yaml.safe_load(SMALL_KB)


def _line(text: str, fragment: str, nth: int = 1) -> int:
    """The number of the `nth` line of `text` that holds `fragment`."""
    found = [number for number, line in enumerate(text.splitlines(), 1) if fragment in line]
    return found[nth - 1]


def _refusal(text: str, name: str = "x.yaml") -> str:
    with pytest.raises(RolefitError) as caught:
        parse(name, text.encode())
    return str(caught.value)


def _kb_error(tmp_path: Path, text: str, name: str = "kb.yaml") -> tuple[Path, str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RolefitError) as caught:
        load_knowledge_base(path)
    return path, str(caught.value)


# Where problems are -------------------------------------------------------------------------

NESTED = textwrap.dedent(
    """\
    shared: &shared
      summary: Shared
      points: [One, Two]
    roles:
      frontend:
        focus: *shared
        income:
          figures:
            - label: Median
              value: "$1"
            - label: Mean
              period: 2020
        traits:
          visual: high
    """
)


def test_lines_of_values_a_few_fields_deep_and_in_list_items() -> None:
    document = parse("kb.yaml", NESTED.encode())
    figures = ("roles", "frontend", "income", "figures")
    assert document.line_of((*figures, 1, "period")) == _line(NESTED, "period: 2020")
    assert document.line_of((*figures, 1)) == _line(NESTED, "- label: Mean")
    assert document.line_of((*figures, 0, "value")) == _line(NESTED, 'value: "$1"')
    assert document.line_of((*figures, -1)) == _line(NESTED, "- label: Mean")
    # What is not there is placed at its nearest parent.
    assert document.line_of((*figures, 1, "source")) == _line(NESTED, "- label: Mean")
    assert document.line_of((*figures, 5, "label")) == _line(NESTED, "figures:")
    assert document.line_of(()) == 1


def test_lines_after_an_alias_and_inside_what_it_stands_for() -> None:
    document = parse("kb.yaml", NESTED.encode())
    assert document.line_of(("roles", "frontend", "focus")) == _line(NESTED, "focus: *shared")
    assert document.line_of(("roles", "frontend", "focus", "points", 1)) == _line(NESTED, "points: [One, Two]")
    assert document.line_of(("roles", "frontend", "income")) == _line(NESTED, "income:")
    assert document.line_of(("roles", "frontend", "traits", "visual")) == _line(NESTED, "visual: high")


def test_a_schema_problem_after_an_alias_names_its_line(tmp_path: Path) -> None:
    text = SMALL_KB.replace("traits: {visual: 0.9, people: 0.7}", "traits: &shared {visual: 0.9, people: 0.7}")
    text = text.replace("traits: {visual: 0.1, people: 0.3}", "traits: *shared")
    text = text.replace("focus: {summary: Services}", "focus: {summary: Services, colour: red}")
    path, message = _kb_error(tmp_path, text)
    assert message.startswith(f"{path}:{_line(text, 'colour: red')}: roles.backend.focus.colour: unknown field")


def test_a_schema_problem_in_a_list_item_names_its_line(tmp_path: Path) -> None:
    text = SMALL_KB.replace("places: {people: 0.0}", "places: {people: high}")
    path, message = _kb_error(tmp_path, text)
    line = _line(text, "places: {people: high}")
    field = "quizzes.pick.questions.talk.options.no.places.people"
    assert message.startswith(f'{path}:{line}: {field}: expected a number from 0 to 1, got "high"')


def test_json_is_read_as_json_with_its_lines() -> None:
    text = '{\n  "a": 9e-1,\n  "b": [1, {"c": "d"}]\n}\n'
    document = parse("x.json", text.encode())
    assert document.data == {"a": 0.9, "b": [1, {"c": "d"}]}  # YAML 1.1 reads 9e-1 as text
    assert document.line_of(("a",)) == 2
    assert document.line_of(("b", 1, "c")) == 3
    assert _refusal('{"a": 1,\n "a": 2}\n', "x.json") == 'x.json:2: a: duplicate key "a" (first at line 1)'


# What is refused ----------------------------------------------------------------------------


def test_a_duplicate_key_names_both_lines() -> None:
    text = "roles:\n  frontend:\n    traits:\n      visual: 0.9\n      people: 0.7\n      visual: 0.1\n"
    assert _refusal(text) == 'x.yaml:6: roles.frontend.traits.visual: duplicate key "visual" (first at line 4)'


@pytest.mark.parametrize(
    ("written", "read"),
    [("010", "8"), ("0x10", "16"), ("0b11", "3"), ("1_000", "1000"), ("1:30", "90"), ("1:30.5", "90.5")],
)
def test_a_number_yaml_misreads_is_refused(written: str, read: str) -> None:
    text = f"quizzes:\n  pick:\n    questions:\n      - id: look\n      - id: talk\n        weight: {written}\n"
    assert _refusal(text) == (
        f"x.yaml:6: quizzes.pick.questions.#2.weight: YAML reads {written} as the number {read}:"
        " write it in plain decimal, or put it in quotes to keep it as text"
    )


def test_numbers_that_read_as_they_look_are_numbers() -> None:
    text = "a: [0, -3, +4, 12, 0.5, -1.5e+3, .inf, '010', !!str 0x10]\n"
    assert parse("x.yaml", text.encode()).data == yaml.safe_load(text)
    assert _refusal("a: " + "9" * 41 + "\n") == "x.yaml:1: a: a number of 41 digits (at most 40)"


def test_an_alias_bomb_is_refused_where_it_explodes_without_expanding_it() -> None:
    # 30 levels of ten aliases each: 10**30 values if anything walked them.
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 30)]
    start = time.process_time()
    message = _refusal("\n".join(lines) + "\n")
    seconds = time.process_time() - start
    # Each level holds about ten times the one before: l5 is the first of more than a million.
    assert message.startswith(f"x.yaml:6: expands to more than {MAX_VALUES:,} values, aliases included")
    assert seconds < 5, seconds  # about a millisecond: one step per alias, whatever it stands for


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: &a\n  b: *a\n", "x.yaml:2: the alias *a refers to a value that contains it"),
        ("a: *nowhere\n", "x.yaml:1: not valid YAML: found undefined alias *nowhere"),
        ("a: &x 1\nb: &x 2\n", "x.yaml:2: not valid YAML: found duplicate anchor &x (first at line 1)"),
        ("a:\n  b: !!set {x, y}\n", "x.yaml:2: a.b: a set (!!set) has no order: write a list instead"),
        ("a: !!python/name:os.system\n", "x.yaml:1: not valid YAML: could not determine a constructor for the tag"),
        ("a: !!str {b: 1}\n", "x.yaml:1: not valid YAML: expected a scalar node, but found mapping"),
        ("a: 2020-13-01\n", "x.yaml:1: not valid YAML: month must be in 1..12"),
        ("? [a, b]\n: 1\n", "x.yaml:1: not valid YAML: found unhashable key"),
        ("a: 1\n---\nb: 2\n", "x.yaml:2: not valid YAML: but found another document"),
        ("b: {<<: 5}\n", "x.yaml:1: not valid YAML: expected a mapping or list of mappings for merging"),
        ("a: " + "[" * 65 + "]" * 65 + "\n", "x.yaml:1: nested too deeply (the limit is 64 levels)"),
        ("a:\n" + "".join("  " * i + "- \n" for i in range(1, 80)), "x.yaml:65: nested too deeply (the limit is 64"),
        ("a: [1, 2\n", "x.yaml:2: not valid YAML: did not find expected ',' or ']'"),
    ],
)
def test_refusals_name_the_line(text: str, expected: str) -> None:
    assert _refusal(text).startswith(expected)


def test_merge_keys_the_mappings_own_keys_win_then_the_first_merged() -> None:
    text = "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  z: 3\n"
    document = parse("x.yaml", text.encode())
    assert document.data["c"] == {"x": 1, "y": 1, "z": 3}
    assert list(document.data["c"]) == ["x", "y", "z"]
    assert document.line_of(("c", "z")) == 5
    assert document.line_of(("c", "y")) == 1  # where the value that won was written


# One parse ----------------------------------------------------------------------------------


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every YAML parser made while the test runs; any other way into PyYAML fails the test."""
    made: list[str] = []
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Counting(loader):  # type: ignore[misc, valid-type]
        def __init__(self, stream: Any) -> None:
            made.append(str(stream)[:20])
            super().__init__(stream)

    def refused(*_: object, **__: object) -> None:
        raise AssertionError("a second way of parsing YAML")

    monkeypatch.setattr(yaml, "CSafeLoader", Counting, raising=False)
    monkeypatch.setattr(yaml, "SafeLoader", Counting)
    for name in ("parse", "compose", "compose_all", "load", "load_all", "safe_load", "safe_load_all", "scan"):
        monkeypatch.setattr(yaml, name, refused)
    monkeypatch.setenv("ROLEFIT_CACHE_DIR", "")  # no cache: every load parses
    return made


def test_a_knowledge_base_is_parsed_once_valid_or_not(parses: list[str], tmp_path: Path) -> None:
    path = tmp_path / "kb.yaml"
    path.write_text(SMALL_KB)
    load_knowledge_base(path)
    assert len(parses) == 1
    for text in (
        SMALL_KB.replace("visual: 0.9", "visual: 1.5"),  # a problem the schema finds, located afterwards
        SMALL_KB.replace("visual: 0.9", "visual: 1.5").replace("people: 0.3", "people: 2"),  # two of them
        SMALL_KB.replace("weight: 2", "weight: 010"),  # a problem the reader finds
    ):
        parses.clear()
        _kb_error(tmp_path, text)
        assert len(parses) == 1


def test_a_json_knowledge_base_is_parsed_once(parses: list[str], tmp_path: Path) -> None:
    data = json.loads(json.dumps(SMALL_DATA))
    data["roles"]["backend"]["traits"]["visual"] = "high"
    path, message = _kb_error(tmp_path, json.dumps(data, indent=2), "kb.json")
    assert message.startswith(f"{path}:")
    assert len(parses) == 1


def test_validate_and_answers_parse_once(parses: list[str], tmp_path: Path, small_kb_path: Path) -> None:
    kb_path = tmp_path / "bad.yaml"
    kb_path.write_text(SMALL_KB.replace("visual: 0.9", "visual: 1.5").replace("people: 0.3", "people: 2"))
    validation = validate_file(kb_path)
    assert [p.line for p in validation.problems] == [_line(SMALL_KB, "visual: 0.9"), _line(SMALL_KB, "people: 0.3")]
    assert len(parses) == 1
    kb = load_knowledge_base(small_kb_path)
    parses.clear()
    answers = tmp_path / "answers.yaml"
    answers.write_text('look: "yes"\ntalk: loud\n')
    with pytest.raises(RolefitError, match=r"answers.yaml:2: talk: unknown option"):
        load_answers(answers, kb, None)
    assert len(parses) == 1


# JSON read by `json` alone (rolefit.kb.plainjson): whatever that road takes, the YAML
# reader takes too, with the same data, so skipping it skips no check.

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from rolefit.kb.plainjson import DECLINED  # noqa: E402
from rolefit.kb.plainjson import plain_json as _plain  # noqa: E402
from rolefit.kb.reader import MAX_DEPTH, MAX_DIGITS, _read_yaml  # noqa: E402


def _plain_json(text: str) -> Any:
    return _plain(text, max_depth=MAX_DEPTH, max_values=MAX_VALUES, max_digits=MAX_DIGITS)


_JSON_TRAPS = [
    '{"a": 1, "a": 2}',
    '{"a": NaN}',
    '{"a": -Infinity}',
    '{"a": 1e999}',
    '{"a": ' + "9" * 41 + "}",
    '{"a": 1.' + "5" * 45 + "}",
    "{" + '"a": [' * 70 + "]" * 70 + "}",
    '{"a":\t1}',
    '{"a": "\u0085"}',
    '{"\x85": null}',
    '{"a\u2028b": 1}',
    '{"a": "\x7f"}',
    '{"a": "\\ud800"}',
    '{"a": "\\ud83d\\ude00"}',
    '{"a": "\\u0000"}',
    '{"a": 1}\n---\n{"b": 2}',
    '{"a": 1} trailing',
    '{"a": 1,}',
    "{a: 1}",
    '{"a": 010}',
    '{"<<": {"b": 1}}',
    '{"a": "yes", "b": null, "c": true, "d": -0, "e": 1.5e+3, "f": 2E-2}',
    '{"a":1,"b":[1,2,{"c":"d"}]}',
    '{\n  "a": [\n    1,\n    "two"\n  ]\n}',
]


def _same_as_yaml(text: str) -> bool:
    """False only when the JSON road took a document the YAML reader refuses or reads otherwise."""
    data = _plain_json(text)
    if data is DECLINED:
        return True
    try:
        _read_yaml("x.json", text)
    except RolefitError:
        return False
    return bool(data == json.loads(text))


@pytest.mark.parametrize("text", _JSON_TRAPS)
def test_plain_json_takes_only_what_the_reader_takes(text: str) -> None:
    assert _same_as_yaml(text)


def test_plain_json_declines_each_trap_the_reader_refuses() -> None:
    refused = []
    for text in _JSON_TRAPS:
        try:
            _read_yaml("x.json", text)
        except RolefitError:
            refused.append(text)
    assert len(refused) >= 8  # repeated key, long numbers, depth, tab, surrogate, trailing text...
    assert all(_plain_json(text) is DECLINED for text in refused)
    assert _plain_json('{"a":1,"b":[1,2,{"c":"d"}]}') == {"a": 1, "b": [1, 2, {"c": "d"}]}


def test_plain_json_on_the_corpus_as_json() -> None:
    """Every corpus file YAML can read, written out as JSON in three styles."""
    corpus = Path(__file__).parent / "bad_inputs"
    tried = 0
    for path in sorted(corpus.rglob("*")):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        if raw.lstrip()[:1] == b"{":
            assert _same_as_yaml(raw.decode("utf-8", "replace")), path
        try:
            data = parse(path.name, raw).data
            texts = [
                json.dumps({"x": data}, indent=indent, ensure_ascii=ascii_) for indent in (None, 2) for ascii_ in (1, 0)
            ]
        except (RolefitError, TypeError, ValueError):  # refused, or a date: nothing to write as JSON
            continue
        for text in texts:
            assert _same_as_yaml(text), path
            tried += 1
    assert tried >= 100


_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()


def _nested(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(), inner, max_size=4))


_VALUES = st.recursive(_SCALARS, _nested, max_leaves=20)


@settings(max_examples=1000, deadline=None)
@given(st.dictionaries(st.text(), _VALUES, max_size=5), st.sampled_from([None, 0, 2]), st.booleans())
def test_plain_json_on_generated_documents(data: dict[str, Any], indent: int | None, ascii_: bool) -> None:
    assert _same_as_yaml(json.dumps(data, indent=indent, ensure_ascii=ascii_))


def test_a_problem_in_a_json_file_read_by_json_still_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text('{"quiz": "career",\n "answers": {\n  "nope": "x"}}', encoding="utf-8")
    with pytest.raises(RolefitError, match=r"answers\.json:3: answers\.nope: unknown question"):
        load_answers(path, load_knowledge_base(None), "career")


def test_a_saved_result_is_read_back_without_pyyaml(tmp_path: Path) -> None:
    """Start-up of `quiz --answers saved.json`: the reason the JSON road exists."""
    import subprocess
    import sys

    saved = tmp_path / "saved.json"
    as_yaml = tmp_path / "answers.yaml"
    probe = (
        "import sys; from rolefit.scoring.answers import load_answers; "
        "from rolefit.kb.load import load_knowledge_base; "
        "kb = load_knowledge_base(None); import rolefit.kb.reader; had = 'yaml' in sys.modules; "
        "print(load_answers(sys.argv[1], kb, 'career')[1]['crowd'], had, 'yaml' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if k != "ROLEFIT_DATA"}
    subprocess.run(
        [sys.executable, "-m", "rolefit", "quiz", "--code", "career:1-1-3-3-1-3-3-1-1-2-1-1", "--save", str(saved)],
        env=env,
        capture_output=True,
        check=True,
    )
    answers = json.loads(saved.read_text(encoding="utf-8"))["answers"]
    as_yaml.write_text("".join(f"{q}: {o}\n" for q, o in answers.items()), encoding="utf-8")
    subprocess.run([sys.executable, "-c", probe, str(saved)], env=env, capture_output=True, check=True)  # a warm cache
    run = [sys.executable, "-c", probe]
    json_road = subprocess.run([*run, str(saved)], env=env, capture_output=True, text=True, check=True)
    yaml_road = subprocess.run([*run, str(as_yaml)], env=env, capture_output=True, text=True, check=True)
    assert json_road.stdout.split() == ["full-room", "False", "False"]
    assert yaml_road.stdout.split() == ["full-room", "False", "True"]


def test_plain_json_declines_a_key_yaml_finds_too_long() -> None:
    # Found by the generated test: YAML ends a key in `{...}` within 1,024 characters, and
    # this one, escaped, is longer.
    text = json.dumps({"\u0301" * 200: None})
    with pytest.raises(RolefitError, match="not valid YAML"):
        _read_yaml("x.json", text)
    assert _plain_json(text) is DECLINED
