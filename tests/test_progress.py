"""An interrupted quiz's kept answers: a private store of data only, trusted as the cache is,
never going on with an answer to a question that has changed; and `rolefit quiz` going on
from them (`--resume`, `--restart`, the offer). The same at a real terminal, with Ctrl-C,
end of input and signals, is in test_real_terminal."""

from __future__ import annotations

import datetime
import json
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rolefit.cli.commands import app
from rolefit.errors import RolefitError
from rolefit.kb.load import default_path, load_knowledge_base
from rolefit.kb.models import KnowledgeBase
from rolefit.scoring import progress
from rolefit.scoring.progress import Progress, Saved
from rolefit.views.interview import kept_note
from tests.conftest import PERSONAS, SMALL_KB, at_a_terminal

MOTIVATOR = PERSONAS["group-motivator"][1]
FIRST_THREE = dict(list(MOTIVATOR.items())[:3])


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "state"
    monkeypatch.setenv("ROLEFIT_STATE_DIR", str(directory))
    return directory


def _career(kb: KnowledgeBase) -> Progress:
    found = Progress.of(kb, "career", None)
    assert found is not None
    return found


def _file(state: Path) -> Path:
    (path,) = state.glob("progress-*.json")
    return path


def _entry(state: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(_file(state).read_bytes())


def _rewrite(state: Path, entry: object) -> None:
    _file(state).write_text(json.dumps(entry, separators=(",", ":")))


# The store: a round trip, and a private directory.


def test_answers_saved_are_the_answers_loaded(state: Path, kb: KnowledgeBase) -> None:
    before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    _career(kb).save({**FIRST_THREE, "plan": None})
    saved = _career(kb).load()
    assert saved is not None
    assert dict(saved.answers) == {**FIRST_THREE, "plan": None}
    assert list(saved.answers) == ["coaching", "crowd", "music", "plan"]  # the quiz's order
    assert saved.dropped == 0
    assert saved.position(kb.quizzes["career"]) == 3  # "progress", the first not answered
    assert before <= saved.saved <= datetime.datetime.now(datetime.timezone.utc)
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    assert stat.S_IMODE(_file(state).stat().st_mode) == 0o600
    assert _file(state).read_bytes().startswith(b'{"rolefit":"progress","format":1,')


def test_every_question_answered_goes_on_at_the_weights_step(state: Path, kb: KnowledgeBase) -> None:
    _career(kb).save(MOTIVATOR)
    saved = _career(kb).load()
    assert saved is not None and saved.position(kb.quizzes["career"]) == 12


def test_each_quiz_of_each_knowledge_base_keeps_its_own(state: Path, kb: KnowledgeBase, small_kb_path: Path) -> None:
    _career(kb).save(FIRST_THREE)
    hiring = Progress.of(kb, "hiring", None)
    assert hiring is not None and hiring.load() is None
    small = load_knowledge_base(small_kb_path)
    other = Progress.of(small, "pick", small_kb_path)
    assert other is not None and other.load() is None
    other.save({"look": "yes"})
    assert len(list(state.glob("progress-*.json"))) == 2
    again = _career(kb).load()
    assert again is not None and dict(again.answers) == FIRST_THREE


def test_the_built_in_knowledge_base_named_by_its_path_is_the_built_in_one(state: Path, kb: KnowledgeBase) -> None:
    _career(kb).save(FIRST_THREE)
    named = Progress.of(kb, "career", str(default_path()))
    assert named is not None and named.load() is not None


def test_a_knowledge_base_read_from_stdin_or_a_pipe_keeps_nothing(tmp_path: Path, kb: KnowledgeBase) -> None:
    from rolefit.streams import StandardInput

    assert Progress.of(kb, "career", StandardInput(None)) is None
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe")
        assert Progress.of(kb, "career", str(tmp_path / "pipe")) is None


def test_finishing_removes_the_file(state: Path, kb: KnowledgeBase) -> None:
    keeper = _career(kb)
    keeper.save(FIRST_THREE)
    assert keeper.kept
    keeper.finish()
    assert list(state.iterdir()) == [] and not keeper.kept
    keeper.finish()  # nothing there: nothing to do


def test_finishing_removes_a_temporary_file_a_killed_run_left_but_not_one_being_written(
    state: Path, kb: KnowledgeBase
) -> None:
    keeper = _career(kb)
    keeper.save(FIRST_THREE)
    stem = _file(state).name.removesuffix(".json")
    stale, fresh, foreign = state / f".{stem}.dead.tmp", state / f".{stem}.beef.tmp", state / ".notes.tmp"
    for path in (stale, fresh, foreign):
        path.write_text("{")
    long_ago = time.time() - progress._STALE - 60
    for path in (stale, foreign):
        os.utime(path, (long_ago, long_ago))
    keeper.finish()
    assert sorted(p.name for p in state.iterdir()) == sorted([fresh.name, foreign.name])


def test_a_knowledge_base_whose_path_is_not_utf8_keeps_its_own(
    state: Path, tmp_path: Path, small_kb_path: Path
) -> None:
    odd = Path(os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9.yaml"))
    odd.write_bytes(small_kb_path.read_bytes())
    small = load_knowledge_base(odd)
    keeper = Progress.of(small, "pick", odd)
    assert keeper is not None
    keeper.save({"look": "yes"})
    assert keeper.problem is None
    again = Progress.of(small, "pick", odd)
    assert again is not None
    saved = again.load()
    assert saved is not None and dict(saved.answers) == {"look": "yes"}
    other = Progress.of(small, "pick", small_kb_path)
    assert other is not None and other.load() is None


def test_a_file_rolefit_did_not_write_is_never_removed(state: Path, kb: KnowledgeBase) -> None:
    keeper = _career(kb)
    keeper.save(FIRST_THREE)
    _file(state).write_text("someone's own notes")
    assert keeper.load() is None
    keeper.finish()
    assert _file(state).read_text() == "someone's own notes"


def test_a_state_directory_that_is_a_link_is_not_used(
    tmp_path: Path, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "elsewhere"
    real.mkdir(mode=0o700)
    link = tmp_path / "state"
    link.symlink_to(real)
    monkeypatch.setenv("ROLEFIT_STATE_DIR", str(link))
    keeper = _career(kb)
    keeper.save(FIRST_THREE)
    assert list(real.iterdir()) == []
    assert not keeper.kept and keeper.problem == f"{link} is not a private directory of yours that rolefit can use"
    monkeypatch.setenv("ROLEFIT_STATE_DIR", str(real))  # written there, it is not read through the link
    _career(kb).save(FIRST_THREE)
    monkeypatch.setenv("ROLEFIT_STATE_DIR", str(link))
    assert _career(kb).load() is None


def test_a_file_that_is_a_link_is_not_read_and_is_replaced_not_written_through(
    state: Path, tmp_path: Path, kb: KnowledgeBase
) -> None:
    keeper = _career(kb)
    keeper.save(FIRST_THREE)
    elsewhere = tmp_path / "elsewhere.json"
    entry = _file(state)
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    kept = elsewhere.read_bytes()
    assert keeper.load() is None
    keeper.save({"coaching": "coach"})
    assert elsewhere.read_bytes() == kept
    assert not entry.is_symlink() and stat.S_ISREG(entry.lstat().st_mode)
    saved = keeper.load()
    assert saved is not None and dict(saved.answers) == {"coaching": "coach"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_under_the_files_name_is_not_waited_on(state: Path, kb: KnowledgeBase) -> None:
    keeper = _career(kb)
    keeper.save(FIRST_THREE)
    entry = _file(state)
    entry.unlink()
    os.mkfifo(entry)
    # A load that hung would leave this thread running (a hang guard, not a measure of speed).
    found: list[object] = []
    loading = threading.Thread(target=lambda: found.append(keeper.load()), daemon=True)
    loading.start()
    loading.join(timeout=30)
    assert not loading.is_alive() and found == [None]


@pytest.mark.parametrize("mode", [0o666, 0o620, 0o602])
def test_a_file_others_can_write_is_ignored(state: Path, kb: KnowledgeBase, mode: int) -> None:
    _career(kb).save(FIRST_THREE)
    _file(state).chmod(mode)
    assert _career(kb).load() is None


@pytest.mark.parametrize("mode", [0o777, 0o775, 0o757])
def test_a_state_directory_others_can_write_is_not_used(state: Path, kb: KnowledgeBase, mode: int) -> None:
    _career(kb).save(FIRST_THREE)
    state.chmod(mode)
    assert _career(kb).load() is None
    _file(state).unlink()
    keeper = _career(kb)
    keeper.save(FIRST_THREE)
    assert list(state.iterdir()) == [] and keeper.problem is not None


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file away")
def test_a_file_or_directory_of_another_user_is_ignored(state: Path, kb: KnowledgeBase) -> None:
    _career(kb).save(FIRST_THREE)
    os.chown(_file(state), 12345, 12345)
    assert _career(kb).load() is None
    os.chown(_file(state), 0, 0)
    assert _career(kb).load() is not None
    os.chown(state, 12345, 12345)
    assert _career(kb).load() is None


def test_a_file_too_large_is_ignored(state: Path, kb: KnowledgeBase) -> None:
    _career(kb).save(FIRST_THREE)
    entry = _entry(state)
    with _file(state).open("w") as f:  # valid JSON, padded past the limit
        f.write(json.dumps(entry)[:-1] + " " * (progress._LIMIT + 12 * progress._PER_QUESTION) + "}")
    assert json.loads(_file(state).read_text())["answers"] == entry["answers"]
    assert _career(kb).load() is None


def test_the_answers_to_a_quiz_of_thousands_of_questions_are_not_too_large(state: Path, small_kb_path: Path) -> None:
    """Every answer is kept, and read back: the size a file may have grows with its quiz."""
    text = small_kb_path.read_text()
    start, end = text.index("      - id: look"), text.index("      - id: talk")
    long = "x" * 55  # ids of 64 characters, the longest there may be
    question = text[start:end].replace("id: look", f"id: look-NNNN{long}").replace('id: "yes"', f"id: y{long}12345678")
    questions = (question.replace("NNNN", f"{n:04d}") for n in range(6_000))
    small_kb_path.write_text(text[:start] + "".join(questions) + text[end:])
    big = load_knowledge_base(small_kb_path)
    keeper = Progress.of(big, "pick", small_kb_path)
    assert keeper is not None
    answers = {q.id: q.options[0].id for q in big.quizzes["pick"].questions}
    keeper.save(answers)
    assert keeper.problem is None and _file(state).stat().st_size > progress._LIMIT
    saved = keeper.load()
    assert saved is not None and dict(saved.answers) == answers


def _broken(entry: dict) -> list[object]:  # type: ignore[type-arg]
    """Files that are not progress of the career quiz of the built-in knowledge base."""
    answer = entry["answers"][0]
    return [
        None,
        [],
        "progress",
        {k: v for k, v in entry.items() if k != "saved"},
        {**entry, "extra": 1},
        {**entry, "rolefit": "cache"},
        {**entry, "format": 2},
        {**entry, "format": True},
        {**entry, "format": "1"},
        {**entry, "quiz": "hiring"},
        {**entry, "source": "/somewhere/else.yaml"},
        {**entry, "saved": "yesterday"},
        {**entry, "saved": "2025-05-03T14:02:11"},  # no offset from UTC
        {**entry, "saved": 1746280931},
        # Times no time zone can show all of: moved into the local zone, they leave datetime's range.
        {**entry, "saved": "9999-12-31T23:59:59-23:59"},
        {**entry, "saved": "0001-01-01T00:00:00+23:59"},
        {**entry, "saved": "9999-12-31T12:00:00+00:00"},
        {**entry, "saved": "0001-01-01T12:00:00+00:00"},
        {**entry, "answers": {"coaching": "coach"}},
        {**entry, "answers": [*entry["answers"], answer]},  # a question twice
        {**entry, "answers": [{**answer, "option": 1}]},
        {**entry, "answers": [{**answer, "question": None}]},
        {**entry, "answers": [{**answer, "asked": None}]},
        {**entry, "answers": [{k: v for k, v in answer.items() if k != "asked"}]},
        {**entry, "answers": [{**answer, "weight": 2}]},
        {**entry, "answers": ["coaching"]},
    ]


def test_a_file_not_json_or_of_the_wrong_shape_is_ignored(state: Path, kb: KnowledgeBase) -> None:
    _career(kb).save(FIRST_THREE)
    entry = _entry(state)
    for text in ("", "{", "not json", '{"rolefit":"progress"', "\x00\xff", "[" * 100_000):
        _file(state).write_text(text)
        assert _career(kb).load() is None, text
    for broken in _broken(entry):
        _rewrite(state, broken)
        assert _career(kb).load() is None, broken
    _rewrite(state, entry)  # and the file itself is still read
    assert _career(kb).load() is not None


@pytest.mark.usefixtures("typing_at_a_terminal")
@pytest.mark.parametrize("saved", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59"])
def test_a_time_at_the_calendars_edge_starts_the_quiz_afresh(
    runner: CliRunner, state: Path, kb: KnowledgeBase, saved: str
) -> None:
    _career(kb).save(FIRST_THREE)
    _rewrite(state, {**_entry(state), "saved": saved})
    result = runner.invoke(app, ["quiz"], input="1\n")
    assert result.exit_code == 1 and not isinstance(result.exception, OverflowError)
    assert "Go on where" not in result.stderr and "Question 1 of 12" in result.stderr
    assert result.stderr.splitlines()[-1] == "rolefit: input ended before the quiz was finished; nothing was scored"


def test_a_broken_file_is_replaced_by_the_next_answer(state: Path, kb: KnowledgeBase) -> None:
    _career(kb).save(FIRST_THREE)
    _file(state).write_text('{"rolefit":"progress", broken')
    keeper = _career(kb)
    assert keeper.load() is None and not keeper.kept
    keeper.save({"coaching": "coach"})
    saved = keeper.load()
    assert saved is not None and dict(saved.answers) == {"coaching": "coach"}


# Answers to a quiz that has changed since.


def _edited(kb_path: Path, old: str, new: str) -> KnowledgeBase:
    text = kb_path.read_text()
    assert old in text
    kb_path.write_text(text.replace(old, new))
    return load_knowledge_base(kb_path)


@pytest.mark.parametrize(
    ("old", "new", "kept"),
    [
        ("text: Do you care how it looks?", "text: Do you care how it feels?", {"talk": "yes"}),  # reworded
        ("{id: meh, label: No preference, neutral: true}", "{id: meh, label: Either, neutral: true}", {"talk": "yes"}),
        ("{id: meh, label", "{id: either, label", {"talk": "yes"}),  # the option answered has gone
        ("- id: look", "- id: looks", {"talk": "yes"}),  # the question has gone, another is in its place
        ("weight: 2", "weight: 3", {"look": "meh", "talk": "yes"}),  # not what a person sees: both kept
        ("title: Which developer?", "title: Which developer are you?", {"look": "meh", "talk": "yes"}),
    ],
)
def test_answers_to_questions_that_have_changed_are_dropped(
    state: Path, small_kb_path: Path, old: str, new: str, kept: dict[str, str]
) -> None:
    small = load_knowledge_base(small_kb_path)
    keeper = Progress.of(small, "pick", small_kb_path)
    assert keeper is not None
    keeper.save({"look": "meh", "talk": "yes"})
    edited = _edited(small_kb_path, old, new)
    again = Progress.of(edited, "pick", small_kb_path)
    assert again is not None
    saved = again.load()
    assert saved is not None
    assert dict(saved.answers) == kept
    assert saved.dropped == 2 - len(kept)
    assert saved.position(edited.quizzes["pick"]) == (0 if "look" not in kept else 2)


# Where the state directory is.


def _state_location(env: dict[str, str]) -> str:
    probe = "from rolefit.scoring import progress; print(progress.state_dir())"
    base = {k: v for k, v in os.environ.items() if k not in ("ROLEFIT_STATE_DIR", "XDG_STATE_HOME", "HOME")}
    done = subprocess.run([sys.executable, "-c", probe], env={**base, **env}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_state_directory_follows_xdg_and_its_variable_as_the_cache_does(tmp_path: Path) -> None:
    home = str(tmp_path)
    assert _state_location({"HOME": home}) == f"{home}/.local/state/rolefit"
    assert _state_location({"HOME": home, "XDG_STATE_HOME": "/elsewhere"}) == "/elsewhere/rolefit"
    assert _state_location({"HOME": home, "XDG_STATE_HOME": "relative/dir"}) == f"{home}/.local/state/rolefit"
    for value, expected in (("~/s", f"{home}/s"), ("relative", "None"), ("", "None"), ("~nosuchuser/s", "None")):
        assert _state_location({"HOME": home, "ROLEFIT_STATE_DIR": value}) == expected, value


def test_a_new_home_gets_a_private_state_directory_and_a_missing_home_none(
    tmp_path: Path, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ROLEFIT_STATE_DIR")
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    _career(kb).save(FIRST_THREE)
    for folder in (".local", ".local/state", ".local/state/rolefit"):
        assert stat.S_IMODE((tmp_path / folder).stat().st_mode) == 0o700, folder
    monkeypatch.setenv("HOME", str(tmp_path / "nonexistent" / "x"))
    keeper = _career(kb)
    keeper.save(FIRST_THREE)
    assert not (tmp_path / "nonexistent").exists() and keeper.problem is not None


def test_keeping_turned_off_or_impossible_only_means_nothing_kept(
    tmp_path: Path, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROLEFIT_STATE_DIR", "")
    keeper = _career(kb)
    keeper.save(FIRST_THREE)
    assert keeper.load() is None and keeper.problem == "there is no state directory to keep them in"
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("ROLEFIT_STATE_DIR", str(blocker / "state"))  # cannot be created, even by root
    keeper = _career(kb)
    keeper.save(FIRST_THREE)
    assert keeper.load() is None and not keeper.kept and keeper.problem is not None
    keeper.finish()


def test_answers_that_could_not_be_kept_after_some_were_are_not_said_to_be_kept(state: Path, kb: KnowledgeBase) -> None:
    keeper = _career(kb)
    keeper.save(FIRST_THREE)
    assert kept_note(keeper, "rolefit quiz") == (
        f"Your answers so far are kept in {state}: run `rolefit quiz` again to go on,"
        " or `rolefit quiz --restart` to start afresh."
    )
    state.chmod(0o777)  # no longer private, as a full disk is no longer writable: the next answer is not kept
    keeper.save({**FIRST_THREE, "progress": "one-goal"})
    assert kept_note(keeper, "rolefit quiz") == (
        f"Your latest answers could not be kept ({state} is not a private directory of yours that rolefit"
        f" can use); those kept before are in {state}: run `rolefit quiz` again to go on,"
        " or `rolefit quiz --restart` to start afresh."
    )
    state.chmod(0o700)
    saved = keeper.load()
    assert saved is not None and dict(saved.answers) == FIRST_THREE


# `rolefit quiz` going on (at a terminal, as the runner's input stands for what is typed).


def _replies(answers: dict[str, str], weights: str = "") -> str:
    return "\n".join([*answers.values(), weights]) + "\n"


def _keep_first_three(runner: CliRunner, *args: str) -> str:
    """A quiz whose input ends after three answers; its stderr."""
    stopped = runner.invoke(app, ["quiz", *args], input=_replies(FIRST_THREE)[:-1])
    assert stopped.exit_code == 1, stopped.stderr
    return stopped.stderr


@pytest.fixture
def typing_at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    at_a_terminal(monkeypatch)


@pytest.mark.usefixtures("typing_at_a_terminal")
def test_an_interrupted_quiz_goes_on_where_it_stopped(runner: CliRunner, state: Path, kb: KnowledgeBase) -> None:
    stderr = _keep_first_three(runner, "--json")
    assert stderr.splitlines()[-2:] == [
        f"Your answers so far are kept in {state}: run `rolefit quiz` again to go on,"
        " or `rolefit quiz --restart` to start afresh.",
        "rolefit: input ended before the quiz was finished; nothing was scored",
    ]
    rest = dict(list(MOTIVATOR.items())[3:])
    went_on = runner.invoke(app, ["quiz", "--json"], input="\n" + _replies(rest) + "s\n")  # Enter: go on
    assert went_on.exit_code == 0, went_on.stderr
    assert 'You stopped at question 4 of 12 of "Which job suits me?" on ' in went_on.stderr
    assert "Question 1 of 12" not in went_on.stderr and "Question 4 of 12" in went_on.stderr
    document = json.loads(went_on.stdout)
    assert document["answers"] == MOTIVATOR
    code = runner.invoke(app, ["quiz", "--code", document["code"], "--json"])
    assert json.loads(code.stdout)["verdict"] == document["verdict"]
    assert list(state.iterdir()) == []  # finished: nothing kept


@pytest.mark.usefixtures("typing_at_a_terminal")
@pytest.mark.parametrize("reply", ["n", "no", "N"])
def test_no_starts_afresh_and_keeps_the_old_answers_until_new_ones_replace_them(
    runner: CliRunner, state: Path, kb: KnowledgeBase, reply: str
) -> None:
    _keep_first_three(runner)
    again = runner.invoke(app, ["quiz"], input=f"maybe\n{reply}\n")
    assert again.exit_code == 1
    assert "Please type y to go on, or n to start afresh." in again.stderr
    assert "Question 1 of 12" in again.stderr
    kept = _career(kb).load()
    assert kept is not None and dict(kept.answers) == FIRST_THREE  # nothing answered yet: still there
    runner.invoke(app, ["quiz"], input=f"{reply}\n2\n")
    kept = _career(kb).load()
    assert kept is not None and dict(kept.answers) == {"coaching": "part-time"}


@pytest.mark.usefixtures("typing_at_a_terminal")
def test_the_offer_to_go_on_read_by_a_screen_reader(runner: CliRunner, state: Path) -> None:
    _keep_first_three(runner)
    again = runner.invoke(app, ["--accessible", "quiz"], input="maybe\nn\n")
    assert again.exit_code == 1
    how = "y to go on or n to start afresh, and press Enter; Enter alone goes on: "
    # The runner does not echo the reply: the answer to "maybe" follows the prompt on its line.
    assert f"Go on where you left off?\nType {how}Not an option: type {how}" in again.stderr
    assert "[Y/n]" not in again.stderr and "Please type" not in again.stderr
    assert "Question 1 of 12" in again.stderr


@pytest.mark.usefixtures("typing_at_a_terminal")
def test_resume_and_restart_choose_without_asking(runner: CliRunner, state: Path, kb: KnowledgeBase) -> None:
    _keep_first_three(runner)
    resumed = runner.invoke(app, ["quiz", "--resume"], input="")
    assert "You stopped" not in resumed.stderr and "Go on where" not in resumed.stderr
    assert "Question 4 of 12" in resumed.stderr and "Question 1 of 12" not in resumed.stderr
    restarted = runner.invoke(app, ["quiz", "--restart"], input="")
    assert "Go on where" not in restarted.stderr and "Question 1 of 12" in restarted.stderr
    kept = _career(kb).load()
    assert kept is not None and dict(kept.answers) == FIRST_THREE


@pytest.mark.usefixtures("typing_at_a_terminal")
def test_resume_with_nothing_kept_is_bad_usage(runner: CliRunner, state: Path) -> None:
    result = runner.invoke(app, ["quiz", "--for", "hiring", "--resume"], input="1\n")
    assert result.exit_code == 2
    assert result.stderr == (
        'rolefit: --resume: no saved answers to go on from for the quiz "hiring" (there are none):'
        " answers are kept when a quiz asked at a terminal is interrupted; drop --resume to start it\n"
    )


@pytest.mark.usefixtures("typing_at_a_terminal")
def test_resume_says_why_it_finds_nothing(runner: CliRunner, state: Path, small_kb_path: Path) -> None:
    _keep_first_three(runner)
    state.chmod(0o777)  # the answers are there, but anyone could have written them
    result = runner.invoke(app, ["quiz", "--resume"], input="1\n")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f'rolefit: --resume: no saved answers to go on from for the quiz "career" ({state} is not a private'
        " directory of yours that rolefit can use): "
    )
    state.chmod(0o700)
    read, write = os.pipe()
    with os.fdopen(write, "w") as kb_in:
        kb_in.write(small_kb_path.read_text())
    try:
        result = runner.invoke(app, ["quiz", "--data", f"/dev/fd/{read}", "--resume"], input="1\n")
    finally:
        os.close(read)
    assert result.exit_code == 2
    assert '"pick" (a knowledge base read from stdin or a pipe keeps none): ' in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--resume", "--restart"], "give either --resume or --restart, not both"),
        (["--resume", "--code", "career:1-1-1-1-1-1-1-1-1-1-1-1"], "--resume is for a quiz asked at a terminal"),
        (["--restart", "--answers", "-"], "--restart is for a quiz asked at a terminal, and cannot go with --answers"),
    ],
)
def test_resume_and_restart_are_only_for_a_quiz_asked_at_a_terminal(
    runner: CliRunner, args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["quiz", *args], input="{}")
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"rolefit: {message}")


@pytest.mark.usefixtures("typing_at_a_terminal")
def test_answers_and_codes_neither_read_nor_write_progress(
    runner: CliRunner, state: Path, tmp_path: Path, kb: KnowledgeBase
) -> None:
    _keep_first_three(runner)
    before = _file(state).read_bytes()
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(MOTIVATOR))
    for args in (["--answers", str(answers)], ["--code", "career:1-1-1-1-1-1-1-1-1-1-1-1"]):
        result = runner.invoke(app, ["quiz", *args, "--json"], input="y\n")
        assert result.exit_code == 0, result.stderr
        assert result.stderr == ""
        assert _file(state).read_bytes() == before


@pytest.mark.usefixtures("typing_at_a_terminal")
def test_a_changed_quiz_says_so_and_asks_the_changed_questions_again(
    runner: CliRunner, state: Path, small_kb_path: Path
) -> None:
    stopped = runner.invoke(app, ["quiz", "--data", str(small_kb_path)], input="3\n")
    assert stopped.exit_code == 1
    assert f"run `rolefit quiz --data {small_kb_path}` again to go on" in stopped.stderr
    _edited(small_kb_path, "text: Do you care how it looks?", "text: Do you care how it feels?")
    again = runner.invoke(app, ["quiz", "--data", str(small_kb_path), "--resume"], input="")
    assert again.exit_code == 2
    assert "(the quiz has changed since, and none of them still holds)" in again.stderr
    offered = runner.invoke(app, ["quiz", "--data", str(small_kb_path)], input="1\n")
    assert "The quiz has changed since you stopped, so your saved answers were dropped: it starts afresh." in (
        offered.stderr
    )
    assert "Go on where" not in offered.stderr


@pytest.mark.usefixtures("typing_at_a_terminal")
def test_a_partly_changed_quiz_goes_on_with_what_still_holds(
    runner: CliRunner, state: Path, small_kb_path: Path
) -> None:
    runner.invoke(app, ["quiz", "--data", str(small_kb_path)], input="3\n2\n")  # ends at the weights step
    _edited(small_kb_path, "text: Do you like talking to users?", "text: Do you like talking to people?")
    went_on = runner.invoke(app, ["quiz", "--data", str(small_kb_path), "--json"], input="y\n1\n\n")
    assert went_on.exit_code == 0, went_on.stderr
    assert (
        "The quiz has changed since you stopped, so 1 of your answers was dropped: its question has changed or gone."
        in " ".join(went_on.stderr.split())
    )
    assert "You stopped at question 2 of 2" in went_on.stderr
    assert json.loads(went_on.stdout)["answers"] == {"look": "meh", "talk": "yes"}


@pytest.mark.usefixtures("typing_at_a_terminal")
def test_a_result_that_could_not_be_saved_keeps_the_answers(
    runner: CliRunner, state: Path, tmp_path: Path, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*args: object, **kwargs: object) -> None:
        raise RolefitError(f"{tmp_path / 'result.json'}: cannot write: No space left on device")

    monkeypatch.setattr("rolefit.cli.commands.write_all", disk_full)
    result = runner.invoke(app, ["quiz", "--save", str(tmp_path / "result.json")], input=_replies(MOTIVATOR) + "s\n")
    assert result.exit_code == 2
    assert "Replay these answers: rolefit quiz --code career:" in result.stdout  # shown, but not saved
    note, error = result.stderr.splitlines()[-2:]  # the note follows the last prompt: what is typed is not echoed
    assert note.endswith(
        f"Your answers so far are kept in {state}: run `rolefit quiz` again to go on,"
        " or `rolefit quiz --restart` to start afresh."
    )
    assert error == f"rolefit: {tmp_path / 'result.json'}: cannot write: No space left on device"
    kept = _career(kb).load()
    assert kept is not None and dict(kept.answers) == MOTIVATOR


@pytest.mark.usefixtures("typing_at_a_terminal")
def test_an_answer_to_a_question_gone_is_not_said_to_be_asked_again(
    runner: CliRunner, state: Path, small_kb_path: Path
) -> None:
    runner.invoke(app, ["quiz", "--data", str(small_kb_path)], input="3\n2\n")  # ends at the weights step
    text = small_kb_path.read_text()
    start, end = text.index("      - id: look"), text.index("      - id: talk")
    small_kb_path.write_text(text[:start] + text[end:])  # the first question has gone
    went_on = runner.invoke(app, ["quiz", "--data", str(small_kb_path), "--json"], input="y\nb\n\n\n")
    assert went_on.exit_code == 0, went_on.stderr
    said = " ".join(went_on.stderr.split())
    assert "so 1 of your answers was dropped: its question has changed or gone." in said
    assert "asked again" not in said
    assert "You stopped at the last step, the only question answered, of" in said
    assert "Going on with your 1 answer kept; b goes back to it." in said
    assert json.loads(went_on.stdout)["answers"] == {"talk": "no"}


@pytest.mark.usefixtures("typing_at_a_terminal")
def test_going_on_at_the_weights_step_and_going_back_from_it(runner: CliRunner, small_kb_path: Path) -> None:
    runner.invoke(app, ["quiz", "--data", str(small_kb_path), "--for", "pick"], input="3\n2\n")
    went_on = runner.invoke(app, ["quiz", "--data", str(small_kb_path), "--json"], input="\nb\n\n1\n")
    assert went_on.exit_code == 0, went_on.stderr
    assert "You stopped at the last step, all 2 questions answered, of" in went_on.stderr
    assert "Question 1 of 2" not in went_on.stderr
    assert "(your answer)" in went_on.stderr  # `b` went back to the kept answer to question 2
    assert json.loads(went_on.stdout)["answers"] == {"look": "meh", "talk": "no"}
    assert json.loads(went_on.stdout)["weights"]["focus"] == 2.0


@pytest.mark.usefixtures("typing_at_a_terminal")
def test_a_quiz_still_works_where_nothing_can_be_kept(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("ROLEFIT_STATE_DIR", str(blocker / "state"))
    stopped = runner.invoke(app, ["quiz", "--json"], input="1\n2\n")
    assert stopped.exit_code == 1
    assert stopped.stderr.splitlines()[-2] == (
        f"Your answers so far could not be kept: {blocker / 'state'} is not a private directory of yours"
        " that rolefit can use."
    )
    finished = runner.invoke(app, ["quiz", "--json"], input=_replies(MOTIVATOR) + "s\n")
    assert finished.exit_code == 0, finished.stderr
    assert json.loads(finished.stdout)["answers"] == MOTIVATOR


@pytest.mark.usefixtures("typing_at_a_terminal")
def test_a_knowledge_base_named_from_a_folder_since_removed(
    runner: CliRunner, state: Path, small_kb_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`rolefit quiz --data ../dev.yaml` in a folder removed since (the file itself is still
    there): the quiz is asked, kept and scored, and its replay names the file as given."""
    gone = small_kb_path.parent / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    stopped = runner.invoke(app, ["quiz", "--data", "../dev.yaml"], input="3\n")
    assert stopped.exit_code == 1 and "cannot write the output" not in stopped.stderr
    assert "run `rolefit quiz --data ../dev.yaml` again to go on" in stopped.stderr
    went_on = runner.invoke(app, ["quiz", "--data", "../dev.yaml", "--resume", "--json"], input="1\n\n")
    assert went_on.exit_code == 0, went_on.stderr
    document = json.loads(went_on.stdout)
    assert document["answers"] == {"look": "meh", "talk": "yes"}
    assert document["replay"] == "rolefit quiz --code pick:3-1 --data ../dev.yaml"


def test_saved_position_counts_skipped_answers_as_given(kb: KnowledgeBase) -> None:
    quiz = kb.quizzes["career"]
    saved = Saved({"coaching": None, "crowd": "full-room"}, datetime.datetime.now(datetime.timezone.utc), 0)
    assert saved.position(quiz) == 2


def test_the_small_knowledge_base_is_the_one_these_tests_edit() -> None:
    assert "text: Do you care how it looks?" in SMALL_KB and "text: Do you like talking to users?" in SMALL_KB


@pytest.mark.usefixtures("typing_at_a_terminal")
def test_the_note_names_the_quiz_and_the_region_to_go_on_with(runner: CliRunner) -> None:
    stopped = runner.invoke(app, ["quiz", "--for", "hiring", "--region", "UK"], input="1\n")
    assert stopped.exit_code == 1
    said = " ".join(stopped.stderr.split())
    assert "run `rolefit quiz --for hiring --region UK` again to go on," in said
    assert "or `rolefit quiz --for hiring --region UK --restart` to start afresh." in said
