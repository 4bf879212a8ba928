"""The browser modules imported natively: `js` and `pyodide` stubbed (every name they are asked for is
a function that does nothing), for tests of what in app/web touches neither."""

from __future__ import annotations

import importlib
import sys
import types

import pytest


def _stub(name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__getattr__ = lambda _attr: (lambda *args, **kwargs: None)  # type: ignore[method-assign]
    return module


@pytest.fixture
def browserless(monkeypatch):
    """import_module for app.web modules, against the stubs; the modules it imported go afterwards."""
    before = set(sys.modules)
    for name in ("js", "pyodide", "pyodide.ffi"):
        monkeypatch.setitem(sys.modules, name, _stub(name))
    yield importlib.import_module
    for name in set(sys.modules) - before:  # the browser modules imported against stubs go
        if name.startswith("app.web"):
            del sys.modules[name]
