"""No import cycles in bot/: the module graph built from the source, with every import a module
runs (at module level and inside functions; a function-level import only delays a cycle, it does
not remove it). Imports under ``if TYPE_CHECKING:`` do not count: they never run, and annotations
may point back at a caller."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "bot"

# Cycles still in the tree, each with the reason it is left; the test fails when one is gone
# too, so an exception cannot outlive its cycle. (None: Turn and Event moved out of the engine
# into bot/dialog/turn.py, which broke the last one, engine <-> reminders.dialog.)
KNOWN: set[frozenset[str]] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_blocks(tree: ast.Module) -> set[int]:
    """ids of the statements under ``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            for child in node.body:
                skipped.update(id(n) for n in ast.walk(child))
    return skipped


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The bot modules ``path`` imports (a name imported from a package counts as its submodule
    when there is one: ``from . import sqlite`` is bot.store.sqlite)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_blocks(tree)
    targets: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                targets.add(submodule if submodule in modules else source)
    found = set()
    for target in targets:
        while target and target not in modules:
            target = target.rpartition(".")[0]
        if target and target != name:
            found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    return {module_name(p): imports_of(p, modules) for p in paths}


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def describe(graph: dict[str, set[str]], component: frozenset[str]) -> str:
    return "; ".join(f"{m} -> {', '.join(sorted(graph[m] & component))}" for m in sorted(component))


def test_bot_has_no_import_cycles():
    graph = import_graph()
    found = cycles(graph)
    new = [describe(graph, c) for c in found if c not in KNOWN]
    assert not new, "import cycles:\n" + "\n".join(new)
    gone = KNOWN - set(found)
    assert not gone, f"no longer a cycle, take it out of KNOWN: {sorted(map(sorted, gone))}"


def test_the_graph_sees_function_level_and_relative_imports():
    """The checker itself: a cycle through a function-level relative import is found, one through
    a TYPE_CHECKING import is not."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [frozenset({"a", "b", "c"})]
    assert imports_of(PACKAGE / "store" / "migrate.py", set(import_graph())) >= {"bot.store"}
    # bot/reminders/dialog.py imports the engine under TYPE_CHECKING only (not an edge) and
    # Turn inside its functions (an edge)
    edges = import_graph()["bot.reminders.dialog"]
    assert "bot.dialog.turn" in edges and "bot.dialog.engine" not in edges
