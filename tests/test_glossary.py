"""The glossary: each term a view, a document or a report uses is defined once, and no other."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from typer.testing import CliRunner

from rolefit.cli.commands import app
from rolefit.kb.authoring import validate_file
from rolefit.kb.glossary import strings, terms_in
from rolefit.kb.load import load_knowledge_base
from rolefit.kb.models import replace
from rolefit.scoring.score import score
from rolefit.views.report.blocks import Items
from rolefit.views.report.content import build
from tests.conftest import PERSONAS

#: The terms the built-in glossary must define, as they appear in its text.
TERMS = (
    "NCCA", "CEC", "CEU", "AED", "PAR-Q+", "CIMSPA", "EMD UK", "Level 2", "Level 3",
    "OEWS", "percentile", "fit", "CPR", "REPs", "ANZSCO", "self-employed",
)  # fmt: skip


def test_the_built_in_glossary_defines_the_terms() -> None:
    kb = load_knowledge_base()
    assert set(TERMS) <= set(kb.glossary)
    for term, entry in kb.glossary.items():
        assert entry.definition.strip(), term
        assert (entry.source is None) == (entry.period is None), f"{term}: a source needs its period"


def test_terms_match_as_written_whole_and_in_the_plural() -> None:
    kb = load_knowledge_base()
    said = [
        "Renewed with 2.0 CECs and CPR/AED.",
        "Future Fit Training says fitness pays.",
        "A fit of 80, Level 2 first.",
    ]
    assert terms_in(kb, said) == ["CEC", "CPR", "AED", "fit", "Level 2"]
    assert terms_in(kb, ["No terms here: fitness, fitted, CECS."]) == []


def test_a_term_used_but_not_defined_is_no_problem() -> None:
    kb = replace(load_knowledge_base(), glossary={})
    assert terms_in(kb, ["NCCA"]) == []


def test_strings_reads_values_and_records_not_keys() -> None:
    kb = load_knowledge_base()
    found = list(strings({"NCCA": ["a", {"b": kb.roles["personal-trainer"].certifications.credentials[0]}]}))
    assert found[:2] == ["a", "ACE Certified Personal Trainer"]
    assert "NCCA" not in found


def test_the_json_lists_the_terms_its_text_uses(runner: CliRunner) -> None:
    result = runner.invoke(app, ["show", "personal-trainer", "--json"])
    document = json.loads(result.stdout)
    terms = [entry["term"] for entry in document["glossary"]]
    assert terms == terms_in(load_knowledge_base(), strings({**document, "glossary": []}))
    assert {"NCCA", "CEC", "Level 3", "REPs", "OEWS"} <= set(terms)
    assert "PAR-Q+" not in terms  # the personal trainer's own text never names it
    ncca = next(e for e in document["glossary"] if e["term"] == "NCCA")
    assert ncca["definition"] == load_knowledge_base().glossary["NCCA"].definition and ncca["source"]


def test_the_terminal_defines_each_term_it_shows_once(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare"])
    assert result.exit_code == 0
    words = result.stdout.split("\nWords used\n", 1)[1]
    assert words.count("• OEWS:") == 1 and "• ANZSCO:" in words
    assert "• NCCA:" not in words  # only the credentials' notes name it, and compare does not show them
    assert "• fit:" not in words  # compare shows no fit, and "fitness" is another word
    for term in ("OEWS", "ANZSCO"):
        assert result.stdout.index(term) < result.stdout.index("\nWords used\n")


def test_the_report_lists_the_terms_it_uses(tmp_path: Path) -> None:
    kb = load_knowledge_base()
    quiz, answers = PERSONAS["rehab-client"]
    result = score(kb, quiz, answers)
    report = build(kb, result, "code", None, datetime.date(2026, 12, 6))
    sections = report.sections
    assert sections[-1].title == "Words used here"
    (listed,) = sections[-1].blocks
    assert isinstance(listed, Items)
    listed_terms = [item.text.split(":", 1)[0] for item in listed.items]
    rest = (report.title, report.about, [s for s in sections if s.title != "Words used here"])
    assert listed_terms == terms_in(kb, strings(rest))
    assert "PAR-Q+" in listed_terms and "ANZSCO" not in listed_terms


def test_a_term_defined_twice_is_a_problem(tmp_path: Path) -> None:
    data = Path(__file__).parent / "data"
    text = (data / "every-field.yaml").read_text()
    defined = "  fit: {definition: How close the answers sit to a role.}\n"
    assert defined in text
    (tmp_path / "kb.yaml").write_text(text.replace(defined, defined + "  Fit: {definition: The same again.}\n"))
    for name in ("areas.csv", "cases.yaml"):
        if (data / name).exists():
            (tmp_path / name).write_bytes((data / name).read_bytes())
    problems = [str(p) for p in validate_file(tmp_path / "kb.yaml").problems]
    assert [p for p in problems if "defined twice" in p] == [
        f'{tmp_path / "kb.yaml"}:20: glossary.Fit: "Fit" is defined twice: as "fit" too'
    ], problems
