"""The shape of the package: modules that do not import each other in a circle, and
that stay small enough to read in one sitting."""

from __future__ import annotations

import ast
from pathlib import Path

import rolefit

PACKAGE = Path(rolefit.__file__).parent
#: About 400 lines is the aim; past this, a module is doing two jobs.
MOST_LINES = 450


def _imports() -> dict[str, set[str]]:
    """Module -> the rolefit modules it imports anywhere in it (inside functions, and for type checking, too)."""
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    graph = {}
    for path in PACKAGE.glob("*.py"):
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "rolefit":
                parts = node.module.split(".")
                found |= {parts[1]} if len(parts) > 1 else {a.name for a in node.names if a.name in modules}
            elif isinstance(node, ast.Import):
                found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("rolefit.")}
        graph[path.stem] = found - {path.stem}
    return graph


def test_no_module_imports_itself_through_others() -> None:
    graph = _imports()
    assert "engine" in graph["scoring"]  # the walk sees imports at all
    for start in graph:
        seen, todo = set(), list(graph[start])
        while todo:
            module = todo.pop()
            assert module != start, f"{start} imports itself through {sorted(seen)}"
            if module not in seen:
                seen.add(module)
                todo.extend(graph.get(module, ()))


def test_every_module_is_short_enough_to_read_in_one_sitting() -> None:
    lengths = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.glob("*.py")}
    assert {name: n for name, n in lengths.items() if n > MOST_LINES} == {}
