"""`python -m app export STATE --format csv|geojson|ics -o OUT`: the same bytes as the core,
clear French refusals, STATE left byte-identical."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from format_samples import sample

from app.cli import main
from app.core import document
from app.core.errors import CellulesError
from app.core.i18n import words

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


@pytest.fixture
def state_file(tmp_path):
    state, ids = sample()
    path = tmp_path / "state.json"
    path.write_text(document.dumps_state(state, now_ms=1_769_700_000_000), "utf-8")
    return path, ids


def test_each_format_writes_its_file_and_leaves_state_untouched(state_file, tmp_path, capsys):
    path, ids = state_file
    before = path.read_bytes()
    code, out, err = run(capsys, "export", str(path), "--format", "geojson", "-o", str(tmp_path / "carte.geojson"))
    size = (tmp_path / "carte.geojson").stat().st_size
    assert (code, out, err) == (0, f"exporté : {tmp_path / 'carte.geojson'} (geojson, {size} octets)", "")
    doc = json.loads((tmp_path / "carte.geojson").read_text("utf-8"))
    assert doc["type"] == "FeatureCollection" and ids["velo"] in {f["id"] for f in doc["features"]}

    code, out, err = run(capsys, "export", str(path), "--format", "ics", "-o", str(tmp_path / "agenda.ics"))
    assert code == 0, err
    ics = (tmp_path / "agenda.ics").read_bytes()
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n") and f"UID:{ids['ete']}@cellules-fwb".encode() in ics

    code, _, err = run(capsys, "export", str(path), "--format", "ics", "--cellule", ids["bob"], "-o",
                       str(tmp_path / "bob.ics"))
    assert code == 0 and b"VEVENT" not in (tmp_path / "bob.ics").read_bytes(), err  # Bob's cellule has none

    code, _, err = run(capsys, "export", str(path), "--format", "csv", "--table", "ateliers", "-o",
                       str(tmp_path / "ateliers.csv"))
    assert code == 0 and (tmp_path / "ateliers.csv").read_bytes().startswith(b'\xef\xbb\xbf"Titre";'), err

    code, _, err = run(capsys, "export", str(path), "--format", "csv", "-o", str(tmp_path / "tableur.zip"))
    assert code == 0, err
    with zipfile.ZipFile(io.BytesIO((tmp_path / "tableur.zip").read_bytes())) as zf:
        assert zf.namelist() == ["cellules.csv", "ateliers.csv"]
        assert zf.read("ateliers.csv") == (tmp_path / "ateliers.csv").read_bytes()
    assert path.read_bytes() == before  # an open-format export is not a backup: STATE is not rewritten


def line(code: str, **params) -> str:
    """The one line the CLI prints for the error `code` with exactly these values."""
    return "erreur : " + " ".join(str(CellulesError(code, **params)).split())


def _not_with(flag: str, fmt: str) -> str:
    return line("field.format", label=flag, label_en=flag, detail=f"pas avec --format {fmt}")


@pytest.mark.parametrize(("argv", "expected"), [
    (["--format", "csv", "-o", "{tmp}/x.csv"],
     lambda tmp: line("field.required", label="--table cellules ou --table ateliers (ou un fichier .zip pour les deux)",
                      label_en="--table cellules or --table ateliers (or a .zip file for both)")),
    (["--format", "ics", "--cellule", "nope", "-o", "{tmp}/x.ics"],
     lambda tmp: line("record.unknown", kind=words("label.record.cellule"), id="nope")),
    (["--format", "geojson", "--cellule", "nope", "-o", "{tmp}/x.geojson"], lambda tmp: _not_with("--cellule",
                                                                                                  "geojson")),
    (["--format", "ics", "--cellules-only", "-o", "{tmp}/x.ics"], lambda tmp: _not_with("--cellules-only", "ics")),
    (["--format", "ics", "-o", "{tmp}/no/such/folder/x.ics"],
     lambda tmp: line("field.format", label="-o", label_en="-o",
                      detail=f"écriture de « {tmp}/no/such/folder/x.ics » impossible (No such file or directory)")),
])
def test_refusals_are_one_french_line_and_write_nothing(state_file, tmp_path, capsys, argv, expected):
    path, _ = state_file
    before = sorted(p.name for p in tmp_path.iterdir())
    assert run(capsys, "export", str(path), *[a.format(tmp=tmp_path) for a in argv]) == (1, "", expected(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_an_unknown_format_is_refused_by_the_parser_and_writes_nothing(state_file, tmp_path, capsys):
    path, _ = state_file
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run(capsys, "export", str(path), "--format", "pdf", "-o", str(tmp_path / "x.pdf"))
    assert (code, out) == (1, "")
    *usage, last = err.splitlines()
    assert usage[0] == "utilisation\u00a0: python -m app export [-h] [-o SORTIE] [--cellules-only]"
    assert last == ("erreur : argument --format\u00a0: choix impossible\u00a0: «\u00a0pdf\u00a0» (au choix\u00a0: "
                    "'json', 'csv', 'geojson', 'ics')")
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_cli_through_python_m_app(state_file, tmp_path):
    path, _ = state_file
    done = subprocess.run([sys.executable, "-m", "app", "export", str(path), "--format", "ics", "-o",
                           str(tmp_path / "a.ics")], capture_output=True, text=True, cwd=ROOT)
    size = (tmp_path / "a.ics").stat().st_size
    assert (done.returncode, done.stdout, done.stderr) == (0, f"exporté : {tmp_path / 'a.ics'} (ics, {size} octets)\n",
                                                           "")
