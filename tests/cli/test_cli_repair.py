"""The CLI's own STATE file holding characters the model refuses (stored under looser rules) opens
repaired with one line on stderr, and the next write keeps the repair; a peer's file holding them is
refused with its message and STATE unchanged."""

from __future__ import annotations

import json
from pathlib import Path

from app.cli import main
from app.core import document

ROOT = Path(__file__).resolve().parents[2]
NODE = json.loads((ROOT / "data" / "fwb_grid.json").read_text())["nodes"][42][0]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


def test_own_state_with_mojibake_opens_repaired_says_so_once_and_a_write_keeps_the_repair(tmp_path, capsys):
    state = str(tmp_path / "state.json")
    assert run(capsys, "init", state, "--name", "Asso")[0] == 0
    code, cid, _ = run(capsys, "cellule", "add", state, "--name", "Caf\u00e9", "--node", NODE)
    assert code == 0
    Path(state).write_text(Path(state).read_text("utf-8").replace("Caf\u00e9", "Caf\u00e2\x80\x99"), "utf-8")
    repairs = document.own_state_from_document(json.loads(Path(state).read_text("utf-8")))[1]
    code, out, err = run(capsys, "list", state, "--json")
    assert code == 0 and err == document.repair_message(repairs)
    assert err.startswith("1 texte réparé") and json.loads(out)["cellules"][0]["name"] == "Caf\u00e2\ufffd\ufffd"
    assert run(capsys, "cellule", "edit", state, cid, "--contact", "a@b.be")[0] == 0
    assert "\x80" not in Path(state).read_text("utf-8")
    assert run(capsys, "list", state, "--json")[2] == ""


def test_a_peers_file_with_the_same_characters_is_refused_and_state_stays_as_it_was(tmp_path, capsys):
    mine, peer = str(tmp_path / "mine.json"), str(tmp_path / "peer.json")
    assert run(capsys, "init", mine, "--name", "Asso")[0] == 0
    assert run(capsys, "init", peer, "--name", "Bob")[0] == 0
    assert run(capsys, "cellule", "add", peer, "--name", "V\u00e9lo", "--node", NODE)[0] == 0
    Path(peer).write_text(Path(peer).read_text("utf-8").replace("V\u00e9lo", "V\u00e2\x80\x99lo"), "utf-8")
    before = Path(mine).read_bytes()
    code, _out, err = run(capsys, "import", mine, peer)
    assert code == 1
    assert err == "erreur : Document invalide à cellules[0] : le champ « nom » contient un caractère de contrôle " \
                  "interdit."
    assert Path(mine).read_bytes() == before
