"""The JSON Schemas: every --json document and every shipped knowledge base conforms to its schema."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator
from typer.testing import CliRunner

from rolefit.cli.commands import app
from rolefit.output.documents import DOCUMENTS, SCHEMAS
from rolefit.output.schemas import DIALECT, json_schema
from tests.conftest import PERSONAS, SMALL_KB, mappings

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE_BASES = [ROOT / "data" / "roles.yaml", ROOT / "src" / "rolefit" / "starter.yaml"]


def strict(schema: Any) -> Any:
    """`schema` with every object closed to keys it does not declare.

    The published schemas leave objects open, because new fields may appear
    without a new schema_version; the closed variant shows that the schemas
    still declare every key the commands print.
    """
    if isinstance(schema, dict):
        closed = {k: strict(v) for k, v in schema.items()}
        if "properties" in closed and "additionalProperties" not in closed:
            closed["additionalProperties"] = False
        return closed
    if isinstance(schema, list):
        return [strict(v) for v in schema]
    return schema


def problems(name: str, document: Any) -> list[str]:
    """Every way `document` breaks the published schema `name`, or its closed variant."""
    found = []
    for schema in (json_schema(name), strict(json_schema(name))):
        validator = Draft7Validator(schema)
        found += [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]
    return found


def run_json(runner: CliRunner, args: list[str], *, exit_code: int = 0) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == exit_code, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_schema_is_a_valid_draft_7_schema(name: str) -> None:
    schema = json_schema(name)
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == DIALECT and schema["title"].startswith("rolefit ")
    # Nothing a later draft added, which draft-7 tools (yaml-language-server) would ignore.
    later = {
        "prefixItems",
        "unevaluatedProperties",
        "unevaluatedItems",
        "dependentRequired",
        "dependentSchemas",
        "$dynamicRef",
        "$anchor",
        "minContains",
        "maxContains",
    }
    assert later.isdisjoint(re.findall(r'"([$\w]+)":', json.dumps(schema)))


@pytest.mark.parametrize("path", KNOWLEDGE_BASES, ids=lambda p: p.name)
def test_shipped_knowledge_bases_conform(path: Path) -> None:
    assert problems("knowledge-base", yaml.safe_load(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("path", KNOWLEDGE_BASES, ids=lambda p: p.name)
def test_shipped_knowledge_bases_name_the_schema_for_editors(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, first
    # A relative path, which the language server resolves from the YAML file's directory.
    target = (path.parent / match.group(1)).resolve()
    assert not Path(match.group(1)).is_absolute()
    assert target == ROOT / "schemas" / "knowledge-base.schema.json"


def test_knowledge_base_schema_rejects_what_rolefit_rejects() -> None:
    kb = yaml.safe_load(SMALL_KB)
    assert problems("knowledge-base", kb) == []
    kb["roles"]["frontend"]["traits"]["visual"] = 1.5
    kb["roles"]["backend"]["colour"] = "blue"
    del kb["quizzes"]["pick"]["questions"][0]["options"][0]["label"]
    found = problems("knowledge-base", kb)
    assert any(p.startswith("roles/frontend/traits/visual: 1.5 is greater than the maximum of 1") for p in found)
    assert any(p.startswith("roles/backend:") and "'colour'" in p for p in found)
    assert any(p.startswith("quizzes/pick/questions/0/options/0:") and "'label' is a required" in p for p in found)


def test_schema_command_prints_each_schema(runner: CliRunner) -> None:
    default = runner.invoke(app, ["schema"])
    assert default.exit_code == 0
    assert json.loads(default.stdout) == json_schema("knowledge-base")
    quiz = runner.invoke(app, ["schema", "quiz"])
    assert json.loads(quiz.stdout)["title"] == "rolefit quiz --json"
    unknown = runner.invoke(app, ["schema", "roles"])
    assert unknown.exit_code == 2 and "'roles' is not one of" in unknown.stderr


def test_compare_documents_conform(runner: CliRunner, small_kb_path: Path) -> None:
    for args in (["compare"], ["compare", "personal-trainer"], ["compare", "--data", str(small_kb_path)]):
        document = run_json(runner, args)
        assert problems("compare", document) == [], args
    assert len(document["roles"]) == 3


def _quiz_cases(tmp_path: Path, small_kb_path: Path) -> list[list[str]]:
    cases = []
    for persona, (quiz_id, answers) in PERSONAS.items():
        path = tmp_path / f"{persona}.yaml"
        path.write_text(yaml.safe_dump(answers))
        cases.append(["quiz", "--for", quiz_id, "--answers", str(path)])
    dealbreaker = tmp_path / "tight-budget.yaml"
    dealbreaker.write_text(yaml.safe_dump({**PERSONAS["rehab-client"][1], "budget": "tight"}))
    small_answers = tmp_path / "small.yaml"
    small_answers.write_text("look: 'yes'\ntalk: 'no'\n")
    return [
        *cases,
        ["quiz", "--for", "hiring", "--answers", str(dealbreaker)],
        ["quiz", "--code", "career:1-1-3-3-1-3-3-1-1-2-1-1"],
        ["quiz", "--code", "career:s-s-s-s-s-s-s-s-1-1-1-1"],  # mostly skipped: nulls and a warning
        [
            "quiz",
            "--for",
            "hiring",
            "--code",
            "hiring:1-3-1-3-1-1-2-2-1-1-4",
            "--weight",
            "income=3",
            "--weight",
            "environment=0",
        ],
        ["quiz", "--data", str(small_kb_path), "--answers", str(small_answers)],
    ]


def test_quiz_documents_conform(runner: CliRunner, tmp_path: Path, small_kb_path: Path) -> None:
    documents = [run_json(runner, args) for args in _quiz_cases(tmp_path, small_kb_path)]
    for document in documents:
        assert problems("quiz", document) == [], document["code"]
    # The cases cover what the schema describes: nulls, dealbreakers, warnings, weights and three roles.
    ruled_out = [(r["role"], r["question"]) for d in documents for r in d["verdict"]["ruled_out"]]
    assert ("personal-trainer", "budget") in ruled_out
    assert any(d["warnings"] and None in d["answers"].values() for d in documents)
    assert any(d["weights"]["environment"] == 0 for d in documents)
    assert any(d["verdict"]["kind"] == "neither" for d in documents)
    assert any(len(d["scores"]) == 3 for d in documents)


def test_saved_result_conforms(runner: CliRunner, tmp_path: Path) -> None:
    saved = tmp_path / "result.json"
    result = runner.invoke(app, ["quiz", "--code", "career:1-2-2-2-2-2-2-2-2-3-1-2", "--save", str(saved)])
    assert result.exit_code == 0, result.stderr
    assert problems("quiz", json.loads(saved.read_text(encoding="utf-8"))) == []


def test_questions_documents_conform(runner: CliRunner, small_kb_path: Path) -> None:
    for args in (["questions"], ["questions", "--for", "hiring"], ["questions", "--data", str(small_kb_path)]):
        assert problems("questions", run_json(runner, args)) == [], args


def test_show_documents_conform(runner: CliRunner, small_kb_path: Path) -> None:
    for args in (
        ["show", "personal-trainer"],
        ["show", "fitness-instructor"],
        ["show", "on-your-own"],
        ["show", "data", "--data", str(small_kb_path)],
    ):
        assert problems("show", run_json(runner, args)) == [], args


def test_validate_documents_conform(runner: CliRunner, tmp_path: Path, small_kb_path: Path) -> None:
    invalid = tmp_path / "invalid.yaml"
    invalid.write_text(SMALL_KB.replace("traits: {visual: 0.9, people: 0.7}", "traits: {visual: 1.5}"))
    not_yaml = tmp_path / "not.yaml"
    not_yaml.write_text("roles: [unclosed\n")
    valid = run_json(runner, ["validate", str(small_kb_path)])
    assert valid["valid"] and valid["counts"]["roles"] == 3
    documents = [valid, run_json(runner, ["validate", str(ROOT / "data" / "roles.yaml")])]
    for path in (invalid, not_yaml, tmp_path / "missing.yaml"):
        documents.append(run_json(runner, ["validate", str(path)], exit_code=2))
    for document in documents:
        assert problems("validate", document) == [], document["file"]
    assert [d["valid"] for d in documents] == [True, True, False, False, False]
    assert any(p["path"] is None for d in documents for p in d["problems"])


def _objects(schema: Any) -> list[dict[str, Any]]:
    """Every object schema (one with properties) within `schema`."""
    return [m for m in mappings(schema) if "properties" in m]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_a_document_schema_requires_every_field_and_stays_open(name: str) -> None:
    """A document always has every field, knowledge-base records included (which have
    defaults, and refuse unknown fields, only in a knowledge-base file)."""
    objects = _objects(json_schema(name))
    assert objects
    for schema in objects:
        assert set(schema["required"]) == set(schema["properties"]), schema.get("title")
        assert "additionalProperties" not in schema, schema.get("title")
    assert '"default"' not in json.dumps(json_schema(name))


def test_a_document_that_drifts_from_its_schema_is_caught(runner: CliRunner) -> None:
    """The check above has teeth: a renamed, a missing or an extra key is a problem."""
    document = run_json(runner, ["questions"])
    document["questions"][0]["options"][0]["neutral"] = "no"
    document["extra"] = 1
    del document["title"]
    found = problems("questions", document)
    assert any("'no' is not of type 'boolean'" in p for p in found)
    assert any("'extra' was unexpected" in p for p in found)
    assert any("'title' is a required property" in p for p in found)


@pytest.mark.parametrize(
    "args",
    [
        ["compare", "--json"],
        ["quiz", "--code", "career:1-1-3-3-1-3-3-1-1-2-1-1", "--json"],
        ["questions"],
        ["show", "personal-trainer"],
    ],
    ids=lambda a: a[0],
)
def test_normal_commands_do_not_import_the_schema_modules(args: list[str]) -> None:
    """Start-up speed: the document types and jsonschema are for `rolefit schema`, mypy and the tests only,
    numpy for `rolefit audit`."""
    probe = (
        "import sys\nfrom rolefit.cli.commands import main\nsys.argv = ['rolefit', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("ROLEFIT_DATA", "FORCE_COLOR")}
    run = subprocess.run(
        [sys.executable, "-c", probe, *args], env={**env, "NO_COLOR": "1"}, capture_output=True, text=True, check=True
    )
    modules = set(run.stderr.split())
    assert "rolefit.cli.commands" in modules and run.stdout
    assert "rolefit.output.contract" not in modules and "jsonschema" not in modules
    assert "numpy" not in modules and "rolefit.scoring.audit" not in modules  # for `rolefit audit` alone


def test_schema_command_offers_every_schema() -> None:
    from rolefit.cli.commands import SchemaName

    assert [n.value for n in SchemaName] == list(SCHEMAS)


def test_audit_documents_conform(runner: CliRunner, small_kb_path: Path) -> None:
    for args, code in ((["audit", "--for", "hiring"], 0), (["audit", "--data", str(small_kb_path), "--strict"], 1)):
        assert problems("audit", run_json(runner, args, exit_code=code)) == [], args


def test_cases_documents_conform(runner: CliRunner) -> None:
    document = run_json(runner, ["audit", "--cases", str(ROOT / "data" / "cases.yaml")])
    assert problems("cases-audit", document) == []
    assert len(document["cases"]) >= 40


def test_the_built_in_cases_conform_to_their_schema() -> None:
    import yaml

    cases = yaml.safe_load((ROOT / "data" / "cases.yaml").read_text(encoding="utf-8"))
    assert [e.message for e in Draft7Validator(json_schema("cases")).iter_errors(cases)] == []
