"""`rolefit audit --cases FILE`: labelled cases scored against a knowledge base, and the built-in cases."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import yaml
from typer.testing import CliRunner

from rolefit.cli.commands import app
from rolefit.kb.models import KnowledgeBase
from rolefit.scoring.cases import judge
from tests.conftest import SMALL_KB

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "data" / "cases.yaml"


def _case_file(tmp_path: Path, cases: list[dict[str, object]], threshold: float = 0.9) -> Path:
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump({"schema_version": 1, "threshold": threshold, "cases": cases}))
    return path


def _case(case_id: str, answers: str, *expected: str, held_out: bool = False) -> dict[str, object]:
    return {
        "id": case_id,
        "answers": answers,
        "expected": list(expected),
        "source": "https://example.org/x",
        "held_out": held_out,
    }


def _run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _verdict(runner: CliRunner, code: str) -> str:
    document = json.loads(runner.invoke(app, ["quiz", "--code", code, "--json"]).stdout)
    verdict = document["verdict"]
    return verdict["roles"][0] if verdict["kind"] == "single" else verdict["kind"]


# Two answer sets of the built-in career quiz and what they give: a group motivator, and a one-to-one coach.
GROUP = "career:1-1-3-3-1-3-3-1-1-2-1-1"
ONE_TO_ONE = "career:1-3-1-1-2-1-1-2-2-1-2-2"


def test_agreement_counts_the_cases_whose_verdict_is_expected(runner: CliRunner, tmp_path: Path) -> None:
    assert (_verdict(runner, GROUP), _verdict(runner, ONE_TO_ONE)) == ("fitness-instructor", "personal-trainer")
    path = _case_file(
        tmp_path,
        [
            _case("group", GROUP, "fitness-instructor"),
            _case("one", ONE_TO_ONE, "personal-trainer", "both"),
            _case("wrong", GROUP, "personal-trainer"),
            _case("aside", ONE_TO_ONE, "neither", held_out=True),
        ],
        threshold=0.5,
    )
    code, out, _ = _run(runner, "audit", "--cases", str(path), "--json")
    document = json.loads(out)
    assert code == 0
    assert document["tuned"] == {"cases": 3, "agree": 2, "share": round(2 / 3, 6)}
    assert document["held_out"] == {"cases": 1, "agree": 0, "share": 0.0}
    assert document["every"]["agree"] == 2 and document["opposite"] == 1
    wrong = next(c for c in document["cases"] if c["id"] == "wrong")
    assert (wrong["got"], wrong["agrees"], wrong["opposite"]) == ("fitness-instructor", False, True)
    aside = next(c for c in document["cases"] if c["id"] == "aside")
    assert (aside["agrees"], aside["opposite"]) == (False, False)  # too bold, not the other way
    assert document["passes"] is False  # a case sent to the other role


def test_a_case_file_with_a_miss_fails_strict(runner: CliRunner, tmp_path: Path) -> None:
    good = _case_file(tmp_path, [_case("group", GROUP, "fitness-instructor")])
    assert _run(runner, "audit", "--cases", str(good), "--strict")[0] == 0
    missed = _case_file(tmp_path, [_case("group", GROUP, "fitness-instructor"), _case("miss", GROUP, "neither")])
    code, out, err = _run(runner, "audit", "--cases", str(missed), "--strict")
    assert code == 1
    assert err.strip() == (
        "rolefit: the cases do not pass: 1 of 2 agree, 0 sent to the other role (--strict: at least 90%, and none)"
    )
    assert "miss" in out and "Does not pass" in out


def test_a_bad_case_is_named_by_file_line_and_field(runner: CliRunner, tmp_path: Path) -> None:
    cases = [
        _case("a", GROUP, "fitness-instructor"),
        _case("b", "career:9-9", "neither"),
        _case("c", GROUP, "astronaut"),
    ]
    path = _case_file(tmp_path, cases)
    code, _, err = _run(runner, "audit", "--cases", str(path))
    assert code == 2
    assert err.startswith(f"rolefit: {path}:8: cases.b.answers: answer code") and "(and 1 more problem)" in err
    code, out, _ = _run(runner, "validate", "--cases", str(path))
    assert code == 2
    lines = out.splitlines()
    assert len(lines) == 2 and "cases.b.answers: answer code" in lines[0]
    known = "(known: fitness-instructor, personal-trainer, fitness-on-the-side, both, neither)"
    assert lines[1].endswith(f': cases.c.expected.#1: unknown verdict "astronaut" {known}')


def test_a_case_file_is_checked_against_the_knowledge_base_named(runner: CliRunner, tmp_path: Path) -> None:
    kb = tmp_path / "kb.yaml"
    kb.write_text(SMALL_KB)
    path = _case_file(tmp_path, [_case("a", GROUP, "fitness-instructor")])
    code, out, _ = _run(runner, "validate", "--cases", str(path), "--data", str(kb))
    assert code == 2 and 'unknown quiz "career"' in out


def test_the_built_in_cases_are_valid_and_cover_every_verdict(runner: CliRunner) -> None:
    code, out, _ = _run(runner, "validate", "--cases", str(CASES))
    assert code == 0 and out.startswith(f"{CASES}: valid: ")
    cases = yaml.safe_load(CASES.read_text())["cases"]
    assert len(cases) >= 40 and len({c["id"] for c in cases}) == len(cases)
    by_quiz = Counter(c["answers"].split(":")[0] for c in cases)
    assert set(by_quiz) == {"career", "hiring"}
    expected = Counter(e for c in cases for e in c["expected"])
    assert {"fitness-instructor", "personal-trainer", "both", "neither"} <= set(expected)
    assert expected["neither"] >= 6
    for quiz, count in by_quiz.items():  # a tenth of each quiz set aside
        held = sum(c["held_out"] for c in cases if c["answers"].startswith(quiz + ":"))
        assert held == round(count / 10)
    for case in cases:  # every case says where it comes from, and who the person is, in our words
        assert case["source"].startswith(("http://", "https://")) and case["person"] and case["outcome"]


def _flat(path: Path) -> str:
    return " ".join(path.read_text(encoding="utf-8").split())


def test_the_built_in_cases_audit_as_the_docs_say(runner: CliRunner, kb: KnowledgeBase) -> None:
    document = json.loads(_run(runner, "audit", "--cases", str(CASES), "--json")[1])
    quality, readme = _flat(ROOT / "docs" / "quality.md"), _flat(ROOT / "README.md")
    held, tuned = document["held_out"], document["tuned"]
    assert f"agrees with {held['agree']} of the {held['cases']} people set aside" in quality
    assert f"and {tuned['agree']} of the other {tuned['cases']}, and" in quality
    assert f"{document['opposite']} were sent to the other role;" in quality
    assert f"The {tuned['cases'] - tuned['agree']} tuned misses:" in quality
    share = f"{tuned['agree'] / tuned['cases']:.0%}"
    assert (
        f"rolefit agrees with {held['agree']} of the {held['cases']} people set aside before anything was tuned,"
        f" and {tuned['agree']} of the other {tuned['cases']} ({share}); {document['opposite']} were sent to the"
        " other role;"
    ) in readme
    cases = document["cases"]
    assert document["every"]["cases"] == len(cases) == len(yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"])
    assert f"against {len(cases)} real" in readme and f"holds {len(cases)} real people" in quality
    reader = document["reader"]
    held, tuned = reader["held_out"], reader["tuned"]
    share = f"{tuned['agree'] / tuned['cases']:.0%}"
    for text in (quality, readme):
        assert f"agrees with {held['agree']} of the {held['cases']} set aside and {tuned['agree']} of" in text
        assert f"the other {tuned['cases']} ({share})" in text
    assert f"the other {tuned['cases']} ({share}), and sends {reader['opposite']} the other way" in quality
    # Each quiz's tuned cases, by rolefit and by the careful reader, as both files give them.
    sides = {
        "career": "On the career side rolefit comes close ({} of the {} tuned cases, against {})",
        "hiring": "on the hiring side it does not ({} of {}, against {})",
    }
    for quiz, said in sides.items():
        mine = [c for c in cases if c["quiz"] == quiz and not c["held_out"]]
        by_reader = sum(judge(kb, quiz, c["reader"], c["expected"]).agrees for c in mine)
        figures = said.format(sum(c["agrees"] for c in mine), len(mine), by_reader)
        assert figures in quality and figures in readme, figures


def test_a_careful_readers_verdicts_are_scored_beside_the_quizs(runner: CliRunner, tmp_path: Path) -> None:
    def read(case: dict[str, object], verdict: str) -> dict[str, object]:
        return {**case, "reader": verdict}

    path = _case_file(
        tmp_path,
        [
            read(_case("group", GROUP, "fitness-instructor"), "fitness-instructor"),
            read(_case("one", ONE_TO_ONE, "personal-trainer"), "fitness-instructor"),  # the other way
            read(_case("aside", ONE_TO_ONE, "neither", held_out=True), "neither"),
            _case("unread", GROUP, "fitness-instructor"),
        ],
        threshold=0.5,
    )
    code, out, _ = _run(runner, "audit", "--cases", str(path), "--json")
    document = json.loads(out)
    assert code == 0 and document["tuned"]["agree"] == 3  # the quiz's own figures are unchanged
    assert document["reader"] == {
        "tuned": {"cases": 2, "agree": 1, "share": 0.5},
        "held_out": {"cases": 1, "agree": 1, "share": 1.0},
        "every": {"cases": 3, "agree": 2, "share": round(2 / 3, 6)},
        "opposite": 1,
    }
    assert [c["reader"] for c in document["cases"]] == ["fitness-instructor", "fitness-instructor", "neither", None]
    shown = " ".join(_run(runner, "audit", "--cases", str(path))[1].split())
    assert "A careful reader of the same descriptions" in shown and "on the other cases: 1 of 2 (50%)" in shown
    # Without any reader verdict, nothing is said of one.
    plain = _case_file(tmp_path, [_case("group", GROUP, "fitness-instructor")])
    assert json.loads(_run(runner, "audit", "--cases", str(plain), "--json")[1])["reader"] is None
    assert "careful reader" not in _run(runner, "audit", "--cases", str(plain))[1]
    # A reader's verdict is checked as an expected one is.
    bad = _case_file(tmp_path, [read(_case("group", GROUP, "fitness-instructor"), "yoga-teacher")])
    code, _, err = _run(runner, "audit", "--cases", str(bad))
    assert code == 2 and 'cases.yaml:7: cases.group.reader: unknown verdict "yoga-teacher"' in err


def test_a_case_file_is_bounded_and_a_knowledge_base_is_not_one(runner: CliRunner, tmp_path: Path) -> None:
    from rolefit.scoring.cases import MAX_CASES

    many = _case_file(tmp_path, [_case(f"c{i}", GROUP, "fitness-instructor") for i in range(MAX_CASES + 1)])
    code, _, err = _run(runner, "audit", "--cases", str(many))
    assert code == 2 and f"{MAX_CASES + 1:,} cases: at most {MAX_CASES:,}" in err
    code, _, err = _run(runner, "audit", "--cases", str(ROOT / "data" / "roles.yaml"))
    assert code == 2 and "a knowledge base, not a case file" in err


def test_stdin_is_read_once(runner: CliRunner) -> None:
    for args in (
        ["audit", "--cases", "-", "--data", "-"],
        ["validate", "--cases", "-", "--data", "-"],
        ["quiz", "--answers", "-", "--data", "-"],
    ):
        result = runner.invoke(app, args, input="x: 1\n")
        assert result.exit_code == 2 and "which can be read only once" in result.stderr, args
