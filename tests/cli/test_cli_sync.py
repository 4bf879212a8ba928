"""CLI sync round trips: export, import (file, URL, stdin), replace, dry-run, sources, undo."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from cli_runs import line, ok, run, summary, undone

from app.core import i18n, merge
from app.serve import make_server

ROOT = Path(__file__).resolve().parents[2]
NODE = json.loads((ROOT / "data" / "fwb_grid.json").read_text())["nodes"][7][0]

pytestmark = pytest.mark.usefixtures("cli_clock")


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
    assert run(capsys, "import", peers["Bob"], out_a) == (0, summary("merge", "Alice", added=1), "")
    out_b = tmp_path / "b.json"
    run(capsys, "export", peers["Bob"], "-o", out_b)
    run(capsys, "import", peers["Carla"], out_b)
    listing = json.loads(run(capsys, "list", peers["Carla"], "--json")[1])["cellules"]
    jardin = next(c for c in listing if c["name"] == "Jardin")
    assert jardin["federated"] and jardin["author"] == "par Alice, via Bob"
    sources = json.loads(run(capsys, "sources", peers["Carla"], "--json")[1])
    assert [(s["name"], s["celluleCount"], s["wouldRemoveCellules"]) for s in sources] == [("Bob", 2, 2)]
    assert run(capsys, "drop-source", peers["Carla"], sources[0]["id"]) == (0, summary("drop-source", "Bob",
                                                                                       removed=2), "")
    assert names(capsys, peers["Carla"]) == []
    assert run(capsys, "undo", peers["Carla"]) == (0, undone(reverted=(2, 0)), "")
    assert names(capsys, peers["Carla"]) == ["Jardin", "Vélo"]
    assert run(capsys, "undo", peers["Carla"]) == (1, "", line("undo.nothing"))


def test_import_twice_changes_nothing_and_dry_run_writes_nothing(peers, tmp_path, capsys):
    add(capsys, peers["Alice"], "Jardin")
    out_a = tmp_path / "a.json"
    run(capsys, "export", peers["Alice"], "-o", out_a)
    before = peers["Bob"].read_bytes()
    jardin = json.loads(out_a.read_text())["cellules"][0]["id"]
    assert run(capsys, "import", peers["Bob"], out_a, "--dry-run") == (0, "\n".join([
        f"new       cellule  {jardin}  Jardin", f"1 {i18n.t('m.status.new')}", i18n.t("cli.dry_run")]), "")
    assert peers["Bob"].read_bytes() == before
    assert run(capsys, "import", peers["Bob"], out_a) == (0, summary("merge", "Alice", added=1), "")
    assert run(capsys, "import", peers["Bob"], out_a) == (0, i18n.t("jr.nothing_new", summary=summary(
        "merge", "Alice", unchanged=1)), "")


def test_an_import_that_changes_nothing_keeps_the_undo_of_the_last_import_that_did(peers, tmp_path, capsys):
    for name in ("Jardin", "Vélo", "Cuisine", "Lecture", "Couture", "Échecs"):
        add(capsys, peers["Alice"], name)
    add(capsys, peers["Bob"], "Chorale")
    out_a = tmp_path / "a.json"
    run(capsys, "export", peers["Alice"], "-o", out_a)
    assert run(capsys, "import", peers["Bob"], out_a) == (0, summary("merge", "Alice", added=6), "")
    state, stored_undo = peers["Bob"].read_bytes(), (tmp_path / "Bob.json.undo").read_bytes()
    assert run(capsys, "import", peers["Bob"], out_a) == (
        0, i18n.t("jr.nothing_new", summary=summary("merge", "Alice", unchanged=6)), "")
    assert peers["Bob"].read_bytes() == state and (tmp_path / "Bob.json.undo").read_bytes() == stored_undo
    journal = [json.loads(x) for x in (tmp_path / "Bob.json.journal.jsonl").read_text("utf-8").splitlines()]
    assert [(e["action"], e.get("nothingNew", False)) for e in journal] == [("merge", False), ("merge", True)]
    assert run(capsys, "undo", peers["Bob"]) == (0, undone(removed=(6, 0)), "")
    assert names(capsys, peers["Bob"]) == ["Chorale"]
    assert run(capsys, "undo", peers["Bob"]) == (1, "", line("undo.nothing"))


def test_replace_keeps_identity_and_undo_restores(peers, tmp_path, capsys):
    add(capsys, peers["Alice"], "Jardin")
    add(capsys, peers["Bob"], "Vélo")
    bob_id = json.loads(peers["Bob"].read_text())["instanceId"]
    out_a = tmp_path / "a.json"
    run(capsys, "export", peers["Alice"], "-o", out_a)
    assert run(capsys, "import", peers["Bob"], out_a, "--replace") == (0, summary("replace", "Alice", added=1,
                                                                                 removed=1), "")
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
        missing = url.replace("export.json", "missing.json")
        assert run(capsys, "import", peers["Carla"], missing) == (1, "", line("url.http", url=missing, status=404))
    finally:
        httpd.stop()
    done = subprocess.run([sys.executable, "-m", "app", "import", str(peers["Carla"]), "-"], cwd=ROOT,
                          input=(site / "export.json").read_bytes(), capture_output=True)
    assert done.returncode == 0, done.stderr
    assert names(capsys, peers["Carla"]) == ["Jardin"]


@pytest.mark.parametrize(("content", "expected"), [
    ('{"version": "2.0"}', line("doc.not_object")),  # a version and nothing of ours: another program's file
    ("pas du json", line("payload.prefix")),
    ('{"version": "1.0"}', line("doc.schema", where="document", detail=i18n.words("d.required_field",
                                                                                  name="instanceId"))),
    ("", line("doc.empty")),
])
def test_rejected_input_exits_1_and_state_is_untouched(peers, tmp_path, capsys, content, expected):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    before = peers["Bob"].read_bytes()
    assert run(capsys, "import", peers["Bob"], bad) == (1, "", expected)
    assert peers["Bob"].read_bytes() == before
    assert not (tmp_path / "Bob.json.undo").exists()


def test_non_http_urls_are_refused(peers, capsys):
    assert run(capsys, "import", peers["Bob"], "file:///etc/passwd") == (1, "", line("url.scheme",
                                                                                      url="file:///etc/passwd"))


# --- merge semantics through the CLI ------------------------------------------------------------

def dry_run_json(capsys, state, source, *extra):
    code, out, err = run(capsys, "import", state, source, "--dry-run", "--json", *extra)
    assert code == 0, err
    return json.loads(out)


def test_dry_run_json_shows_conflicts_with_the_side_that_keeps_each_field_and_refused_records(peers, tmp_path,
                                                                                              capsys):
    cid = add(capsys, peers["Alice"], "Jardin")
    out_a = tmp_path / "a.json"
    run(capsys, "export", peers["Alice"], "-o", out_a)
    run(capsys, "import", peers["Bob"], out_a)
    run(capsys, "cellule", "edit", peers["Alice"], cid, "--description", "version d'Alice")
    run(capsys, "cellule", "edit", peers["Bob"], cid, "--description", "version de Bob")  # later: Bob wins
    run(capsys, "export", peers["Alice"], "-o", out_a)
    doc = json.loads(out_a.read_text())
    future = dict(doc["cellules"][0], id="cfuture", name="Du futur")
    future["sync"] = {"clock": "2999-01-01T00:00:00.000Z-0000-" + doc["instanceId"]}
    future["updatedAt"] = "2999-01-01T00:00:00.000Z"
    doc["cellules"].append(future)
    out_a.write_text(json.dumps(doc))
    before = peers["Bob"].read_bytes()
    preview = dry_run_json(capsys, peers["Bob"], out_a)
    assert peers["Bob"].read_bytes() == before
    items = {i["id"]: i for i in preview["items"]}
    assert items[cid]["status"] == "conflict"
    assert items[cid]["changes"] == [{"field": "description", "old": "version de Bob", "new": "version d'Alice",
                                      "conflict": True, "winner": "local"}]
    assert items["cfuture"]["status"] == "refused" and items["cfuture"]["reason"] == "clock.future"
    assert items["cfuture"]["message"] == i18n.t("m.reason.clock.future", value=future["sync"]["clock"])
    assert preview["counts"]["conflict"] == 1 and preview["counts"]["refused"] == 1
    assert run(capsys, "import", peers["Bob"], out_a) == (0, summary("merge", "Alice", conflicts=1, refused=1),
                                                          "")  # the rest imports
    assert names(capsys, peers["Bob"]) == ["Jardin"]


def test_dry_run_json_of_replace_lists_what_would_be_removed(peers, tmp_path, capsys):
    add(capsys, peers["Alice"], "Jardin")
    velo = add(capsys, peers["Bob"], "Vélo")
    out_a = tmp_path / "a.json"
    run(capsys, "export", peers["Alice"], "-o", out_a)
    preview = dry_run_json(capsys, peers["Bob"], out_a, "--replace")
    assert preview["mode"] == "replace" and preview["counts"]["removed"] == 1 and preview["counts"]["new"] == 1
    assert [i["id"] for i in preview["items"] if i["status"] == "removed"] == [velo]


def test_a_file_from_this_very_instance_is_refused(peers, tmp_path, capsys):
    add(capsys, peers["Alice"], "Jardin")
    own = tmp_path / "own.json"
    run(capsys, "export", peers["Alice"], "-o", own)
    before = peers["Alice"].read_bytes()
    alice = json.loads(own.read_text())["instanceId"]
    for extra in ((), ("--replace",)):
        assert run(capsys, "import", peers["Alice"], own, *extra) == (
            1, "", "erreur : " + " ".join(str(merge.MergeError("import.self", id=alice, name="Alice")).split()))
    assert peers["Alice"].read_bytes() == before


def test_undo_reverts_only_the_import_and_keeps_a_cellule_created_after(peers, tmp_path, capsys):
    add(capsys, peers["Alice"], "Jardin")
    add(capsys, peers["Bob"], "Vélo")
    out_a = tmp_path / "a.json"
    run(capsys, "export", peers["Alice"], "-o", out_a)
    run(capsys, "import", peers["Bob"], out_a)
    undo_doc = json.loads((tmp_path / "Bob.json.undo").read_text())
    assert undo_doc["format"] == "cellules-fwb-undo" and len(undo_doc["records"]) == 1  # only what it changed
    add(capsys, peers["Bob"], "Créée après l'import")
    code, out, err = run(capsys, "undo", peers["Bob"])
    assert code == 0, err
    assert names(capsys, peers["Bob"]) == ["Créée après l'import", "Vélo"]
    assert json.loads(run(capsys, "sources", peers["Bob"], "--json")[1]) == []


def test_undo_that_would_lose_an_edit_made_since_says_it_and_needs_force(peers, tmp_path, capsys):
    jardin = add(capsys, peers["Alice"], "Jardin")
    out_a = tmp_path / "a.json"
    run(capsys, "export", peers["Alice"], "-o", out_a)
    run(capsys, "import", peers["Bob"], out_a)
    run(capsys, "cellule", "edit", peers["Bob"], jardin, "--description", "complétée chez Bob")
    before = peers["Bob"].read_bytes()
    lost = merge.MergeError("undo.would_lose", n=1, what=(i18n.words("d.quoted", text="Jardin"),))
    assert run(capsys, "undo", peers["Bob"]) == (1, "", "\n".join([  # what would be lost, then the refusal
        i18n.t("m.undo.lost_field", kind="cellule", id=jardin, label="Jardin", field="description",
               value=repr("complétée chez Bob")),
        "erreur : " + " ".join(str(lost).split())]))
    assert peers["Bob"].read_bytes() == before and (tmp_path / "Bob.json.undo").exists()
    code, _, err = run(capsys, "undo", peers["Bob"], "--force")
    assert code == 0, err
    assert names(capsys, peers["Bob"]) == []


def test_an_older_whole_state_undo_snapshot_still_undoes(peers, tmp_path, capsys):
    before = peers["Bob"].read_text()
    add(capsys, peers["Bob"], "Vélo")
    (tmp_path / "Bob.json.undo").write_text(before)
    assert run(capsys, "undo", peers["Bob"])[0] == 0
    assert names(capsys, peers["Bob"]) == []


def test_init_from_a_backup_restores_as_yourself_on_a_new_device(peers, tmp_path, capsys):
    add(capsys, peers["Alice"], "Jardin")
    add(capsys, peers["Bob"], "Vélo")
    out_b = tmp_path / "b.json"
    run(capsys, "export", peers["Bob"], "-o", out_b)
    run(capsys, "import", peers["Alice"], out_b)
    backup = tmp_path / "backup.json"
    run(capsys, "export", peers["Alice"], "-o", backup)
    phone = tmp_path / "phone.json"
    code, out, err = run(capsys, "init", phone, "--from", backup)
    alice = json.loads(peers["Alice"].read_text())
    assert code == 0 and out == alice["instanceId"], err
    listing = json.loads(run(capsys, "list", phone, "--json")[1])
    assert listing["instanceName"] == "Alice"
    flags = {c["name"]: (c["federated"], c["author"]) for c in listing["cellules"]}
    assert flags == {"Jardin": (False, "par Alice"), "Vélo": (True, "par Bob")}
    assert [s["name"] for s in json.loads(run(capsys, "sources", phone, "--json")[1])] == ["Bob"]
    device = json.loads(phone.read_text())["sync"]["device"]
    assert device != alice["instanceId"]
    cid = add(capsys, phone, "Sur le nouveau téléphone")
    record = next(c for c in json.loads(phone.read_text())["cellules"] if c["id"] == cid)
    assert record["origin"] == alice["instanceId"] and record["sync"]["clock"].endswith(device)
    missing = str(out_b.parent / "missing.json")
    assert run(capsys, "init", tmp_path / "other.json", "--from", missing) == (
        1, "", line("doc.schema", where=missing, detail="fichier introuvable"))
    assert not (tmp_path / "other.json").exists()


def test_the_backup_of_my_other_device_imports_as_such_and_its_undo_says_so(peers, tmp_path, capsys, monkeypatch):
    """A phone restored from the group's backup, then a later backup of the computer: the CLI names it
    « votre autre appareil » and stores that with the undo (what a browser reading it would say)."""
    cid = add(capsys, peers["Alice"], "Jardin")
    backup = tmp_path / "backup.json"
    run(capsys, "export", peers["Alice"], "-o", backup)
    phone = tmp_path / "phone.json"
    assert run(capsys, "init", phone, "--from", backup)[0] == 0
    assert run(capsys, "cellule", "edit", peers["Alice"], cid, "--name", "Jardin partagé")[0] == 0
    later = tmp_path / "later.json"
    run(capsys, "export", peers["Alice"], "-o", later)
    assert ok(capsys, "import", phone, later).splitlines()[0] == (
        "Fusion depuis votre autre appareil\u00a0: 0 ajouté, 1 mis à jour, 0 inchangé, 0 conflit résolu, "
        "0 supprimé.")
    assert json.loads((tmp_path / "phone.json.undo").read_text())["otherDevice"] is True
    assert names(capsys, phone) == ["Jardin partagé"]
    # the restored phone's backups name it: never the computer's file name for the same minute
    monkeypatch.chdir(tmp_path)
    device = json.loads(phone.read_text())["sync"]["device"]
    written = ok(capsys, "export", phone)
    assert re.fullmatch(rf"exporté : Alice-sauvegarde-\d{{4}}-\d\d-\d\d-\d\dh\d\d-appareil-{device[:8]}\.json \(full\)",
                        written), written
