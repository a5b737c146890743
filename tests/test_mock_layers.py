"""The emulator's layers (wrapper/mock/): routes over one service over the state and its stores, and no
import cycle among its modules. Imports are read with `ast`, wherever they stand: at the top, inside a
function (a deferred import still closes a circle) or under `TYPE_CHECKING`."""

from __future__ import annotations

import ast
from pathlib import Path

import wrapper.mock

PACKAGE = Path(wrapper.mock.__file__).parent
STORES = ("_filestore", "_batchstore", "_store", "_records")
ABOVE_THE_STORES = ("_app", "_batches", "_files", "_service", "_state", "__main__")


def imports() -> dict[str, set[str]]:
    """Each module of the package and the sibling modules it imports."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    found.add(node.module.split(".")[0])
                else:  # from . import _a, _b
                    found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("wrapper.mock."):
                found.add((node.module or "").split(".")[2])
        graph[path.stem] = found - {path.stem}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import circle, each as the path that closes it (found by depth-first search)."""
    found: list[list[str]] = []
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            found.append([*path[path.index(module) :], module])
            return
        if module in done:
            return
        for imported in sorted(graph.get(module, ())):
            visit(imported, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    return found


def test_the_emulator_has_no_import_cycle() -> None:
    graph = imports()
    assert {"_app", "_batches", "_service", "_state", "__main__", "_record_cli"} <= graph.keys()
    assert cycles(graph) == []


def test_the_finder_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c", "a"]]


def test_routes_and_the_batch_runner_share_the_service_through_public_names() -> None:
    graph = imports()
    assert "_service" in graph["_app"]
    assert "_service" in graph["_batches"]
    assert "_app" not in graph["_batches"]
    source = (PACKAGE / "_batches.py").read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "_service":
            assert all(not alias.name.startswith("_") for alias in node.names)


def test_stores_never_import_what_stands_above_them() -> None:
    graph = imports()
    for store in STORES:
        assert graph[store].isdisjoint(ABOVE_THE_STORES), store
