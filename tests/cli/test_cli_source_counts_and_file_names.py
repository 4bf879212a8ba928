"""The CLI says what the browser says: a source counted as « Sources » counts it (merge.source_counts: what
the user sees go with it), and an export without -o gets the name the browser gives it
(i18n.export_file_name, Brussels time), in the current folder, never over an earlier file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_runs import ok

from app.core import i18n, report
from app.core.brussels import local

ROOT = Path(__file__).resolve().parents[2]
NODES = [n[0] for n in json.loads((ROOT / "data" / "fwb_grid.json").read_text())["nodes"][20:23]]
T0 = 1_769_680_800_000  # 2026-01-29 10:00 UTC, 11h00 in Brussels


pytestmark = pytest.mark.usefixtures("cli_clock")


@pytest.fixture
def clock_start() -> int:
    return T0


def test_a_source_with_deleted_items_is_listed_and_removed_with_the_count_the_user_sees(tmp_path, capsys):
    """The walk's case: Alice deleted « Voisins », and « Vélo » whose atelier stays under it. Bob holds
    both as tombstones and the hidden atelier; `sources` and `drop-source` count « Potager » and its
    two ateliers, as the browser's card, question and report do."""
    alice, bob = tmp_path / "alice.json", tmp_path / "bob.json"
    ok(capsys, "init", alice, "--name", "Alice")
    ok(capsys, "init", bob, "--name", "Bob")
    potager, voisins, velo = (ok(capsys, "cellule", "add", alice, "--name", name, "--node", node)
                              for name, node in zip(("Potager", "Voisins", "Vélo"), NODES, strict=True))
    for cellule, title in ((potager, "Semis"), (potager, "Arrosage"), (velo, "Réparation")):
        ok(capsys, "atelier", "add", alice, "--cellule", cellule, "--title", title, "--starts", "2026-03-07T18:00:00Z")
    ok(capsys, "cellule", "delete", alice, voisins)
    ok(capsys, "cellule", "delete", alice, velo)
    ok(capsys, "export", alice, "-o", tmp_path / "alice-out.json")
    ok(capsys, "import", bob, tmp_path / "alice-out.json")
    held = json.loads(bob.read_text())
    assert (len(held["cellules"]), len(held["ateliers"])) == (3, 3)  # tombstones and the hidden atelier

    alice_id = json.loads(alice.read_text())["instanceId"]
    rows = json.loads(ok(capsys, "sources", bob, "--json"))
    assert [(r["label"], r["wouldRemoveCellules"], r["wouldRemoveAteliers"]) for r in rows] == [("Alice", 1, 2)]
    assert ok(capsys, "sources", bob) == i18n.t("cli.source", name="Alice", id=alice_id, at=rows[0]["importedAt"],
                                                cellules=1, ateliers=2)
    assert ok(capsys, "sources", bob) == (f"- Alice ({alice_id})\u00a0: dernier import {rows[0]['importedAt']}, "
                                          "1 cellule, 2 ateliers (ce que la supprimer retirerait)")
    removed = i18n.report_summary("fr", "drop-source", "Alice",
                                  {k: 3 if k == "removed" else 0 for k in report.COUNT_KEYS})
    assert ok(capsys, "drop-source", bob, alice_id) == removed
    assert json.loads(bob.read_text())["cellules"] == []  # the deleted ones are forgotten too


def test_the_listing_counts_what_is_here_now_not_what_the_last_import_brought(tmp_path, capsys):
    """Bob deletes one of Alice's two cellules after importing them: the source stands for one now,
    in the listing as on the browser's card (merge.source_counts), while the stored count stays 2."""
    alice, bob = tmp_path / "alice.json", tmp_path / "bob.json"
    ok(capsys, "init", alice, "--name", "Alice")
    ok(capsys, "init", bob, "--name", "Bob")
    jardin, _chorale = (ok(capsys, "cellule", "add", alice, "--name", name, "--node", node)
                        for name, node in zip(("Jardin", "Chorale"), NODES[:2], strict=True))
    ok(capsys, "export", alice, "-o", tmp_path / "alice-out.json")
    ok(capsys, "import", bob, tmp_path / "alice-out.json")
    ok(capsys, "cellule", "delete", bob, jardin)
    (row,) = json.loads(ok(capsys, "sources", bob, "--json"))
    assert (row["celluleCount"], row["wouldRemoveCellules"], row["wouldRemoveAteliers"]) == (2, 1, 0)
    assert ok(capsys, "sources", bob).endswith(", 1 cellule, 0 atelier (ce que la supprimer retirerait)")


def test_an_export_without_o_gets_the_browsers_name_in_the_current_folder(tmp_path, capsys, monkeypatch):
    state = tmp_path / "state.json"
    ok(capsys, "init", state, "--name", "Asso Nord")
    cellule = ok(capsys, "cellule", "add", state, "--name", "Jardin", "--node", NODES[0])
    ok(capsys, "atelier", "add", state, "--cellule", cellule, "--title", "Semis", "--starts", "2026-03-07T18:00:00Z")
    folder = tmp_path / "here"
    folder.mkdir()
    monkeypatch.chdir(folder)

    assert ok(capsys, "export", state) == "exporté : Asso-Nord-sauvegarde-2026-01-29-11h00.json (full)"
    backup = json.loads((folder / "Asso-Nord-sauvegarde-2026-01-29-11h00.json").read_text())
    assert backup["kind"] == "full" and [c["name"] for c in backup["cellules"]] == ["Jardin"]
    assert i18n.export_file_name("fr", "full", "Asso-Nord", local(T0)) == \
        "Asso-Nord-sauvegarde-2026-01-29-11h00.json"  # the browser's own name for it

    # a second and a third backup of the same minute are written beside the first, never over it, numbered
    # as the browser numbers them
    assert ok(capsys, "export", state) == "exporté : Asso-Nord-sauvegarde-2026-01-29-11h00-2.json (full)"
    assert ok(capsys, "export", state) == "exporté : Asso-Nord-sauvegarde-2026-01-29-11h00-3.json (full)"
    assert ok(capsys, "export", state, "--cellules-only") == "exporté : Asso-Nord-cellules-2026-01-29.json (cellules)"
    assert ok(capsys, "to-sql", state) == i18n.t("cli.sql", path="Asso-Nord-supabase-2026-01-29.sql", cellules=1,
                                                 ateliers=1)
    assert ok(capsys, "export", state, "--format", "csv").startswith(
        "exporté : Asso-Nord-2026-01-29-tableur.zip (csv-zip, ")
    assert ok(capsys, "export", state, "--format", "csv", "--table", "ateliers").startswith(
        "exporté : Asso-Nord-2026-01-29-ateliers.csv (csv-ateliers, ")
    assert ok(capsys, "export", state, "--format", "ics").startswith("exporté : Asso-Nord-2026-01-29-agenda.ics (ics, ")
    assert sorted(p.name for p in folder.iterdir()) == [
        "Asso-Nord-2026-01-29-agenda.ics", "Asso-Nord-2026-01-29-ateliers.csv", "Asso-Nord-2026-01-29-tableur.zip",
        "Asso-Nord-cellules-2026-01-29.json", "Asso-Nord-sauvegarde-2026-01-29-11h00-2.json",
        "Asso-Nord-sauvegarde-2026-01-29-11h00-3.json", "Asso-Nord-sauvegarde-2026-01-29-11h00.json",
        "Asso-Nord-supabase-2026-01-29.sql"]
    assert (folder / "Asso-Nord-supabase-2026-01-29.sql").read_text().startswith("--")


def test_an_unnamed_group_exports_as_the_browsers_groupe(tmp_path, capsys, monkeypatch):
    state = tmp_path / "state.json"
    ok(capsys, "init", state, "--name", "???")  # nothing of it is safe in a file name
    monkeypatch.chdir(tmp_path)
    assert ok(capsys, "export", state) == "exporté : groupe-sauvegarde-2026-01-29-11h00.json (full)"
    assert (tmp_path / "groupe-sauvegarde-2026-01-29-11h00.json").is_file()
