from __future__ import annotations

import dataclasses
import os
import shutil
import textwrap
from pathlib import Path

import pytest
from hypothesis import strategies as st
from typer.testing import CliRunner

from rolefit.kb.load import load_knowledge_base
from rolefit.kb.models import KnowledgeBase
from rolefit.streams import Streams

ROOT_CANNOT_BE_REFUSED = "running as root without setpriv: root reads and writes any file, so no permission error"


def as_a_user() -> tuple[str, ...]:
    """A prefix for a command that runs it as root without the capabilities that let root read
    and write any file, so that permissions refuse it as they refuse a user; nothing for a user,
    and ("skip",) for root where setpriv is missing."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return ("skip",)
    caps = "-dac_override,-dac_read_search"
    return (setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}")


def alternatives(draw: st.DrawFn, traits: list[str], places: st.SearchStrategy[float], most: int) -> dict:  # type: ignore[type-arg]
    """Up to `most` random alternatives to every role, each indifferent (None) to some traits."""
    return {
        f"alt{i}": {
            "name": f"Alternative {i}",
            "summary": "x",
            "choose_if": ["x"],
            "traits": {t: draw(st.one_of(places, st.none())) for t in traits},
        }
        for i in range(draw(st.integers(0, most)))
    }


def mappings(value: object) -> list[dict]:  # type: ignore[type-arg]
    """Every mapping within a JSON value (a document or a schema), the value itself included."""
    found = []
    if isinstance(value, dict):
        found.append(value)
        for item in value.values():
            found += mappings(item)
    elif isinstance(value, list):
        for item in value:
            found += mappings(item)
    return found


# Personas from the article, as answers to the built-in quizzes.
PERSONAS: dict[str, tuple[str, dict[str, str]]] = {
    # Loves energetic groups, music and rhythm, teaching structured classes.
    "group-motivator": (
        "career",
        {
            "coaching": "coach",
            "crowd": "full-room",
            "music": "love-it",
            "progress": "everyone-moving",
            "plan": "set-format",
            "interests": "choreography",
            "study": "short",
            "clients": "many-brief",
            "pay": "per-class",
            "selling": "reluctant",
            "hours": "fine",
            "active": "most",
        },
    ),
    # Detail-minded, wants long-term clients, drawn to nutrition and rehab.
    "detail-coach": (
        "career",
        {
            "coaching": "coach",
            "crowd": "one-person",
            "music": "quiet",
            "progress": "one-goal",
            "plan": "bespoke",
            "interests": "nutrition-rehab",
            "study": "deep",
            "clients": "few-long",
            "pay": "own-clients",
            "selling": "keen",
            "hours": "fine",
            "active": "some",
        },
    ),
    # A bit of both: small groups, some music, some one-to-one.
    "career-mix": (
        "career",
        {
            "coaching": "coach",
            "crowd": "small-group",
            "music": "fine",
            "progress": "both",
            "plan": "mix",
            "interests": "both",
            "study": "some",
            "clients": "both",
            "pay": "both",
            "selling": "no-preference",
            "hours": "fine",
            "active": "some",
        },
    ),
    # Wants a desk and office hours, and not to coach people: neither job, by fit.
    "desk-worker": (
        "career",
        {
            "coaching": "not-coaching",
            "crowd": "no-preference",
            "music": "quiet",
            "progress": "no-preference",
            "plan": "no-preference",
            "interests": "no-preference",
            "study": "no-preference",
            "clients": "no-preference",
            "pay": "no-preference",
            "selling": "no-preference",
            "hours": "office-hours",
            "active": "little",
        },
    ),
    # A beginner on a budget who loves group energy.
    "budget-beginner": (
        "hiring",
        {
            "goal": "general",
            "company": "crowd",
            "budget": "tight",
            "paying": "membership",
            "atmosphere": "party",
            "tracking": "none",
            "attention": "tips",
            "schedule": "timetable",
            "health": "no-preference",
            "learning": "follow-along",
            "know-how": "some",
        },
    ),
    # Recovering from an injury, needs an individual plan.
    "rehab-client": (
        "hiring",
        {
            "goal": "rehab",
            "company": "alone-with-coach",
            "budget": "premium",
            "paying": "per-session",
            "atmosphere": "calm",
            "tracking": "regular",
            "attention": "every-rep",
            "schedule": "around-me",
            "health": "plan-around",
            "learning": "habits",
            "know-how": "show-me",
        },
    ),
    "hiring-mix": (
        "hiring",
        {
            "goal": "specific",
            "company": "small-group",
            "budget": "moderate",
            "paying": "no-preference",
            "atmosphere": "either",
            "tracking": "light",
            "attention": "tips",
            "schedule": "no-preference",
            "health": "minor",
            "learning": "no-preference",
            "know-how": "some",
        },
    ),
}

# A small knowledge base of another field, with three roles, for --data tests.
#: Built-in results whose reports are checked as printed pages, Markdown and on a phone: both
#: quizzes, several verdicts, and regions (a state's pay and a country's steps add content).
REPORTED = {
    "group-motivator-in-california": ("--code", "career:1-1-3-3-1-3-3-1-1-2-1-1", "--region", "US-CA"),
    "group-motivator": ("--code", "career:1-1-3-3-1-3-3-1-1-2-1-1"),
    "detail-coach-in-texas": ("--code", "career:1-3-1-1-3-1-1-3-3-1-1-2", "--region", "US-TX"),
    "career-mix-in-the-uk": ("--code", "career:1-2-2-2-2-2-2-2-2-3-1-2", "--region", "UK"),
    "career-mix": ("--code", "career:1-2-2-2-2-2-2-2-2-3-1-2"),
    "desk-worker": ("--code", "career:3-4-1-4-4-4-4-4-4-3-3-3"),
    "budget-beginner": ("--code", "hiring:1-3-1-2-1-3-1-2-7-1-2"),
    "rehab-client-in-the-uk": ("--code", "hiring:3-1-3-1-3-1-2-1-2-2-1", "--region", "UK"),
    "hiring-mix-in-australia": ("--code", "hiring:2-2-2-3-2-2-1-3-5-3-2", "--region", "AU"),
}


def markdown_html(markdown: str) -> str:
    """Markdown as HTML, by markdown-it-py: CommonMark, with GFM's tables and strikethrough."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


SMALL_KB = textwrap.dedent(
    """\
    schema_version: 1
    title: Frontend, backend or data?
    traits:
      visual:
        name: Visual work
        dimension: focus
        low: Invisible plumbing
        high: What people see and touch
      people:
        name: Time with people
        dimension: client_relationship
        low: Mostly alone with the code
        high: Talking to users every day
    roles:
      frontend:
        name: Frontend developer
        summary: Builds what users see.
        duties: [Build pages]
        choose_if: [You love design]
        think_twice: [{text: Everyone judges how it looks, source: Example survey, period: "2025"}]
        traits: {visual: 0.9, people: 0.7}
        focus: {summary: Interfaces}
        environment: {summary: Product teams}
        certifications: {summary: None needed}
        client_relationship: {summary: Close to users}
        income: {summary: Varies}
      backend:
        name: Backend developer
        summary: Builds the services behind the pages.
        duties: [Build services]
        choose_if: [You love systems]
        think_twice: [{text: You may be woken at night, source: Example survey, period: "2025"}]
        traits: {visual: 0.1, people: 0.3}
        focus: {summary: Services}
        environment: {summary: Platform teams}
        certifications: {summary: None needed}
        client_relationship: {summary: Other developers}
        income:
          summary: Varies
          figures:
            - {label: Median, value: "$1", period: "2020", source: Nowhere, estimate: true}
      data:
        name: Data engineer
        summary: Moves and shapes data.
        duties: [Build pipelines]
        choose_if: [You love tables]
        think_twice: [{text: Messy data takes most of the day, source: Example survey, period: "2025"}]
        traits: {visual: 0.3, people: 0.2}
        focus: {summary: Pipelines}
        environment: {summary: Data teams}
        certifications: {summary: None needed}
        client_relationship: {summary: Analysts}
        income: {summary: Varies}
    quizzes:
      pick:
        title: Which developer?
        questions:
          - id: look
            text: Do you care how it looks?
            options:
              - {id: "yes", label: Very much, places: {visual: 1.0}}
              - {id: "no", label: Not at all, places: {visual: 0.0}}
              - {id: meh, label: No preference, neutral: true}
          - id: talk
            text: Do you like talking to users?
            weight: 2
            options:
              - {id: "yes", label: "Yes", places: {people: 1.0}}
              - {id: "no", label: "No", places: {people: 0.0}}
    """
)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test, and every rolefit it starts, caches in the test session's own directory."""
    monkeypatch.setenv("ROLEFIT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "kb-cache"))


@pytest.fixture(autouse=True)
def _private_state(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test, and every rolefit it starts, keeps an interrupted quiz's answers in a state
    directory of its own, so that no test goes on from another's."""
    monkeypatch.setenv("ROLEFIT_STATE_DIR", str(tmp_path_factory.mktemp("state") / "rolefit"))


@pytest.fixture(autouse=True)
def _drawn_for_the_eye(monkeypatch: pytest.MonkeyPatch) -> None:
    """Views drawn as the tests expect them, whatever the person running them reads them with
    (tests/test_accessible.py asks for the screen reader's form itself)."""
    monkeypatch.delenv("ROLEFIT_ACCESSIBLE", raising=False)


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.fixture
def small_kb_path(tmp_path: Path) -> Path:
    path = tmp_path / "dev.yaml"
    path.write_text(SMALL_KB)
    return path


def at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every run's stdin is taken for a terminal, as when someone types the answers: the
    runner's input stands for what they type."""
    of_process = Streams.of_process

    def typing(*, plain: bool = False) -> Streams:
        return dataclasses.replace(of_process(plain=plain), stdin_is_terminal=True)

    monkeypatch.setattr(Streams, "of_process", typing)


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    # Pin the terminal so output does not depend on where the tests run.
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("ROLEFIT_DATA", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return CliRunner()
