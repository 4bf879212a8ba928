"""Assemble the served site in build/site from the repository and pinned packages.

Theory of operation
-------------------
Nothing vendored is committed. This script takes:
  * the five Pyodide core files from npm `pyodide` (node_modules, pinned by package-lock.json),
  * PyScript's `dist` (no source maps) from npm `@pyscript/core`, and jsQR from npm `jsqr`,
  * the pure-Python wheels of requirements/browser.txt, downloaded by pip with hashes,
  * a wheel of our own `app` package, built here deterministically, with the words compiled from the
    gettext catalogues of locale/ into app/words/*.json (tools/catalogues.py),
and writes build/site/ with:
  * pyodide/pyodide-lock.json rewritten to list *only* the wheels we ship (right sha256), so that
    `loadPackage` (PyScript `packages_cache = "passthrough"`) never looks anything up on a CDN;
  * pyscript.json, the PyScript config naming the local interpreter and the packages;
  * service-worker.js with a generated precache list: every file with its SRI hash, and a cache
    version derived from all the hashes. The worker installs the list with `fetch(..., {integrity})`
    so a half-deployed site can never be cached as a mixed set;
  * `name.gz` and `name.br` next to every file that compresses well: `app serve` (and
    any static host configured as docs/hosting.md says) sends them with `Content-Encoding`. They
    are not in the precache list: SRI is over the decoded body, which is the original file.
    Brotli at quality 11 takes about a minute on the Pyodide wasm, so compressed bytes are cached
    in .cache/compressed by the digest of their input.

Run: `python -m tools.build_site [--out build/site] [--version-tag TAG]`.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tools.catalogues import compile_words, compiled

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
CACHE = ROOT / ".cache" / "wheels"

PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
# Files of the repository copied as they are (relative to ROOT).
SITE_FILES = ("static", "data/fwb_grid.json", "data/fwb_map.json")
APP_WHEEL_NAME = "cellules_fwb"
# Browser packages loaded at boot, by their lock names (dependencies follow from "depends").
BOOT_PACKAGES = ("cellules-fwb",)
# Compressed variants: files of at least this size, kept only if they save at least COMPRESS_GAIN.
COMPRESS_MIN_BYTES = 1024
COMPRESS_GAIN = 0.10
COMPRESSED_SUFFIXES = (".gz", ".br")
COMPRESS_CACHE = ROOT / ".cache" / "compressed"
# Fixed timestamp for reproducible zip entries.
ZIP_DATE = (2026, 1, 1, 0, 0, 0)


def sri(data: bytes) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode()


def _compressed(data: bytes, encoding: str) -> bytes | None:
    """`data` gzip- or brotli-compressed at the highest level (cached by content digest), or None
    when brotli is not installed."""
    key = COMPRESS_CACHE / f"{hashlib.sha256(data).hexdigest()}.{encoding}"
    if key.exists():
        return key.read_bytes()
    if encoding == "gz":
        out = gzip.compress(data, 9, mtime=0)
    else:
        try:
            import brotli
        except ImportError:  # optional: gzip alone still halves the first visit
            return None
        out = brotli.compress(data, quality=11)
    COMPRESS_CACHE.mkdir(parents=True, exist_ok=True)
    tmp = key.with_suffix(f".tmp{os.getpid()}")
    tmp.write_bytes(out)
    tmp.replace(key)
    return out


def _compress_file(job: tuple[Path, str]) -> tuple[Path, str, bytes | None]:
    path, encoding = job
    return path, encoding, _compressed(path.read_bytes(), encoding)


def write_compressed(out: Path) -> int:
    """Write name.gz / name.br next to each file of `out` that they make at least 10 % smaller.
    Returns how many were written. Files not in the cache are compressed on every core, largest
    first (brotli at quality 11 on the wasm module is most of a fresh build)."""
    paths = [p for p in out.rglob("*") if p.is_file() and not p.name.endswith(COMPRESSED_SUFFIXES)
             and p.stat().st_size >= COMPRESS_MIN_BYTES]
    jobs = [(p, encoding) for p in sorted(paths, key=lambda p: -p.stat().st_size) for encoding in ("gz", "br")]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # zlib and brotli release the GIL
        results = list(pool.map(_compress_file, jobs))
    written = 0
    for path, encoding, packed in results:
        if packed is not None and len(packed) <= path.stat().st_size * (1 - COMPRESS_GAIN):
            path.with_name(f"{path.name}.{encoding}").write_bytes(packed)
            written += 1
    return written


def read_requirements(path: Path) -> list[tuple[str, str]]:
    """(name, version) pairs of a hashed requirements file."""
    pins = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        spec = line.split()[0]
        name, version = spec.split("==")
        pins.append((name, version))
    return pins


def wheel_dist_name(name: str) -> str:
    return name.replace("-", "_").lower()


def download_wheels(requirements: Path, dest: Path, python_version: str = "3.14") -> list[Path]:
    """pip download the pinned pure wheels (hash-checked) unless already cached."""
    dest.mkdir(parents=True, exist_ok=True)
    pins = read_requirements(requirements)

    def find(name: str, version: str) -> Path | None:
        prefix = f"{wheel_dist_name(name)}-{version}-"
        hits = [p for p in dest.glob("*.whl") if p.name.lower().startswith(prefix)]
        return hits[0] if hits else None

    if any(find(n, v) is None for n, v in pins):
        cmd = [
            sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--require-hashes",
            "--only-binary=:all:", "--python-version", python_version, "--implementation", "py",
            "--abi", "none", "--platform", "any", "-d", str(dest), "-r", str(requirements),
        ]
        subprocess.run(cmd, check=True)
    wheels = []
    for name, version in pins:
        path = find(name, version)
        if path is None:
            raise SystemExit(f"wheel for {name}=={version} missing after download")
        wheels.append(path)
    return wheels


def wheel_metadata(path: Path) -> tuple[str, str, list[str], list[str]]:
    """(name, version, requires, top-level imports) read from a wheel."""
    with zipfile.ZipFile(path) as zf:
        meta_name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        meta = zf.read(meta_name).decode()
        tops = sorted(
            {
                n.split("/")[0].removesuffix(".py")
                for n in zf.namelist()
                if not n.split("/")[0].endswith((".dist-info", ".data"))
                and (n.endswith(".py") or "/" in n)
            }
        )
    name = version = ""
    requires = []
    for line in meta.splitlines():
        if line.startswith("Name: "):
            name = line[6:].strip()
        elif line.startswith("Version: "):
            version = line[9:].strip()
        elif line.startswith("Requires-Dist: ") and "extra ==" not in line:
            req = line[15:].split(";")[0].strip()
            marker = line.split(";", 1)[1] if ";" in line else ""
            if "python_version <" in marker or "implementation_name ==" in marker:
                continue
            for sep in "<>=!~[ (":
                req = req.split(sep)[0]
            requires.append(req.strip().lower())
        elif line == "":
            break
    return name, version, requires, tops


def build_app_wheel(dest: Path, version: str, build_id: str) -> Path:
    """A minimal, reproducible wheel of the `app` package (pure Python + schema).

    It carries `app/_build.py` naming the build, so a page can prove its Python came from the same
    build as its HTML and its service worker."""
    dist = f"{APP_WHEEL_NAME}-{version}.dist-info"
    out = dest / f"{APP_WHEEL_NAME}-{version}-py3-none-any.whl"
    files: list[tuple[str, bytes]] = []
    for path in sorted((ROOT / "app").rglob("*")):
        if path.is_dir() or "__pycache__" in path.parts or path.suffix not in (".py", ".json"):
            continue
        files.append((path.relative_to(ROOT).as_posix(), path.read_bytes()))
    build_py = f'"""Written by tools/build_site.py."""\n\nBUILD = {build_id!r}\n'
    files.append(("app/_build.py", build_py.encode()))
    files.append((f"{dist}/METADATA", f"Metadata-Version: 2.1\nName: cellules-fwb\nVersion: {version}\n".encode()))
    files.append((f"{dist}/WHEEL",
                  b"Wheel-Version: 1.0\nGenerator: tools.build_site\nRoot-Is-Purelib: true\nTag: py3-none-any\n"))
    files.append((f"{dist}/top_level.txt", b"app\n"))
    record = []
    for name, data in files:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append(f"{dist}/RECORD,,")
    files.append((f"{dist}/RECORD", ("\n".join(record) + "\n").encode()))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return out


def lock_entry(path: Path, depends: list[str], imports: list[str]) -> dict:
    name, version, _, _ = wheel_metadata(path)
    return {
        "name": name.lower(),
        "version": version,
        "file_name": path.name,
        "install_dir": "site",
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "package_type": "package",
        "imports": imports,
        "depends": depends,
        "unvendored_tests": False,
        "tool": {},
    }


def write_lock(pyodide_dir: Path, wheels: list[Path]) -> list[str]:
    """Rewrite pyodide-lock.json so it lists exactly the wheels we ship."""
    upstream = json.loads((NODE / "pyodide" / "pyodide-lock.json").read_text())
    names = {wheel_metadata(w)[0].lower() for w in wheels}
    packages = {}
    for wheel in wheels:
        name, _, requires, tops = wheel_metadata(wheel)
        depends = sorted(r for r in requires if r in names)
        packages[name.lower()] = lock_entry(wheel, depends, tops)
    lock = {"info": upstream["info"], "packages": dict(sorted(packages.items()))}
    (pyodide_dir / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")
    return sorted(packages)


def copy_tree(src: Path, dst: Path, skip_suffixes: tuple[str, ...] = ()) -> None:
    for path in sorted(src.rglob("*")):
        if path.is_dir() or path.suffix in skip_suffixes or "__pycache__" in path.parts:
            continue
        target = dst / path.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def app_version() -> str:
    for line in (ROOT / "pyproject.toml").read_text().splitlines():
        if line.startswith("version = "):
            return line.split('"')[1]
    raise SystemExit("no version in pyproject.toml")


# What a build is made of: its id is the digest of these (or the tag a test gives).
BUILD_INPUTS = ("app", "static", "index.html", "service-worker.js", "package-lock.json", "requirements/browser.txt",
                "data/fwb_grid.json", "data/fwb_map.json", "tools/build_site.py")


def input_digest() -> str:
    h = hashlib.sha256()
    for rel in BUILD_INPUTS:
        src = ROOT / rel
        if src.is_dir():
            paths = sorted(p for p in src.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        else:
            paths = [src]
        for path in paths:
            h.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:12]


BOOT_WORDS = "/* BOOT_WORDS */ null"  # static/boot.js: where its words are written
BOOT_KEY = re.compile(r"""\bword\(["']([\w.]+)["']""")


def boot_words(script: str, catalogues: dict[str, dict]) -> dict[str, dict[str, str]]:
    """Language -> {key: template} for every key static/boot.js names (`word("page.boot_slow")`), from the
    catalogues (tools.catalogues.compiled()); a language without a key leaves it out (boot.js then shows the
    French). A key the French catalogue lacks stops the build."""
    keys = sorted(set(BOOT_KEY.findall(script)))
    missing = [key for key in keys if not isinstance(catalogues["fr"]["messages"].get(key), str)]
    if missing:
        raise SystemExit(f"static/boot.js names words the catalogues lack (locale/cellules.pot): {missing}")
    return {lang: {key: data["messages"][key] for key in keys if isinstance(data["messages"].get(key), str)}
            for lang, data in sorted(catalogues.items())}


def with_boot_words(script: str, catalogues: dict[str, dict]) -> str:
    """static/boot.js with its words (boot_words) written where it reads them."""
    if script.count(BOOT_WORDS) != 1:
        raise SystemExit(f"static/boot.js must hold {BOOT_WORDS!r} once: where its words are written")
    return script.replace(BOOT_WORDS, json.dumps(boot_words(script, catalogues), ensure_ascii=False, sort_keys=True))


def build(out: Path, version_tag: str | None = None) -> dict:
    if not (NODE / "pyodide" / "pyodide.mjs").exists():
        raise SystemExit("node_modules is missing: run `npm ci` (make build does it)")
    compile_words()  # the catalogues (locale/) -> app/words/*.json, read by app.core.i18n (before the digest)
    version = app_version()
    build_id = f"{version}+{version_tag or input_digest()}"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)

    pyodide_dir = out / "pyodide"
    pyodide_dir.mkdir()
    for name in PYODIDE_FILES:
        shutil.copyfile(NODE / "pyodide" / name, pyodide_dir / name)
    wheels = []
    for wheel in download_wheels(ROOT / "requirements" / "browser.txt", CACHE / "browser"):
        shutil.copyfile(wheel, pyodide_dir / wheel.name)
        wheels.append(pyodide_dir / wheel.name)
    # Our own package depends on every browser wheel, so loading it loads them all.
    app_wheel = build_app_wheel(pyodide_dir, version, build_id)
    lock_packages = write_lock(pyodide_dir, wheels)
    lock = json.loads((pyodide_dir / "pyodide-lock.json").read_text())
    lock["packages"]["cellules-fwb"] = lock_entry(app_wheel, lock_packages, ["app"])
    lock["packages"] = dict(sorted(lock["packages"].items()))
    (pyodide_dir / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")

    copy_tree(NODE / "@pyscript" / "core" / "dist", out / "pyscript", skip_suffixes=(".map",))
    vendor = out / "static" / "vendor"
    vendor.mkdir(parents=True)
    shutil.copyfile(NODE / "jsqr" / "dist" / "jsQR.js", vendor / "jsQR.js")
    for rel in SITE_FILES:
        src = ROOT / rel
        if src.is_dir():
            copy_tree(src, out / rel)
        elif src.exists():
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, out / rel)
    shutil.copyfile(ROOT / "static" / "manifest.webmanifest", out / "manifest.webmanifest")
    boot = out / "static" / "boot.js"
    boot.write_text(with_boot_words(boot.read_text("utf-8"), compiled()), "utf-8")

    config = {
        # Our wrapper of loadPyodide: restores a memory snapshot of this build when one is stored.
        "interpreter": "./static/pyboot.mjs",
        "packages": list(BOOT_PACKAGES),
        "packages_cache": "passthrough",
    }
    (out / "pyscript.json").write_text(json.dumps(config, indent=1) + "\n")

    # The precache list: every served file with its SRI hash (the worker and index are added last).
    precache: list[tuple[str, str]] = []
    for path in sorted(out.rglob("*")):
        if path.is_file():
            precache.append(("./" + path.relative_to(out).as_posix(), sri(path.read_bytes())))

    index = (ROOT / "index.html").read_text().replace("__BUILD_ID__", build_id)
    (out / "index.html").write_text(index)
    index_sri = sri(index.encode())
    precache.append(("./", index_sri))
    precache.append(("./index.html", index_sri))
    precache.sort()

    worker = (ROOT / "service-worker.js").read_text()
    worker = worker.replace("__BUILD_ID__", build_id).replace(
        "__PRECACHE__", json.dumps(precache, indent=0).replace("\n", "")
    )
    (out / "service-worker.js").write_text(worker)
    (out / "build.json").write_text(json.dumps({"build": build_id, "files": len(precache)}) + "\n")
    compressed = write_compressed(out)
    return {"build": build_id, "files": len(precache), "compressed": compressed, "out": str(out)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site")
    parser.add_argument("--version-tag", help="label this build (tests deploy two different builds)")
    args = parser.parse_args(argv)
    # The wheels that run the test-suite inside Pyodide (tests/pyodide/run.mjs); not served.
    download_wheels(ROOT / "requirements" / "pyodide-tests.txt", CACHE / "pyodide-tests")
    info = build(args.out, args.version_tag)
    size = sum(p.stat().st_size for p in Path(info["out"]).rglob("*")
               if p.is_file() and not p.name.endswith(COMPRESSED_SUFFIXES))
    print(f"built {info['out']} ({info['files']} files, {size / 1e6:.1f} MB, {info['compressed']} compressed "
          f"variants), build {info['build']}")
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    raise SystemExit(main())
