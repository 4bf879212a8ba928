"""What the page's Python can find already built when it starts from a memory snapshot.

static/snapshot-worker.mjs imports this module before it takes the snapshot and calls:
  * `parse_grid` with the build's own data/fwb_grid.json, so a restored boot has the grid indexed
    without fetching or parsing anything (a normal boot finds GRID empty and app/web/main.py parses
    the grid once);
  * `precompile`, which compiles the source of every module of the `app` package (and the lazily
    imported libraries) not imported yet, and installs a finder that hands those code objects to
    the import system. The modules that touch `js` (app.web.*) cannot be imported in the worker
    (no DOM there, and nothing holding a JavaScript object may be in a snapshot), but their
    compiled code can: a restored boot then imports them without compiling 3,600 lines of Python
    (0.6–1.6 s at CPU x4, measured with bench/boot.py). The code is of this very build: a snapshot
    is only restored by the build that made it (static/pyboot.mjs checks app._build.BUILD).
    `__file__` names where the source was; app's own files are not read after import (the format's
    schema is read by app.core.document, already imported in the snapshot);
  * `keep_wheels`, which keeps the bytes of the libraries imported later (segno, jsonschema and
    its dependencies: 0.3 MB). Files are not part of a memory snapshot, and installing the six
    wheels again on restore (Pyodide's loadPackage: fetch, check, unzip into site-packages) took
    1.2 s at CPU x4: `restore_files` instead writes the kept wheels as they are and puts them on
    sys.path, where Python imports from them directly (zipimport, resources included).
Pure: no `js` here.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys

from app.core.grid import Grid

GRID: Grid | None = None
CODE: dict[str, tuple[str, bool, object]] = {}  # module name -> (source path, is package, code)
SIZES: dict[str, int] = {}  # module name -> size of its source, for files written again at each boot
WHEELS: dict[str, bytes] = {}  # wheel file name -> its bytes (the libraries imported lazily)
RESTORED_WHEELS = "/tmp/cellules-wheels"


def parse_grid(text: str) -> Grid:
    """Parse the grid once and keep it."""
    global GRID
    GRID = Grid.from_json(json.loads(text))
    return GRID


class _Loader(importlib.machinery.SourceFileLoader):
    def get_code(self, fullname):  # noqa: ANN001, ANN201 - importlib's signature
        entry = CODE.get(fullname)
        if entry is not None and entry[0] == self.path:
            return entry[2]
        return super().get_code(fullname)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):  # noqa: ANN001, ANN201, ARG002
        entry = CODE.get(fullname)
        if entry is None:
            return None
        if fullname in SIZES:  # PyScript's own files, written at each boot: the very same source?
            try:
                if os.path.getsize(entry[0]) != SIZES[fullname]:
                    return None
            except OSError:
                return None
        origin, is_package, _code = entry
        return importlib.util.spec_from_file_location(
            fullname, origin, loader=_Loader(fullname, origin),
            submodule_search_locations=[os.path.dirname(origin)] if is_package else None)


def _sources(top: str):
    """(module name, source path, is package) of every module of the installed package `top`."""
    spec = importlib.util.find_spec(top)
    if spec is None or not spec.submodule_search_locations:
        return
    root = list(spec.submodule_search_locations)[0]
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        rel = os.path.relpath(folder, root)
        parts = [top] + ([] if rel == "." else rel.split(os.sep))
        for name in sorted(files):
            if name.endswith(".py"):
                if name == "__init__.py":
                    yield ".".join(parts), os.path.join(folder, name), True
                else:
                    yield ".".join([*parts, name[:-3]]), os.path.join(folder, name), False


def precompile(packages: tuple[str, ...] = ("app", "segno", "jsonschema", "pyrsistent", "attr", "attrs")) -> int:
    """Compile every not-yet-imported module of `packages` and serve them from memory. Returns how many."""
    for top in packages:
        for name, origin, is_package in _sources(top):
            if name in sys.modules or name in CODE:
                continue
            with open(origin, "rb") as f:
                source = f.read()
            CODE[name] = (origin, is_package, compile(source, origin, "exec", dont_inherit=True))
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
    return len(CODE)


def precompile_files(modules: list[tuple[str, str, bool]]) -> int:
    """Compile modules that are written to the file system at each boot (PyScript's own package,
    passed by static/pyboot.mjs): served from memory only while the file has the same size."""
    for name, origin, is_package in modules:
        if name in sys.modules or name in CODE:
            continue
        with open(origin, "rb") as f:
            source = f.read()
        CODE[name] = (origin, is_package, compile(source, origin, "exec", dont_inherit=True))
        SIZES[name] = len(source)
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
    return len(CODE)


def precompile_zipped(modules: list[tuple[str, str, bool]]) -> int:
    """Compile standard-library modules the page imported from Pyodide's zip (passed by
    static/pyboot.mjs as (name, __file__, is package)): zipimport has no .pyc there and compiles
    their source at every boot, twice (get_filename, then get_code). Their source is read with
    zipfile, without importing anything (a parent package may touch `js`). Returns how many added."""
    import zipfile

    archives: dict[str, zipfile.ZipFile] = {}
    before = len(CODE)
    for name, origin, is_package in modules:
        if name in sys.modules or name in CODE or ".zip/" not in origin:
            continue
        archive, member = origin.split(".zip/", 1)
        try:
            if archive not in archives:
                archives[archive] = zipfile.ZipFile(archive + ".zip")
            source = archives[archive].read(member)
        except (OSError, KeyError, zipfile.BadZipFile):
            continue
        CODE[name] = (origin, is_package, compile(source, origin, "exec", dont_inherit=True))
    for archive in archives.values():
        archive.close()
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
    return len(CODE) - before


def keep_wheels(folder: str, skip: tuple[str, ...] = ("cellules_fwb-",)) -> int:
    """Keep the bytes of the wheels in `folder` (except our own, whose code is in CODE). Returns bytes kept."""
    for name in sorted(os.listdir(folder)):
        if name.endswith(".whl") and not name.startswith(skip):
            with open(os.path.join(folder, name), "rb") as f:
                WHEELS[name] = f.read()
    return sum(map(len, WHEELS.values()))


def restore_files() -> None:
    """After a snapshot restore: the kept wheels on the file system and on sys.path (zipimport)."""
    os.makedirs(RESTORED_WHEELS, exist_ok=True)
    for name, data in WHEELS.items():
        path = f"{RESTORED_WHEELS}/{name}"
        with open(path, "wb") as f:
            f.write(data)
        if path not in sys.path:
            sys.path.append(path)
    importlib.invalidate_caches()
