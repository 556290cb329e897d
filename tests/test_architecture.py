"""The house: every import runs down the floors, and nothing imports itself round in a circle.

An import counts whatever its form — ``import x``, ``from x import y``, a lazy import inside a function, one
under ``if TYPE_CHECKING:`` — and importing ``pkg.mod`` counts as importing ``pkg`` too, because Python runs
``pkg/__init__.py`` first. docs/architecture.md draws the same floors.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Each room with the rooms it may import (besides itself). Lower floors first.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "ingest": {"core"},
    "classify": {"core", "ingest"},
    "search": {"core", "ingest"},
    "pipeline": {"core", "ingest", "classify", "search"},
    "registry": {"core", "ingest", "classify", "search", "pipeline"},
    "supervision": {"core", "ingest", "classify", "search", "pipeline", "registry"},
    "reports": {"core", "ingest", "classify", "search", "pipeline", "registry", "supervision"},
    "workers": {"core", "ingest", "classify", "search", "pipeline", "registry", "supervision", "reports"},
    "api": {
        "core",
        "ingest",
        "classify",
        "search",
        "pipeline",
        "registry",
        "supervision",
        "reports",
        "workers",
    },
    "cli": {
        "core",
        "ingest",
        "classify",
        "search",
        "pipeline",
        "registry",
        "supervision",
        "reports",
        "workers",
        "api",
    },
}
LIBRARIES = ("ingest", "classify", "search")
# What a library never touches: the store, the queue, the web.
NOT_IN_LIBRARIES = (
    "core.db",
    "core.models",
    "core.store",
    "core.migrations",
    "sqlalchemy",
    "alembic",
    "celery",
    "kombu",
    "redis",
    "fastapi",
    "starlette",
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(tree: ast.AST, module: str, is_package: bool, modules: set[str]) -> set[str]:
    """Every module a module imports, at any depth of its code (lazy and TYPE_CHECKING imports too)."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)  # ``from pkg import mod`` runs pkg/__init__.py as well
            found.update(f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules)
    return found


def build_edges(rooms: Iterable[str]) -> dict[str, set[str]]:
    """module → the modules it imports (project modules and external top-level names)."""
    files = {module_name(p): p for room in rooms for p in (ROOT / room).rglob("*.py")}
    modules = set(files)
    edges: dict[str, set[str]] = {}
    for module, path in files.items():
        names = imported_names(
            ast.parse(path.read_text("utf-8")), module, path.name == "__init__.py", modules
        )
        edges[module] = {n if n in modules or n.split(".")[0] in files else n for n in names} - {module}
    return edges


def upward_imports(edges: dict[str, set[str]], allowed: dict[str, set[str]]) -> list[str]:
    found = []
    for module, targets in edges.items():
        room = module.split(".")[0]
        if room not in allowed:
            continue
        for t in sorted(targets):
            other = t.split(".")[0]
            if other in allowed and other != room and other not in allowed[room]:
                found.append(f"{module} -> {t}")
    return found


def forbidden_in_libraries(edges: dict[str, set[str]]) -> list[str]:
    return [
        f"{m} -> {t}"
        for m, ts in edges.items()
        if m.split(".")[0] in LIBRARIES
        for t in sorted(ts)
        if t in NOT_IN_LIBRARIES or t.split(".")[0] in NOT_IN_LIBRARIES
    ]


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, it = work[-1]
            nxt = next((t for t in it if t in edges), None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(edges.get(nxt, ())))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    m = stack.pop()
                    on_stack.discard(m)
                    component.append(m)
                    if m == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


@pytest.fixture(scope="module")
def edges() -> dict[str, set[str]]:
    return build_edges(ALLOWED)


def test_every_import_runs_down_the_house(edges: dict[str, set[str]]) -> None:
    assert upward_imports(edges, ALLOWED) == []


def test_core_imports_no_other_room(edges: dict[str, set[str]]) -> None:
    assert [
        f"{m} -> {t}"
        for m, ts in edges.items()
        if m.startswith("core")
        for t in ts
        if t.split(".")[0] in ALLOWED and not t.startswith("core")
    ] == []


def test_libraries_know_no_database_queue_or_web(edges: dict[str, set[str]]) -> None:
    assert forbidden_in_libraries(edges) == []


def test_no_import_circles(edges: dict[str, set[str]]) -> None:
    assert circles(edges) == []


def test_the_checks_can_fail() -> None:
    """GIVEN a made-up graph with an upward import and a circle through a package's __init__
    THEN both checks name them."""
    fake = {
        "ingest.parse": {"pipeline.process", "pipeline"},
        "pipeline.process": {"ingest", "ingest.parse"},
        "pipeline": set(),
        "ingest": set(),
        "search.query": {"sqlalchemy"},
    }
    assert upward_imports(fake, ALLOWED) == ["ingest.parse -> pipeline", "ingest.parse -> pipeline.process"]
    assert circles(fake) == [["ingest.parse", "pipeline.process"]]
    assert forbidden_in_libraries(fake) == ["search.query -> sqlalchemy"]


def test_one_case_number_normaliser_in_the_tree() -> None:
    defs = [
        str(p.relative_to(ROOT))
        for room in ALLOWED
        for p in (ROOT / room).rglob("*.py")
        if "def normalize_case_no" in p.read_text("utf-8") or "def normalise_case_no" in p.read_text("utf-8")
    ]
    assert defs == ["core/normalize.py"]
