"""A balanced decision aid: every option's downsides beside its upsides, the decision stated,
and the guide's account of itself (`rolefit about`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rolefit.cli.commands import app
from rolefit.kb.models import KnowledgeBase
from rolefit.scoring.answers import decode
from rolefit.scoring.score import score
from tests.conftest import PERSONAS, SMALL_KB, at_a_terminal
from tests.test_schemas import problems as schema_problems

DOWNSIDE = '    think_twice: [{text: Everyone judges how it looks, source: Example survey, period: "2025"}]\n'


def _kb(tmp_path: Path, text: str) -> str:
    path = tmp_path / "kb.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _unbalanced(runner: CliRunner, path: str) -> list[dict[str, str]]:
    """The `unbalanced` problems of a strict audit, which fails (exit 1) when there are any."""
    result = runner.invoke(app, ["audit", "--data", path, "--strict", "--json"])
    document = json.loads(result.stdout)
    found = [p for quiz in document["quizzes"] for p in quiz["problems"] if p["code"] == "unbalanced"]
    if found:
        assert result.exit_code == 1
    return found


# 1. Downsides in equal detail.


def test_an_option_without_downsides_fails_a_strict_audit(runner: CliRunner, tmp_path: Path) -> None:
    assert DOWNSIDE in SMALL_KB
    assert _unbalanced(runner, _kb(tmp_path, SMALL_KB)) == []
    missing = _unbalanced(runner, _kb(tmp_path, SMALL_KB.replace(DOWNSIDE, "")))
    assert [p["subject"] for p in missing] == ["frontend"]
    assert "0 reasons to think twice" in missing[0]["text"] and "1 to choose it" in missing[0]["text"]
    # As many, but much shorter: a word against a dozen.
    longer = SMALL_KB.replace(
        "choose_if: [You love design]", "choose_if: [You love design and care about how every screen looks and feels]"
    )
    thin = _unbalanced(runner, _kb(tmp_path, longer.replace("Everyone judges how it looks", "Critics")))
    assert [p["subject"] for p in thin] == ["frontend"] and "under half as long" in thin[0]["text"]


def test_a_quiz_with_sheets_needs_one_for_every_option(runner: CliRunner, tmp_path: Path) -> None:
    sheet = '      frontend: {cost: [{text: Free, source: Example, period: "2025"}], attention: Some}\n'
    text = SMALL_KB.replace("    questions:\n", "    sheets:\n" + sheet + "    questions:\n", 1)
    found = _unbalanced(runner, _kb(tmp_path, text))
    assert {p["subject"] for p in found} == {"backend", "data"}
    assert all("has no sheet" in p["text"] for p in found)


def test_every_built_in_option_has_as_many_sourced_downsides_as_upsides(kb: KnowledgeBase) -> None:
    for quiz in kb.quizzes.values():
        for candidate_id, candidate in kb.candidates(quiz).items():
            downsides = quiz.cautions(candidate_id, candidate)
            assert len(downsides) >= len(candidate.choose_if), candidate_id
            assert all(d.source.strip() and d.period.strip() for d in downsides)
    hiring = kb.quizzes["hiring"]
    assert set(hiring.sheets) == set(kb.candidates(hiring))  # a sheet for the client, per option
    for sheet in hiring.sheets.values():
        assert sheet.cost and sheet.attention and sheet.think_twice


def test_show_and_compare_give_the_downsides_with_their_sources(runner: CliRunner, kb: KnowledgeBase) -> None:
    caution = kb.roles["personal-trainer"].think_twice[0]
    shown = " ".join(runner.invoke(app, ["show", "personal-trainer"], env={"COLUMNS": "200"}).stdout.split())
    assert "Think twice if" in shown and caution.text in shown and caution.source in shown
    compared = runner.invoke(app, ["compare"], env={"COLUMNS": "250"}).stdout
    assert "Think twice if" in compared
    alternative = kb.quizzes["hiring"].alternatives["on-your-own"].think_twice[0]
    shown = " ".join(runner.invoke(app, ["show", "on-your-own"], env={"COLUMNS": "200"}).stdout.split())
    assert alternative.text in shown
    document = json.loads(runner.invoke(app, ["show", "personal-trainer", "--json"]).stdout)
    assert document["role"]["think_twice"][0]["text"] == caution.text


def test_the_result_weighs_both_sides_of_the_verdict_and_the_runner_up(runner: CliRunner, kb: KnowledgeBase) -> None:
    code = "career:1-1-3-3-1-3-3-1-1-2-1-1"
    result = score(kb, *decode(kb, code)[:2])
    weighed = result.weighed()
    assert weighed[0] == "fitness-instructor" and len(weighed) == 2  # the verdict's, then the best other
    document = json.loads(runner.invoke(app, ["quiz", "--code", code, "--json"]).stdout)
    sides = document["both_sides"]
    assert [s["id"] for s in sides] == list(weighed)
    instructor = kb.roles["fitness-instructor"]
    assert sides[0]["choose_if"] == list(instructor.choose_if)
    assert [c["text"] for c in sides[0]["think_twice"]] == [c.text for c in instructor.think_twice]
    assert schema_problems("quiz", document) == []
    shown = " ".join(runner.invoke(app, ["quiz", "--code", code], env={"COLUMNS": "200"}).stdout.split())
    assert "Weigh both sides" in shown and instructor.think_twice[0].text in shown


def test_a_client_reads_each_options_sheet(runner: CliRunner, kb: KnowledgeBase, tmp_path: Path) -> None:
    _, answers = PERSONAS["rehab-client"]
    result = score(kb, "hiring", answers)
    document = json.loads(
        runner.invoke(app, ["quiz", "--code", _code(runner, answers), "--json", "--region", "UK"]).stdout
    )
    sides = {s["id"]: s for s in document["both_sides"]}
    assert result.verdict.roles[0] in sides
    trainer = sides["personal-trainer"]
    sheet = kb.quizzes["hiring"].sheets["personal-trainer"]
    assert trainer["sheet"]["attention"] == sheet.attention
    # Reasons to choose it written for a client, not the job seeker's.
    assert trainer["choose_if"] == list(sheet.choose_if) != list(kb.roles["personal-trainer"].choose_if)
    in_uk = [c.text for c in sheet.think_twice if c.region in (None, "UK")]
    assert [c["text"] for c in trainer["think_twice"]] == in_uk
    assert all(c["region"] in (None, "UK") for c in trainer["sheet"]["cost"])  # the region's costs alone
    report = tmp_path / "r.md"
    runner.invoke(app, ["quiz", "--code", _code(runner, answers), "--report", str(report)])
    text = report.read_text(encoding="utf-8")
    assert "Weigh both sides" in text and "What it costs" in text and "Think twice if" in text


def _code(runner: CliRunner, answers: dict[str, str | None]) -> str:
    from rolefit.kb.load import load_knowledge_base
    from rolefit.scoring.answers import encode

    return encode("hiring", load_knowledge_base().quizzes["hiring"], answers, {})


# 2. The decision stated.


def test_each_quiz_states_its_decision_first(runner: CliRunner, kb: KnowledgeBase, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    at_a_terminal(monkeypatch)
    for quiz_id, quiz in kb.quizzes.items():
        assert quiz.decision and "hire" not in quiz.title.lower().split()
        result = runner.invoke(app, ["quiz", "--for", quiz_id], input="\n")  # ends at the first question
        before = result.stderr.split("Question 1 of")[0]
        assert " ".join(quiz.decision.split()) in " ".join(before.split())
    report = tmp_path / "r.md"
    runner.invoke(app, ["quiz", "--code", "career:1-1-3-3-1-3-3-1-1-2-1-1", "--report", str(report)])
    assert " ".join(kb.quizzes["career"].decision.split()) in " ".join(report.read_text(encoding="utf-8").split())


# 3. rolefit about.


def test_about_says_what_the_guide_is_and_how_current(runner: CliRunner, kb: KnowledgeBase) -> None:
    assert kb.about is not None
    shown = " ".join(runner.invoke(app, ["about"], env={"COLUMNS": "200"}).stdout.split())
    for part in ("Last reviewed", "Funding and ties", "What a fit means"):
        assert part in shown
    assert " ".join(kb.about.funding.split()) in shown
    document = json.loads(runner.invoke(app, ["about", "--json"]).stdout)
    assert schema_problems("about", document) == []
    assert document["about"]["reviewed"] == kb.about.reviewed
    cases = json.loads(runner.invoke(app, ["audit", "--cases", "data/cases.yaml", "--json"]).stdout)
    # The agreement is the case audit's own, worked out now, never a copied figure.
    assert document["cases"]["tuned"] == cases["tuned"] and document["cases"]["opposite"] == cases["opposite"]
    assert f"for {cases['tuned']['agree']} of the {cases['tuned']['cases']} used to tune" in shown


def test_about_needs_a_real_review_date(runner: CliRunner, tmp_path: Path) -> None:
    about = (
        "about:\n  review: Yearly\n  authors: Us\n  funding: None\n  method: By hand\n  meaning: Not a probability\n"
    )
    missing = runner.invoke(app, ["validate", _kb(tmp_path, SMALL_KB + about)])
    assert missing.exit_code == 2
    assert re.search(r"kb\.yaml:\d+: about\.reviewed: required field is missing", missing.stdout)
    wrong = runner.invoke(app, ["validate", _kb(tmp_path, SMALL_KB + about + '  reviewed: "2026-02-30"\n')])
    assert wrong.exit_code == 2 and 'about.reviewed: no such day: "2026-02-30"' in wrong.stdout + wrong.stderr
    good = runner.invoke(app, ["about", "--data", _kb(tmp_path, SMALL_KB + about + '  reviewed: "2026-02-28"\n')])
    assert good.exit_code == 0 and "28 February 2026" in good.stdout
    bare = runner.invoke(app, ["about", "--data", _kb(tmp_path, SMALL_KB)])
    assert bare.exit_code == 0 and "no `about` section" in bare.stdout


# 4. A readiness check after the verdict.

GROUP = PERSONAS["group-motivator"][1]  # every career answer, leaning to the instructor


def _saved(tmp_path: Path, readiness: object) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"quiz": "career", "answers": GROUP, "readiness": readiness}), encoding="utf-8")
    return str(path)


def test_the_readiness_check_is_asked_after_the_verdict_at_a_terminal(
    runner: CliRunner,
    kb: KnowledgeBase,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    at_a_terminal(monkeypatch)
    replies = [*GROUP.values(), "", "y", "maybe", "n", "", "s"]  # Enter: equal weights; then the check
    result = runner.invoke(app, ["quiz", "--json"], input="\n".join(replies) + "\n")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)  # nothing but the document on stdout
    assert [r["answer"] for r in document["readiness"]] == [True, False, None, None]
    assert [r["question"] for r in document["readiness"]] == [q.id for q in kb.quizzes["career"].readiness]
    asked = result.stderr
    verdict = asked.index("Your verdict: ")
    assert asked.index("Question 12 of 12") < verdict < asked.index(kb.quizzes["career"].readiness[0].text)
    assert "Please type y or n" in asked  # "maybe" is asked again
    # Shown with the result: each "no" with what helps.
    shown = runner.invoke(app, ["quiz"], input="\n".join(replies) + "\n").stdout
    informed = kb.quizzes["career"].readiness[1]
    assert "Ready to decide?" in shown and " ".join(informed.help.split()) in " ".join(shown.split())
    # End of input at the check keeps the result, with no check.
    ended = runner.invoke(app, ["quiz", "--json"], input="\n".join([*GROUP.values(), ""]) + "\n")
    assert ended.exit_code == 0 and json.loads(ended.stdout)["readiness"] == []


def test_the_readiness_check_from_an_answers_file(runner: CliRunner, tmp_path: Path) -> None:
    done = runner.invoke(app, ["quiz", "--answers", _saved(tmp_path, {"sure": "yes", "support": False}), "--json"])
    assert done.exit_code == 0, done.stderr
    document = json.loads(done.stdout)
    assert [r["answer"] for r in document["readiness"]] == [True, None, None, False]
    # What --save writes reads back the same.
    saved = tmp_path / "saved.json"
    runner.invoke(app, ["quiz", "--answers", _saved(tmp_path, {"sure": "yes"}), "--save", str(saved)])
    again = json.loads(runner.invoke(app, ["quiz", "--answers", str(saved), "--json"]).stdout)
    assert [r["answer"] for r in again["readiness"]] == [True, None, None, None]
    report = tmp_path / "r.md"
    runner.invoke(app, ["quiz", "--answers", str(saved), "--report", str(report)])
    assert "Ready to decide?" in report.read_text(encoding="utf-8")
    # Not asked without a terminal, nor for a code.
    coded = json.loads(runner.invoke(app, ["quiz", "--code", "career:1-1-3-3-1-3-3-1-1-2-1-1", "--json"]).stdout)
    assert coded["readiness"] == []
    for bad, message in (
        ({"ready": "yes"}, 'unknown readiness question "ready"'),
        ({"sure": "perhaps"}, 'readiness.sure: expected yes or no, got "perhaps"'),
        (["yes"], "expected a list of {question, answer}"),
    ):
        refused = runner.invoke(app, ["quiz", "--answers", _saved(tmp_path, bad)])
        assert refused.exit_code == 2 and message in refused.stderr, refused.stderr
        assert "answers.json:1:" in refused.stderr and "\n" not in refused.stderr.strip()


# The case file a knowledge base names is its neighbour, and nothing else.


def _with_cases(tmp_path: Path, case_file: str = "cases.yaml") -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    root = Path(__file__).resolve().parents[1] / "data"
    for name in ("roles.yaml", "oews-may2025-39-9031.csv"):
        (folder / name).write_bytes((root / name).read_bytes())
    text = (folder / "roles.yaml").read_text(encoding="utf-8")
    (folder / "roles.yaml").write_text(text.replace("cases: cases.yaml", f"cases: {case_file}"), encoding="utf-8")
    return folder


def test_about_reads_its_case_file_only_beside_it_and_only_a_file(runner: CliRunner, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    folder = _with_cases(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("token=do-not-show\n")
    (folder / "cases.yaml").symlink_to(secret)
    linked = runner.invoke(app, ["about", "--data", str(folder / "roles.yaml")])
    assert linked.exit_code == 2 and "is a symbolic link out of the knowledge base's folder" in linked.stderr
    assert "do-not-show" not in linked.stderr + linked.stdout
    (folder / "cases.yaml").unlink()
    os.mkfifo(folder / "cases.yaml")  # nobody writes to it: reading it would wait for ever
    done = subprocess.run(
        [sys.executable, "-m", "rolefit", "about", "--data", str(folder / "roles.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "not a regular file" in done.stderr
    (folder / "cases.yaml").unlink()
    missing = runner.invoke(app, ["about", "--data", str(folder / "roles.yaml")])
    assert missing.exit_code == 2 and "no such file (the knowledge base's about.cases names it)" in missing.stderr
    # validate says so too, at the field that names it.
    checked = runner.invoke(app, ["validate", str(folder / "roles.yaml")])
    assert checked.exit_code == 2 and re.search(
        r"roles\.yaml:\d+: about\.cases: cannot use the case file", checked.stdout
    )
    (folder / "cases.yaml").write_text("schema_version: 1\ncases: []\n")
    broken = runner.invoke(app, ["validate", str(folder / "roles.yaml")])
    assert broken.exit_code == 2 and "about.cases: the case file is not valid" in broken.stdout


def test_the_case_file_is_never_written_over(runner: CliRunner, tmp_path: Path) -> None:
    cases = Path(__file__).resolve().parents[1] / "data" / "cases.yaml"
    before = cases.read_bytes()
    saved = runner.invoke(app, ["quiz", "--code", "career:1-1-3-3-1-3-3-1-1-2-1-1", "--save", str(cases)])
    assert saved.exit_code == 2 and "is the knowledge base's case file" in saved.stderr
    forced = runner.invoke(app, ["init", str(cases), "--force"])
    assert forced.exit_code == 2 and "is the knowledge base's case file" in forced.stderr
    assert cases.read_bytes() == before


def test_a_review_date_after_today_is_called_wrong(runner: CliRunner, tmp_path: Path) -> None:
    about = "about:\n  review: Y\n  authors: U\n  funding: N\n  method: M\n  meaning: F\n  reviewed: '2999-01-01'\n"
    shown = runner.invoke(app, ["about", "--data", _kb(tmp_path, SMALL_KB + about)]).stdout
    assert "1 January 2999. That is after today: the knowledge base's date is wrong." in " ".join(shown.split())


def test_cut_short_the_downsides_keep_their_regions_heading(runner: CliRunner, kb: KnowledgeBase) -> None:
    trainer = kb.roles["personal-trainer"].think_twice
    assert trainer[0].region is not None  # the case that lost its heading
    shown = runner.invoke(app, ["quiz", "--code", "career:1-3-1-1-3-1-1-3-3-1-1-1"], env={"COLUMNS": "200"}).stdout
    block = shown[shown.index("Personal trainer\nChoose this if") :]
    block = block[block.index("Think twice if") :]
    first_line = block.splitlines()[1].strip()
    assert first_line in {r.name for r in kb.regions.values()}, block[:300]
    compared = " ".join(runner.invoke(app, ["compare"], env={"COLUMNS": "300"}).stdout.split())
    name = kb.regions[trainer[0].region].name
    assert f"! {name}: {trainer[0].text.split()[0]}" in compared


def test_show_checks_for_even_for_a_role(runner: CliRunner) -> None:
    done = runner.invoke(app, ["show", "personal-trainer", "--for", "nope"])
    assert done.exit_code == 2 and 'unknown quiz "nope"' in done.stderr


def test_figures_side_by_side_from_other_sources_say_so(runner: CliRunner, kb: KnowledgeBase) -> None:
    warning = "(another source or year than the other role's figures here: compare with care)"

    def lines(region: str) -> list[str]:
        shown = runner.invoke(app, ["compare", "--region", region], env={"COLUMNS": "900"}).stdout  # no cell wraps
        return [line for line in shown.splitlines() if warning in line]

    uk = lines("UK")
    assert len(uk) == 1 and "Pay per session, group exercise instructors" in uk[0]  # beside the adverts' pay
    assert "Average advertised pay, personal trainers" in uk[0]
    shared = kb.roles["fitness-instructor"].income.figures[0]  # the one occupation's pay: in both columns
    assert shared.region == "US" and not any(shared.label in line for line in lines("US"))


@pytest.mark.parametrize(
    ("code", "weighed"),
    [
        # The verdict's role beside the other role, not an alternative the table hides.
        ("career:1-1-3-3-1-3-3-1-1-2-1-1", ("fitness-instructor", "personal-trainer")),
        # Every role ruled out: the table shows no other, so the best hidden option is weighed.
        ("career:3-1-2-4-3-3-1-1-4-1-1-1", ("fitness-on-the-side",)),
        ("hiring:1-1-1-2-2-3-3-3-2-3-1", ("on-your-own", "clinician-first")),
    ],
)
def test_both_sides_weigh_what_the_table_sets_beside_the_verdict(
    kb: KnowledgeBase, code: str, weighed: tuple[str, ...]
) -> None:
    result = score(kb, *decode(kb, code)[:2])
    assert result.weighed() == weighed
