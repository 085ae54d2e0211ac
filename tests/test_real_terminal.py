"""The quiz at a real terminal (a pseudo-terminal driven by pexpect): keystrokes in, bytes out."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from rolefit.kb.load import load_knowledge_base
from tests.conftest import PERSONAS
from tests.test_accessible import DRAWN
from tests.test_terminal_safety import HOSTILE, SHOWN, TITLE, assert_terminal_safe, hostile_kb, plain

pexpect = pytest.importorskip("pexpect", reason="pexpect is not installed (pip install -e '.[test]')")
if sys.platform == "win32":  # pragma: no cover
    pytest.skip("pexpect.spawn needs a POSIX pseudo-terminal", allow_module_level=True)

ROLEFIT = Path(sys.executable).parent / "rolefit"
DEV = Path(__file__).parent / "bad_inputs" / "dev.yaml"


def spawn(*args: str) -> pexpect.spawn:
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "40"}
    for name in ("NO_COLOR", "FORCE_COLOR", "ROLEFIT_DATA"):
        env.pop(name, None)
    return pexpect.spawn(
        str(ROLEFIT), list(args), env=env, dimensions=(40, 100), timeout=10, preexec_fn=_default_signals
    )


def _default_signals() -> None:
    """Ctrl-C as a person's terminal delivers it: pytest started from a shell's background job
    passes SIGINT on ignored, and a child that ignores it would never stop at a Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


FIRST = b"Your answer (1-3, s to skip): "
LATER = b"Your answer (1-2, s to skip, b to go back): "
KEEP = b"Your answer (1-3, s to skip, Enter to keep your answer): "


def finish(child: pexpect.spawn) -> bytes:
    child.expect(pexpect.EOF)
    child.close()
    return child.before  # type: ignore[no-any-return]


def test_quiz_by_keystrokes_with_a_wrong_answer_and_going_back() -> None:
    child = spawn("quiz", "--data", str(DEV), "--json")
    child.expect_exact(b"Question 1 of 2")
    child.expect_exact(FIRST)
    child.send(b"9\r")  # not an option
    child.expect_exact(b"Please type a number from 1 to 3, or s to skip.")
    child.expect_exact(FIRST)
    child.send(b"sideways\r")  # nor is this
    child.expect_exact(b"Please type a number from 1 to 3, or s to skip.")
    child.send(b"2\r")
    child.expect_exact(b"Question 2 of 2")
    child.expect_exact(LATER)
    child.send(b"b\r")  # back to the first question, which shows the answer given
    child.expect_exact(b"Question 1 of 2")
    child.expect_exact(b"(your answer)")
    child.expect_exact(KEEP)
    child.send(b"1\r")
    child.expect_exact(LATER)
    child.send(b"no\r")  # an option's id works as well as its number
    child.expect_exact(b"press Enter to weigh them equally: ")
    child.send(b"\r")
    rest = finish(child)
    assert child.exitstatus == 0
    document = json.loads(rest[rest.index(b"{") :].replace(b"\r\n", b"\n"))
    assert document["answers"] == {"look": "yes", "talk": "no"}
    assert next(s["role"] for s in document["scores"]) == "data"


def test_enter_after_going_back_keeps_the_answer() -> None:
    child = spawn("quiz", "--data", str(DEV), "--json")
    child.expect_exact(FIRST)
    child.send(b"2\r")
    child.expect_exact(LATER)
    child.send(b"b\r")
    child.expect_exact(KEEP)
    child.send(b"\r")  # Enter: the answer stays "Not at all"
    child.expect_exact(b"Question 2 of 2")
    child.expect_exact(LATER)
    child.send(b"1\r")
    child.expect_exact(b"press Enter to weigh them equally: ")
    child.send(b"\r")
    rest = finish(child)
    assert child.exitstatus == 0
    document = json.loads(rest[rest.index(b"{") :].replace(b"\r\n", b"\n"))
    assert document["answers"] == {"look": "no", "talk": "yes"}


def test_ctrl_c_at_a_prompt_exits_130_quietly() -> None:
    child = spawn("quiz", "--data", str(DEV))
    child.expect_exact(FIRST)
    child.send(b"2\r")
    child.expect_exact(LATER)
    child.sendintr()
    rest = finish(child)
    assert child.exitstatus == 130
    assert rest.strip().endswith(b"rolefit: interrupted")
    assert b"Traceback" not in rest and b"Overall fit" not in rest


def test_end_of_input_at_a_prompt_exits_1() -> None:
    child = spawn("quiz", "--data", str(DEV))
    child.expect_exact(FIRST)
    child.sendeof()
    rest = finish(child)
    assert child.exitstatus == 1
    assert rest.strip().endswith(b"rolefit: input ended before the quiz was finished; nothing was scored")
    assert b"Traceback" not in rest


def test_hostile_text_at_the_prompt_is_shown_not_obeyed(tmp_path: Path) -> None:
    kb = tmp_path / "hostile.yaml"
    kb.write_text(hostile_kb(), encoding="utf-8")
    child = spawn("quiz", "--data", str(kb))
    child.expect_exact(FIRST)
    asked = child.before
    child.send(b"1\r")
    child.expect_exact(LATER)
    child.send(b"1\r")
    child.expect_exact(b"press Enter to weigh them equally: ")
    child.send(b"\r")
    result = finish(child)
    assert child.exitstatus == 0
    for output in (asked, result):
        assert_terminal_safe(output)
    assert SHOWN[TITLE] in plain(asked)  # the quiz title, with its escape made visible
    assert "[blink]now[/blink]" in plain(asked) and "[bold]loud[/bold]" in plain(asked)
    assert "Be a [link=https://example.com/]frontend[/link]" in plain(result)
    assert HOSTILE["label"].encode() not in asked


@pytest.mark.parametrize(("closed", "code"), [(">&-", 141), ("2>&-", 2)])
def test_the_quiz_at_a_terminal_with_stdout_or_stderr_closed_asks_nothing(closed: str, code: int) -> None:
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"}
    env.pop("ROLEFIT_DATA", None)
    child = pexpect.spawn("bash", ["-c", f'"{ROLEFIT}" quiz --data "{DEV}" {closed}'], env=env, timeout=10)
    shown = finish(child)
    assert child.exitstatus == code
    assert b"Question 1" not in shown and b"Traceback" not in shown


@pytest.mark.parametrize("encoding", ["ascii", "utf-16"])
def test_a_reply_the_terminal_encoding_cannot_read_is_asked_again(encoding: str) -> None:
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "PYTHONIOENCODING": encoding}
    env.pop("ROLEFIT_DATA", None)
    child = pexpect.spawn(str(ROLEFIT), ["quiz", "--data", str(DEV), "--json"], env=env, timeout=10)
    child.expect_exact(b"s to skip): ")
    child.send("é\r".encode())
    child.expect_exact(b"Please type a number from 1 to 3")
    child.send(b"1\r")
    child.expect_exact(b"go back): ")
    child.send(b"1\r")
    child.expect_exact(b"weigh them equally: ")
    child.send(b"\r")
    shown = finish(child)
    assert child.exitstatus == 0, shown
    assert b"Traceback" not in shown


def _lines(*args: str, width: int = 80, height: int = 24) -> list[str]:
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(width), "LINES": str(height), "NO_COLOR": "1"}
    env.pop("ROLEFIT_DATA", None)
    child = pexpect.spawn(str(ROLEFIT), list(args), env=env, dimensions=(height, width), timeout=20)
    out = finish(child).decode().replace("\r", "").rstrip("\n")
    return out.split("\n")


@pytest.mark.parametrize("width,height", [(80, 24), (120, 40)])
def test_at_a_terminal_the_verdict_is_on_the_last_screen(width: int, height: int) -> None:
    code = "career:1-1-3-3-1-3-3-1-1-2-1-1"
    lines = _lines("quiz", "--code", code, width=width, height=height)
    assert len(lines) <= 40  # the short result: the rest is a flag away
    last = "\n".join(lines[-height:])
    assert "Verdict: Fitness instructor suits you best" in last
    assert lines[-1] == f"Replay these answers: rolefit quiz --code {code}"
    assert f"rolefit quiz --code {code} --full" in lines and "Weigh both sides" not in "\n".join(lines)
    full = _lines("quiz", "--code", code, "--full", width=width, height=height)
    assert "Weigh both sides" in "\n".join(full) and len(full) > len(lines)
    assert "Verdict: Fitness instructor" in "\n".join(full[-6:]) and full[-1] == lines[-1]


# An interrupted quiz, and the next one going on from its answers.

CAREER_FIRST = b"Your answer (1-5, s to skip): "


def _kept(quiz_id: str = "career") -> dict[str, str | None] | None:
    """The answers the built-in quiz keeps to go on from (in this test's state directory), or None."""
    from rolefit.kb.load import load_knowledge_base
    from rolefit.scoring.progress import Progress

    progress = Progress.of(load_knowledge_base(), quiz_id, None)
    assert progress is not None
    saved = progress.load()
    return None if saved is None else dict(saved.answers)


def _answer(child: pexpect.spawn, first: int, replies: list[bytes]) -> None:
    """Answer the career quiz's questions from number `first` on, one reply each."""
    for n, reply in enumerate(replies, first):
        child.expect_exact(f"Question {n} of 12".encode())
        child.expect_exact(b"Your answer (")
        child.send(reply + b"\r")


def _document(output: bytes) -> dict[str, object]:
    return json.loads(output[output.index(b"{") :].replace(b"\r\n", b"\n"))  # type: ignore[no-any-return]


def test_ctrl_c_keeps_the_answers_and_the_next_quiz_goes_on_from_them() -> None:
    child = spawn("quiz", "--json")
    _answer(child, 1, [b"1", b"3", b"1"])
    child.expect_exact(b"Question 4 of 12")
    child.expect_exact(b"Your answer (")
    child.sendintr()
    rest = finish(child)
    assert child.exitstatus == 130
    assert rest.strip().endswith(b"rolefit: interrupted")
    assert b"Your answers so far are kept in " in rest
    assert b"run `rolefit quiz` again to go on, or `rolefit quiz --restart` to start afresh." in rest
    assert _kept() == {"coaching": "coach", "crowd": "one-person", "music": "quiet"}

    child = spawn("quiz", "--json")
    child.expect_exact(b'You stopped at question 4 of 12 of "')
    child.expect_exact(b'Which job suits me?\x1b[0m" on ')  # the title in bold
    child.expect_exact(b"Go on where you left off? [Y/n] ")
    child.send(b"\r")
    child.expect_exact(b"Going on with your 3 answers kept; b goes back to them.")
    child.expect_exact(b"Question 4 of 12")
    child.expect_exact(b"Your answer (1-4, s to skip, b to go back): ")
    child.send(b"b\r")  # the kept answers can still be changed
    child.expect_exact(b"Question 3 of 12")
    child.expect_exact(b"(your answer)")
    child.expect_exact(b"Enter to keep your answer): ")
    child.send(b"\r")
    _answer(child, 4, [b"2"] * 9)
    child.expect_exact(b"press Enter to weigh them equally: ")
    child.send(b"1 5\r")
    child.expect_exact(b"(y/n) ")  # the readiness check, after the verdict: not part of what is kept
    child.send(b"s\r")
    document = _document(finish(child))
    assert child.exitstatus == 0
    assert document["code"] == "career:1-3-1-2-2-2-2-2-2-2-2-2+focus=2,income=2"
    assert _kept() is None  # finished: nothing kept

    replayed = subprocess.run(
        [str(ROLEFIT), "quiz", "--code", str(document["code"]), "--json"],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "COLUMNS": "100"},
        timeout=20,
    )
    assert replayed.returncode == 0, replayed.stderr
    by_code = json.loads(replayed.stdout)
    for key in ("answers", "weights", "scores", "verdict", "stability"):
        assert document[key] == by_code[key], key


def test_ctrl_c_at_the_readiness_check_keeps_every_answer_until_the_result_is_shown() -> None:
    child = spawn("quiz")
    _answer(child, 1, [b"1", b"3", b"1"] + [b"2"] * 9)
    child.expect_exact(b"press Enter to weigh them equally: ")
    child.send(b"\r")
    child.expect_exact(b"(y/n) ")  # after the verdict's headline, before the result
    child.sendintr()
    rest = finish(child)
    assert child.exitstatus == 130
    assert b"^C\r\nYour answers so far are kept in " in rest and rest.strip().endswith(b"rolefit: interrupted")
    kept = _kept()
    assert kept is not None and len(kept) == 12 and list(kept.values())[:3] == ["coach", "one-person", "quiet"]

    child = spawn("quiz", "--json")
    child.expect_exact(b"You stopped at the last step, all 12 questions answered, of ")
    child.expect_exact(b"Go on where you left off? [Y/n] ")
    child.send(b"\r")
    child.expect_exact(b"press Enter to weigh them equally: ")
    child.send(b"\r")
    child.expect_exact(b"(y/n) ")
    child.send(b"s\r")
    document = _document(finish(child))
    assert child.exitstatus == 0 and document["answers"] == kept
    assert _kept() is None  # the result is out: nothing kept


def _keep_three() -> None:
    from rolefit.kb.load import load_knowledge_base
    from rolefit.scoring.progress import Progress

    progress = Progress.of(load_knowledge_base(), "career", None)
    assert progress is not None
    progress.save({"coaching": "coach", "crowd": "small-group", "music": "love-it"})


@pytest.mark.parametrize("zone", ["<+24>-24", "UTC+25"])
def test_the_offer_in_a_time_zone_a_day_or_more_from_utc(monkeypatch: pytest.MonkeyPatch, zone: str) -> None:
    """The C library takes such a TZ; Python cannot hold its offset, so the time is said as saved."""
    _keep_three()
    monkeypatch.setenv("TZ", zone)
    child = spawn("quiz")
    child.expect_exact(b"You stopped at question 4 of 12 of ")
    child.expect_exact(b"Go on where you left off? [Y/n] ")
    child.sendintr()
    rest = finish(child)
    assert child.exitstatus == 130 and b"Traceback" not in rest


def test_restart_starts_at_question_1_and_resume_goes_on_without_asking() -> None:
    _keep_three()
    child = spawn("quiz", "--restart")
    child.expect_exact(CAREER_FIRST)
    assert b"Question 1 of 12" in child.before and b"You stopped" not in child.before
    child.sendintr()
    finish(child)
    assert child.exitstatus == 130
    assert _kept() == {"coaching": "coach", "crowd": "small-group", "music": "love-it"}  # nothing new answered

    child = spawn("quiz", "--resume")
    child.expect_exact(b"Question 4 of 12")
    assert b"Go on where" not in child.before and b"You stopped" not in child.before
    child.expect_exact(b"Your answer (")
    child.send(b"1\r")
    child.expect_exact(b"Question 5 of 12")
    child.sendintr()
    finish(child)
    assert _kept() == {"coaching": "coach", "crowd": "small-group", "music": "love-it", "progress": "one-goal"}


@pytest.mark.parametrize(
    ("stop", "status"),
    [("end of input", 1), ("SIGTERM", 128 + signal.SIGTERM), ("SIGHUP", 128 + signal.SIGHUP), ("SIGKILL", None)],
)
def test_end_of_input_a_signal_or_a_closed_terminal_keep_the_answers_too(stop: str, status: int | None) -> None:
    child = spawn("quiz")
    _answer(child, 1, [b"1", b"3"])
    child.expect_exact(b"Question 3 of 12")
    child.expect_exact(b"Your answer (")
    if stop == "end of input":
        child.sendeof()
    else:
        child.kill(getattr(signal, stop))
    rest = finish(child)
    assert b"Traceback" not in rest
    if status is None:  # killed outright: what was saved after each answer is there
        assert child.signalstatus == signal.SIGKILL
    else:
        assert child.exitstatus == status
    if stop in ("end of input", "SIGTERM"):  # on a line of its own, not after the prompt
        assert b"\r\nYour answers so far are kept in " in rest and b"): Your answers" not in rest
    assert _kept() == {"coaching": "coach", "crowd": "one-person"}


def test_answers_from_a_file_never_offer_to_go_on(tmp_path: Path) -> None:
    from tests.conftest import PERSONAS

    _keep_three()
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(PERSONAS["group-motivator"][1]))
    child = spawn("quiz", "--answers", str(answers))
    shown = finish(child)
    assert child.exitstatus == 0
    assert b"You stopped" not in shown and b"Go on where" not in shown and b"Question" not in shown
    assert _kept() == {"coaching": "coach", "crowd": "small-group", "music": "love-it"}


def test_the_quiz_read_by_a_screen_reader() -> None:
    """`--accessible` at a real terminal: each question says its number, its options one a line
    with their numbers, and how to answer; the result is lines, with no colour, boxes or bars."""
    quiz = load_knowledge_base().quizzes["career"]
    chosen = PERSONAS["group-motivator"][1]
    total = len(quiz.questions)
    child = spawn("--accessible", "quiz")
    asked = []
    for number, question in enumerate(quiz.questions, 1):
        child.expect_exact(f"Question {number} of {total}: ".encode())
        child.expect_exact(f"Question {number} of {total}, your answer: ".encode())
        shown = child.before.decode().replace("\r", "")
        asked.append(shown)
        for n, option in enumerate(question.options, 1):
            assert f"\n  {n}. {option.label}\n" in shown, (number, n)
        assert "Type a number from 1 to" in shown and "s skips this question" in " ".join(shown.split())
        if number == 2:  # a wrong answer is asked again, in one line, with the question's number
            child.send(b"9\r")
            child.expect_exact(b"\nNot an option: type a number from 1 to")
            child.expect_exact(f"Question {number} of {total}, your answer: ".encode())
            assert b"Please type" not in child.before and child.before.count(b"and press Enter") == 1
        picked = next(n for n, o in enumerate(question.options, 1) if o.id == chosen[question.id])
        child.send(f"{picked}\r".encode())
    child.expect_exact(b"Last step, your choice: ")
    asked.append(child.before.decode())
    child.send(b"\r")
    for number in range(1, len(quiz.readiness) + 1):
        child.expect_exact(f"Readiness question {number} of {len(quiz.readiness)}: ".encode())
        child.expect_exact(b"s skips the rest: ")
        child.send(b"y\r")
    result = finish(child).decode().replace("\r", "")
    assert child.exitstatus == 0, result
    for shown in [*asked, result]:
        assert "\x1b" not in shown and not DRAWN.search(shown)
    lines = result.rstrip("\n").split("\n")
    # At a terminal, a line wider than it wraps between words, never inside one: every word
    # on the screen is a whole word of the same result read from a pipe, which never wraps.
    code = next(line for line in lines if line.startswith("Replay these answers: ")).split()[-1]
    piped = subprocess.run(
        [str(ROLEFIT), "--accessible", "quiz", "--code", code],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "COLUMNS": "80"},
        timeout=20,
    ).stdout
    whole = set(piped.split())
    for name in ("Fitness instructor (recommended)", "Personal trainer"):
        line = next(line for line in piped.splitlines() if line.startswith(f"{name}: Overall fit "))
        assert "; Client relationship " in line and len(line) > 100  # one line in a pipe
    at = next(i for i, line in enumerate(lines) if line.startswith("Fitness instructor (recommended): "))
    assert lines[at + 1] and not lines[at + 1].startswith("Personal trainer")  # wrapped at the terminal
    # Commands to copy are never wrapped: the replay line, and the one that shows the rest.
    prose = [line for line in lines if "rolefit --accessible quiz --code" not in line]
    assert all(len(line) <= 100 for line in prose)  # the terminal's width
    fits = lines[at : lines.index("", at)]  # the fits, as both outputs give them
    assert len(fits) > 2 and {word for line in fits for word in line.split()} <= whole
    assert result.count("Verdict: Fitness instructor suits you best") == 1  # in the result, not recapped
    assert lines[-1].startswith("Replay these answers: rolefit --accessible quiz --code career:")
