"""The core's map, checked on the sources with `ast` (nothing of app/core is imported here).

- no import cycle in app/core. An edge is every import of an app.core module, at module level or
  inside a function, plus the packages it runs (importing app.core.formats.ics runs
  app/core/formats/__init__.py first, unless the importer is in that package). An import marked
  `# lazy: <reason>` is not an edge: it runs only when its function is called, after every module
  has loaded, so it cannot make one;
- no import inside a function without a `# lazy: <reason>` comment on its line (an import belongs
  at the top of its module, where the map can be read, unless a reason says why it waits);
- no module over MAX_LINES, except those in LONG_MODULES, each with its reason.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "app" / "core"
MAX_LINES = 700
LAZY = re.compile(r"#\s*lazy:\s*\S")

# Modules allowed over MAX_LINES, and why. Each must still be over it (else its entry goes).
LONG_MODULES: dict[str, str] = {}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


PATHS = {module_name(p): p for p in sorted(CORE.rglob("*.py"))}
SOURCES = {name: path.read_text(encoding="utf-8") for name, path in PATHS.items()}
TREES = {name: ast.parse(text) for name, text in SOURCES.items()}


def rel(module: str) -> str:
    return PATHS[module].relative_to(ROOT).as_posix()


def is_lazy(module: str, node: ast.stmt) -> bool:
    lines = SOURCES[module].splitlines()[node.lineno - 1:node.end_lineno]
    return any(LAZY.search(line) for line in lines)


def imported(node: ast.Import | ast.ImportFrom, importer: str = "app.core") -> set[str]:
    """The app.core modules an import statement in `importer` runs: each one named and the packages
    above it, except the importer's own packages (already in sys.modules when the importer runs)."""
    if isinstance(node, ast.Import):
        names = {a.name for a in node.names}
    elif node.module is None or node.level:
        names = set()
    else:
        names = {node.module} | {f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in PATHS}
    out = set()
    for name in names:
        parts = name.split(".")
        out |= {".".join(parts[:i]) for i in range(3, len(parts) + 1)}  # app.core.x, app.core.x.y, ...
    return {m for m in out if m in PATHS and not importer.startswith(m + ".")}


def function_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    found = []
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            found += [n for n in ast.walk(fn) if isinstance(n, ast.Import | ast.ImportFrom)]
    return found


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for name, tree in TREES.items():
        edges[name] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and not is_lazy(name, node):
                edges[name] |= imported(node, name) - {name}
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_app_core_has_no_import_cycle():
    assert cycles(graph()) == []


def test_the_cycle_finder_sees_a_cycle_through_a_package():
    edges = {"app.core.i18n": {"app.core.formats"}, "app.core.formats": {"app.core.actions"},
             "app.core.actions": {"app.core.errors"}, "app.core.errors": {"app.core.i18n"}, "app.core.x": set()}
    assert cycles(edges) == [["app.core.actions", "app.core.errors", "app.core.formats", "app.core.i18n"]]
    node = ast.parse("from app.core.formats.places import place_of").body[0]
    assert imported(node, "app.core.i18n") == {"app.core.formats", "app.core.formats.places"}
    assert imported(node, "app.core.formats.ics") == {"app.core.formats.places"}


def test_an_import_inside_a_function_says_why_it_waits():
    unmarked = {(rel(name), alias.name if isinstance(node, ast.Import) else node.module or "")
                for name, tree in TREES.items() for node in function_imports(tree) if not is_lazy(name, node)
                for alias in node.names}
    assert unmarked == set()


def test_no_module_is_over_the_line_limit_unless_its_reason_is_given():
    sizes = {rel(name): len(text.splitlines()) for name, text in SOURCES.items()}
    assert {path: n for path, n in sizes.items() if n > MAX_LINES and path not in LONG_MODULES} == {}
    assert {path: sizes[path] for path in LONG_MODULES if sizes.get(path, 0) <= MAX_LINES} == {}, \
        "back under the limit: take it out of LONG_MODULES"
