"""The browser layer's structure, checked on the sources with `ast` (nothing imported:
app/web needs a browser).

- no import cycle in app/web (imports at module level AND inside functions count);
- dependencies point one way: main -> shell/actions -> intake -> views -> parts -> context ->
  session -> store -> dom (a module may only import modules of a LOWER layer);
- views never import each other;
- no module over MAX_LINES (with the named exceptions below, each with its reason);
- every data-action / data-input / data-form value written in app/web is in app/web/actions.py,
  every table entry names a method that exists on its group's class, and every entry is used;
- attributes are created in __init__ only (`self.x = …` elsewhere must assign a name __init__ set).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "app" / "web"
MAX_LINES = 300
TOO_LONG_FOR_NOW: dict[str, str] = {}

# The lower the number, the more basic the module. An import must point strictly downwards.
LAYERS = {
    "app.web.dom": 0, "app.web.preload": 0, "app.web.collate": 0,
    "app.web.map_gesture": 0, "app.web.map_input": 0,  # the map's parts: they import nothing of app/web
    "app.web.map_paint": 1,  # the crisp frame (imports map_gesture's background colour)
    "app.web.map_around": 1,  # « Autour de moi »'s panel (dom only)
    "app.web.failures": 1, "app.web.buckets": 1,
    "app.web.map": 2,  # the grid map: owns its paint, gesture and input parts
    "app.web.store": 2, "app.web.urlload": 2,
    "app.web.live": 2,  # the WebRTC connection (imports nothing above dom)
    "app.web.session": 3,
    "app.web.view_status": 3, "app.web.place_search": 3,  # the context's parts: the views' messages, place search
    "app.web.context": 4, "app.web.feedback": 4,  # feedback takes the context as an argument, imports none
    "app.web.preview": 5, "app.web.formats_ui": 5, "app.web.scanner": 5,
    "app.web.live_link": 5, "app.web.live_codes": 5,  # a live session with one peer; its codes
    "app.web.import_card": 5,  # the import box's controls (« Échanger »)
    "app.web.journal": 5,  # the import journal and its undo
    "app.web.views": 6, "app.web.recovery": 6,
    "app.web.intake": 7, "app.web.actions": 7,
    "app.web.shell": 8,
    "app.web.main": 9,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(WEB.rglob("*.py"))}
TREES = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in MODULES.items()}


def layer(module: str) -> int:
    if module.startswith("app.web.views"):
        return LAYERS["app.web.views"]
    return LAYERS[module]


def web_imports(tree: ast.AST) -> set[str]:
    """Every app.web module imported anywhere in the tree (module level, functions, TYPE_CHECKING)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("app.web")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app.web"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                out.add(full if full in MODULES else node.module)
    return {m for m in out if m != "app.web"}


GRAPH = {name: web_imports(tree) - {name} for name, tree in TREES.items()}


def test_every_module_has_a_layer():
    assert [m for m in MODULES if m not in ("app.web", "app.web.views") and not _has_layer(m)] == []


def _has_layer(module: str) -> bool:
    try:
        layer(module)
    except KeyError:
        return False
    return True


def test_no_import_cycle():
    seen: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        seen[module] = 1
        for dep in sorted(GRAPH.get(module, ())):
            if seen.get(dep) == 1:
                pytest.fail("import cycle: " + " -> ".join(path[path.index(dep):] + [dep]))
            if dep not in seen:
                visit(dep, path + [dep])
        seen[module] = 2

    for module in GRAPH:
        if module not in seen:
            visit(module, [module])


def test_dependencies_point_one_way():
    wrong = [f"{m} (layer {layer(m)}) imports {d} (layer {layer(d)})"
             for m, deps in GRAPH.items() if m not in ("app.web", "app.web.views")
             for d in deps if d != "app.web.views" and layer(d) >= layer(m)]
    assert wrong == []


def test_views_never_import_each_other():
    views = [m for m in GRAPH if m.startswith("app.web.views.")]
    assert views, "no view modules found"
    wrong = [f"{m} imports {d}" for m in views for d in GRAPH[m] if d.startswith("app.web.views")]
    assert wrong == []


def test_no_module_is_too_long():
    long = {m: len(p.read_text(encoding="utf-8").splitlines()) for m, p in MODULES.items()}
    over = {m: n for m, n in long.items() if n > MAX_LINES and m not in TOO_LONG_FOR_NOW}
    assert over == {}
    assert all(long[m] > MAX_LINES for m in TOO_LONG_FOR_NOW), "an exception no longer needed: remove it"


# --- the action table ----------------------------------------------------------------------------
def _table(name: str) -> dict:
    for node in TREES["app.web.actions"].body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"app/web/actions.py has no {name}")


def _used_values() -> dict[str, set[str]]:
    """Constant values given to data-action / data-input / data-form in dict literals of app/web."""
    used: dict[str, set[str]] = {"action": set(), "input": set(), "form": set()}
    for tree in TREES.values():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Dict):
                continue
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value in ("data-action", "data-input", "data-form"):
                    kind = key.value.removeprefix("data-")
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        used[kind].add(value.value)
    return used


def _literals() -> set[str]:
    return {n.value for tree in TREES.values() if tree is not TREES["app.web.actions"]
            for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _methods(module: str, cls: str) -> set[str]:
    for node in TREES[module].body:
        if isinstance(node, ast.ClassDef) and node.name == cls:
            return {f.name for f in node.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}
    raise AssertionError(f"{module} has no class {cls}")


def test_every_value_used_in_the_page_is_in_the_table():
    tables = {"action": _table("CLICK"), "input": _table("INPUT"), "form": _table("FORM")}
    used = _used_values()
    assert used["action"] and used["input"]  # the scan itself works
    missing = {kind: sorted(values - tables[kind].keys()) for kind, values in used.items()}
    assert missing == {"action": [], "input": [], "form": []}


def test_every_table_entry_names_an_existing_handler_and_is_used():
    groups = _table("GROUPS")
    literals = _literals()
    for name in ("CLICK", "INPUT", "FORM"):
        for value, (group, method) in _table(name).items():
            module, cls = groups[group]
            assert method in _methods(module, cls), f"{name}[{value!r}]: {cls}.{method} does not exist"
            assert value in literals, f"{name}[{value!r}] is never written in app/web: dead entry"


def test_the_shell_builds_every_group():
    groups = _table("GROUPS")
    init = next(f for f in ast.walk(TREES["app.web.shell"]) if isinstance(f, ast.FunctionDef) and f.name == "__init__")
    built = {t.attr for node in ast.walk(init) if isinstance(node, ast.Assign) for t in node.targets
             if isinstance(t, ast.Attribute)}
    assert set(groups) - {"shell"} <= built


# --- attributes ----------------------------------------------------------------------------------
def test_attributes_are_created_in_init_only():
    wrong = []
    for module, tree in TREES.items():
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            methods = [f for f in cls.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))]
            created = {a for f in methods if f.name == "__init__" for a in _self_assigned(f)}
            created |= {t.id for n in cls.body if isinstance(n, (ast.Assign, ast.AnnAssign))
                        for t in (n.targets if isinstance(n, ast.Assign) else [n.target]) if isinstance(t, ast.Name)}
            for f in methods:
                if f.name != "__init__":
                    wrong += [f"{module}.{cls.name}.{f.name}: self.{a}" for a in _self_assigned(f) - created]
    assert wrong == []


def _self_assigned(function) -> set[str]:
    names = set()
    for node in ast.walk(function):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, (ast.AnnAssign, ast.AugAssign)) else []
        for target in targets:
            for t in ast.walk(target):
                if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self":
                    names.add(t.attr)
    return names
