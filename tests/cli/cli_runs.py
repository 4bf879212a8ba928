"""Running the CLI in the test's process and the lines it prints, shared by the CLI test modules (not a
test module itself)."""

from __future__ import annotations

from app.cli import main
from app.core import i18n, report
from app.core.errors import CellulesError


def run(capsys, *argv) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `python -m app *argv`, argparse's refusals included."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


def ok(capsys, *argv) -> str:
    """The stdout of a command that succeeds and says nothing on stderr."""
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, ""), err
    return out


def summary(action: str, name: str, **counts: int) -> str:
    """The one line the CLI prints after `action` from `name` with these counts (others 0)."""
    return i18n.report_summary("fr", action, name, {k: counts.get(k, 0) for k in report.COUNT_KEYS})


def undone(*, removed: tuple[int, int] = (0, 0), reverted: tuple[int, int] = (0, 0)) -> str:
    """The one line the CLI prints after an undo that removed and put back these (cellules, ateliers)."""
    return i18n.t("m.report.undo_what", "fr", what=report.undone_phrase("fr", removed, reverted))


def line(code: str, **params) -> str:
    """The one error line the CLI prints for `code` with exactly these values."""
    return "erreur : " + " ".join(str(CellulesError(code, **params)).split())
