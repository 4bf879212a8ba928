"""Test modules do not import each other.

Shared helpers live in plain modules next to the tests (tests/e2e/driver.py, peers.py, camera.py,
tests/hostile/corpus.py, limits_data.py), so a test file can be moved, renamed or run on its own without
breaking another one, and a test function imported by name is not collected twice.
Every tests/**/test_*.py is parsed (imports inside functions included) and may not import a module
whose name is that of a test file.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def all_test_files() -> list[Path]:
    return sorted(TESTS.rglob("test_*.py"))


def imported_test_modules(source: str, test_modules: set[str]) -> list[tuple[int, str]]:
    """(line, module) for every import in `source` of a module named in `test_modules`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module] if node.module else [alias.name for alias in node.names]
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and (getattr(node.func, "id", None) == "__import__"
                   or getattr(node.func, "attr", None) == "import_module")):
            names = [node.args[0].value]
        found += [(node.lineno, name) for name in names if name.split(".")[-1] in test_modules
                  or name.split(".")[0] in test_modules]
    return found


def test_the_check_finds_every_form_of_import_of_a_test_module():
    source = ("import test_a\nfrom test_b import x\nfrom pkg.test_c import y\nimport importlib\n"
              "def f():\n    from test_d import z\n    importlib.import_module('test_e')\n    __import__('test_f')\n"
              "from driver import new_app\nimport json\n")
    found = imported_test_modules(source, {"test_a", "test_b", "test_c", "test_d", "test_e", "test_f", "test_g"})
    assert sorted(found) == [(1, "test_a"), (2, "test_b"), (3, "pkg.test_c"), (6, "test_d"), (7, "test_e"),
                             (8, "test_f")]


def test_no_test_module_imports_another_test_module():
    files = all_test_files()
    test_modules = {path.stem for path in files}
    assert len(files) >= 30 and {"test_app", "test_sync", "test_limits"} <= test_modules  # the walk saw the tree
    offenders = [f"{path.relative_to(TESTS.parent)}:{line}: imports {name}"
                 for path in files for line, name in imported_test_modules(path.read_text("utf-8"), test_modules)]
    assert offenders == [], "test modules import other test modules (move the helper to a plain module):\n" + \
        "\n".join(offenders)
