"""`python -m app export STATE --format csv|geojson|ics -o OUT` (issue 15): the same bytes as the core,
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
    assert code == 0 and "carte.geojson" in out, err
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


@pytest.mark.parametrize(("argv", "words"), [
    (["--format", "csv", "-o", "{tmp}/x.csv"], "--table cellules ou --table ateliers"),
    (["--format", "ics", "--cellule", "nope", "-o", "{tmp}/x.ics"], "Cellule introuvable"),
    (["--format", "geojson", "--cellule", "nope", "-o", "{tmp}/x.geojson"], "--cellule"),
    (["--format", "ics", "--cellules-only", "-o", "{tmp}/x.ics"], "--cellules-only"),
    (["--format", "ics", "-o", "{tmp}/no/such/folder/x.ics"], "écriture de"),
    (["--format", "pdf", "-o", "{tmp}/x.pdf"], "invalid choice"),
])
def test_refusals_are_one_french_line_and_write_nothing(state_file, tmp_path, capsys, argv, words):
    path, _ = state_file
    before = sorted(p.name for p in tmp_path.iterdir())
    code, _, err = run(capsys, "export", str(path), *[a.format(tmp=tmp_path) for a in argv])
    assert code == 1 and words in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_cli_through_python_m_app(state_file, tmp_path):
    path, _ = state_file
    done = subprocess.run([sys.executable, "-m", "app", "export", str(path), "--format", "ics", "-o",
                           str(tmp_path / "a.ics")], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and done.stdout.startswith("exporté : "), done.stderr
