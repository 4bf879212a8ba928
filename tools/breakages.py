"""Proof that the test suite catches real bugs: one-line breakages of app/core and app/web, each run
against the tests that should catch it, on a scratch copy of a git revision.

For each breakage: the revision (`--rev`, default HEAD) is copied with `git archive` into a
temporary folder; the breakage's old text must occur exactly once in its file (else this script
stops before running anything); it is replaced; a breakage of app/web, static or index.html builds
the site into the copy's build/site (`python -m tools.build_site`); the checkout's node_modules and
.cache (content-addressed wheels and compressed files) are linked into every copy. Then pytest runs
the breakage's tests from the copy, with PYTHONPATH set to it, so the copy's `app` is imported
(checked before each run: the venv holds an editable install of the main checkout). The `sanity`
breakage changes a constant that a test pins: it can only be caught if the copy's modules are the
ones tested.

By default the union of the selected breakages' tests first runs on an unbroken copy: a breakage is
only CAUGHT by tests that pass without it.

Output, one line per breakage: name, revision, CAUGHT / MISSED (/ ERROR), seconds, first failing test.
Run: `.venv/bin/python -m tools.breakages [--rev REV] [--only NAME[,NAME…]] [--native-only]
[--no-baseline] [--keep]`. Exit status 0 when every breakage run was caught.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
WEB_PREFIXES = ("app/web/", "static/", "index.html")
RUN_TIMEOUT_S = 3600


@dataclass(frozen=True)
class Breakage:
    name: str
    file: str
    old: str
    new: str
    tests: tuple[str, ...]
    what: str

    @property
    def browser(self) -> bool:
        return self.file.startswith(WEB_PREFIXES)


BREAKAGES: tuple[Breakage, ...] = (
    # --- the copy's modules are the ones tested --------------------------------------------------
    Breakage("sanity", "app/core/actions.py",
             "BACKUP_REMIND_AFTER_DAYS = 30 ", "BACKUP_REMIND_AFTER_DAYS = 31 ",
             ("tests/cli/test_cli_words.py",),
             "the backup reminder's threshold, which test_cli_words pins: caught only if the copy is imported"),
    # --- app/core ---------------------------------------------------------------------------------
    Breakage("merge-winner-swapped", "app/core/trust.py",
             "        return remote_stamp > local_stamp\n", "        return remote_stamp < local_stamp\n",
             ("tests/core/test_merge.py",),
             "last-writer-wins picks the older write"),
    Breakage("clock-tick-same-millisecond", "app/core/clock.py",
             "    if last is None or now_ms > last.millis:\n", "    if last is None or now_ms >= last.millis:\n",
             ("tests/core/test_clock.py",),
             "two writes in the same millisecond get the same stamp"),
    Breakage("clock-far-ahead-inverted", "app/core/clock.py",
             "    return stamp.millis > now_ms + MAX_AHEAD_MS\n", "    return stamp.millis < now_ms + MAX_AHEAD_MS\n",
             ("tests/core/test_clock.py",),
             "a stamp is 'too far ahead' when it is not"),
    Breakage("future-limit-loosened", "app/core/trust.py",
             "            if stamp not in held and too_far_ahead(stamp, now_ms):\n",
             "            if stamp not in held and too_far_ahead(stamp, now_ms + 9 * MAX_AHEAD_MS):\n",
             ("tests/core/test_merge.py", "tests/core/test_trust_merge.py", "tests/hostile/test_corpus.py"),
             "a record stamped up to ten days ahead is imported instead of refused alone"),
    Breakage("peer-rewrites-author", "app/core/trust.py",
             "        if remote.origin != local.origin:\n", "        if False:\n",
             ("tests/core/test_trust_merge.py", "tests/hostile/test_corpus.py"),
             "a peer's file can claim another author for a record held here"),
    Breakage("schema-check-skipped", "app/core/schema.py",
             "        _fast_validator()(doc)\n", "        pass\n",
             ("tests/core/test_document.py",),
             "documents are not checked against the JSON schema"),
    Breakage("nesting-limit-off-by-one", "app/core/json_text.py",
             "    if nesting_depth(text) > MAX_DOCUMENT_DEPTH:\n",
             "    if nesting_depth(text) > MAX_DOCUMENT_DEPTH + 1:\n",
             ("tests/core/test_document.py", "tests/hostile/test_limits.py"),
             "one level deeper than the bound reaches the parser"),
    Breakage("name-rule-loosened", "app/core/model.py",
             '    FieldRule("name", "name", "label.name", min_len=1, max_len=120),\n',
             '    FieldRule("name", "name", "label.name", min_len=1, max_len=1200),\n',
             ("tests/core/test_model.py", "tests/core/test_document.py", "tests/cli/test_cli.py"),
             "a cellule's name may be ten times longer than the schema allows"),
    Breakage("too-long-off-by-one", "app/core/model.py",
             "    if rule.max_len and len(value) > rule.max_len:\n",
             "    if rule.max_len and len(value) >= rule.max_len:\n",
             ("tests/core/test_model.py", "tests/hostile/test_limits.py"),
             "a text of exactly the maximum length is refused"),
    Breakage("undo-ignores-one-lost-edit", "app/core/undo.py",
             "    if lost and not force:\n", "    if len(lost) > 1 and not force:\n",
             ("tests/core/test_merge.py", "tests/core/test_undelete.py", "tests/cli/test_cli_sync.py"),
             "an undo that would lose one edit made since goes ahead without asking"),
    Breakage("drop-source-keeps-ateliers", "app/core/merge.py",
             "    gone = set(cellule_ids) | set(atelier_ids)\n", "    gone = set(cellule_ids)\n",
             ("tests/core/test_merge.py", "tests/cli/test_cli_sync.py"),
             "« Supprimer cette source » leaves that peer's ateliers behind"),
    Breakage("sql-quote-not-doubled", "app/core/sql.py",
             """.replace("\\\\", "\\\\\\\\").replace("'", "''") + "'"\n""", """.replace("\\\\", "\\\\\\\\") + "'"\n""",
             ("tests/core/test_sql.py",),
             "a quote in a name ends the SQL string literal"),
    Breakage("french-plural-wrong", "tools/catalogues.py",
             'SOURCE_PLURAL = "(n > 1)"\n', 'SOURCE_PLURAL = "(n != 1)"\n',
             ("tests/core/test_i18n.py", "tests/cli/test_cli_words.py"),
             "French takes English's plural rule: « 0 cellules »"),
    Breakage("csv-formula-not-neutralised", "app/core/formats/csv_export.py",
             """    return "'" + text if text.lstrip("'").startswith(DANGEROUS_START) else text\n""",
             "    return text\n",
             ("tests/core/test_export_formats.py",),
             "a name starting with = runs as a formula in a spreadsheet"),
    Breakage("search-case-sensitive", "app/core/grid.py",
             '    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()\n',
             '    plain = "".join(c for c in decomposed if not unicodedata.combining(c))\n',
             ("tests/core/test_grid_index.py",),
             "« liège » no longer finds Liège"),
    # --- app/web (browser tests) -------------------------------------------------------------------
    Breakage("dom-text-as-html", "app/web/dom.py",
             "            node.appendChild(document.createTextNode(child))\n",
             '            node.insertAdjacentHTML("beforeend", child)\n',
             ("tests/e2e/test_app.py",),
             "user text is inserted as HTML (a name can run a script)"),
    Breakage("reload-not-awaited", "app/web/session.py",
             "                    await self.reload()\n", "                    self.reload()\n",
             ("tests/e2e/test_app.py", "tests/e2e/test_tabs_without_messages.py"),
             "a write after another tab's is made on a stale state (dropped await)"),
    Breakage("journal-undone-off-by-one", "app/web/journal.py",
             "    for i in range(len(entries) - 1, -1, -1):  # oldest first\n",
             "    for i in range(len(entries) - 2, -1, -1):  # oldest first\n",
             ("tests/e2e/test_exchange_view.py",),
             "the journal no longer marks the oldest entry an undo reverted"),
    Breakage("unticked-items-imported", "app/web/views/exchange.py",
             "                if not box.checked}\n", "                if box.checked}\n",
             ("tests/e2e/test_sync.py",),
             "the preview's ticks are read backwards: unticked items are imported, ticked ones left out"),
    Breakage("qr-without-app-link", "app/web/views/qr_dialog.py",
             "        texts = qr.cellule_frames(text, page_url)\n", "        texts = qr.cellule_frames(text, None)\n",
             ("tests/e2e/test_qr.py",),
             "a cellule's QR holds the bare payload, which a phone's camera app cannot open"),
    Breakage("map-zoom-not-at-pointer", "app/web/map.py",
             "        self.tx = sx - (sx - self.tx) * factor\n", "        self.tx = sx - (sx - self.tx) / factor\n",
             ("tests/e2e/test_map.py",),
             "zooming drifts sideways instead of staying under the pointer"),
)


# --- scratch copies -------------------------------------------------------------------------------

def resolve(rev: str) -> str:
    done = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", f"{rev}^{{commit}}"],
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"breakages: unknown revision {rev!r}: {done.stderr.strip()}")
    return done.stdout.strip()


def archive(commit: str) -> bytes:
    return subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", commit], check=True,
                          capture_output=True).stdout


def file_at(tar_bytes: bytes, path: str) -> str | None:
    with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as tar:
        try:
            member = tar.extractfile(path)
        except KeyError:
            return None
        return member.read().decode("utf-8") if member else None


def check_all(breakages: list[Breakage], tar_bytes: bytes, commit: str) -> None:
    """Every old text occurs exactly once in its file at `commit`, or stop before running anything."""
    problems = []
    for b in breakages:
        text = file_at(tar_bytes, b.file)
        count = -1 if text is None else text.count(b.old)
        if count != 1:
            where = "file missing" if count < 0 else f"old text found {count} times"
            problems.append(f"  {b.name}: {b.file}: {where} (expected exactly once): {b.old.strip()!r}")
    if problems:
        raise SystemExit(f"breakages: cannot apply at {commit[:12]}:\n" + "\n".join(problems))


def scratch_copy(tar_bytes: bytes) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="breakage-"))
    with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as tar:
        tar.extractall(folder, filter="data")
    for name in ("node_modules", ".cache"):  # npm packages (site build, Supabase CLI); wheels, compressed files
        if (ROOT / name).exists() and not (folder / name).exists():
            (folder / name).symlink_to(ROOT / name)
    return folder


def apply(folder: Path, b: Breakage) -> None:
    path = folder / b.file
    text = path.read_text("utf-8")
    if text.count(b.old) != 1:
        raise SystemExit(f"breakages: {b.name}: old text not found exactly once in {b.file}")
    path.write_text(text.replace(b.old, b.new), "utf-8")


def environment(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(folder)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def check_imports_copy(folder: Path) -> None:
    """The copy's `app` is the one imported (not the editable install of the main checkout)."""
    done = subprocess.run([str(PYTHON), "-c", "import app, tools; print(app.__file__); print(tools.__file__)"],
                          cwd=folder, env=environment(folder), capture_output=True, text=True, check=True)
    for line in done.stdout.split():
        if not Path(line).resolve().is_relative_to(folder.resolve()):
            raise SystemExit(f"breakages: {line} is imported instead of the scratch copy's module")


def compile_words(folder: Path) -> None:
    """The word catalogues compiled into the copy's app/words (generated, not in git: `make build` makes them)."""
    done = subprocess.run([str(PYTHON), "-m", "tools.catalogues", "compile"], cwd=folder, env=environment(folder),
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"catalogues not compiled:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")


def build_site(folder: Path) -> None:
    done = subprocess.run([str(PYTHON), "-m", "tools.build_site"], cwd=folder, env=environment(folder),
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"site build failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")


FAILED = re.compile(r"^(?:FAILED|ERROR) (.+?)(?: - .*)?$", re.MULTILINE)


def run_tests(folder: Path, tests: tuple[str, ...]) -> tuple[int, str, str]:
    """(pytest's status, the first failing test or '', the output's tail)."""
    try:
        done = subprocess.run([str(PYTHON), "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                              cwd=folder, env=environment(folder), capture_output=True, text=True,
                              timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return -1, "", f"timed out after {RUN_TIMEOUT_S} s"
    out = done.stdout + done.stderr
    first = FAILED.search(out)
    return done.returncode, first.group(1) if first else "", out[-3000:]


# --- runs -----------------------------------------------------------------------------------------

def run_one(tar_bytes: bytes, breakage: Breakage | None, tests: tuple[str, ...], keep: bool) -> tuple[str, float,
                                                                                                      str, str]:
    """(verdict, seconds, first failing test, output tail) of one breakage (None: the unbroken copy)."""
    start = time.monotonic()
    folder = scratch_copy(tar_bytes)
    try:
        if breakage is not None:
            apply(folder, breakage)
        check_imports_copy(folder)
        compile_words(folder)
        if (breakage is not None and breakage.browser) or (breakage is None and any("e2e" in t for t in tests)):
            build_site(folder)
        status, first, tail = run_tests(folder, tests)
    except RuntimeError as exc:
        status, first, tail = -2, "", str(exc)
    finally:
        if keep:
            print(f"  (kept {folder})", flush=True)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    verdict = {0: "MISSED", 1: "CAUGHT"}.get(status, "ERROR")
    return verdict, time.monotonic() - start, first, tail


def select(only: str | None, native_only: bool) -> list[Breakage]:
    chosen = list(BREAKAGES)
    if only:
        names = [n.strip() for n in only.split(",") if n.strip()]
        unknown = sorted(set(names) - {b.name for b in BREAKAGES})
        if unknown:
            raise SystemExit(f"breakages: unknown name(s): {', '.join(unknown)}; known: "
                             + ", ".join(b.name for b in BREAKAGES))
        chosen = [b for b in chosen if b.name in names]
    if native_only:
        chosen = [b for b in chosen if not b.browser]
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default="HEAD", help="git revision to break (default HEAD)")
    parser.add_argument("--only", help="comma-separated breakage names")
    parser.add_argument("--native-only", action="store_true", help="leave out the breakages run by browser tests")
    parser.add_argument("--no-baseline", action="store_true",
                        help="do not first run the selected tests on the unbroken revision")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copies (their paths are printed)")
    parser.add_argument("--list", action="store_true", help="list the breakages and exit")
    args = parser.parse_args(argv)
    chosen = select(args.only, args.native_only)
    if args.list:
        for b in chosen:
            print(f"{b.name:32} {b.file:30} {'browser' if b.browser else 'native':8} {b.what}")
        return 0
    if not chosen:
        raise SystemExit("breakages: nothing selected")
    commit = resolve(args.rev)
    tar_bytes = archive(commit)
    check_all(chosen, tar_bytes, commit)
    rev = commit[:10]
    if not args.no_baseline:
        tests = tuple(dict.fromkeys(t for b in chosen for t in b.tests))
        verdict, seconds, first, tail = run_one(tar_bytes, None, tests, args.keep)
        if verdict != "MISSED":  # the unbroken copy must pass
            print(f"baseline {rev} FAILED {seconds:.0f}s {first}\n{tail}", flush=True)
            return 2
        print(f"{'(unbroken)':32} {rev} passes    {seconds:6.1f}s  {len(tests)} test files", flush=True)
    caught = 0
    for b in chosen:
        verdict, seconds, first, tail = run_one(tar_bytes, b, b.tests, args.keep)
        caught += verdict == "CAUGHT"
        print(f"{b.name:32} {rev} {verdict:9} {seconds:6.1f}s  {first or '-'}", flush=True)
        if verdict == "ERROR":
            print(tail, flush=True)
    print(f"{caught}/{len(chosen)} caught", flush=True)
    return 0 if caught == len(chosen) else 1


if __name__ == "__main__":
    sys.exit(main())
