"""The CLI speaks through app.core.i18n: plurals, and the browser's backup rule."""

from __future__ import annotations

import json
from pathlib import Path

from app.cli import main
from app.core import actions, i18n
from app.core.clock import format_ms, parse_rfc3339

ROOT = Path(__file__).resolve().parents[2]
NODE = json.loads((ROOT / "data" / "fwb_grid.json").read_text())["nodes"][42][0]
DAY = 86_400_000


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


def test_list_counts_with_plurals_and_reminds_of_an_old_backup_until_a_full_export(tmp_path, capsys):
    state = tmp_path / "state.json"
    assert run(capsys, "init", state, "--name", "Asso")[0] == 0
    instance = json.loads(state.read_text("utf-8"))["instanceId"]
    code, out, err = run(capsys, "list", state)
    assert (code, out, err) == (0, f"«\u00a0Asso\u00a0» — 0 cellule ({instance})", "")  # never exported: no nagging
    run(capsys, "cellule", "add", state, "--name", "Une", "--node", NODE)
    run(capsys, "cellule", "add", state, "--name", "Deux", "--node", NODE)
    doc = json.loads(state.read_text("utf-8"))
    old = parse_rfc3339(doc["exportedAt"]) - 40 * DAY
    doc.setdefault("sync", {})["lastFullExportAt"] = format_ms(old)
    state.write_text(json.dumps(doc), "utf-8")
    code, out, err = run(capsys, "list", state)
    assert out.splitlines()[0] == f"«\u00a0Asso\u00a0» — 2 cellules ({instance})"
    assert err == i18n.t("x.backup_banner", days=40)  # the same rule and words as the banner
    assert err.startswith("Dernière sauvegarde il y a 40 jours")
    assert run(capsys, "export", state, "-o", tmp_path / "backup.json")[0] == 0  # a full export stamps the date
    stamped = json.loads(state.read_text("utf-8"))["sync"]["lastFullExportAt"]
    assert parse_rfc3339(stamped) > old + 39 * DAY
    assert run(capsys, "list", state)[2] == ""
    assert actions.BACKUP_REMIND_AFTER_DAYS == 30
