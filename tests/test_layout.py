"""The shape of the package: folders by layer, each importing only the layers below it,
no module importing itself through others, and empty `__init__.py` files."""

from __future__ import annotations

import ast
from pathlib import Path

import rolefit

PACKAGE = Path(rolefit.__file__).parent
#: The layers, lowest first: a module may import its own layer and those below. The top
#: level's modules (errors, streams, files) are the base everything stands on; `__main__`
#: starts the command line.
LAYERS = ("base", "kb", "scoring", "output", "views", "cli", "__main__")


def _modules() -> dict[str, Path]:
    """Dotted module name under rolefit (`kb.models`, `errors`) -> its file."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports() -> dict[str, set[str]]:
    """Module -> the rolefit modules it imports anywhere in it (inside functions, and for type checking, too)."""
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "rolefit":
                base = node.module.removeprefix("rolefit").removeprefix(".")
                for alias in node.names:  # `from rolefit.kb import cache` imports the module kb.cache
                    child = f"{base}.{alias.name}".strip(".")
                    found.add(child if child in modules else base)
            elif isinstance(node, ast.Import):
                found |= {a.name.removeprefix("rolefit.") for a in node.names if a.name.startswith("rolefit.")}
        graph[name] = found - {name, ""}
    return graph


def _layer(module: str) -> str:
    top = module.split(".")[0]
    return top if top in LAYERS else "base"


def test_the_folders_are_the_layers() -> None:
    folders = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())
    assert folders == sorted(LAYERS[1:-1])


def test_every_module_imports_only_its_own_layer_and_those_below() -> None:
    graph = _imports()
    assert "scoring.engine" in graph["scoring.score"]  # the walk sees imports at all
    assert "kb.cache" in graph["kb.load"]  # and `from rolefit.kb import cache`
    upward = {
        f"{module} imports {imported}"
        for module, imported_ in graph.items()
        for imported in imported_
        if LAYERS.index(_layer(imported)) > LAYERS.index(_layer(module))
    }
    assert upward == set()


def test_no_module_imports_itself_through_others() -> None:
    graph = _imports()
    for start in graph:
        seen, todo = set(), list(graph[start])
        while todo:
            module = todo.pop()
            assert module != start, f"{start} imports itself through {sorted(seen)}"
            if module not in seen:
                seen.add(module)
                todo.extend(graph.get(module, ()))


def test_package_files_are_empty_so_importing_a_module_imports_only_what_it_needs() -> None:
    inits = [p for p in PACKAGE.rglob("__init__.py") if p.parent != PACKAGE]
    assert len(inits) == len(LAYERS) - 2 + 1  # the five layers' folders, and views/report
    assert {str(p.relative_to(PACKAGE)): p.read_text(encoding="utf-8") for p in inits} == {
        str(p.relative_to(PACKAGE)): "" for p in inits
    }
