"""`import --take-other-device`: a cellule created on a phone restored from the group's backup reaches
the computer only when the flag says so; without it the CLI says how many were left aside and how to
bring them; with it the cellule is the group's own (not federated), and `undo` takes it away."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runs import ok, run

ROOT = Path(__file__).resolve().parents[2]
NODE = json.loads((ROOT / "data" / "fwb_grid.json").read_text())["nodes"][7][0]

pytestmark = pytest.mark.usefixtures("cli_clock")


def add(capsys, path, name):
    code, rid, err = run(capsys, "cellule", "add", path, "--name", name, "--node", NODE)
    assert code == 0, err
    return rid


def cellules(capsys, path):
    return {c["name"]: (c["federated"], c["author"])
            for c in json.loads(run(capsys, "list", path, "--json")[1])["cellules"]}


def test_a_cellule_made_on_the_restored_phone_comes_only_with_the_flag_and_undo_removes_it(tmp_path, capsys):
    computer, phone = tmp_path / "computer.json", tmp_path / "phone.json"
    assert run(capsys, "init", computer, "--name", "Jardins")[0] == 0
    add(capsys, computer, "Jardin")
    backup = tmp_path / "backup.json"
    run(capsys, "export", computer, "-o", backup)
    assert run(capsys, "init", phone, "--from", backup)[0] == 0
    made = add(capsys, phone, "Sur le téléphone")
    phone_backup = tmp_path / "phone-backup.json"
    run(capsys, "export", phone, "-o", phone_backup)
    before = computer.read_text()

    dry = ok(capsys, "import", computer, phone_backup, "--dry-run").splitlines()
    assert dry[0] == (f"offered   cellule  {made}  Sur le téléphone — créé sur votre autre appareil, d’après le "
                      "fichier\u00a0: ajouté comme le vôtre seulement si vous le choisissez")
    assert dry[-2] == ("1 élément créé sur votre autre appareil laissé de côté. Pour l’ajouter, relancez avec "
                       "--take-other-device.")

    assert ok(capsys, "import", computer, phone_backup).splitlines() == [
        "Rien de nouveau\u00a0: Fusion depuis votre autre appareil\u00a0: 0 ajouté, 0 mis à jour, 1 inchangé, "
        "0 conflit résolu, 0 supprimé, 1 laissé de côté. 1 élément créé sur votre autre appareil laissé de côté. Pour "
        "l’ajouter, relancez avec --take-other-device."]
    assert json.loads(computer.read_text())["cellules"] == json.loads(before)["cellules"]

    taken = ok(capsys, "import", computer, phone_backup, "--take-other-device")
    assert taken == ("Fusion depuis votre autre appareil\u00a0: 1 ajouté, 0 mis à jour, 1 inchangé, 0 conflit "
                     "résolu, 0 supprimé. 1 élément créé sur votre autre appareil ajouté comme le vôtre.")
    assert cellules(capsys, computer) == {"Jardin": (False, "par Jardins"), "Sur le téléphone": (False, "par Jardins")}
    record = next(c for c in json.loads(computer.read_text())["cellules"] if c["id"] == made)
    phone_device = json.loads(phone.read_text())["sync"]["device"]
    assert record["sync"]["clock"].endswith(phone_device)  # who wrote it is kept: the phone
    journal = [json.loads(x) for x in (tmp_path / "computer.json.journal.jsonl").read_text().splitlines()]
    assert journal[-1]["adopted"] == [made] and journal[-1]["added"] == [made]
    assert json.loads((tmp_path / "computer.json.undo").read_text())["otherDevice"] is True

    assert run(capsys, "undo", computer)[0] == 0
    assert cellules(capsys, computer) == {"Jardin": (False, "par Jardins")}


def test_help_names_the_flag():
    out = subprocess.run([sys.executable, "-m", "app", "import", "--help"], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    flat = " ".join(out.split())
    assert "--take-other-device ajoute aussi, comme les vôtres, les éléments qu’une sauvegarde de votre autre " \
           "appareil dit avoir été créés sur lui (sans cette option, ils sont laissés de côté)" in flat
