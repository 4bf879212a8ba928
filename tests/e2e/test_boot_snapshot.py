"""Memory snapshot boot: static/pyboot.mjs restores a snapshot of this very build, made
off the main thread after a normal boot; anything wrong falls back to a normal boot, silently."""

from __future__ import annotations

import json

import pytest
from conftest import Server, wait_controlled, wait_ready
from driver import create_cellule, export_full, paste

from tools.build_site import build

MODE = "document.documentElement.dataset.bootMode"
SNAPSHOT_MADE = "window.cellulesBoot && window.cellulesBoot.snapshot !== undefined"


def boot(page, reload: bool = True) -> str:
    if reload:
        page.reload()
    wait_ready(page)
    return page.evaluate(MODE)


def make_snapshot(page) -> dict:
    """After a normal boot: wait for the worker to store this build's snapshot."""
    wait_controlled(page)
    page.wait_for_function(SNAPSHOT_MADE, timeout=180_000, polling=200)
    made = page.evaluate("window.cellulesBoot.snapshot")
    assert made["ok"], made
    return made


def screen(page) -> dict:
    return {
        "instance": page.text_content("#instance-label"),
        "cellules": page.locator("#cellule-list .cellule-name").all_text_contents(),
        "places": page.locator("#cellule-list .place").all_text_contents(),
        "build": page.evaluate("document.documentElement.dataset.pythonBuild"),
    }


def probe(page) -> dict:
    return json.loads(page.evaluate("cellulesProbe()"))


SNAPSHOT_JS = """async ([op]) => {
    const build = document.documentElement.dataset.build;
    const cache = await caches.open(`cellules-fwb-${build}`);
    const keys = (await cache.keys()).map((r) => r.url).filter((u) => u.includes('/__snapshot__/'));
    if (op === 'keys') return keys;
    if (op === 'delete') return Promise.all(keys.map((k) => cache.delete(k)));
    if (op === 'corrupt') {  // flip bytes in the middle, keep the headers
        const hit = await cache.match(keys[0]);
        const bytes = new Uint8Array(await hit.arrayBuffer());
        for (let i = 0; i < 4096; i++) bytes[bytes.length / 2 + i] ^= 0x5a;
        await cache.put(keys[0], new Response(bytes, {headers: hit.headers}));
        return keys;
    }
}"""


def test_snapshot_and_normal_boot_reach_ready_with_the_same_state(make_context, server, tmp_path):
    context, watch = make_context(cold=True)
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())
    page.goto(server.url)
    assert boot(page, reload=False) == "normal"
    create_cellule(page, "Cellule Vélo Liège")
    normal = screen(page)
    made = make_snapshot(page)
    assert 5_000_000 < made["bytes"] < 100_000_000
    assert len(page.evaluate(SNAPSHOT_JS, ["keys"])) == 1
    # The standard-library modules the boot imported from Pyodide's zip (no .pyc there) are
    # compiled into the snapshot, within the heap the worker allows.
    compiled = {name for name, _ in made["trace"]}
    assert {"html.entities", "csv", "pyodide.http"} <= compiled, made["trace"]
    assert made["used"] < made["budget"]

    assert boot(page) == "snapshot"
    restored = screen(page)
    assert restored == normal and restored["cellules"] == ["Cellule Vélo Liège"]
    # The restored Python works: a new cellule, then the heavy modules load when first needed.
    assert probe(page)["loaded"] == ["fastjsonschema"]  # no jsonschema, no segno at boot
    create_cellule(page, "Cellule Jardins", place="namur")
    page.click("#cellule-list li.cellule >> nth=0 >> [data-action=show-qr]")
    page.wait_for_selector("#qr-dialog[open] img")
    assert "segno" in probe(page)["loaded"]  # from the wheel kept in the snapshot (zipimport)
    page.keyboard.press("Escape")
    # jsonschema (and its metaschemas, read as resources from its wheel) explains a refused document.
    doc = json.loads(export_full(page, tmp_path))
    doc["instanceId"] = "alice"
    paste(page, json.dumps(doc))
    page.wait_for_function("(document.getElementById('import-error')?.textContent || '').includes('instanceId')")
    assert "jsonschema" in probe(page)["loaded"]

    page.evaluate(SNAPSHOT_JS, ["delete"])  # no snapshot: the normal boot, same state
    assert boot(page) == "normal"
    assert page.evaluate("window.cellulesBoot.reason") == "no snapshot"
    after = screen(page)
    assert set(after["cellules"]) == {"Cellule Vélo Liège", "Cellule Jardins"}
    assert after["instance"] == normal["instance"]
    assert watch.errors == []


def test_a_corrupt_snapshot_falls_back_silently_and_is_replaced(make_context, server):
    context, watch = make_context(pooled=False)  # a returning visitor: this build's snapshot is stored
    page = context.new_page()
    page.goto(server.url)
    assert boot(page, reload=False) == "snapshot"
    page.evaluate(SNAPSHOT_JS, ["corrupt"])
    assert boot(page) == "normal"
    assert page.evaluate("window.cellulesBoot.reason") == "corrupt"
    assert page.is_hidden("#boot-error")
    make_snapshot(page)  # a new one replaces it
    assert boot(page) == "snapshot"
    assert watch.errors == []


def test_two_restored_boots_never_draw_the_same_ids(make_context, server, tmp_path):
    context, watch = make_context()  # a returning visitor: this build's snapshot is stored
    page = context.new_page()
    page.goto(server.url)
    assert boot(page, reload=False) == "snapshot"
    seen = []
    for _ in range(2):
        # A new instance on each restored boot: its id and the next record id come from randomness. The data
        # and the marker kept beside it are erased (without the marker, the boot would say the browser erased it).
        page.evaluate("""async () => { indexedDB.deleteDatabase('cellules-fwb');
            localStorage.removeItem('cellules-fwb-kept'); await caches.delete('cellules-kept'); }""")
        assert boot(page) == "snapshot"
        create_cellule(page, "Cellule Test")
        record = page.get_attribute("#cellule-list li.cellule >> nth=0", "data-id")
        page.click("#tab-settings")  # the header shows the instance's name only; its id is here
        seen.append((page.text_content("#instance-id"), record, probe(page)["random"]))
    (id_a, record_a, random_a), (id_b, record_b, random_b) = seen
    assert id_a and record_a and id_a != id_b and record_a != record_b
    assert random_a != random_b  # `random` was reseeded: the snapshot froze its state
    assert watch.errors == []


@pytest.mark.slow
def test_an_update_never_restores_the_old_builds_snapshot_and_boots_offline(make_context, tmp_path):
    v1 = build(tmp_path / "v1", version_tag="v1")["build"]
    v2 = build(tmp_path / "v2", version_tag="v2")["build"]
    server = Server(tmp_path / "v1")
    try:
        context, watch = make_context(cold=True, allowed=(server.url,))
        page = context.new_page()
        page.goto(server.url)
        boot(page, reload=False)
        make_snapshot(page)
        assert boot(page) == "snapshot"
        assert page.evaluate("document.documentElement.dataset.pythonBuild") == v1
        # The worst mix-up: v1's snapshot planted in v2's cache under v2's name, headers claiming v2
        # and a matching hash. Only Python's own build check can tell; it must.
        page.evaluate("""async ([v2]) => {
            const v1 = document.documentElement.dataset.build;
            const old = await caches.open(`cellules-fwb-${v1}`);
            const key = (await old.keys()).map((r) => r.url).find((u) => u.includes('/__snapshot__/'));
            const hit = await old.match(key);
            const headers = new Headers(hit.headers);
            headers.set('x-build', v2);
            await (await caches.open(`cellules-fwb-${v2}`)).put(key, new Response(await hit.arrayBuffer(), {headers}));
        }""", [v2])
        server.serve(tmp_path / "v2")
        page.evaluate("window.dispatchEvent(new Event('focus'))")
        page.wait_for_selector("#update-banner:not([hidden])", timeout=60_000)
        with page.expect_navigation(timeout=60_000):
            page.click("#update-reload")
        wait_ready(page)
        assert page.evaluate("document.documentElement.dataset.pythonBuild") == v2
        assert page.evaluate(MODE) == "normal"
        assert page.evaluate("window.cellulesBoot.reason").startswith("refused")
        assert page.evaluate("caches.keys()") == [f"cellules-fwb-{v2}"]
        make_snapshot(page)
        server.stop()  # offline after the update: v2's own snapshot
        assert boot(page) == "snapshot"
        assert page.evaluate("document.documentElement.dataset.pythonBuild") == v2
        assert watch.errors == []
    finally:
        server.stop()
