"""Writing and the environment, run through the installed `rolefit`: what `--save`
and `init` refuse, streams that fail or are closed, encodings that cannot hold the
text, and environment variables out of range.

The reading side (hostile knowledge bases and answers files) is in test_bad_inputs.py;
the cache's own cases are in test_cache.py.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from rolefit.errors import quoted
from tests.conftest import ROOT_CANNOT_BE_REFUSED, SMALL_KB, as_a_user

ROLEFIT = Path(sys.executable).parent / "rolefit"
DEV = Path(__file__).parent / "bad_inputs" / "dev.yaml"
CODE = "career:1-1-3-3-1-3-3-1-1-2-1-1"
SMALL_CODE = "pick:1-2"
TIMEOUT = 20.0
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "ROLEFIT_DATA"}
    return {**env, "NO_COLOR": "1", "COLUMNS": "100", **extra}


def _shell(script: str, tmp: Path, stdin: bytes = b"", **env: str) -> subprocess.CompletedProcess[bytes]:
    """Run `script` in bash, in `tmp`, with $R standing for the installed rolefit."""
    return subprocess.run(
        ["bash", "-c", script],
        cwd=tmp,
        input=stdin,
        capture_output=True,
        env=_env(R=str(ROLEFIT), **env),
        timeout=TIMEOUT,
    )


# What --save and init refuse -----------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """A command run in a directory holding `kb.yaml` (the small knowledge base) and
    `answers.json` (a saved result for it), after `setup`; it must exit 2 with one line,
    `rolefit: TARGET: MESSAGE`, and leave `kept` files exactly as they were."""

    setup: str  # shell commands
    command: str  # after `rolefit`
    target: str
    message: str
    kept: tuple[str, ...] = ("kb.yaml", "answers.json")


SAVE = f"quiz --data kb.yaml --code {SMALL_CODE} --save"


def socket(name: str) -> str:
    """Shell commands that leave a Unix socket named `name`."""
    return f"{sys.executable} -c 'import socket; socket.socket(socket.AF_UNIX).bind(\"{name}\")'"


REFUSALS: dict[str, Refusal] = {
    "save-onto-data": Refusal(
        "",
        f"{SAVE} kb.yaml",
        "kb.yaml",
        "is the knowledge base being read (as kb.yaml): choose another file",
    ),
    "save-onto-data-by-another-path": Refusal(
        "mkdir d",
        f"{SAVE} d/../kb.yaml",
        "d/../kb.yaml",
        "is the knowledge base being read (as kb.yaml): choose another file",
    ),
    "save-onto-data-by-absolute-path": Refusal(
        "",
        f"{SAVE} $PWD/kb.yaml",
        "{cwd}/kb.yaml",
        "is the knowledge base being read (as kb.yaml): choose another file",
    ),
    "save-onto-data-by-a-hard-link": Refusal(
        "ln kb.yaml hard.yaml",
        f"{SAVE} hard.yaml",
        "hard.yaml",
        "is the knowledge base being read (as kb.yaml): choose another file",
    ),
    "save-onto-data-by-a-link": Refusal(
        "ln -s kb.yaml link.yaml",
        f"{SAVE} link.yaml",
        "link.yaml",
        "is the knowledge base being read (as kb.yaml): choose another file",
    ),
    "save-onto-answers": Refusal(
        "",
        "quiz --data kb.yaml --answers answers.json --save answers.json",
        "answers.json",
        "is the answers file being read (as answers.json): choose another file",
    ),
    "save-onto-answers-by-another-path": Refusal(
        "mkdir d",
        "quiz --data kb.yaml --answers answers.json --save d/../answers.json",
        "d/../answers.json",
        "is the answers file being read (as answers.json): choose another file",
    ),
    "save-onto-answers-on-stdin": Refusal(
        "exec < answers.json",
        "quiz --data kb.yaml --answers - --save /dev/stdin",
        "/dev/stdin",
        "is the answers file being read (on stdin): choose another file",
    ),
    "save-read-only": Refusal(
        "cp answers.json ro.json && chmod 444 ro.json",
        f"{SAVE} ro.json",
        "ro.json",
        "is read-only; it was left as it is",
        ("ro.json",),
    ),
    "init-force-read-only": Refusal(
        "cp kb.yaml ro.yaml && chmod 444 ro.yaml",
        "init --force ro.yaml",
        "ro.yaml",
        "is read-only; it was left as it is",
        ("ro.yaml",),
    ),
    "init-existing": Refusal("", "init kb.yaml", "kb.yaml", "already exists; pass --force to overwrite it"),
    "save-directory": Refusal("mkdir out", f"{SAVE} out", "out", "is a directory; name a file to write"),
    "init-directory": Refusal("mkdir out", "init --force out", "out", "is a directory; name a file to write"),
    "save-through-a-link": Refusal(
        "cp answers.json real.json && ln -s real.json link.json",
        f"{SAVE} link.json",
        "link.json",
        "is a symbolic link to 'real.json': name the file itself to replace it",
        ("real.json",),
    ),
    "init-through-a-link": Refusal(
        "cp kb.yaml real.yaml && ln -s real.yaml link.yaml",
        "init --force link.yaml",
        "link.yaml",
        "is a symbolic link to 'real.yaml': name the file itself to replace it",
        ("real.yaml",),
    ),
    "save-through-a-dangling-link": Refusal(
        "ln -s nowhere.json dangling.json",
        f"{SAVE} dangling.json",
        "dangling.json",
        "is a symbolic link to 'nowhere.json', which does not exist: name the file itself",
    ),
    "save-to-a-socket": Refusal(
        socket("sock"),
        f"{SAVE} sock",
        "sock",
        "is a socket, not a file: rolefit writes only files, pipes and terminals",
    ),
    "report-to-a-socket": Refusal(
        socket("sock.md"),
        f"quiz --data kb.yaml --code {SMALL_CODE} --report sock.md",
        "sock.md",
        "is a socket, not a file: rolefit writes only files, pipes and terminals",
    ),
    "save-into-a-missing-directory": Refusal(
        "", f"{SAVE} missing/out.json", "missing/out.json", "no such directory 'missing'"
    ),
    "save-below-a-file": Refusal(
        "", f"{SAVE} kb.yaml/out.json", "kb.yaml/out.json", "a part of the path is not a directory"
    ),
}


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "kb.yaml").write_text(SMALL_KB)
    done = _shell(f'"$R" quiz --data kb.yaml --code {SMALL_CODE} --save answers.json >/dev/null', tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path


def _contents(directory: Path, names: tuple[str, ...]) -> dict[str, tuple[bytes, int]]:
    return {n: ((directory / n).read_bytes(), (directory / n).stat().st_mode) for n in names}


@pytest.mark.parametrize("name", list(REFUSALS))
def test_a_write_that_would_destroy_is_refused(workdir: Path, name: str) -> None:
    case = REFUSALS[name]
    if case.setup:
        assert _shell(case.setup, workdir).returncode == 0
    before = _contents(workdir, case.kept)
    listing = sorted(os.listdir(workdir))
    setup = case.setup if case.setup.startswith("exec") else ""
    done = _shell(f'{setup}\n"$R" {case.command}', workdir)
    assert done.returncode == 2, done.stderr
    assert done.stdout == b""
    target = case.target.replace("{cwd}", str(workdir))
    assert done.stderr.decode() == f"rolefit: {target}: {case.message}\n"
    assert _contents(workdir, case.kept) == before
    assert sorted(os.listdir(workdir)) == listing  # nothing new, no temporary file left


@pytest.mark.parametrize("target", ["ro/new.json", "ro/new.md", "ro/old.md"])
def test_a_file_in_a_read_only_directory_is_refused_before_any_question(tmp_path: Path, target: str) -> None:
    user = as_a_user()
    if user == ("skip",):
        pytest.skip(ROOT_CANNOT_BE_REFUSED)
    (tmp_path / "ro").mkdir()
    (tmp_path / "ro" / "old.md").write_text("mine")  # writable, but it is replaced by a new file beside it
    (tmp_path / "ro").chmod(0o555)
    option = "--save" if target.endswith(".json") else "--report"
    refusal = _at_a_terminal([*user, str(ROLEFIT), "quiz", "--data", str(DEV), option, target], tmp_path)
    assert refusal == f"rolefit: {target}: cannot write: permission denied in the directory 'ro'"
    assert (tmp_path / "ro" / "old.md").read_text() == "mine"


def _at_a_terminal(command: list[str], cwd: Path, **env: str) -> str:
    """The error line of a quiz that must be refused before its first question, run at a
    pseudo-terminal (where it would ask); its exit code must be 2."""
    pexpect = pytest.importorskip("pexpect", reason="pexpect is not installed (pip install -e '.[test]')")
    child = pexpect.spawn(command[0], command[1:], cwd=str(cwd), env=_env(**env), timeout=TIMEOUT)
    assert child.expect_exact([b"rolefit: ", b"Question 1"]) == 0  # refused at once, not after the questions
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    return "rolefit: " + child.before.decode().removesuffix("\r\n")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("outputs", ["--save pipe.md", "--save saved.json --report pipe.md"])
@pytest.mark.parametrize("as_json", [False, True])
def test_an_output_that_fails_at_the_end_writes_nothing_and_the_result_is_shown(
    workdir: Path, outputs: str, as_json: bool
) -> None:
    os.mkfifo(workdir / "pipe.md")  # nobody reads it: known only when it is opened to write
    done = _shell(f'"$R" quiz --data kb.yaml --code {SMALL_CODE} {outputs}{" --json" * as_json}', workdir)
    assert done.returncode == 2
    assert done.stderr == b"rolefit: pipe.md: cannot write: nobody is reading from this pipe\n"
    assert not (workdir / "saved.json").exists()  # both files or neither
    if as_json:
        assert json.loads(done.stdout)["code"] == SMALL_CODE
    else:
        assert f"rolefit quiz --code {SMALL_CODE}" in done.stdout.decode()


@pytest.mark.skipif(not ROOT, reason="making a block device needs root")
def test_a_block_device_is_never_written(workdir: Path) -> None:
    try:
        os.mknod(workdir / "disk", stat.S_IFBLK | 0o600, os.makedev(7, 200))
    except OSError as e:
        pytest.skip(f"cannot make a device node here: {e}")
    done = _shell(f'"$R" {SAVE} disk', workdir)
    assert done.returncode == 2
    assert done.stderr.decode().startswith("rolefit: disk: is a device, not a file")


@pytest.mark.parametrize(("mode", "kept"), [(0o640, 0o640), (0o4755, 0o755), (0o2770, 0o770)])
def test_a_replaced_file_keeps_its_mode_and_owner(workdir: Path, mode: int, kept: int) -> None:
    old = workdir / "old.json"
    old.write_text("{}")
    old.chmod(mode)
    owner = (12345, 12345) if ROOT else (old.stat().st_uid, old.stat().st_gid)
    if ROOT:
        os.chown(old, *owner)
    done = _shell(f'"$R" {SAVE} old.json', workdir)
    assert done.returncode == 0, done.stderr
    assert json.loads(old.read_text())["code"] == SMALL_CODE
    info = old.stat()
    assert (stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid) == (kept, *owner)  # set-ID bits dropped


def test_save_to_dev_stdout_into_a_pipe_and_into_a_file(workdir: Path) -> None:
    piped = _shell(f'"$R" {SAVE} /dev/stdout --json | cat', workdir)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.count(b'"schema_version"') == 2  # the saved result, then the --json document
    into_file = _shell(f'"$R" {SAVE} /dev/stdout --json > out.txt', workdir)
    assert into_file.returncode == 0, into_file.stderr
    text = (workdir / "out.txt").read_text()
    saved, printed = text.split("}\n{", 1)
    assert json.loads(saved + "}")["code"] == json.loads("{" + printed)["code"] == SMALL_CODE


def test_save_to_dev_null_and_to_a_pipe_with_a_reader(workdir: Path) -> None:
    assert _shell(f'"$R" {SAVE} /dev/null > /dev/null', workdir).returncode == 0
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    fifo = workdir / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader there before rolefit opens it
    try:
        done = _shell(f'"$R" {SAVE} pipe > /dev/null', workdir)
        assert done.returncode == 0, done.stderr
        os.set_blocking(reader, True)
        with os.fdopen(os.dup(reader), "rb") as f:
            received = f.read()
    finally:
        os.close(reader)
    assert json.loads(received)["code"] == SMALL_CODE


def test_init_with_stdout_on_a_full_disk_leaves_no_file(tmp_path: Path) -> None:
    done = _shell('"$R" init new.yaml > /dev/full', tmp_path)
    assert (done.returncode, done.stderr) == (1, b"rolefit: cannot write the output: No space left on device\n")
    assert os.listdir(tmp_path) == []


# Streams that fail, or are closed ------------------------------------------------------------

EVERY_COMMAND = [
    "--version",
    "--help",
    "",  # no command: the help
    "quiz --help",
    "compare",
    "compare --json",
    "questions",
    "questions --json",
    "show personal-trainer",
    "show personal-trainer --json",
    f"quiz --code {CODE}",
    f"quiz --code {CODE} --json",
    "schema",
    "schema quiz",
]


@pytest.mark.parametrize("command", [*EVERY_COMMAND, "validate kb.yaml", "validate kb.yaml --json"])
def test_stdout_on_a_full_disk_is_one_line(workdir: Path, command: str) -> None:
    done = _shell(f'"$R" {command} > /dev/full', workdir)
    assert (done.returncode, done.stderr) == (1, b"rolefit: cannot write the output: No space left on device\n")


@pytest.mark.parametrize("command", ["--help", "quiz --help", "compare", "show personal-trainer", "schema"])
def test_a_reader_that_goes_away_is_exit_141_and_silent(tmp_path: Path, command: str) -> None:
    reading, writing = os.pipe()
    os.close(reading)  # the reader has gone before rolefit writes a byte
    try:
        done = subprocess.run(
            [str(ROLEFIT), *command.split()], stdout=writing, stderr=subprocess.PIPE, env=_env(), timeout=TIMEOUT
        )
    finally:
        os.close(writing)
    assert (done.returncode, done.stderr) == (141, b"")


def test_stdin_that_cannot_be_read_is_one_line(tmp_path: Path) -> None:
    for command in ("quiz --answers -", "validate -"):
        done = _shell(f'"$R" {command} 0>/dev/null', tmp_path)
        assert (done.returncode, done.stdout) == (1, b"")
        assert done.stderr == b"rolefit: <stdin>: cannot read: Bad file descriptor\n"


@pytest.mark.parametrize(
    "command",
    ["compare --data missing.yaml --json", "show nope --json", f"quiz --code {CODE} --save missing/x.json --json"],
)
def test_with_stderr_closed_an_error_leaves_stdout_empty(tmp_path: Path, command: str) -> None:
    done = _shell(f'"$R" {command} 2>&-', tmp_path)
    assert (done.returncode, done.stdout) == (2, b"")


# Encodings ------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize("command", EVERY_COMMAND[:1] + EVERY_COMMAND[4:] + [f"quiz --code {CODE} --explain"])
def test_an_encoding_that_cannot_hold_the_text_never_fails(tmp_path: Path, encoding: str, command: str) -> None:
    done = _shell(f'"$R" {command}', tmp_path, PYTHONIOENCODING=encoding)
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    if "--json" in command or command.startswith("schema"):
        # JSON is UTF-8 whatever the locale: the same bytes as with a UTF-8 stdout.
        assert done.stdout == _shell(f'"$R" {command}', tmp_path, PYTHONIOENCODING="utf-8").stdout
        json.loads(done.stdout.decode("utf-8"))
    else:
        done.stdout.decode(encoding)  # and only what that encoding holds


# Numbers and widths from outside -------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (f"--code {CODE[:-1]}{'9' * 4301}", "answer 12 (active) must be 1 to 4 or s, got"),
        (f"--code {CODE}+focus={'9' * 4301}", 'expected a number from 0 to 10, got "9999'),
        (f"--code {CODE} --weight focus=1_0", 'expected a number, got "1_0"'),
        (f"--code {CODE} --weight focus=\uff11\uff10", r'expected a number, got "\uff11\uff10"'),
        (f"--code {CODE} --weight focus=nan", 'expected a number, got "nan"'),
    ],
)
def test_numbers_people_do_not_write_are_refused(tmp_path: Path, given: str, expected: str) -> None:
    done = _shell(f'"$R" quiz {given} --json', tmp_path)
    assert (done.returncode, done.stdout) == (2, b"")
    (line,) = done.stderr.decode().splitlines()
    assert line.startswith("rolefit: ") and expected in line, line


@pytest.mark.parametrize("epoch", ["1733500000000", "9" * 5000, "\u00b2", "yesterday", "253402300800"])
def test_a_source_date_epoch_that_is_no_day_is_one_line(tmp_path: Path, epoch: str) -> None:
    expected = f"rolefit: SOURCE_DATE_EPOCH: expected seconds since 1970, up to the year 9999, got {quoted(epoch)}"
    for command in ("compare", "show personal-trainer", f"quiz --code {CODE} --report r.md"):
        done = _shell(f'"$R" {command}', tmp_path, SOURCE_DATE_EPOCH=epoch)
        assert (done.returncode, done.stdout, done.stderr.decode()) == (2, b"", expected + "\n"), command
    assert _at_a_terminal([str(ROLEFIT), "quiz"], tmp_path, SOURCE_DATE_EPOCH=epoch) == expected
    assert os.listdir(tmp_path) == []


def test_the_last_day_a_source_date_epoch_can_name(tmp_path: Path) -> None:
    done = _shell('"$R" show personal-trainer', tmp_path, SOURCE_DATE_EPOCH="253402300799", COLUMNS="200")
    assert done.returncode == 0, done.stderr
    assert "7986 years old" in done.stdout.decode()  # a figure of 2013 on the last day of 9999


def test_minus_zero_is_zero(tmp_path: Path) -> None:
    done = _shell(f'"$R" quiz --code {CODE} --weight focus=-0 --json', tmp_path)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["code"] == f"{CODE}+focus=0"
    assert str(document["weights"]["focus"]) == "0.0"


@pytest.mark.parametrize(
    ("columns", "width"), [("0", 20), ("5", 20), ("10000000", 1000), ("9" * 30, 1000), ("000000080", 80)]
)
def test_columns_are_kept_in_a_sane_range(tmp_path: Path, columns: str, width: int) -> None:
    for command in ("compare", "--help", f"quiz --code {CODE}"):
        done = _shell(f'"$R" {command}', tmp_path, COLUMNS=columns)
        assert done.returncode == 0, done.stderr
        # The replay line is never wrapped, so that it can be copied whole.
        lines = [line for line in done.stdout.decode().splitlines() if not line.startswith("Replay")]
        assert lines, command
        assert max(len(line) for line in lines) <= width, command
        if width == 20:
            assert "Fitness" in done.stdout.decode() or "Usage" in done.stdout.decode()


def test_unknown_role_lists_a_bounded_number_of_known_roles(tmp_path: Path) -> None:
    many = tmp_path / "many.yaml"
    roles = SMALL_KB[SMALL_KB.index("roles:\n") + len("roles:\n") : SMALL_KB.index("quizzes:\n")]
    backend = roles[roles.index("  backend:\n") : roles.index("  data:\n")]
    extra = "".join(backend.replace("  backend:\n", f"  role-{n:03d}:\n", 1) for n in range(200))
    many.write_text(SMALL_KB.replace("quizzes:\n", extra + "quizzes:\n", 1))
    done = _shell(f'"$R" show nope --data {many}', tmp_path)
    assert done.returncode == 2
    assert done.stderr.decode() == (
        'rolefit: unknown role or alternative "nope" (known: frontend, backend, data, role-000, role-001, role-002,'
        " role-003, role-004, and 195 more)\n"
    )


# Completion ----------------------------------------------------------------------------------


def _complete(shell: str, words: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    """Completions as the shell's function asks for them (bash by COMP_WORDS, zsh by Typer's own variable)."""
    cword = str(len(words.split()) - (0 if words.endswith(" ") else 1))
    environ = _env(
        _ROLEFIT_COMPLETE=f"complete_{shell}", COMP_WORDS=words, COMP_CWORD=cword, _TYPER_COMPLETE_ARGS=words, **env
    )
    return subprocess.run([str(ROLEFIT)], env=environ, capture_output=True, timeout=TIMEOUT)


def test_completion_descriptions_carry_no_control_characters(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(SMALL_KB.replace("name: Frontend developer", 'name: "Front\\e[2J\\e]0;owned\\aend"'))
    done = _complete("zsh", "rolefit show ", ROLEFIT_DATA=str(hostile))
    assert done.returncode == 0, done.stderr
    assert b"frontend" in done.stdout
    assert b"\x1b" not in done.stdout and b"\x07" not in done.stdout
    assert b"\\x1b[2J" in done.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_completion_never_waits_on_a_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "kb.fifo"
    os.mkfifo(fifo)
    done = _complete("bash", "rolefit compare ", ROLEFIT_DATA=str(fifo))  # a hang fails on the timeout
    assert (done.returncode, done.stdout.strip()) == (0, b"")


# Found by attacking the above ----------------------------------------------------------------


def _many_roles(path: Path, count: int) -> Path:
    """The small knowledge base with `count` more roles, copies of `backend`."""
    roles = SMALL_KB[SMALL_KB.index("roles:\n") + len("roles:\n") : SMALL_KB.index("quizzes:\n")]
    backend = roles[roles.index("  backend:\n") : roles.index("  data:\n")]
    extra = "".join(backend.replace("  backend:\n", f"  role-{n:03d}:\n", 1) for n in range(count))
    path.write_text(SMALL_KB.replace("quizzes:\n", extra + "quizzes:\n", 1))
    return path


def test_explain_shows_the_explained_roles_of_many(tmp_path: Path) -> None:
    many = _many_roles(tmp_path / "many.yaml", 6)
    done = _shell(f'"$R" quiz --data {many} --code {SMALL_CODE} --explain', tmp_path, COLUMNS="200")
    assert done.returncode == 0, done.stderr
    header = next(line for line in done.stdout.decode().splitlines() if "Question and your answer" in line)
    assert header.count("developer") + header.count("engineer") == 5  # the five best of nine roles


def test_columns_in_other_digits_are_no_width(tmp_path: Path) -> None:
    for columns in ("\u0661\u0660\u0660\u0660\u0660\u0660\u0660\u0660", "\uff19\uff19\uff19\uff19\uff19\uff19"):
        done = _shell('"$R" --help', tmp_path, COLUMNS=columns)
        assert done.returncode == 0
        assert len(done.stdout) < 20_000  # drawn at the default width, not millions of columns


def test_validate_reads_json_as_json(tmp_path: Path) -> None:
    import yaml

    data = yaml.safe_load(SMALL_KB)
    text = json.dumps(data, indent=2).replace('"visual": 0.9', '"visual": 9e-1', 1)
    assert "9e-1" in text
    path = tmp_path / "kb.json"
    path.write_text(text)
    assert _shell(f'"$R" compare --data {path} --json', tmp_path).returncode == 0
    done = _shell(f'"$R" validate {path}', tmp_path)
    assert (done.returncode, done.stdout.decode()) == (0, f"{path}: valid: 3 roles, 2 traits, 1 quiz (2 questions)\n")
    broken = tmp_path / "broken.json"
    broken.write_text(text.replace('"visual": 9e-1', '"visual": 9e1', 1))
    done = _shell(f'"$R" validate {broken}', tmp_path)
    assert done.returncode == 2
    assert ": roles.frontend.traits.visual: expected a number from 0 to 1, got 90.0" in done.stdout.decode()
    line = next(n for n, text in enumerate(broken.read_text().splitlines(), 1) if '"visual": 9e1' in text)
    assert done.stdout.decode().startswith(f"{broken}:{line}: ")


def test_a_file_name_that_is_not_utf_8_is_shown_with_replacements(tmp_path: Path) -> None:
    name = b"bad\xff\xfe.yaml"
    (tmp_path / os.fsdecode(name)).write_text(SMALL_KB)
    for file in (name, b"missing-" + name):
        done = subprocess.run(
            [str(ROLEFIT), "validate", os.fsdecode(file), "--json"], cwd=tmp_path, capture_output=True, env=_env()
        )
        assert b"Traceback" not in done.stderr
        document = json.loads(done.stdout)
        assert document["file"] == file.decode("utf-8", "replace")


def test_init_never_replaces_a_file_made_while_it_wrote(tmp_path: Path) -> None:
    from rolefit.errors import RolefitError
    from rolefit.kb.authoring import write_starter
    from rolefit.streams import Streams

    target = tmp_path / "new.yaml"

    def someone_else() -> None:
        target.write_text("precious\n")

    with pytest.raises(RolefitError, match="was created by something else while rolefit wrote"):
        write_starter(target, Streams.of_process(), announce=someone_else)
    assert target.read_text() == "precious\n"
    assert os.listdir(tmp_path) == ["new.yaml"]


def test_a_long_file_name_can_be_written(tmp_path: Path) -> None:
    name = "b" * 250 + ".yaml"
    done = _shell(f'"$R" init {name} > /dev/null', tmp_path)
    assert done.returncode == 0, done.stderr
    assert os.listdir(tmp_path) == [name]


@pytest.mark.parametrize("option", ["--report", "--save"])
def test_a_long_file_name_of_four_byte_characters_can_be_written(tmp_path: Path, option: str) -> None:
    name = "\U0001f600" * 60 + ".md"  # 243 bytes: the temporary name's part of it is bounded in bytes
    done = _shell(f'"$R" quiz --code {CODE} {option} {name} > /dev/null', tmp_path)
    assert (done.returncode, done.stderr) == (0, b"")
    assert os.listdir(tmp_path) == [name]


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGHUP"])
def test_a_run_stopped_by_a_signal_leaves_no_temporary_file(tmp_path: Path, signal_name: str) -> None:
    import fcntl
    import signal
    import time

    reading, writing = os.pipe()
    os.set_blocking(writing, False)
    try:  # fill the pipe, so that `init` blocks printing its message, its file not yet in place
        while True:
            os.write(writing, b"x" * 65536)
    except BlockingIOError:
        pass
    os.set_blocking(writing, True)
    fcntl.fcntl(writing, fcntl.F_SETFD, 0)
    process = subprocess.Popen(
        [str(ROLEFIT), "init", "new.yaml"], cwd=tmp_path, stdout=writing, stderr=subprocess.PIPE, env=_env()
    )
    os.close(writing)
    deadline = time.monotonic() + TIMEOUT
    while not any(n.endswith(".tmp") for n in os.listdir(tmp_path)) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert any(n.endswith(".tmp") for n in os.listdir(tmp_path)), "init never started writing"
    time.sleep(0.2)  # into the blocked print
    process.send_signal(getattr(signal, signal_name))
    process.wait(timeout=TIMEOUT)
    os.close(reading)
    assert process.returncode == 128 + getattr(signal, signal_name)
    assert os.listdir(tmp_path) == []


def test_the_cache_directory_variable_takes_home_and_ignores_relative_paths(tmp_path: Path) -> None:
    probe = "from rolefit.kb import cache; print(cache.cache_dir())"
    cases = (("~/c", f"{tmp_path}/c"), ("relative", "None"), (" ", "None"), ("", "None"), ("~nosuchuser/c", "None"))
    for value, expected in cases:
        done = subprocess.run(
            [sys.executable, "-c", probe],
            env={**_env(), "HOME": str(tmp_path), "ROLEFIT_CACHE_DIR": value},
            capture_output=True,
            text=True,
        )
        assert done.stdout.strip() == expected, value


@pytest.mark.parametrize("command", ["--version", "--help", "compare", "validate kb.yaml", "init new.yaml"])
def test_a_closed_stdout_is_exit_141_for_every_command(workdir: Path, command: str) -> None:
    done = _shell(f'"$R" {command} >&-', workdir)
    assert (done.returncode, done.stderr) == (141, b"")
    assert not (workdir / "new.yaml").exists()


def test_show_escapes_dimension_names_too(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.yaml"
    names = 'dimension_names: {certifications: "Training\\e]0;owned\\a\\e[2J\\u202e"}\ntraits:\n'
    hostile.write_text(SMALL_KB.replace("traits:\n", names, 1))
    assert _shell(f'"$R" validate {hostile}', tmp_path).returncode == 0
    for command in ("show frontend", "compare", f"quiz --code {SMALL_CODE}"):
        done = _shell(f'"$R" {command} --data {hostile}', tmp_path)
        assert done.returncode == 0, done.stderr
        assert b"\x1b" not in done.stdout and b"\x07" not in done.stdout and "\u202e".encode() not in done.stdout
        if command.startswith("show"):  # elsewhere the narrow first column wraps the name
            assert b"Training\\x1b]0;owned" in done.stdout


def test_init_into_stdout_writes_only_the_file(tmp_path: Path) -> None:
    done = _shell('"$R" init /dev/stdout > kb.yaml && "$R" validate kb.yaml', tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().startswith("kb.yaml: valid: ")


def test_init_never_replaces_the_built_in_knowledge_base(tmp_path: Path) -> None:
    from rolefit.kb.load import default_path

    built_in = default_path()
    before = built_in.read_bytes()
    done = _shell(f'"$R" init --force {built_in}', tmp_path)
    assert done.returncode == 2
    assert done.stderr.decode() == (
        f"rolefit: {built_in}: is rolefit's built-in knowledge base (as {built_in}): choose another file\n"
    )
    assert built_in.read_bytes() == before


def test_an_encoding_that_cannot_replace_gives_way_to_utf_8(tmp_path: Path) -> None:
    done = _shell('"$R" --version && "$R" compare > /dev/null', tmp_path, PYTHONIOENCODING="idna")
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout.startswith(b"rolefit ")


def test_ctrl_c_while_rolefit_imports_is_one_line(tmp_path: Path) -> None:
    # Ctrl-C lands during the imports, before the CLI is there to handle it: stood in
    # for by an import that raises KeyboardInterrupt.
    probe = (
        "import sys, importlib.abc\n"
        "class Interrupt(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name == 'rolefit.cli.commands':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "from rolefit.__main__ import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, env=_env(), timeout=TIMEOUT)
    assert (done.returncode, done.stdout, done.stderr) == (130, b"", b"rolefit: interrupted\n")


def test_save_never_replaces_the_built_in_knowledge_base_whatever_is_read(workdir: Path) -> None:
    from rolefit.kb.load import default_path

    built_in = default_path()
    before = built_in.read_bytes()
    done = _shell(f'"$R" {SAVE} {built_in}', workdir)  # --data names another file
    assert done.returncode == 2
    assert done.stderr.decode() == (
        f"rolefit: {built_in}: is rolefit's built-in knowledge base (as {built_in}): choose another file\n"
    )
    assert built_in.read_bytes() == before


def test_save_to_a_dash_is_stdout(workdir: Path) -> None:
    done = _shell(f'"$R" {SAVE} -', workdir)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout[: done.stdout.index(b"\n}\n") + 3])["code"] == SMALL_CODE
    assert not (workdir / "-").exists()


def test_init_names_the_file_as_a_shell_would_take_it(tmp_path: Path) -> None:
    done = _shell('"$R" init "my kb.yaml"', tmp_path)
    assert done.stdout == b"Wrote 'my kb.yaml'. Next: rolefit validate 'my kb.yaml'\n"


def test_a_list_of_known_ids_follows_its_message_after_one_space() -> None:
    from rolefit.errors import RolefitError
    from rolefit.kb.load import load_knowledge_base, select_quiz, select_roles

    kb = load_knowledge_base()
    with pytest.raises(RolefitError) as role:
        select_roles(kb, ["nope"])
    assert str(role.value) == 'unknown role "nope" (known: fitness-instructor, personal-trainer)'
    with pytest.raises(RolefitError) as quiz:
        select_quiz(kb, "nope")
    assert str(quiz.value) == 'unknown quiz "nope" (known: career, hiring)'
