"""The default knowledge base must be found however rolefit is installed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from rolefit.kb import authoring, load
from rolefit.kb.load import default_path
from tests.test_docs import PAGES, broken_links

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def test_wheel_ships_the_knowledge_base_and_finds_it_outside_the_source_tree(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path / "dist")],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("rolefit-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("rolefit/data/roles.yaml") == (ROOT / "data" / "roles.yaml").read_bytes()
        assert archive.read("rolefit/starter.yaml") == (ROOT / "src" / "rolefit" / "starter.yaml").read_bytes()
        # The pay table the knowledge base names sits beside it, as data.
        table = "data/oews-may2025-39-9031.csv"
        assert archive.read(f"rolefit/{table}") == (ROOT / table).read_bytes()
        # data/roles.yaml names ../schemas/knowledge-base.schema.json for editors; it is there too.
        schema = "schemas/knowledge-base.schema.json"
        assert archive.read(f"rolefit/{schema}") == (ROOT / schema).read_bytes()
        # The README is the package's long description, whole.
        (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        head, _, description = archive.read(metadata).decode("utf-8").partition("\n\n")
        assert "Description-Content-Type: text/markdown" in head
        assert description == (ROOT / "README.md").read_text(encoding="utf-8")
        archive.extractall(site)
    probe = (
        "import json, rolefit.kb.authoring as a, rolefit.kb.load as k, rolefit.kb.regions as r;"
        " print(json.dumps([k.__file__, str(k.default_path()), len(k.load_knowledge_base().roles),"
        " str(k.packaged_file('starter.yaml')), a.starter_text(),"
        " r.choose(k.load_knowledge_base(), 'US-CA', k.default_path())[1].pay.area.name]))"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,  # not the checkout
        env={**os.environ, "PYTHONPATH": str(site)},
        check=True,
        capture_output=True,
        text=True,
    )
    module, found, roles, starter, starter_text, state = json.loads(run.stdout)
    assert state == "California"
    assert Path(module).is_relative_to(site)
    assert Path(found) == site / "rolefit" / "data" / "roles.yaml"
    assert roles == 2
    assert Path(starter) == site / "rolefit" / "starter.yaml"
    assert starter_text == authoring.starter_text()


def test_the_docs_links_lead_to_files_in_the_sdist(tmp_path: Path) -> None:
    # The README is the long description; in the source distribution its relative links,
    # and the pages they lead to, still find their files (an index such as PyPI shows the
    # README alone, where no relative link resolves).
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(tmp_path / "dist")],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (sdist,) = (tmp_path / "dist").glob("rolefit-*.tar.gz")
    with tarfile.open(sdist) as archive:
        # Only links and files inside the tree (the "data" filter, where this Python has it).
        archive.extractall(tmp_path / "src", **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    (root,) = (tmp_path / "src").iterdir()
    pages = [
        p for p in [root / "README.md", root / "CONTRIBUTING.md", *sorted((root / "docs").glob("*.md"))] if p.exists()
    ]
    assert {p.relative_to(root) for p in pages} == {p.relative_to(ROOT) for p in PAGES}
    assert {str(p.relative_to(root)): broken_links(p, root) for p in pages} == {
        str(p.relative_to(root)): [] for p in pages
    }


def test_this_install_finds_the_files_in_the_checkout() -> None:
    # A source checkout or an editable install runs from src/, where data/roles.yaml is a
    # link to the file at the top of the checkout: one file, found the one way.
    assert (ROOT / "src" / "rolefit" / "data" / "roles.yaml").is_symlink()
    if not Path(load.__file__).is_relative_to(ROOT / "src"):
        pytest.skip("rolefit is not running from this checkout")
    assert default_path() == ROOT / "data" / "roles.yaml"
    assert load.packaged_file("starter.yaml") == ROOT / "src" / "rolefit" / "starter.yaml"


def test_installed_console_script_and_module(tmp_path: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("ROLEFIT_DATA", None)
    script = subprocess.run(
        [str(BIN / "rolefit"), "compare", "--json"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert script.returncode == 0, script.stderr
    assert [r["id"] for r in json.loads(script.stdout)["roles"]] == ["fitness-instructor", "personal-trainer"]
    module = subprocess.run(
        [sys.executable, "-m", "rolefit", "quiz", "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert module.returncode == 2
    assert module.stdout == ""
    assert module.stderr.startswith("rolefit: stdin is not a terminal")


def test_compare_json_pipes_into_jq(tmp_path: Path) -> None:
    if shutil.which("jq") is None:
        pytest.skip("jq is not on PATH (.ci/run installs it with apt-get)")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("ROLEFIT_DATA", None)
    run = subprocess.run(
        ["bash", "-o", "pipefail", "-c", "rolefit compare --json | jq -r '.roles[1].income.figures[0].period'"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (run.returncode, run.stdout, run.stderr) == (0, "May 2025\n", "")
