"""The knowledge-base cache: data, never code; never stale, never corrupt, never required;
trusted only in a safe directory, and never written through a link."""

from __future__ import annotations

import dataclasses
import json
import os
import stat
import subprocess
import sys
import threading
import time
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rolefit.cli.commands import app
from rolefit.kb import cache, load
from rolefit.kb.load import load_knowledge_base
from rolefit.kb.models import KnowledgeBase
from tests.conftest import PERSONAS, SMALL_KB

CORPUS = Path(__file__).parent / "bad_inputs" / "cache"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("ROLEFIT_CACHE_DIR", str(directory))
    return directory


def _entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.json"))


def _entry_for(directory: Path, raw: bytes) -> Path:
    return directory / cache._entry_name(cache.hashlib.sha256(raw).hexdigest())


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise AssertionError("parsed although the cache holds this file")

    monkeypatch.setattr(load, "parse", refuse)


def _structure(value: Any) -> Any:
    """A value with every record spelt out as (class, fields) and every type kept, for comparing."""
    if hasattr(value, "__dataclass_fields__"):
        return (type(value).__name__, [(name, _structure(getattr(value, name))) for name in value.__dataclass_fields__])
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_structure(v) for v in value])
    if isinstance(value, dict):
        return ("dict", [(k, _structure(v)) for k, v in value.items()])
    return (type(value).__name__, value)


def test_second_load_comes_from_the_cache(
    cache_dir: Path, small_kb_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_knowledge_base(small_kb_path)
    assert len(_entries(cache_dir)) == 1
    _no_parsing(monkeypatch)
    second = load_knowledge_base(small_kb_path)
    assert second is not first
    assert list(second.roles) == ["frontend", "backend", "data"]


def test_a_file_that_rules_out_every_role_comes_from_the_cache(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`rules_out: all` is no role id: the check made again on an entry must not take it for
    unknown ids (which would make every run a silent miss)."""
    path = tmp_path / "strict.yaml"
    path.write_text(SMALL_KB.replace("places: {people: 0.0}}", "places: {people: 0.0}, rules_out: all}"))
    first = load_knowledge_base(path)
    assert len(_entries(cache_dir)) == 1
    _no_parsing(monkeypatch)
    second = load_knowledge_base(path)
    assert second is not first
    assert second.quizzes["pick"].questions[1].options[1].rules_out == "all"
    assert _structure(second) == _structure(first)


EVERY_FIELD = Path(__file__).parent / "data" / "every-field.yaml"


def _models(cls: type = KnowledgeBase, seen: dict[type, None] | None = None) -> dict[type, None]:
    """Every model reachable from `cls` through its fields' types, `cls` first."""
    seen = {} if seen is None else seen
    seen[cls] = None
    for hint in typing.get_type_hints(cls).values():
        for inner in _types_in(hint):
            if hasattr(inner, "__dataclass_fields__") and inner not in seen:
                _models(inner, seen)
    return seen


def _types_in(hint: Any) -> list[Any]:
    return [hint, *(t for arg in typing.get_args(hint) for t in _types_in(arg))]


def _fields_set(value: Any, found: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The (model, field) pairs that `value` and the records in it set to other than the default."""
    if hasattr(value, "__dataclass_fields__"):
        for name, spec in value.__dataclass_fields__.items():
            field = getattr(value, name)
            default = spec.default_factory() if spec.default_factory is not dataclasses.MISSING else spec.default
            if field is not None and field != default and field != () and field != {}:
                found.add((type(value).__name__, name))
            _fields_set(field, found)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _fields_set(item, found)
    elif isinstance(value, dict):
        for item in value.values():
            _fields_set(item, found)
    return found


def test_the_cache_can_build_every_field_type_of_every_model() -> None:
    """A type the builder does not know (a new kind of union, say) fails here, not as a silent miss."""
    for model in _models():
        for name, hint in typing.get_type_hints(model, include_extras=True).items():
            assert callable(cache._builder(hint)), f"{model.__name__}.{name}"


def test_the_every_field_knowledge_base_sets_every_field_of_every_model() -> None:
    every = {(m.__name__, name) for m in _models() for name in m.__dataclass_fields__}
    kb = load_knowledge_base(EVERY_FIELD)
    assert every - _fields_set(kb, set()) == set()


@pytest.mark.parametrize("which", ["built-in", "small", "every-field"])
def test_records_built_from_an_entry_are_the_validated_ones_type_for_type(
    cache_dir: Path, tmp_path: Path, which: str
) -> None:
    path = tmp_path / "kb.yaml"
    if which == "built-in":
        path.write_bytes(load.default_path().read_bytes())
    elif which == "small":
        path.write_text(SMALL_KB)
    else:  # every field set somewhere, so that each is built back from the entry
        path.write_bytes(EVERY_FIELD.read_bytes())
    validated = load_knowledge_base(path)
    assert _entries(cache_dir)
    cached = cache.load(path.read_bytes())
    assert cached is not None
    assert _structure(cached) == _structure(validated)


def test_an_edited_file_is_never_served_stale(cache_dir: Path, small_kb_path: Path) -> None:
    assert load_knowledge_base(small_kb_path).roles["frontend"].name == "Frontend developer"
    small_kb_path.write_text(SMALL_KB.replace("name: Frontend developer", "name: Web developer"))
    assert load_knowledge_base(small_kb_path).roles["frontend"].name == "Web developer"
    small_kb_path.write_text(SMALL_KB.replace("visual: 0.9", "visual: 9"))  # now invalid
    with pytest.raises(load.RolefitError, match="expected a number from 0 to 1, got 9"):
        load_knowledge_base(small_kb_path)


def test_changed_code_misses(cache_dir: Path, small_kb_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_knowledge_base(small_kb_path)
    raw = small_kb_path.read_bytes()
    entry = _entry_for(cache_dir, raw)
    monkeypatch.setattr(cache, "_code_digest", lambda: "another version of rolefit")
    assert cache.load(raw) is None
    # Even an entry found under the new name is refused: it says which code validated it.
    entry.rename(_entry_for(cache_dir, raw))
    assert cache.load(raw) is None


def test_the_code_digest_covers_every_module_in_every_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    """A change to any module (the scoring formula, a view) changes the digest, so that no entry
    written by other code is used."""
    package = Path(cache.__file__).parent.parent
    read: list[str] = []
    real = Path.read_bytes

    def reading(path: Path) -> bytes:
        read.append(path.relative_to(package).as_posix())
        return real(path)

    cache._code_digest.cache_clear()
    monkeypatch.setattr(Path, "read_bytes", reading)
    try:
        cache._code_digest()
    finally:
        cache._code_digest.cache_clear()
    expected = sorted(p.relative_to(package).as_posix() for p in package.rglob("*.py"))
    assert read == expected
    assert {"scoring/formula.py", "views/report/html.py", "kb/models.py", "errors.py"} <= set(read)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda blob: blob[: len(blob) // 2], id="cut-short"),
        pytest.param(lambda blob: blob[:-3] + bytes([blob[-3] ^ 0x01]) + blob[-2:], id="one-byte-changed"),
        pytest.param(lambda blob: b"not a cache entry at all", id="foreign"),
        pytest.param(lambda blob: b"", id="empty"),
        pytest.param(lambda blob: blob.replace(b"rolefit-cache 3 ", b"rolefit-cache 2 ", 1), id="other-format"),
    ],
)
def test_a_damaged_entry_is_a_miss_and_is_replaced(
    cache_dir: Path, small_kb_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    load_knowledge_base(small_kb_path)
    (entry,) = _entries(cache_dir)
    entry.write_bytes(damage(entry.read_bytes()))
    assert cache.load(small_kb_path.read_bytes()) is None
    assert load_knowledge_base(small_kb_path).roles["data"].name == "Data engineer"
    assert cache.load(small_kb_path.read_bytes()) is not None  # written again, whole


def _drop_role(kb: dict[str, Any]) -> None:
    for role in ("backend", "data"):
        del kb["roles"][role]


FORGERIES: dict[str, Callable[[dict[str, Any]], None]] = {
    "a-field-missing": lambda kb: kb["roles"]["data"].pop("income"),
    "a-field-more": lambda kb: kb["roles"]["data"].update(colour="red"),
    "text-as-a-number": lambda kb: kb["roles"]["data"].update(name=5),
    "a-place-as-text": lambda kb: kb["roles"]["data"]["traits"].update(visual="high"),
    "a-place-as-true": lambda kb: kb["roles"]["data"]["traits"].update(visual=True),
    "a-list-as-text": lambda kb: kb["roles"]["data"].update(duties="Build pipelines"),
    "a-mapping-as-a-list": lambda kb: kb.update(traits=[]),
    "an-unknown-dimension": lambda kb: kb["traits"]["visual"].update(dimension="colour"),
    "a-trait-missing-from-a-role": lambda kb: kb["roles"]["data"]["traits"].pop("visual"),
    "one-role": _drop_role,
    "no-questions": lambda kb: kb["quizzes"]["pick"].update(questions=[]),
    "nested-without-end": lambda kb: kb.update(title=[[[[[["deep"]]]]]]),
    "a-summary-as-null": lambda kb: kb["roles"]["data"].update(summary=None),
    "a-weight-as-text": lambda kb: kb["quizzes"]["pick"]["questions"][0].update(weight="x"),
    "a-place-on-an-unknown-trait": lambda kb: kb["quizzes"]["pick"]["questions"][0]["options"][0]["places"].update(
        colour=1.0
    ),
    "ruling-out-an-unknown-role": lambda kb: kb["quizzes"]["pick"]["questions"][0]["options"][0].update(
        rules_out=["nobody"]
    ),
    "an-unknown-default-quiz": lambda kb: kb.update(default_quiz="nope"),
    "no-quizzes": lambda kb: kb.update(quizzes={}),
    "no-traits": lambda kb: kb.update(traits={}),
    "a-role-on-no-trait": lambda kb: kb["roles"]["data"].update(traits={}),
    "a-place-out-of-range": lambda kb: kb["roles"]["data"]["traits"].update(visual=1e308),
    "a-place-below-zero": lambda kb: kb["roles"]["data"]["traits"].update(visual=-0.5),
    "a-place-above-one-among-others": lambda kb: kb["quizzes"]["pick"]["questions"][0]["options"][0]["places"].update(
        {trait: 1.5 if i else 0.5 for i, trait in enumerate(kb["traits"])}
    ),
    "an-empty-duty": lambda kb: kb["roles"]["data"].update(duties=["Build pipelines", ""]),
    "a-duty-too-long": lambda kb: kb["roles"]["data"].update(duties=["D " * 2001]),
    "a-place-as-a-huge-integer": lambda kb: kb["roles"]["data"]["traits"].update(visual=2**70),
    "a-weight-out-of-range": lambda kb: kb["quizzes"]["pick"]["questions"][0].update(weight=-1e300),
    "a-text-too-long": lambda kb: kb["roles"]["data"].update(summary="S " * 3000),
    "an-empty-text": lambda kb: kb.update(title=""),
}


@pytest.mark.parametrize("forgery", list(FORGERIES))
def test_an_intact_entry_that_rolefit_did_not_write_is_a_miss(
    cache_dir: Path, small_kb_path: Path, runner: CliRunner, forgery: str
) -> None:
    # The header and digest are right, and the JSON names the right file and code: only
    # what it holds is not what rolefit writes. The run reads the file instead.
    raw = small_kb_path.read_bytes()
    load_knowledge_base(small_kb_path)
    entry = _entry_for(cache_dir, raw)
    body = json.loads(entry.read_bytes().split(b"\n", 1)[1])
    FORGERIES[forgery](body["knowledge_base"])
    _write_entry(entry, json.dumps(body).encode())
    assert cache.load(raw) is None
    command = ["quiz", "--data", str(small_kb_path), "--code", "pick:1-2", "--json"]
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == runner.invoke(app, command, env={"ROLEFIT_CACHE_DIR": ""}).stdout


def _write_entry(entry: Path, body: bytes) -> None:
    """An entry with a valid header and digest around `body`."""
    digest = cache.hashlib.sha256(body).hexdigest().encode()
    entry.write_bytes(b"rolefit-cache %d %s\n" % (cache.FORMAT, digest) + body)


@pytest.mark.parametrize("framing", ["bare", "old-format", "new-header"])
def test_a_pickle_that_runs_code_is_never_run(
    cache_dir: Path, small_kb_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, framing: str
) -> None:
    # Protocol 4 reaches `exec` through a dotted name in an allowed module; an entry
    # that were unpickled would write the file `pwned` in the working directory.
    hostile = (CORPUS / "protocol-4-exec.pickle").read_bytes()
    raw = small_kb_path.read_bytes()
    load_knowledge_base(small_kb_path)
    entry = _entry_for(cache_dir, raw)
    if framing == "bare":
        entry.write_bytes(hostile)
    elif framing == "old-format":
        entry.write_bytes(b"rolefit-kb-cache 2\n" + hostile)
        (cache_dir / entry.name.replace(".json", ".kb")).write_bytes(b"rolefit-kb-cache 2\n" + hostile)
    else:
        _write_entry(entry, hostile)
    monkeypatch.chdir(tmp_path)
    assert cache.load(raw) is None
    assert load_knowledge_base(small_kb_path).roles["data"].name == "Data engineer"
    assert not (tmp_path / "pwned").exists()


def test_the_hostile_pickle_is_real() -> None:
    # The corpus file must do what it says when unpickled, or the test above proves nothing.
    import pickletools

    ops = [op.name for op, _, _ in pickletools.genops((CORPUS / "protocol-4-exec.pickle").read_bytes())]
    assert "STACK_GLOBAL" in ops and ops.count("REDUCE") == 2


def test_an_entry_copied_under_another_files_name_is_a_miss(
    cache_dir: Path, small_kb_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROLEFIT_CACHE_DIR", str(cache_dir))
    load_knowledge_base()  # the built-in fitness one
    (fitness,) = _entries(cache_dir)
    fitness.rename(_entry_for(cache_dir, small_kb_path.read_bytes()))
    result = runner.invoke(app, ["compare", "--data", str(small_kb_path), "--json"])
    assert result.exit_code == 0
    assert [r["id"] for r in json.loads(result.stdout)["roles"]] == ["frontend", "backend", "data"]


def test_an_entry_others_can_write_is_refused(cache_dir: Path, small_kb_path: Path) -> None:
    load_knowledge_base(small_kb_path)
    (entry,) = _entries(cache_dir)
    entry.chmod(0o666)
    assert cache.load(small_kb_path.read_bytes()) is None


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file away")
def test_an_entry_of_another_user_is_refused(cache_dir: Path, small_kb_path: Path) -> None:
    load_knowledge_base(small_kb_path)
    (entry,) = _entries(cache_dir)
    os.chown(entry, 12345, 12345)
    assert cache.load(small_kb_path.read_bytes()) is None


@pytest.mark.parametrize("mode", [0o777, 0o775, 0o757])
def test_a_cache_directory_others_can_write_is_not_used(cache_dir: Path, small_kb_path: Path, mode: int) -> None:
    load_knowledge_base(small_kb_path)
    cache_dir.chmod(mode)
    assert cache.load(small_kb_path.read_bytes()) is None
    for entry in _entries(cache_dir):
        entry.unlink()
    load_knowledge_base(small_kb_path)
    assert _entries(cache_dir) == []  # nothing written there either


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a directory away")
def test_a_cache_directory_of_another_user_is_not_used(cache_dir: Path, small_kb_path: Path) -> None:
    load_knowledge_base(small_kb_path)
    os.chown(cache_dir, 12345, 12345)
    assert cache.load(small_kb_path.read_bytes()) is None


def test_a_cache_directory_that_is_a_link_is_not_used(
    tmp_path: Path, small_kb_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "elsewhere"
    real.mkdir(mode=0o700)
    link = tmp_path / "cache"
    link.symlink_to(real)
    monkeypatch.setenv("ROLEFIT_CACHE_DIR", str(link))
    load_knowledge_base(small_kb_path)
    assert list(real.iterdir()) == []


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    return victim


@pytest.mark.parametrize("kind", ["link", "dangling-link", "fifo", "directory"])
def test_whatever_stands_under_an_entrys_name_is_never_written_through(
    cache_dir: Path, small_kb_path: Path, tmp_path: Path, kind: str
) -> None:
    raw = small_kb_path.read_bytes()
    cache_dir.mkdir(mode=0o700)
    entry = _entry_for(cache_dir, raw)
    victim = _victim(tmp_path)
    dangling = tmp_path / "would-be-created.txt"
    if kind == "link":
        entry.symlink_to(victim)
    elif kind == "dangling-link":
        entry.symlink_to(dangling)
    elif kind == "fifo":
        os.mkfifo(entry)
    else:
        entry.mkdir()
    # A FIFO is not waited on: a load that hung would leave this thread running (a hang
    # guard, not a measure of speed).
    found: list[object] = []
    loading = threading.Thread(target=lambda: found.append(cache.load(raw)), daemon=True)
    loading.start()
    loading.join(timeout=30)
    assert not loading.is_alive() and found == [None]
    load_knowledge_base(small_kb_path)
    assert victim.read_text() == "precious\n"
    assert not dangling.exists()
    if kind == "directory":
        assert entry.is_dir()  # left alone: no cache for this file
    else:
        assert not entry.is_symlink() and stat.S_ISREG(entry.lstat().st_mode)
        assert cache.load(raw) is not None


def test_old_entries_are_evicted_and_stale_temporary_files_removed(
    cache_dir: Path, tmp_path: Path, small_kb_path: Path
) -> None:
    load_knowledge_base(small_kb_path)
    stale = cache_dir / f".{'0' * 64}.deadbeef.tmp"
    fresh = cache_dir / f".{'1' * 64}.cafe.tmp"
    old_format = cache_dir / f"{'2' * 64}.kb"
    foreign = cache_dir / "notes.txt"
    foreign_but_named_like_an_entry = cache_dir / f"{'3' * 64}.json"
    foreign_but_named_like_an_old_entry = cache_dir / f"{'4' * 64}.kb"
    for path in (stale, fresh, foreign, foreign_but_named_like_an_entry, foreign_but_named_like_an_old_entry):
        path.write_text("someone's own file")
    old_format.write_bytes(b"rolefit-kb-cache 2\n...")
    long_ago = time.time() - cache.STALE - 60
    os.utime(stale, (long_ago, long_ago))
    oldest = time.time() - 5000
    os.utime(foreign_but_named_like_an_entry, (oldest, oldest))  # first in line to go, were it ours
    base = time.time() - 1000
    first = _entry_for(cache_dir, small_kb_path.read_bytes())
    os.utime(first, (base - 1, base - 1))
    for n in range(cache.KEEP + 3):
        path = tmp_path / f"kb-{n}.yaml"
        path.write_text(SMALL_KB.replace("Frontend developer", f"Frontend developer {n}"))
        load_knowledge_base(path)
        entry = _entry_for(cache_dir, path.read_bytes())
        os.utime(entry, (base + n, base + n))  # distinct times, all past, newest last
    entries = [e for e in _entries(cache_dir) if e != foreign_but_named_like_an_entry]
    assert len(entries) == cache.KEEP
    assert _entry_for(cache_dir, path.read_bytes()) in entries  # the newest stays
    assert first not in entries  # the oldest went
    assert not stale.exists() and not old_format.exists()
    assert fresh.exists() and foreign.exists()
    assert foreign_but_named_like_an_entry.exists() and foreign_but_named_like_an_old_entry.exists()


def test_another_versions_entry_is_kept_until_it_is_among_the_oldest(
    cache_dir: Path, tmp_path: Path, small_kb_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two versions side by side share the directory: neither removes the other's entries at once."""
    with monkeypatch.context() as other:
        other.setattr(cache, "_code_digest", lambda: "another version of rolefit")
        load_knowledge_base(small_kb_path)
        theirs = _entry_for(cache_dir, small_kb_path.read_bytes())
    base = time.time() - 1000
    os.utime(theirs, (base - 1, base - 1))
    load_knowledge_base(small_kb_path)  # ours, for the same file
    assert theirs.exists() and _entry_for(cache_dir, small_kb_path.read_bytes()).exists()
    for n in range(cache.KEEP):
        path = tmp_path / f"kb-{n}.yaml"
        path.write_text(SMALL_KB.replace("Frontend developer", f"Frontend developer {n}"))
        load_knowledge_base(path)
        os.utime(_entry_for(cache_dir, path.read_bytes()), (base + n, base + n))
    assert not theirs.exists() and len(_entries(cache_dir)) == cache.KEEP


def test_an_unwritable_cache_location_only_means_no_cache(
    tmp_path: Path, small_kb_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("ROLEFIT_CACHE_DIR", str(blocker / "cache"))  # cannot be created, even by root
    assert load_knowledge_base(small_kb_path).roles["backend"].name == "Backend developer"
    assert load_knowledge_base(small_kb_path).roles["backend"].name == "Backend developer"


def test_a_read_only_cache_directory(tmp_path: Path, small_kb_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = tmp_path / "ro"
    directory.mkdir(mode=0o700)
    monkeypatch.setenv("ROLEFIT_CACHE_DIR", str(directory))

    def read_only(*_: object, **__: object) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(cache.os, "open", read_only)
    assert load_knowledge_base(small_kb_path).roles["data"].name == "Data engineer"
    monkeypatch.undo()
    assert _entries(directory) == []


def test_the_cache_can_be_turned_off(tmp_path: Path, small_kb_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROLEFIT_CACHE_DIR", "")
    assert cache.cache_dir() is None
    load_knowledge_base(small_kb_path)
    assert not any(tmp_path.rglob("*.json"))


def _cache_location(env: dict[str, str]) -> str:
    probe = "from rolefit.kb import cache; print(cache.cache_dir())"
    base = {k: v for k, v in os.environ.items() if k not in ("ROLEFIT_CACHE_DIR", "XDG_CACHE_HOME", "HOME")}
    done = subprocess.run([sys.executable, "-c", probe], env={**base, **env}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_location_follows_xdg_but_ignores_a_relative_xdg_cache_home(tmp_path: Path) -> None:
    home = str(tmp_path)
    assert _cache_location({"HOME": home}) == f"{home}/.cache/rolefit"
    assert _cache_location({"HOME": home, "XDG_CACHE_HOME": "/elsewhere"}) == "/elsewhere/rolefit"
    assert _cache_location({"HOME": home, "XDG_CACHE_HOME": "relative/dir"}) == f"{home}/.cache/rolefit"


def _compare_with_home(home: Path, small_kb_path: Path) -> None:
    """`rolefit compare` with HOME set to `home` and no cache location of its own."""
    env = {k: v for k, v in os.environ.items() if k not in ("ROLEFIT_CACHE_DIR", "XDG_CACHE_HOME")}
    rolefit = Path(sys.executable).parent / "rolefit"
    done = subprocess.run(
        [str(rolefit), "compare", "--json", "--data", str(small_kb_path)],
        env={**env, "HOME": str(home)},
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr


def test_a_missing_home_is_not_created(tmp_path: Path, small_kb_path: Path) -> None:
    _compare_with_home(tmp_path / "nonexistent" / "x", small_kb_path)
    assert not (tmp_path / "nonexistent").exists()


def test_a_new_home_gets_a_private_cache(tmp_path: Path, small_kb_path: Path) -> None:
    _compare_with_home(tmp_path, small_kb_path)
    directory = tmp_path / ".cache" / "rolefit"
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    (entry,) = _entries(directory)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


def test_a_cached_load_imports_neither_yaml_nor_pydantic_nor_pickle(cache_dir: Path, small_kb_path: Path) -> None:
    probe = (
        "import sys; from rolefit.kb.load import load_knowledge_base; "
        f"load_knowledge_base({str(small_kb_path)!r}); "
        "print(*(m in sys.modules for m in ('yaml', 'pydantic', 'pickle')))"
    )
    env = {**os.environ, "ROLEFIT_CACHE_DIR": str(cache_dir)}
    first = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert first.stdout.split() == ["True", "True", "False"]
    assert second.stdout.split() == ["False", "False", "False"]


def _commands(small: Path) -> list[list[str]]:
    """Every command that reads a knowledge base, on the built-in one and another."""
    commands = [
        ["compare"],
        ["compare", "--json"],
        ["compare", "personal-trainer", "--json"],
        ["questions"],
        ["questions", "--for", "hiring", "--json"],
        ["show", "personal-trainer"],
        ["show", "fitness-instructor", "--json"],
        ["compare", "--data", str(small)],
        ["compare", "--data", str(small), "--json"],
        ["show", "backend", "--data", str(small), "--json"],
        ["questions", "--data", str(small), "--json"],
        ["quiz", "--data", str(small), "--code", "pick:1-2", "--explain"],
        ["quiz", "--data", str(small), "--code", "pick:3-1+income=2", "--json"],
    ]
    kb = load_knowledge_base()
    from rolefit.scoring.answers import encode

    for quiz_id, answers in PERSONAS.values():
        for weights in ({}, {"income": 3.0, "focus": 0.0}):
            code = encode(quiz_id, kb.quizzes[quiz_id], answers, weights)
            commands += [["quiz", "--code", code, "--json"], ["quiz", "--code", code, "--explain"]]
    return commands


def test_every_command_prints_the_same_with_the_cache_off_cold_and_warm(
    tmp_path: Path, small_kb_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def outputs(directory: Callable[[int], str]) -> list[str]:
        printed = []
        for n, args in enumerate(commands):
            monkeypatch.setenv("ROLEFIT_CACHE_DIR", directory(n))
            result = runner.invoke(app, args)
            assert result.exit_code == 0, (args, result.stderr)
            printed.append(result.stdout)
        return printed

    commands = _commands(small_kb_path)
    off = outputs(lambda n: "")
    cold = outputs(lambda n: str(tmp_path / f"cold-{n}"))  # a new, empty cache for each command
    assert all(len(_entries(tmp_path / f"cold-{n}")) == 1 for n in range(len(commands)))
    warm = outputs(lambda n: str(tmp_path / "warm"))
    assert len(_entries(tmp_path / "warm")) == 2
    warm_again = outputs(lambda n: str(tmp_path / "warm"))  # every one of these read from the cache
    assert off == cold == warm == warm_again
