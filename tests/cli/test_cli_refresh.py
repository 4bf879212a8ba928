"""`sources STATE --refresh [SOURCE_ID]`: sources loaded from an address are loaded again from it,
previewed with `--dry-run`, merged in one write with one undo; the errors of a first load."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest
from cli_runs import line, ok, run, summary

from app.core import i18n
from app.core.errors import CellulesError
from app.core.i18n import words
from app.serve import make_server

ROOT = Path(__file__).resolve().parents[2]
NODE = json.loads((ROOT / "data" / "fwb_grid.json").read_text())["nodes"][7][0]

pytestmark = pytest.mark.usefixtures("cli_clock")


def failed_source(label: str, code: str, **params) -> str:
    """The stderr line of a source that could not be loaded again."""
    text = i18n.t("s.source_failed", name=label, error=str(CellulesError(code, **params)))
    return "erreur : " + " ".join(text.split())


def changes(name: str, **counts: int) -> str:
    return i18n.t("s.source_changes", name=name, **{k: counts.get(k, 0) for k in
                                                   ("new", "changed", "conflict", "deleted", "unchanged")})


@pytest.fixture
def site(tmp_path):
    """A web server for the peers' published files (site/<name>.json)."""
    folder = tmp_path / "site"
    folder.mkdir()
    httpd = make_server(folder, port=0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    yield folder, base, httpd
    httpd.stop()


@pytest.fixture
def world(tmp_path, capsys, site):
    """Alice and Bob publish their exports; Carla loaded both from their addresses and Dora's from a file."""
    folder, base, _httpd = site
    paths = {name: tmp_path / f"{name}.json" for name in ("Alice", "Bob", "Carla", "Dora")}
    for name, path in paths.items():
        ok(capsys, "init", path, "--name", name)
    ok(capsys, "cellule", "add", paths["Alice"], "--name", "Jardin", "--node", NODE)
    ok(capsys, "cellule", "add", paths["Bob"], "--name", "Vélo", "--node", NODE)
    ok(capsys, "cellule", "add", paths["Dora"], "--name", "Chorale", "--node", NODE)
    for name in ("Alice", "Bob", "Dora"):
        ok(capsys, "export", paths[name], "-o", folder / f"{name}.json")
    ok(capsys, "import", paths["Carla"], base + "Alice.json")
    ok(capsys, "import", paths["Carla"], base + "Bob.json")
    ok(capsys, "import", paths["Carla"], folder / "Dora.json")
    ids = {name: json.loads(path.read_text())["instanceId"] for name, path in paths.items()}
    return paths, ids, folder, base


def cellule_names(capsys, path) -> list[str]:
    return sorted(c["name"] for c in json.loads(ok(capsys, "list", path, "--json"))["cellules"])


def test_a_source_loaded_from_an_address_remembers_it_and_the_list_shows_it(world, capsys):
    paths, ids, _folder, base = world
    rows = {r["name"]: r for r in json.loads(ok(capsys, "sources", paths["Carla"], "--json"))}
    assert {name: r.get("url") for name, r in rows.items()} == {
        "Alice": base + "Alice.json", "Bob": base + "Bob.json", "Dora": None}
    listing = ok(capsys, "sources", paths["Carla"]).splitlines()
    assert listing[1] == i18n.t("cli.source_url", url=base + "Alice.json")
    stored = json.loads(paths["Carla"].read_text())["federatedSources"]
    assert {s["id"]: s.get("url") for s in stored} == {ids["Alice"]: base + "Alice.json",
                                                       ids["Bob"]: base + "Bob.json", ids["Dora"]: None}


def test_refresh_all_previews_with_dry_run_then_merges_in_one_write_with_one_undo(world, capsys):
    paths, ids, folder, _base = world
    new = ok(capsys, "cellule", "add", paths["Alice"], "--name", "Potager", "--node", NODE)
    ok(capsys, "export", paths["Alice"], "-o", folder / "Alice.json")
    before = paths["Carla"].read_bytes()
    out = ok(capsys, "sources", paths["Carla"], "--refresh", "--dry-run")
    assert out.splitlines() == [changes("Alice", new=1, unchanged=1), f"  new       cellule  {new}  Potager",
                                i18n.t("s.source_nothing", name="Bob"), i18n.t("cli.dry_run")]
    assert paths["Carla"].read_bytes() == before
    preview = json.loads(ok(capsys, "sources", paths["Carla"], "--refresh", "--dry-run", "--json"))["sources"]
    assert [(s["label"], s["counts"]["new"], [i["id"] for i in s["items"]]) for s in preview] == [
        ("Alice", 1, [new]), ("Bob", 0, [])]
    out = ok(capsys, "sources", paths["Carla"], "--refresh")
    assert out.splitlines() == [changes("Alice", new=1, unchanged=1), i18n.t("s.source_nothing", name="Bob"),
                                summary("merge", "Alice", added=1, unchanged=1)]
    assert cellule_names(capsys, paths["Carla"]) == ["Chorale", "Jardin", "Potager", "Vélo"]
    rows = {r["name"]: r for r in json.loads(ok(capsys, "sources", paths["Carla"], "--json"))}
    assert rows["Alice"]["url"].endswith("/Alice.json")  # still remembered after the refresh
    assert run(capsys, "undo", paths["Carla"])[0] == 0
    assert cellule_names(capsys, paths["Carla"]) == ["Chorale", "Jardin", "Vélo"]
    assert ok(capsys, "sources", paths["Carla"], "--refresh").splitlines()[-1] == summary(
        "merge", "Alice", added=1, unchanged=1)


def test_several_sources_changed_make_one_report_and_one_undo(world, capsys):
    paths, _ids, folder, _base = world
    ok(capsys, "cellule", "add", paths["Alice"], "--name", "Potager", "--node", NODE)
    ok(capsys, "cellule", "add", paths["Bob"], "--name", "Repair café", "--node", NODE)
    for name in ("Alice", "Bob"):
        ok(capsys, "export", paths[name], "-o", folder / f"{name}.json")
    out = ok(capsys, "sources", paths["Carla"], "--refresh").splitlines()
    assert out[-1] == summary("merge", "Alice, Bob", added=2, unchanged=2)
    assert cellule_names(capsys, paths["Carla"]) == ["Chorale", "Jardin", "Potager", "Repair café", "Vélo"]
    journal = (paths["Carla"].parent / "Carla.json.journal.jsonl").read_text().splitlines()
    assert json.loads(journal[-1])["sourceName"] == "Alice, Bob"
    ok(capsys, "undo", paths["Carla"])
    assert cellule_names(capsys, paths["Carla"]) == ["Chorale", "Jardin", "Vélo"]


def test_refresh_one_source_by_its_reference(world, capsys):
    paths, ids, folder, _base = world
    ok(capsys, "cellule", "add", paths["Alice"], "--name", "Potager", "--node", NODE)
    ok(capsys, "cellule", "add", paths["Bob"], "--name", "Repair café", "--node", NODE)
    for name in ("Alice", "Bob"):
        ok(capsys, "export", paths[name], "-o", folder / f"{name}.json")
    out = ok(capsys, "sources", paths["Carla"], "--refresh", ids["Bob"]).splitlines()
    assert out == [changes("Bob", new=1, unchanged=1), summary("merge", "Bob", added=1, unchanged=1)]
    assert cellule_names(capsys, paths["Carla"]) == ["Chorale", "Jardin", "Repair café", "Vélo"]


def test_errors_of_a_first_load_per_source_and_the_others_still_merged(world, capsys, site):
    paths, ids, folder, base = world
    ok(capsys, "cellule", "add", paths["Alice"], "--name", "Potager", "--node", NODE)
    ok(capsys, "export", paths["Alice"], "-o", folder / "Alice.json")
    (folder / "Bob.json").unlink()
    code, out, err = run(capsys, "sources", paths["Carla"], "--refresh")
    assert code == 1
    assert err == failed_source("Bob", "url.http", url=base + "Bob.json", status=404)
    assert out.splitlines() == [changes("Alice", new=1, unchanged=1), summary("merge", "Alice", added=1, unchanged=1)]
    assert "Potager" in cellule_names(capsys, paths["Carla"])
    # the address now gives another group's file: refused, nothing imported from it
    shutil.copy(folder / "Dora.json", folder / "Bob.json")
    before = paths["Carla"].read_bytes()
    code, out, err = run(capsys, "sources", paths["Carla"], "--refresh", ids["Bob"])
    assert (code, out) == (1, i18n.t("s.refreshed_none"))
    assert err == failed_source("Bob", "refresh.other_group", name="Bob", url=base + "Bob.json", other="Dora",
                                id=ids["Dora"])
    assert paths["Carla"].read_bytes() == before


def test_offline_no_address_unknown_source_and_dry_run_alone(world, capsys, site):
    paths, ids, _folder, base = world
    _folder, _base, httpd = site
    before = paths["Carla"].read_bytes()
    assert run(capsys, "sources", paths["Carla"], "--refresh", ids["Dora"]) == (
        1, "", line("refresh.no_url", name="Dora"))
    assert run(capsys, "sources", paths["Carla"], "--refresh", "Czzzzzzz") == (
        1, "", line("source.unknown", id="Czzzzzzz"))
    code, _out, err = run(capsys, "sources", paths["Carla"], "--dry-run")
    assert code == 1 and "--dry-run" in err
    httpd.stop()
    code, out, err = run(capsys, "sources", paths["Carla"], "--refresh", ids["Alice"])
    assert (code, out) == (1, i18n.t("s.refreshed_none"))
    assert err == failed_source("Alice", "url.not_reached", url=base + "Alice.json", detail=words("d.cli.refused"))
    assert paths["Carla"].read_bytes() == before


def two_alices(tmp_path, capsys) -> dict:
    """Two groups both named « Alice » (alice1, alice2), each with one cellule, imported by Carla: the paths."""
    paths = {key: tmp_path / f"{key}.json" for key in ("alice1", "alice2", "carla")}
    for key, path in paths.items():
        ok(capsys, "init", path, "--name", "Carla" if key == "carla" else "Alice")
    for key in ("alice1", "alice2"):
        ok(capsys, "cellule", "add", paths[key], "--name", f"Cellule {key}", "--node", NODE)
        ok(capsys, "export", paths[key], "-o", tmp_path / f"{key}-out.json")
        ok(capsys, "import", paths["carla"], tmp_path / f"{key}-out.json")
    return paths


def test_two_sources_with_one_name_are_told_apart(tmp_path, capsys):
    paths = two_alices(tmp_path, capsys)
    rows = json.loads(ok(capsys, "sources", paths["carla"], "--json"))
    ids = sorted(json.loads(paths[key].read_text())["instanceId"] for key in ("alice1", "alice2"))
    assert [(r["id"], r["label"]) for r in rows] == [(ids[0], "Alice"), (ids[1], "Alice (2)")]
    listing = ok(capsys, "sources", paths["carla"]).splitlines()
    assert [line.split("\xa0:")[0] for line in listing] == [f"- Alice ({ids[0]})", f"- Alice (2) ({ids[1]})"]


def test_the_card_author_of_the_second_alice_is_numbered(tmp_path, capsys):
    paths = two_alices(tmp_path, capsys)
    ids = {key: json.loads(paths[key].read_text())["instanceId"] for key in ("alice1", "alice2")}
    second = max(ids, key=ids.get)
    authors = {c["name"]: c["author"] for c in json.loads(ok(capsys, "list", paths["carla"], "--json"))["cellules"]}
    assert authors == {f"Cellule {min(ids, key=ids.get)}": "par Alice", f"Cellule {second}": "par Alice (2)"}


def test_after_removing_the_only_source_the_list_does_not_say_nothing_was_ever_imported(world, capsys):
    paths, ids, _folder, _base = world
    for name in ("Alice", "Bob", "Dora"):
        ok(capsys, "drop-source", paths["Carla"], ids[name])
    assert ok(capsys, "sources", paths["Carla"]) == i18n.t("s.none_left")
    assert ok(capsys, "sources", paths["Alice"]) == i18n.t("s.none")
