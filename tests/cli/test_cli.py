"""The CLI adapter: same core, STATE is a full v1.0 export, errors leave it byte-identical."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.core import document
from app.core.errors import CellulesError
from app.core.i18n import words

ROOT = Path(__file__).resolve().parents[2]
NODE = json.loads((ROOT / "data" / "fwb_grid.json").read_text())["nodes"][42][0]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse refusals
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


@pytest.fixture
def state(tmp_path, capsys) -> str:
    path = str(tmp_path / "state.json")
    code, out, _ = run(capsys, "init", path, "--name", "Asso Quartier Nord")
    assert code == 0 and out.startswith("C") and len(out) == 8
    return path


def test_full_round_of_commands_and_the_state_file_is_a_valid_full_export(state, capsys):
    code, cid, _ = run(capsys, "cellule", "add", state, "--name", "Cellule Vélo", "--node", NODE,
                       "--description", "Réparations", "--contact", "velo@example.be")
    assert code == 0 and cid.startswith("c")
    code, aid, _ = run(capsys, "atelier", "add", state, "--cellule", cid, "--title", "Crevaisons",
                       "--starts", "2026-03-07T18:30:00+01:00", "--place", "Maison de quartier")
    assert code == 0
    assert run(capsys, "cellule", "edit", state, cid, "--name", "Cellule Vélo Nord")[0] == 0
    assert run(capsys, "atelier", "edit", state, aid, "--title", "Chambres à air")[0] == 0
    code, out, _ = run(capsys, "list", state, "--json")
    listing = json.loads(out)
    assert listing["cellules"][0]["name"] == "Cellule Vélo Nord"
    assert listing["cellules"][0]["ateliers"][0]["title"] == "Chambres à air"
    assert listing["cellules"][0]["ateliers"][0]["startsAt"] == "2026-03-07T17:30:00.000Z"
    doc = json.loads(Path(state).read_text())
    assert doc["version"] == "1.0" and doc["kind"] == "full" and doc["instanceName"] == "Asso Quartier Nord"
    assert run(capsys, "validate", state)[0] == 0
    from app.cli import grid
    from app.core import i18n

    head = i18n.t("cli.list.head", name="Asso Quartier Nord", n=1) + f" ({doc['instanceId']})"
    assert run(capsys, "list", state) == (0, "\n".join([
        head, f"- Cellule Vélo Nord — {grid().nodes[NODE].label} — {cid}",
        f"    · 2026-03-07T17:30:00.000Z Chambres à air (Maison de quartier) — {aid}"]), "")

    assert run(capsys, "atelier", "delete", state, aid)[0] == 0
    assert run(capsys, "cellule", "delete", state, cid)[0] == 0
    assert json.loads(run(capsys, "list", state, "--json")[1])["cellules"] == []
    tombstones = document.loads_state(Path(state).read_bytes())
    assert tombstones.cellules[cid].deleted and tombstones.ateliers[aid].deleted


def line(code: str, **params) -> str:
    """The one line the CLI prints for the error `code` with exactly these values."""
    return "erreur : " + " ".join(str(CellulesError(code, **params)).split())


NOT_FOUND = line("record.unknown", kind=words("label.record.cellule"), id="cnope")


@pytest.mark.parametrize(("argv", "expected"), [
    (["cellule", "add", "{state}", "--name", "", "--node", NODE], line("field.required", label=words("label.name"))),
    (["cellule", "add", "{state}", "--name", "x" * 121, "--node", NODE],
     line("field.too_long", limit=120, length=121, label=words("label.name"))),
    (["cellule", "add", "{state}", "--name", "ok", "--node", "8a1fa4c5bffffff"],
     line("node.unknown", node="8a1fa4c5bffffff")),
    (["cellule", "edit", "{state}", "cnope", "--name", "x"], NOT_FOUND),
    (["atelier", "add", "{state}", "--cellule", "cnope", "--title", "t", "--starts", "2026-03-07T18:30:00Z"],
     NOT_FOUND),
    (["atelier", "add", "{state}", "--cellule", "{cid}", "--title", "t", "--starts", "demain"],
     line("time.invalid", value="demain", label=words("label.start"))),
])
def test_errors_exit_1_with_one_french_line_and_leave_state_byte_identical(state, capsys, argv, expected):
    cid = run(capsys, "cellule", "add", state, "--name", "Base", "--node", NODE)[1]
    before = Path(state).read_bytes()
    argv = [a.format(state=state, cid=cid) for a in argv]
    assert run(capsys, *argv) == (1, "", expected)
    assert Path(state).read_bytes() == before


def test_a_missing_option_prints_the_usage_then_one_error_line(state, capsys):
    before = Path(state).read_bytes()
    code, out, err = run(capsys, "cellule", "add", state, "--name", "ok")
    assert (code, out) == (1, "")
    *usage, last = err.splitlines()
    assert usage[0].startswith("utilisation\u00a0: python -m app cellule add [-h] --name NOM --node ZONE")
    assert last == "erreur : il manque\u00a0: --node"  # argparse's own words, in French (test_cli_usage_words)
    assert Path(state).read_bytes() == before


def test_validate_names_the_place_of_the_problem(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"version": "1.0", "instanceId": "C1234abc", "exportedAt": "2026-01-28T10:00:00Z",
                               "cellules": [{"id": "c1", "name": "x"}]}))
    assert run(capsys, "validate", str(bad)) == (1, "", line("doc.schema", where="cellules[0]",
                                                            detail=words("d.required_field", name="nodeId")))
    bad.write_text('{"version": "2.0", "instanceId": "C1234abc"}')
    assert run(capsys, "validate", str(bad)) == (1, "", line("doc.version_unsupported", version="2.0"))
    missing = str(tmp_path / "missing.json")
    assert run(capsys, "validate", missing) == (1, "", line("doc.schema", where=missing, detail="fichier introuvable"))


def test_init_refuses_to_overwrite(state, capsys):
    before = Path(state).read_bytes()
    assert run(capsys, "init", state, "--name", "Autre") == (
        1, "", line("doc.schema", where=state, detail="ce fichier existe déjà (rien n’a été écrit)"))
    assert Path(state).read_bytes() == before


def test_a_corrupt_state_file_is_reported_not_overwritten(tmp_path, capsys):
    path = tmp_path / "state.json"
    path.write_text('{"version": "1.0", "instanceId": "C1234abc"')
    assert run(capsys, "cellule", "add", str(path), "--name", "x", "--node", NODE) == (
        1, "", line("doc.json", line=1, col=44, detail=words("d.json.cut")))
    assert path.read_text() == '{"version": "1.0", "instanceId": "C1234abc"'


def test_python_dash_m_app_is_the_entry_point(tmp_path):
    path = tmp_path / "s.json"
    done = subprocess.run([sys.executable, "-m", "app", "init", str(path), "--name", "Bob"], cwd=ROOT,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert done.returncode == 0 and done.stdout.strip().startswith("C")
    done = subprocess.run([sys.executable, "-m", "app", "validate", str(tmp_path / "nope.json")], cwd=ROOT,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert (done.returncode, done.stdout, done.stderr) == (
        1, "", line("doc.schema", where=str(tmp_path / "nope.json"), detail="fichier introuvable") + "\n")
