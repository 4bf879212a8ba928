"""CLI sync round trips (issue 5): export, import (file, URL, stdin), replace, dry-run, sources, undo."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app.cli import main
from app.serve import make_server

ROOT = Path(__file__).resolve().parents[2]
NODE = json.loads((ROOT / "data" / "fwb_grid.json").read_text())["nodes"][7][0]


def run(capsys, *argv):
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


@pytest.fixture
def peers(tmp_path, capsys):
    paths = {}
    for name in ("Alice", "Bob", "Carla"):
        paths[name] = tmp_path / f"{name}.json"
        assert run(capsys, "init", paths[name], "--name", name)[0] == 0
    return paths


def add(capsys, path, name):
    code, rid, err = run(capsys, "cellule", "add", path, "--name", name, "--node", NODE)
    assert code == 0, err
    return rid


def names(capsys, path):
    return sorted(c["name"] for c in json.loads(run(capsys, "list", path, "--json")[1])["cellules"])


def test_relay_alice_bob_carla_then_drop_source_and_undo(peers, tmp_path, capsys):
    add(capsys, peers["Alice"], "Jardin")
    add(capsys, peers["Bob"], "Vélo")
    out_a = tmp_path / "a.json"
    assert run(capsys, "export", peers["Alice"], "-o", out_a)[0] == 0
    code, out, _ = run(capsys, "import", peers["Bob"], out_a)
    assert code == 0 and "1 ajouté(s)" in out
    out_b = tmp_path / "b.json"
    run(capsys, "export", peers["Bob"], "-o", out_b)
    run(capsys, "import", peers["Carla"], out_b)
    listing = json.loads(run(capsys, "list", peers["Carla"], "--json")[1])["cellules"]
    jardin = next(c for c in listing if c["name"] == "Jardin")
    assert jardin["federated"] and jardin["author"] == "de Alice, via Bob"
    sources = json.loads(run(capsys, "sources", peers["Carla"], "--json")[1])
    assert [(s["name"], s["celluleCount"], s["wouldRemoveCellules"]) for s in sources] == [("Bob", 2, 2)]
    code, out, _ = run(capsys, "drop-source", peers["Carla"], sources[0]["id"])
    assert code == 0 and names(capsys, peers["Carla"]) == []
    assert run(capsys, "undo", peers["Carla"])[0] == 0
    assert names(capsys, peers["Carla"]) == ["Jardin", "Vélo"]
    code, _, err = run(capsys, "undo", peers["Carla"])
    assert code == 1 and "Rien à annuler" in err


def test_import_twice_changes_nothing_and_dry_run_writes_nothing(peers, tmp_path, capsys):
    add(capsys, peers["Alice"], "Jardin")
    out_a = tmp_path / "a.json"
    run(capsys, "export", peers["Alice"], "-o", out_a)
    before = peers["Bob"].read_bytes()
    code, out, _ = run(capsys, "import", peers["Bob"], out_a, "--dry-run")
    assert code == 0 and "new" in out and "Jardin" in out
    assert peers["Bob"].read_bytes() == before
    run(capsys, "import", peers["Bob"], out_a)
    code, out, _ = run(capsys, "import", peers["Bob"], out_a)
    assert "0 ajouté(s), 0 mis à jour" in out


def test_replace_keeps_identity_and_undo_restores(peers, tmp_path, capsys):
    add(capsys, peers["Alice"], "Jardin")
    add(capsys, peers["Bob"], "Vélo")
    bob_id = json.loads(peers["Bob"].read_text())["instanceId"]
    out_a = tmp_path / "a.json"
    run(capsys, "export", peers["Alice"], "-o", out_a)
    code, out, _ = run(capsys, "import", peers["Bob"], out_a, "--replace")
    assert code == 0 and "Remplacement" in out
    doc = json.loads(peers["Bob"].read_text())
    assert doc["instanceId"] == bob_id and doc["instanceName"] == "Bob"
    assert names(capsys, peers["Bob"]) == ["Jardin"]
    run(capsys, "undo", peers["Bob"])
    assert names(capsys, peers["Bob"]) == ["Vélo"]


def test_cellules_only_export_is_light(peers, tmp_path, capsys):
    cid = add(capsys, peers["Alice"], "Jardin")
    run(capsys, "atelier", "add", peers["Alice"], "--cellule", cid, "--title", "t", "--starts", "2026-03-01T10:00:00Z")
    out = tmp_path / "light.json"
    run(capsys, "export", peers["Alice"], "-o", out, "--cellules-only")
    doc = json.loads(out.read_text())
    assert doc["kind"] == "cellules" and doc["ateliers"] == [] and len(doc["cellules"]) == 1


def test_import_from_url_and_from_stdin(peers, tmp_path, capsys):
    add(capsys, peers["Alice"], "Jardin")
    site = tmp_path / "site"
    site.mkdir()
    run(capsys, "export", peers["Alice"], "-o", site / "export.json")
    httpd = make_server(site, port=0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/export.json"
        code, out, err = run(capsys, "import", peers["Bob"], url)
        assert code == 0, err
        assert names(capsys, peers["Bob"]) == ["Jardin"]
        code, _, err = run(capsys, "import", peers["Carla"], url.replace("export.json", "missing.json"))
        assert code == 1 and "404" in err
    finally:
        httpd.stop()
    done = subprocess.run([sys.executable, "-m", "app", "import", str(peers["Carla"]), "-"], cwd=ROOT,
                          input=(site / "export.json").read_bytes(), capture_output=True)
    assert done.returncode == 0, done.stderr
    assert names(capsys, peers["Carla"]) == ["Jardin"]


@pytest.mark.parametrize("content", ['{"version": "2.0"}', "pas du json", '{"version": "1.0"}', ""])
def test_rejected_input_exits_1_and_state_is_untouched(peers, tmp_path, capsys, content):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    before = peers["Bob"].read_bytes()
    code, _, err = run(capsys, "import", peers["Bob"], bad)
    assert code == 1 and err.startswith("erreur :")
    assert peers["Bob"].read_bytes() == before
    assert not (tmp_path / "Bob.json.undo").exists()


def test_non_http_urls_are_refused(peers, capsys):
    code, _, err = run(capsys, "import", peers["Bob"], "file:///etc/passwd")
    assert code == 1 and "http" in err
