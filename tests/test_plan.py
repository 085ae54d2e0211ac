"""After the verdict: next steps, pay where you live, the checklist; regions; fresh, dated figures."""

from __future__ import annotations

import csv
import datetime
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rolefit.cli.commands import app
from rolefit.errors import RolefitError
from rolefit.kb.load import default_path, load_knowledge_base
from rolefit.kb.models import Figure, KnowledgeBase, Step, regional
from rolefit.kb.regions import choose, in_region, read_areas
from rolefit.scoring.score import score
from rolefit.views.wording import dated, years_old
from tests.conftest import PERSONAS, mappings

TABLE = default_path().parent / "oews-may2025-39-9031.csv"


def _json(runner: CliRunner, *args: str, env: dict[str, str] | None = None) -> Any:
    result = runner.invoke(app, [*args, "--json"], env=env)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _persona(tmp_path: Path, name: str) -> list[str]:
    quiz, answers = PERSONAS[name]
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(answers))
    return ["quiz", "--for", quiz, "--answers", str(path)]


def _shown(runner: CliRunner, *args: str, env: dict[str, str] | None = None) -> str:
    """What a person reads, as one line: wrapping, and the table's borders, taken out."""
    result = runner.invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.stderr
    return " ".join(result.stdout.replace("│", " ").split())


def _sourced(document: Any) -> list[dict[str, Any]]:
    """Every figure, credential, step and check in a JSON document: the objects that carry a source."""
    return [m for m in mappings(document) if "source" in m and "region" in m]


# 1. Next steps, in the knowledge base and after the verdict.


def test_every_role_has_ordered_next_steps_for_each_region(kb: KnowledgeBase) -> None:
    for role in kb.roles.values():
        regions = {step.region for step in role.next_steps}
        assert {"US", "UK", "AU"} <= regions, role.name


def test_the_recommended_roles_steps_follow_the_verdict(runner: CliRunner, tmp_path: Path) -> None:
    document = _json(runner, *_persona(tmp_path, "detail-coach"))
    assert document["verdict"]["roles"] == ["personal-trainer"]
    steps = document["next_steps"]
    assert steps and {s["role"] for s in steps} == {"personal-trainer"}
    trainer = load_knowledge_base().roles["personal-trainer"]
    assert [s["text"] for s in steps] == [s.text for s in trainer.next_steps]
    shown = _shown(runner, *_persona(tmp_path, "detail-coach"))
    assert "Next steps: Personal trainer" in shown
    assert "NCCA-accredited certification" in shown
    assert "Time 3–6 months, cost 675–2,099 USD (estimates)" in shown


def test_both_roles_get_the_path_many_take(runner: CliRunner, tmp_path: Path, kb: KnowledgeBase) -> None:
    document = _json(runner, *_persona(tmp_path, "career-mix"), "--region", "US")
    assert document["verdict"]["kind"] == "both"
    steps = document["next_steps"]
    assert steps[0]["role"] is None and steps[0]["text"].startswith("Start by teaching classes")
    texts = [s["text"] for s in steps]
    group = next(t for t in texts if "exam to teach group exercise" in t)
    personal = next(t for t in texts if "NCCA-accredited certification and study" in t)
    assert texts.index(group) < texts.index(personal)  # classes first, personal training after
    assert {s["region"] for s in steps} <= {None, "US"}
    shown = _shown(runner, *[*_persona(tmp_path, "career-mix"), "--region", "US"])
    assert "Next steps, for both: the path many take" in shown


def test_no_steps_without_a_recommendation_or_in_a_quiz_about_hiring(runner: CliRunner, tmp_path: Path) -> None:
    neither = _json(runner, "quiz", "--code", "career:5-4-4-4-4-4-4-4-4-3-4-4")  # no preference, anywhere
    assert neither["verdict"]["kind"] == "neither"
    assert neither["next_steps"] == [] and neither["pay"] == []
    # An alternative's steps, with no pay: a desk worker is pointed to fitness beside other work.
    desk = _json(runner, *_persona(tmp_path, "desk-worker"))
    assert desk["verdict"]["roles"] == ["fitness-on-the-side"] and desk["pay"] == []
    assert desk["next_steps"] and {s["role"] for s in desk["next_steps"]} == {"fitness-on-the-side"}
    client = _json(runner, *_persona(tmp_path, "rehab-client"))
    assert client["verdict"]["roles"] and client["next_steps"] == [] and client["pay"] == []


def test_show_lists_the_roles_next_steps_with_time_cost_and_source(runner: CliRunner) -> None:
    document = _json(runner, "show", "personal-trainer")
    steps = document["role"]["next_steps"]
    study = next(s for s in steps if s["time"])
    assert study["time"] == {"low": 3.0, "high": 6.0, "unit": "months"}
    assert study["cost"] == {"low": 675.0, "high": 2099.0, "unit": "USD"}
    assert study["estimate"] is True and study["period"] == "2024 and 2026"
    shown = _shown(runner, *["show", "personal-trainer"])
    assert "Next steps" in shown and "NASM: third-party pages (2026), not verified, 2024 and 2026." in shown


def test_a_knowledge_base_without_next_steps_or_regions_stays_valid(runner: CliRunner, small_kb_path: Path) -> None:
    assert runner.invoke(app, ["validate", str(small_kb_path)]).exit_code == 0
    document = _json(runner, "quiz", "--data", str(small_kb_path), "--code", "pick:1-1")
    assert document["next_steps"] == [] and document["checklist"] == [] and document["region"] is None
    assert "Next steps" not in _shown(runner, *["quiz", "--data", str(small_kb_path), "--code", "pick:1-1"])


# 2. The checklist for choosing a coach.


def test_hiring_ends_with_a_checklist(runner: CliRunner, tmp_path: Path) -> None:
    checks = _json(runner, *_persona(tmp_path, "rehab-client"))["checklist"]
    said = " ".join(c["text"] for c in checks)
    for needed in ("NCCA-accredited", "CIMSPA", "EMD UK", "CPR and AED", "insurance", "references", "trial session"):
        assert needed in said, needed
    assert "PAR-Q+" in said and "doctor's go-ahead" in said
    assert all(c["source"] and c["period"] for c in checks)
    shown = _shown(runner, *_persona(tmp_path, "rehab-client"))
    assert "Before you decide, check:" in shown and "☐ Book a trial session" in shown


def test_the_career_quiz_has_no_checklist(runner: CliRunner, tmp_path: Path) -> None:
    assert _json(runner, *_persona(tmp_path, "detail-coach"))["checklist"] == []


# 3. Regions.


@pytest.mark.parametrize("code", ["US", "UK", "AU", "US-CA"])
def test_a_region_shows_its_own_and_leaves_out_every_other(runner: CliRunner, tmp_path: Path, code: str) -> None:
    region = code.split("-")[0]
    documents = [
        _json(runner, "compare", "--region", code),
        *(_json(runner, "show", role, "--region", code) for role in ("fitness-instructor", "personal-trainer")),
        *(_json(runner, *_persona(tmp_path, p), "--region", code) for p in ("career-mix", "rehab-client")),
    ]
    for document in documents:
        items = _sourced(document)
        assert items, "no figure, step or check to look at"
        leaked = [i for i in items if i["region"] not in (None, region)]
        assert leaked == [], leaked
        assert document["region"]["code"] == code and document["region"]["left_out"] > 0
    for document in documents[:3]:  # the roles themselves have something for every region
        assert any(i["region"] == region for i in _sourced(document))
    # What a person reads: another region's money is not in it.
    shown = _shown(runner, *["compare", "--region", code])
    others = {"US": "$47,160", "UK": "£", "AU": "AUD"}
    for other, mark in others.items():
        assert (mark in shown) == (other == region), (other, mark)
    assert f"Region: {document['region']['name']}." in " ".join(shown.split())


def test_every_region_leaves_out_exactly_the_others(kb: KnowledgeBase) -> None:
    every = list(regional(kb))
    for code in kb.regions:
        seen = list(regional(in_region(kb, code)))
        assert [item for _, item in seen] == [item for _, item in every if item.region in (None, code)]
        _, place = choose(kb, code, default_path())
        assert place is not None and place.left_out == len(every) - len(seen) > 0


def test_without_a_region_every_region_is_shown_grouped(runner: CliRunner) -> None:
    document = _json(runner, "compare")
    assert document["region"] is None and document["area_pay"] is None
    assert {i["region"] for i in _sourced(document)} == {None, "US", "UK", "AU"}
    shown = runner.invoke(app, ["show", "fitness-instructor"]).stdout
    names = ("United States", "United Kingdom", "Australia", "Everywhere")
    headings = [line.strip() for line in shown.splitlines() if line.strip() in names]
    # Reasons to think twice, credentials and figures grouped by region, in the knowledge
    # base's order (no figure holds everywhere); the next steps as a path per region, those
    # for everywhere in each.
    assert headings == [*names, *names, *names[:3], *names[:3]]
    instructor = load_knowledge_base().roles["fitness-instructor"]
    everywhere = [s.text for s in instructor.next_steps if s.region is None]
    assert len(everywhere) == 2 and all(shown.count(text[:40]) == 3 for text in everywhere)
    assert "For yours alone: --region US, UK or AU" in " ".join(shown.split())


def test_the_region_comes_from_the_environment_too(runner: CliRunner) -> None:
    document = _json(runner, "compare", env={"ROLEFIT_REGION": "uk"})
    assert document["region"]["code"] == "UK"
    assert _json(runner, "compare", env={"ROLEFIT_REGION": ""})["region"] is None


@pytest.mark.parametrize("code", ["FR", "US-ZZ", "UK-LN", "USA-CA", "-", "US-US", "uſ-ca", "US-CA-X", "ＵＳ"])
def test_an_unknown_region_exits_2_naming_the_known_ones(runner: CliRunner, code: str) -> None:
    for command in (["compare"], ["show", "personal-trainer"], ["quiz", "--code", "hiring:1-1-1-1-1-1-1-1-1-1-4"]):
        result = runner.invoke(app, [*command, "--region", code])
        assert result.exit_code == 2, (command, result.stdout)
        line = result.stderr.strip()
        assert "\n" not in line and line.startswith("rolefit: unknown region")
        for known in ("US", "UK", "AU", "US-CA", "US-DC", "US-PR", "US-WY"):
            assert known in line


@pytest.mark.parametrize(
    ("code", "meant"),
    [("TX", "US-TX"), ("tx", "US-TX"), ("GB", "UK"), ("gb", "UK"), ("US-TXX", "US-TX"), ("usa", "US")],
)
def test_an_unknown_region_suggests_the_nearest_known_codes(runner: CliRunner, code: str, meant: str) -> None:
    for command in (["compare"], ["quiz", "--code", "hiring:1-1-1-1-1-1-1-1-1-1-4"]):
        result = runner.invoke(app, [*command, "--region", code])
        assert result.exit_code == 2
        assert result.stderr.startswith(f'rolefit: unknown region "{code}": did you mean {meant}? (known: US, UK, AU, ')


def test_a_region_like_no_known_one_suggests_nothing(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", "--region", "FR"])
    assert result.exit_code == 2 and result.stderr.startswith('rolefit: unknown region "FR" (known: US, UK, AU, ')


def test_the_uk_path_to_personal_training_gives_its_cost_with_its_sources(runner: CliRunner) -> None:
    steps = _json(runner, "show", "personal-trainer", "--region", "UK")["role"]["next_steps"]
    course = next(s for s in steps if s["text"].startswith("Take Level 2 Fitness Instructing"))
    assert course["cost"] == {"low": 1500, "high": 2880, "unit": "GBP"} and course["estimate"]
    assert "CMS Fitness Courses" in course["source"] and "YMCAfit" in course["source"]
    assert "Nov 2021" in course["period"]


def test_a_state_shows_its_pay_beside_the_nation_from_the_shipped_table(runner: CliRunner) -> None:
    with TABLE.open(encoding="utf-8") as f:
        rows = {r["code"]: r for r in csv.DictReader(line for line in f if not line.startswith("#"))}
    for state in ("CA", "NY", "TX", "MS", "DC", "PR"):
        pay = _json(runner, "show", "personal-trainer", "--region", f"us-{state.lower()}")["area_pay"]
        assert pay["area"]["code"] == state and pay["area"]["name"] == rows[state]["area"]
        assert pay["area"]["annual_median"] == float(rows[state]["annual_median"])
        assert pay["area"]["annual_p10"] == float(rows[state]["annual_p10"])
        assert pay["whole"]["annual_median"] == float(rows["US"]["annual_median"]) == 47160
        assert "May 2025" in pay["period"] and "OEWS" in pay["source"]
    shown = " ".join(_shown(runner, *["show", "fitness-instructor", "--region", "US-CA"]).split())
    assert (
        "California: median $57,990 a year ($27.88 an hour), 10th to 90th percentile $36,750 to $100,920;"
        " national: median $47,160 a year, 10th to 90th percentile $28,800 to $83,100" in shown
    )


def test_a_state_in_the_quiz_shows_its_pay_first(runner: CliRunner, tmp_path: Path) -> None:
    args = [*_persona(tmp_path, "detail-coach"), "--region", "US-MS"]
    assert _json(runner, *args)["area_pay"]["area"]["annual_median"] == 30540
    shown = _shown(runner, *args)
    pay = shown.index("Pay ")
    assert shown.index("Mississippi: median $30,540", pay) < shown.index("14% growth from 2022 to 2032", pay)
    # A client is not told a trainer's wages.
    assert _json(runner, *_persona(tmp_path, "rehab-client"), "--region", "US-MS")["area_pay"] is None


def test_under_a_state_the_national_figures_its_line_gives_are_not_repeated(runner: CliRunner, tmp_path: Path) -> None:
    median, national = "$47,160 a year ($22.67 an hour)", "national: median $47,160 a year"
    report = tmp_path / "report.md"
    code = ["quiz", "--code", "career:1-1-3-3-1-3-3-1-1-2-1-1"]
    for command in (code, ["show", "personal-trainer"], ["compare"]):
        by_state = " ".join(_shown(runner, *command, "--region", "US-TX").split())
        assert "Texas: median $40,880" in by_state, command
        if command != ["compare"]:  # where no column of a table runs beside it
            assert by_state.count(national) == 1, command
        assert median not in by_state and "Median pay," not in by_state and "Pay range," not in by_state, command
        assert "14% growth" in by_state, command  # another source: kept
        # The nation alone: its figures, as the knowledge base gives them.
        by_nation = " ".join(_shown(runner, *command, "--region", "US").split())
        assert "Median pay," in by_nation and "Pay range," in by_nation, command
    runner.invoke(app, [*code, "--region", "US-TX", "--report", str(report)])
    written = " ".join(report.read_text().split())
    assert national in written and median not in written


def _with_table(tmp_path: Path, table: str) -> Path:
    text = default_path().read_text(encoding="utf-8")
    (tmp_path / "pay.csv").write_text(table, encoding="utf-8")
    path = tmp_path / "kb.yaml"
    path.write_text(text.replace("file: oews-may2025-39-9031.csv", "file: pay.csv"), encoding="utf-8")
    return path


HEADER = "code,area,employment,hourly_median,annual_median,annual_p10,annual_p90,hourly_mean,annual_mean\n"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("", "no header line"),
        ("code,area\nUS,National\n", "missing columns employment"),
        (
            HEADER + "US,National,1,2,4,3,5,6,7\nCA,California,1,2,lots,4,5,6,7\n",
            "pay.csv:3: annual_median: expected a number",
        ),
        (HEADER + "US,National,1,2,4,3,5,6,7\nCA,California,1,2\n", "pay.csv:3: 4 cells"),
        (
            HEADER + "US,National,1,2,4,3,5,6,7\nCA,California,1,2,4,3,5,6,7\nCA,Again,1,2,4,3,5,6,7\n",
            "pay.csv:4: code",
        ),
        (HEADER + "CA,California,1,2,4,3,5,6,7\n", "no row for the whole region"),
        (
            HEADER + "US,National,1,2,3,4,5,6,-7\nCA,California,1,2,3,4,5,6,nan\n",
            "expected a number from 0 to 1,000,000,000",
        ),
        (
            HEADER + f"US,National,1,2,4,3,5,6,7\nCA,California,{'9' * 400},2,3,4,5,6,7\n",
            "pay.csv:3: employment: expected a number from 0 to 1,000,000,000",
        ),
        (
            HEADER + "US,National,1,2,4,3,5,6,7\nCA,California,1,-0,3,4,5,6,7\n",
            "pay.csv:3: hourly_median: expected a number",
        ),
        (HEADER + "US,National,1,2,4,3,5,6,7\nCA,California,1,2,3,9,5,6,7\n", "pay.csv:3: expected annual_p10 <="),
        (HEADER + "US,National,1,2,4,3,5,6,7\nCA,California,1.5,2,3,4,5,6,7\n", "employment: expected a whole number"),
        (HEADER + "US,National,1,2,4,3,5,6,7\nCA,California,1_000,2,3,4,5,6,7\n", "employment: expected a number"),
        (HEADER + "US,National,1,2,4,3,5,6,7\nCA,California,１２３,2,3,4,5,6,7\n", "employment: expected a number"),
        (HEADER.strip() + ",annual_mean\n", 'pay.csv:1: the column "annual_mean" twice'),
        ("# one\x0c# two\u2028\n" + HEADER + "US,National,1,2,4,3,5,6,7\nCA,California,1,2,x,4,5,6,7\n", "pay.csv:4: "),
        (
            HEADER + 'US,National,1,2,4,3,5,6,7\nCA,"Cali\nfornia",1,2,4,3,5,6,7\n',
            "area: expected the area's name on one line",
        ),
    ],
)
def test_a_broken_areas_table_is_one_line_naming_file_and_line(
    runner: CliRunner, tmp_path: Path, table: str, message: str
) -> None:
    path = _with_table(tmp_path, table)
    result = runner.invoke(app, ["show", "personal-trainer", "--data", str(path), "--region", "US-CA"])
    assert result.exit_code == 2 and message in result.stderr and result.stderr.count("\n") == 1, result.stderr
    # Without an area the table is not read: the rest of the knowledge base still works.
    assert runner.invoke(app, ["show", "personal-trainer", "--data", str(path), "--region", "US"]).exit_code == 0
    # And `validate` tells the author.
    checked = runner.invoke(app, ["validate", str(path)])
    assert checked.exit_code == 2 and "regions.US.areas.file: cannot use the table" in checked.stdout


def test_suppressed_numbers_in_a_table_are_not_published(runner: CliRunner, tmp_path: Path) -> None:
    path = _with_table(tmp_path, HEADER + "US,National,1,2,4,3,5,6,7\nVT,Vermont,**,*,#,,5,6,7\n")
    pay = _json(runner, "show", "personal-trainer", "--data", str(path), "--region", "US-VT")["area_pay"]
    assert pay["area"]["employment"] is None and pay["area"]["annual_median"] is None
    shown = _shown(runner, *["show", "personal-trainer", "--data", str(path), "--region", "US-VT"])
    assert "Vermont: median not published, 10th to 90th percentile" not in shown
    assert "Vermont: median not published; national: median $4 a year" in " ".join(shown.split())


def test_an_areas_table_must_be_a_file_beside_the_knowledge_base(runner: CliRunner, tmp_path: Path) -> None:
    text = default_path().read_text(encoding="utf-8")
    for name in ("../etc/passwd", "/etc/passwd", "sub/pay.csv"):
        path = tmp_path / "kb.yaml"
        path.write_text(text.replace("file: oews-may2025-39-9031.csv", f"file: {json.dumps(name)}"), encoding="utf-8")
        result = runner.invoke(app, ["validate", str(path)])
        assert result.exit_code == 2 and "regions.US.areas.file: expected the name of a file beside" in result.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_an_areas_table_that_is_a_pipe_is_refused_not_waited_for(runner: CliRunner, tmp_path: Path) -> None:
    path = _with_table(tmp_path, "")
    (tmp_path / "pay.csv").unlink()
    os.mkfifo(tmp_path / "pay.csv")
    result = runner.invoke(app, ["show", "personal-trainer", "--data", str(path), "--region", "US-CA"])
    assert result.exit_code == 2 and "not a regular file" in result.stderr


def test_a_missing_table_or_one_from_stdin_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    path = _with_table(tmp_path, "")
    (tmp_path / "pay.csv").unlink()
    result = runner.invoke(app, ["compare", "--data", str(path), "--region", "US-CA"])
    assert result.exit_code == 2 and "pay.csv: no such file" in result.stderr
    piped = runner.invoke(app, ["compare", "--data", "-", "--region", "US-CA"], input=default_path().read_text())
    assert piped.exit_code == 2 and "read from stdin" in piped.stderr
    assert (
        runner.invoke(app, ["compare", "--data", "-", "--region", "UK"], input=default_path().read_text()).exit_code
        == 0
    )


def test_an_unknown_region_is_named_even_when_the_table_cannot_be_read(runner: CliRunner) -> None:
    piped = runner.invoke(app, ["compare", "--data", "-", "--region", "ZZ"], input=default_path().read_text())
    assert piped.exit_code == 2 and 'unknown region "ZZ" (known: US, UK, AU, US-XX)' in piped.stderr


def test_ranges_are_written_in_full(kb: KnowledgeBase) -> None:
    from rolefit.kb.models import Range
    from rolefit.views.wording import span

    assert span(Range(low=1234567, high=1e9, unit="USD")) == "1,234,567–1,000,000,000 USD"
    assert span(Range(low=0.5, high=0.5, unit="hours")) == "0.5 hours"


def test_an_unknown_region_in_a_file_names_its_line(runner: CliRunner, tmp_path: Path) -> None:
    text = default_path().read_text(encoding="utf-8")
    path = tmp_path / "kb.yaml"
    path.write_text(
        text.replace(
            "        period: Aug 2024\n        region: UK\n", "        period: Aug 2024\n        region: FR\n", 1
        )
    )
    result = runner.invoke(app, ["validate", str(path)])
    line = next(n for n, s in enumerate(path.read_text().splitlines(), 1) if s.strip() == "region: FR")
    assert f"kb.yaml:{line}: " in result.stdout and 'region: unknown region "FR" (known: AU, UK, US)' in result.stdout


def test_a_range_that_ends_before_it_starts_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    text = default_path().read_text(encoding="utf-8")
    path = tmp_path / "kb.yaml"
    path.write_text(text.replace("{low: 3, high: 6, unit: months}", "{low: 6, high: 3, unit: months}"))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and "time.high: must not be below `low` (6)" in result.stdout


# 4. Fresh figures, dated.


def test_figures_are_the_fresh_ones(kb: KnowledgeBase) -> None:
    instructor, trainer = kb.roles["fitness-instructor"], kb.roles["personal-trainer"]
    everything = json.dumps(_json(CliRunner(), "compare"))
    for stale in ("$45,380", 'AFAA Primary Group Exercise"', "often earns more", "Gym Instructor or Level 2"):
        assert stale not in everything, stale
    for role in (instructor, trainer):
        assert "cannot show which" in role.income.summary
        values = {f.value for f in role.income.figures}
        assert any("$47,160 a year" in v for v in values)  # OEWS May 2025, as the table's national row
        (au,) = [f for f in role.income.figures if f.region == "AU"]
        assert "alike" in (au.note or "") and "FULL" not in au.label
    median = next(f for f in trainer.income.figures if "$47,160" in f.value)
    assert median.period == "May 2025" and "self-employed" in (median.note or "")
    areas = read_areas(kb.regions["US"].areas, default_path(), "US")  # type: ignore[arg-type]
    assert areas["US"].annual_median == 47160 and areas["US"].hourly_median == 22.67
    names = {c.name for c in instructor.certifications.credentials}
    assert "AFAA Group Fitness Instructor (AFAA-GFI)" in names
    uk = [c for c in instructor.certifications.credentials if c.region == "UK"]
    assert uk and "EMD UK" in (uk[0].notes or "") and "Exercise to Music" in uk[0].name
    (uk_trainer,) = [c for c in trainer.certifications.credentials if c.region == "UK"]
    assert uk_trainer.name == "Level 2 Fitness Instructing, then Level 3 Personal Trainer"
    assert {c.name for c in instructor.certifications.credentials if c.region == "AU"} == {"Certificate III in Fitness"}
    assert {c.name for c in trainer.certifications.credentials if c.region == "AU"} == {"Certificate IV in Fitness"}
    assert any(f.label.startswith("Job outlook") for f in trainer.income.figures)


def test_every_figure_step_and_check_has_a_source_and_a_period(kb: KnowledgeBase) -> None:
    items = list(regional(kb))
    assert len(items) > 40
    for where, item in items:
        source = getattr(item, "source", None)
        assert source and source.strip(), where
        if not hasattr(item, "name"):  # credentials have no period; the rest must
            period = item.period  # type: ignore[union-attr]
            assert period == "undated" or years_old(period, datetime.date(3000, 1, 1)), (where, period)
        if isinstance(item, (Figure, Step)) and ("not verified" in source or "third-party" in source):
            numbers = isinstance(item, Figure) or item.time or item.cost
            assert item.estimate or not numbers, (where, "a third-party number must be marked an estimate")


@pytest.mark.parametrize(
    ("period", "age"),
    [
        ("2013", 13),
        ("2010", 16),
        ("May 2022", None),
        ("Jan to Dec 2024", None),
        ("2012 and 2018", None),
        ("undated", None),
        ("2016", None),
        ("2015", 11),
    ],
)
def test_a_figure_older_than_ten_years_says_how_old(period: str, age: int | None) -> None:
    today = datetime.date(2026, 12, 1)
    assert years_old(period, today) == age
    assert dated(period, today) == (period if age is None else f"{period}, {age} years old")


def test_old_figures_are_shown_with_their_age(runner: CliRunner, tmp_path: Path) -> None:
    pinned = str(int(datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc).timestamp()))
    trainer = _shown(runner, *_persona(tmp_path, "detail-coach"), env={"SOURCE_DATE_EPOCH": pinned})
    assert "Average hourly pay of personal trainers, later. IDEA survey, 2013, 13 years old." in trainer
    assert "Average hourly pay of personal trainers. IDEA survey, 2010, 16 years old." in trainer
    assert not re.search(r"May 2025, \d+ years? old", trainer) and "May 2025." in trainer  # a recent one is not aged
    instructor = _shown(runner, *_persona(tmp_path, "group-motivator"), env={"SOURCE_DATE_EPOCH": pinned})
    assert "IDEA survey, 2010, 16 years old." in instructor
    later = str(int(pinned) + 366 * 86400)
    assert "2013, 14 years old" in _shown(runner, *_persona(tmp_path, "detail-coach"), env={"SOURCE_DATE_EPOCH": later})
    assert "2013, 13 years old" in _shown(runner, "show", "personal-trainer", env={"SOURCE_DATE_EPOCH": pinned})


def test_the_plan_is_part_of_the_result(kb: KnowledgeBase) -> None:
    quiz, answers = PERSONAS["group-motivator"]
    result = score(kb, quiz, answers)
    assert {s.role for s in result.plan.steps} == {"fitness-instructor"}
    assert [p.figure for p in result.plan.pay] == list(kb.roles["fitness-instructor"].income.figures)
    seen, _ = choose(kb, "AU", default_path())
    steps = score(seen, quiz, answers).plan.steps
    assert steps and {s.step.region for s in steps} <= {None, "AU"}


def test_choose_refuses_what_it_does_not_know(kb: KnowledgeBase) -> None:
    assert choose(kb, None, default_path()) == (kb, None) and choose(kb, "  ", default_path()) == (kb, None)
    with pytest.raises(RolefitError, match="unknown region"):
        choose(kb, "EU", default_path())


def test_a_quiz_names_the_dimensions_in_its_own_words(runner: CliRunner, tmp_path: Path) -> None:
    client = _shown(runner, *_persona(tmp_path, "rehab-client"), "--weight", "income=2")
    assert "Cost and how you pay" in client and "Your relationship with the coach" in client
    assert "Weights: Cost and how you pay ×2; others ×1" in client and " Income " not in client
    seeker = _shown(runner, *_persona(tmp_path, "detail-coach"))
    assert " Income " in seeker and "Cost and how you pay" not in seeker
    report = tmp_path / "r.md"
    assert runner.invoke(app, [*_persona(tmp_path, "rehab-client"), "--report", str(report)]).exit_code == 0
    assert "| Role | Overall | Your goals | Setting and schedule |" in report.read_text()
    # The knowledge base's own names stay where no quiz is involved.
    assert "Cost and how you pay" not in _shown(runner, "compare")
