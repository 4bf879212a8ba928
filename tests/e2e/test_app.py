"""Everyday use in the browser (issues 3 and 4): cellules, ateliers, map, reload, two tabs, XSS, a11y."""

from __future__ import annotations

import json

from conftest import ROOT, wait_ready
from driver import XSS, create_cellule, new_app, screenshot

NODE = json.loads((ROOT / "data" / "fwb_grid.json").read_text())["nodes"][7][0]


def test_create_edit_delete_a_cellule_and_an_atelier_then_reload(make_context, server):
    context, page, watch = new_app(make_context, server)
    create_cellule(page, "Cellule Vélo Liège", description="Réparations\nle samedi", contact="velo@example.be")
    card = page.locator("li.cellule").first
    assert "Liège" in card.locator(".place").text_content()
    assert card.locator(".description").text_content() == "Réparations\nle samedi"

    card.locator("[data-action=edit-cellule]").click()
    page.fill("#f-name", "Cellule Vélo Outremeuse")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("#cellule-list .cellule-name:text-is('Cellule Vélo Outremeuse')")

    page.click("li.cellule [data-action=open-cellule]")
    page.click("li.cellule [data-action=new-atelier]")
    page.fill("#f-title", "Atelier crevaisons")
    page.fill("#f-startsAt", "2030-03-07T18:30")
    page.fill("#f-place", "Maison de quartier")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("li.atelier .atelier-title:text-is('Atelier crevaisons')")
    page.click("li.atelier [data-action=edit-atelier]")
    page.fill("#f-title", "Atelier chambres à air")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("li.atelier .atelier-title:text-is('Atelier chambres à air')")

    page.reload()
    wait_ready(page)
    assert page.locator("#cellule-list .cellule-name").all_text_contents() == ["Cellule Vélo Outremeuse"]
    page.click("li.cellule [data-action=open-cellule]")
    page.wait_for_selector("li.atelier")
    assert page.locator("li.atelier .atelier-title").all_text_contents() == ["Atelier chambres à air"]
    assert "Maison de quartier" in page.locator("li.atelier").text_content()

    page.click("li.atelier [data-action=delete-atelier]")
    page.wait_for_selector("li.atelier", state="detached")
    page.click("li.cellule [data-action=delete-cellule]")
    page.wait_for_selector("li.cellule", state="detached")
    page.reload()
    wait_ready(page)
    assert page.locator("li.cellule").count() == 0
    assert watch.errors == []


def test_invalid_input_shows_a_french_message_naming_the_field_and_saves_nothing(make_context, server):
    context, page, watch = new_app(make_context, server)
    page.click("#new-cellule")
    page.fill("#f-name", "Sans lieu")
    page.click("#edit-form button[type=submit]")
    page.wait_for_function("(document.getElementById('form-error')?.textContent || '').length > 0")
    assert "«\u00a0lieu\u00a0»" in page.text_content("#form-error")
    page.fill("#f-name", "x" * 130)
    page.fill("#node-search", "5000")
    page.click("#node-results button >> nth=0")
    page.click("#edit-form button[type=submit]")
    page.wait_for_function("(document.getElementById('form-error')?.textContent || '').includes('120')")
    assert "nom" in page.text_content("#form-error")
    page.reload()
    wait_ready(page)
    assert page.locator("li.cellule").count() == 0


def test_user_text_is_shown_as_text_everywhere_and_runs_nothing(make_context, server):
    context, page, watch = new_app(make_context, server)
    create_cellule(page, XSS, description=XSS, contact=XSS[:200])
    assert page.locator("#cellule-list .cellule-name").text_content() == XSS
    assert page.locator("#cellule-list img").count() == 0 and page.locator("#cellule-list script").count() == 0
    page.click("#tab-map")
    page.fill("#map-search", "liege")
    page.click("#map-results button >> nth=0")
    page.wait_for_selector("#node-panel")
    assert XSS in page.text_content("#node-panel")
    assert page.locator("#node-panel img").count() == 0
    page.reload()
    wait_ready(page)
    assert page.evaluate("window.__xss") is None


def test_two_tabs_stay_consistent_and_keep_each_others_changes(make_context, server):
    context, page_a, watch = new_app(make_context, server)
    page_b = context.new_page()
    page_b.on("dialog", lambda d: d.accept())
    page_b.goto(server.url)
    wait_ready(page_b)
    create_cellule(page_a, "Cellule A", place="namur")
    page_b.wait_for_selector("#cellule-list .cellule-name:text-is('Cellule A')")
    create_cellule(page_b, "Cellule B", place="mons")
    page_a.wait_for_selector("#cellule-list .cellule-name:text-is('Cellule B')")
    # Both edit the same cellule, different fields: both edits survive.
    page_a.click("li.cellule:has-text('Cellule A') [data-action=edit-cellule]")
    page_b.click("li.cellule:has-text('Cellule A') [data-action=edit-cellule]")
    page_a.fill("#f-description", "description from A")
    page_b.fill("#f-contact", "contact@b.be")
    page_a.click("#edit-form button[type=submit]")
    page_a.wait_for_selector("#edit-form", state="detached")
    page_b.click("#edit-form button[type=submit]")
    page_b.wait_for_selector("#edit-form", state="detached")
    for page in (page_a, page_b):
        page.wait_for_selector("li.cellule:has-text('contact@b.be')")
        page.reload()
        wait_ready(page)
        card = page.locator("li.cellule:has-text('Cellule A')")
        assert card.locator(".description").text_content() == "description from A"
        assert card.locator(".contact").text_content() == "contact@b.be"
        assert sorted(page.locator(".cellule-name").all_text_contents()) == ["Cellule A", "Cellule B"]


def test_map_draws_every_node_finds_places_and_picks_a_node_for_a_cellule(make_context, server):
    context, page, watch = new_app(make_context, server)
    create_cellule(page, "Cellule Namur", place="5000")
    page.click("#tab-map")
    page.wait_for_function("document.getElementById('map-canvas').dataset.frames >= 1")
    assert "3\u202f801 lieux · 1 avec des cellules" in page.text_content("#map-legend")
    screenshot(page.locator("#map-canvas"), "app-map")
    # Drawn: the canvas holds many node-coloured pixels, and the highlighted (yellow) one.
    colours = page.evaluate("""() => {
        const c = document.getElementById('map-canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let green = 0, yellow = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i] === 0xbb && d[i+1] === 0xf7 && d[i+2] === 0xd0) green++;
          if (d[i] === 0xfa && d[i+1] === 0xcc && d[i+2] === 0x15) yellow++;
        }
        return {green, yellow, total: d.length / 4};
    }""")
    assert colours["green"] > colours["total"] * 0.05
    assert colours["yellow"] > 0
    # Keyboard: focus, zoom and pan redraw.
    frames = int(page.get_attribute("#map-canvas", "data-frames"))
    page.focus("#map-canvas")
    page.keyboard.press("+")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"document.getElementById('map-canvas').dataset.frames > {frames}")
    # Mouse drag pans.
    box = page.locator("#map-canvas").bounding_box()
    frames = int(page.get_attribute("#map-canvas", "data-frames"))
    page.mouse.move(box["x"] + 200, box["y"] + 200)
    page.mouse.down()
    page.mouse.move(box["x"] + 260, box["y"] + 230, steps=5)
    page.mouse.up()
    page.wait_for_function(f"document.getElementById('map-canvas').dataset.frames > {frames}")
    # Accent-insensitive search, select, create a cellule on that node.
    page.fill("#map-search", "liege")
    page.click("#map-results button:text-is('Liège')")
    page.wait_for_selector("#node-panel")
    assert "Liège" in page.text_content("#node-panel h3")
    page.click("#node-panel [data-action=map-create]")
    page.fill("#f-name", "Cellule du Carré")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("#cellule-list .cellule-name:text-is('Cellule du Carré')")
    assert "Liège" in page.locator("li.cellule:has-text('Cellule du Carré') .place").text_content()
    # Clicking a node on the map selects it and lists its cellules.
    page.click("#tab-map")
    page.fill("#map-search", "namur")
    page.click("#map-results button:text-is('Namur')")
    page.wait_for_selector("#node-panel:has-text('Cellule Namur')")
    assert watch.errors == []


def test_english_is_one_click_away(make_context, server):
    context, page, watch = new_app(make_context, server)
    page.click("#lang-toggle")
    assert page.text_content("#tab-map") == "Map"
    assert page.evaluate("document.documentElement.lang") == "en"
    page.click("#new-cellule")
    page.fill("#f-name", "")
    page.click("#edit-form button[type=submit]")
    page.wait_for_function("(document.getElementById('form-error')?.textContent || '').length > 0")
    assert "required" in page.text_content("#form-error")


def test_storage_persistence_is_asked_and_shown(make_context, server):
    context, page, watch = new_app(make_context, server)
    page.click("#tab-settings")
    page.wait_for_function("(document.getElementById('storage-status')?.textContent || '').length > 0")
    text = page.text_content("#storage-status")
    # the association's data apart from the app's own offline copy (Chromium's usageDetails)
    assert "Le navigateur" in text and "vos données\u00a0:" in text and "l’application hors ligne\u00a0:" in text
    page.fill("#instance-name", "Asso Quartier Nord")
    page.click("#view-settings button[type=submit]")
    page.wait_for_function("document.getElementById('instance-label').textContent.includes('Asso Quartier Nord')")


def test_axe_finds_no_serious_or_critical_violation(make_context, server):
    axe = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()
    context, page, watch = new_app(make_context, server, bypass_csp=True)  # to inject axe-core
    create_cellule(page, "Cellule Axe", place="mons")
    page.click("li.cellule [data-action=open-cellule]")
    results = []
    for view in ("cellules", "map", "settings"):
        page.click(f"#tab-{view}")
        if view == "cellules":
            page.click("#new-cellule")
        page.add_script_tag(content=axe) if not page.evaluate("typeof axe !== 'undefined'") else None
        found = page.evaluate("axe.run(document).then(r => r.violations.map(v => [v.id, v.impact, v.nodes.length]))")
        results += [(view, *v) for v in found if v[1] in ("serious", "critical")]
    assert results == []


def test_stored_cellules_show_before_python_is_ready(make_context, server):
    context, page, watch = new_app(make_context, server, service_workers="block")
    create_cellule(page, "Cellule Aperçu", place="namur")
    slow = context.new_page()
    slow.route("**/pyodide/pyodide.asm.wasm", lambda route: None)  # Python never arrives
    slow.goto(server.url, wait_until="domcontentloaded")
    slow.wait_for_selector("#boot-preview li")
    assert slow.evaluate("document.documentElement.dataset.appState") == "booting"
    assert "Cellule Aperçu — Namur" in slow.text_content("#boot-preview")
    slow.close()


def test_touch_pinch_zooms_and_one_finger_drag_pans_the_map(make_context, server):
    context, page, watch = new_app(make_context, server, has_touch=True)
    page.click("#tab-map")
    page.wait_for_function("window.cellulesMap && window.cellulesMap.frames >= 1")
    before = page.evaluate("document.getElementById('map-canvas').toDataURL()")
    frames = page.evaluate("""async () => {
      const c = document.getElementById('map-canvas'); const r = c.getBoundingClientRect();
      const ev = (type, id, x, y) => c.dispatchEvent(new PointerEvent(type, {pointerId: id, pointerType: 'touch',
          clientX: r.left + x, clientY: r.top + y, bubbles: true, isPrimary: id === 1}));
      const frame = () => new Promise(requestAnimationFrame);
      const start = window.cellulesMap.frames;
      ev('pointerdown', 1, 300, 200); ev('pointerdown', 2, 340, 200);
      for (let i = 1; i <= 10; i++) {
        ev('pointermove', 1, 300 - i * 10, 200); ev('pointermove', 2, 340 + i * 10, 200); await frame();
      }
      ev('pointerup', 1, 200, 200); ev('pointerup', 2, 440, 200);
      ev('pointerdown', 3, 300, 300);
      for (let i = 1; i <= 5; i++) { ev('pointermove', 3, 300 + i * 15, 300 + i * 5); await frame(); }
      ev('pointerup', 3, 375, 325);
      await frame();
      return window.cellulesMap.frames - start;
    }""")
    assert frames >= 5
    assert page.evaluate("document.getElementById('map-canvas').toDataURL()") != before
    assert watch.errors == []


def test_erase_all_my_data_needs_the_typed_word(make_context, server):
    context, watch = make_context()
    page = context.new_page()
    answers = ["non", "EFFACER"]
    page.on("dialog", lambda d: d.accept(answers.pop(0)) if d.type == "prompt" else d.accept())
    page.goto(server.url)
    wait_ready(page)
    create_cellule(page, "À effacer", place="namur")
    page.click("#tab-settings")
    old_id = page.text_content("#instance-id")
    page.click("#wipe")
    page.wait_for_function("document.getElementById('status').textContent.includes('Rien')")
    assert page.locator(".cellule-name").count() == 1
    with page.expect_navigation():
        page.click("#wipe")
    wait_ready(page)
    assert page.locator("li.cellule").count() == 0
    page.click("#tab-settings")
    assert page.text_content("#instance-id") != old_id


def test_a_reminder_shows_when_the_last_full_backup_is_over_30_days_old(make_context, server):
    context, page, watch = new_app(make_context, server)
    create_cellule(page, "Cellule", place="namur")
    page.click("#tab-exchange")
    with page.expect_download():
        page.click("#export-full")
    page.reload()
    wait_ready(page)
    assert page.locator("#backup-banner:not([hidden])").count() == 0
    page.clock.install(time=__import__("time").time() + 40 * 86400)
    page.reload()
    wait_ready(page)
    banner = page.locator("#backup-banner")
    assert "Dernière sauvegarde il y a 40 jours" in banner.text_content()
    with page.expect_download():
        banner.locator("button").click()


V2_SETUP = """async ([meta, cellules]) => {
    // The layout of database version 2 (before buckets): one value per record.
    const db = await new Promise((ok, fail) => {
        const r = indexedDB.open('cellules-fwb', 2);
        r.onupgradeneeded = () => ['meta', 'cellules', 'ateliers', 'undo', 'journal']
            .forEach((name) => r.result.createObjectStore(name));
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
    });
    const tx = db.transaction(['meta', 'cellules'], 'readwrite');
    tx.objectStore('meta').put(meta, 'state');
    for (const [id, text] of cellules) tx.objectStore('cellules').put(text, id);
    await new Promise((ok) => { tx.oncomplete = ok; });
    db.close();
}"""

COUNT = """() => new Promise((ok) => {
    const r = indexedDB.open('cellules-fwb');
    r.onsuccess = async () => {
        const db = r.result, out = {};
        for (const name of ['cellules', 'cellule_buckets']) {
            out[name] = await new Promise((done) => {
                const q = db.transaction(name).objectStore(name).count();
                q.onsuccess = () => done(q.result);
            });
        }
        db.close();
        ok(out);
    };
})"""


def test_data_stored_by_the_previous_layout_is_read_then_moved_to_buckets(make_context, server):
    from app.core import actions, document

    state = actions.new_state(name="Ancienne", random_bytes=bytes(16))
    for i in range(3):
        state, _ = actions.create_cellule(state, {"nodeId": NODE, "name": f"Cellule v2 {i}"},
                                          now_ms=1_769_594_400_000 + i, random_bytes=bytes([i]) * 16)
    meta = json.dumps({"instanceId": state.instance_id, "instanceName": "Ancienne", "generation": 1,
                       "federatedSources": [], "extra": {}})
    texts = [[c.id, json.dumps(document.record_to_json(c), ensure_ascii=False)] for c in state.cellules.values()]
    context, watch = make_context()
    page = context.new_page()
    # same origin, app not started; the browser asks for /favicon.ico beside a document that is not a page
    watch.expect_errors("Failed to load resource: the server responded with a status of 404")
    page.goto(server.url + "static/manifest.webmanifest")
    page.evaluate(V2_SETUP, [meta, texts])
    page.goto(server.url)
    wait_ready(page)
    assert sorted(page.locator(".cellule-name").all_text_contents()) == [f"Cellule v2 {i}" for i in range(3)]
    assert page.evaluate(COUNT) == {"cellules": 3, "cellule_buckets": 0}  # read as it was
    create_cellule(page, "Cellule v3")
    assert page.evaluate(COUNT)["cellules"] == 0  # the first write moved everything to buckets
    page.reload()
    wait_ready(page)
    assert sorted(page.locator(".cellule-name").all_text_contents()) == \
        ["Cellule v2 0", "Cellule v2 1", "Cellule v2 2", "Cellule v3"]
    assert page.text_content("#instance-label").count("Ancienne") == 1
