"""The knowledge-base cache: never stale, never corrupt, never required."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from rolefit import cache, jsonout, knowledge, models
from rolefit.knowledge import load_knowledge_base
from rolefit.scoring import score
from tests.conftest import PERSONAS, SMALL_KB


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("ROLEFIT_CACHE_DIR", str(directory))
    return directory


def _entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.kb"))


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise AssertionError("parsed although the cache holds this file")

    monkeypatch.setattr(knowledge, "parse", refuse)
    monkeypatch.setattr(knowledge, "parse_quickly", refuse)


def test_second_load_comes_from_the_cache(
    cache_dir: Path, small_kb_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_knowledge_base(small_kb_path)
    assert len(_entries(cache_dir)) == 1
    _no_parsing(monkeypatch)
    second = load_knowledge_base(small_kb_path)
    assert second.roles["frontend"].name == first.roles["frontend"].name == "Frontend developer"
    assert list(second.roles) == ["frontend", "backend", "data"]


def test_an_edited_file_is_never_served_stale(cache_dir: Path, small_kb_path: Path) -> None:
    assert load_knowledge_base(small_kb_path).roles["frontend"].name == "Frontend developer"
    small_kb_path.write_text(SMALL_KB.replace("name: Frontend developer", "name: Web developer"))
    assert load_knowledge_base(small_kb_path).roles["frontend"].name == "Web developer"
    small_kb_path.write_text(SMALL_KB.replace("visual: 0.9", "visual: 9"))  # now invalid
    with pytest.raises(knowledge.RolefitError, match="expected a number from 0 to 1, got 9"):
        load_knowledge_base(small_kb_path)


def test_a_changed_schema_misses(cache_dir: Path, small_kb_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_knowledge_base(small_kb_path)
    monkeypatch.setattr(cache, "_fingerprint", lambda: b"another version of rolefit")
    assert cache.load(small_kb_path.read_bytes()) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[: len(blob) // 2],  # cut short
        lambda blob: blob[:-1] + bytes([blob[-1] ^ 0xFF]),  # one byte changed
        lambda blob: b"not a cache entry at all",
        lambda blob: b"",
    ],
)
def test_a_corrupt_entry_is_a_miss_and_is_replaced(cache_dir: Path, small_kb_path: Path, damage: object) -> None:
    load_knowledge_base(small_kb_path)
    (entry,) = _entries(cache_dir)
    entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    assert cache.load(small_kb_path.read_bytes()) is None
    assert load_knowledge_base(small_kb_path).roles["data"].name == "Data engineer"
    assert cache.load(small_kb_path.read_bytes()) is not None  # written again, whole


class _Boom:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("touch pwned",))


def test_an_entry_with_other_classes_is_refused_unrun(
    cache_dir: Path, small_kb_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_knowledge_base(small_kb_path)
    (entry,) = _entries(cache_dir)
    payload = pickle.dumps(_Boom())
    entry.write_bytes(cache._pack([payload, payload]))  # valid sizes and digests, a hostile body
    monkeypatch.chdir(tmp_path)
    assert cache.load(small_kb_path.read_bytes()) is None
    assert cache.load(small_kb_path.read_bytes(), described=False) is None
    assert not (tmp_path / "pwned").exists()


def test_an_entry_others_can_write_is_refused(cache_dir: Path, small_kb_path: Path) -> None:
    load_knowledge_base(small_kb_path)
    (entry,) = _entries(cache_dir)
    entry.chmod(0o666)
    assert cache.load(small_kb_path.read_bytes()) is None


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
    directory.mkdir()
    monkeypatch.setenv("ROLEFIT_CACHE_DIR", str(directory))

    def read_only(*_: object, **__: object) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(cache, "write_atomic", read_only)
    assert load_knowledge_base(small_kb_path).roles["data"].name == "Data engineer"
    assert _entries(directory) == []


def test_the_cache_can_be_turned_off(tmp_path: Path, small_kb_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROLEFIT_CACHE_DIR", "")
    assert cache.cache_dir() is None
    load_knowledge_base(small_kb_path)
    assert not any(tmp_path.rglob("*.kb"))


def test_a_cached_run_imports_neither_yaml_nor_pydantic(cache_dir: Path, small_kb_path: Path) -> None:
    probe = (
        "import sys; from rolefit.knowledge import load_knowledge_base; "
        f"load_knowledge_base({str(small_kb_path)!r}); "
        "print('yaml' in sys.modules, 'pydantic' in sys.modules)"
    )
    env = {**os.environ, "ROLEFIT_CACHE_DIR": str(cache_dir)}
    first = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert first.stdout.split() == ["True", "True"]
    assert second.stdout.split() == ["False", "False"]


def _records(value: object) -> list[object]:
    """Every knowledge-base record inside `value`."""
    if hasattr(value, "__dataclass_fields__"):
        return [value, *(r for v in vars(value).values() for r in _records(v))]
    if isinstance(value, (list, tuple)):
        return [r for v in value for r in _records(v)]
    if isinstance(value, dict):
        return [r for v in value.values() for r in _records(v)]
    return []


def test_records_hold_their_fields_in_order_validated_or_cached(cache_dir: Path, small_kb_path: Path) -> None:
    # `--json` prints a record's __dict__ as it is: it must hold the declared fields, in order.
    validated = load_knowledge_base(small_kb_path)
    cached = load_knowledge_base(small_kb_path)
    assert cached is not validated and _entries(cache_dir)
    for kb in (validated, cached, load_knowledge_base()):
        records = _records(kb)
        assert len(records) > 20
        for record in records:
            assert list(vars(record)) == list(record.__dataclass_fields__)  # type: ignore[attr-defined]


def test_an_entry_serves_the_whole_or_the_undescribed_knowledge_base(cache_dir: Path, small_kb_path: Path) -> None:
    whole = load_knowledge_base(small_kb_path)
    raw = small_kb_path.read_bytes()
    described, undescribed = cache.load(raw), cache.load(raw, described=False)
    assert described is not None and undescribed is not None
    assert described.roles["data"].summary == whole.roles["data"].summary != ""
    assert [(r, role.name, role.traits) for r, role in described.roles.items()] == [
        (r, role.name, role.traits) for r, role in whole.roles.items()
    ]
    # The undescribed one keeps names; its places are in the placements it brings.
    assert [(r, role.name) for r, role in undescribed.roles.items()] == [
        (r, role.name) for r, role in whole.roles.items()
    ]
    for kb in (described, undescribed):
        assert (kb.title, list(kb.traits), list(kb.quizzes)) == (whole.title, list(whole.traits), list(whole.quizzes))
    assert {role.summary for role in undescribed.roles.values()} == {""}
    assert all(not role.traits for role in undescribed.roles.values())
    assert models.placements(undescribed) == models.Placements.of(whole)


def test_a_damaged_whole_is_a_miss_even_when_the_undescribed_part_is_intact(
    cache_dir: Path, small_kb_path: Path
) -> None:
    load_knowledge_base(small_kb_path)
    (entry,) = _entries(cache_dir)
    blob = entry.read_bytes()
    entry.write_bytes(blob[:-1] + bytes([blob[-1] ^ 0xFF]))  # the last byte belongs to the whole
    raw = small_kb_path.read_bytes()
    assert cache.load(raw, described=False) is not None
    assert cache.load(raw) is None


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_quiz_and_questions_documents_are_the_same_without_descriptions(cache_dir: Path, persona: str) -> None:
    # `quiz --json` and `questions` load the undescribed knowledge base: whatever
    # they print must not depend on the descriptions left out.
    load_knowledge_base()
    whole, undescribed = load_knowledge_base(), load_knowledge_base(described=False)
    assert whole.roles["personal-trainer"].summary and not undescribed.roles["personal-trainer"].summary
    quiz_id, answers = PERSONAS[persona]
    for weights in ({}, {"income": 3.0, "focus": 0.0}):
        documents = [jsonout.quiz_document(kb, score(kb, quiz_id, answers, weights)) for kb in (whole, undescribed)]
        assert jsonout.render(documents[0]) == jsonout.render(documents[1])
    assert jsonout.questions_document(whole, quiz_id) == jsonout.questions_document(undescribed, quiz_id)


def test_the_undescribed_part_brings_the_placements_made_for_the_whole(cache_dir: Path, small_kb_path: Path) -> None:
    whole = load_knowledge_base(small_kb_path)
    undescribed = cache.load(small_kb_path.read_bytes(), described=False)
    assert undescribed is not None
    assert models.placements(undescribed) == models.Placements.of(whole)
