"""The map as people use it: borders and labels drawn, search selects the commune's own
centre, no H3 code on screen, « Autour de moi », picking a place for a form, the phone's bottom sheet.

Screenshots (build/screenshots/map-*.png) only with SHOTS=1, to look at."""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path

from conftest import ROOT
from driver import SHOTS, open_map, screenshot

from app.core import i18n

H3_CODE = re.compile(r"\b8[0-9a-f]{14}\b")
MAP = json.loads((ROOT / "data" / "fwb_map.json").read_text("utf-8"))
GRID = json.loads((ROOT / "data" / "fwb_grid.json").read_text("utf-8"))
NAMUR_STATION = {"latitude": 50.4686, "longitude": 4.8620}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 1}
REST_MS = 500  # well past the map's rest (170 ms) and the frames that follow it
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1}


def probe(page) -> dict:
    return json.loads(page.evaluate("window.cellulesMapProbe()"))


def settle(page) -> dict:
    """The page's clock driven past the moment a gesture or a zoom rests (app/web/map.py REST_S and
    map_paint.SETTLE_S, 0.15 s; the settle timer adds 20 ms) and the frames it asks for: the view and the
    labels of the crisp frame drawn then."""
    page.clock.run_for(REST_MS)
    assert page.evaluate("window.cellulesMap.crisp") is True
    return probe(page)


def search(page, query: str) -> None:
    page.fill("#map-search", query)
    page.press("#map-search", "Enter")
    page.wait_for_selector("#node-panel")


def decode(path: str) -> list[tuple[int, int]]:
    nums = [int(n) for n in re.findall(r"-?\d+", path)]
    pts = [(nums[0], nums[1])]
    for dx, dy in zip(nums[2::2], nums[3::2], strict=True):
        pts.append((pts[-1][0] + dx, pts[-1][1] + dy))
    return pts


PIXELS = """(points) => {
  const c = document.getElementById('map-canvas');
  const ctx = c.getContext('2d');
  return points.map(([x, y]) => {
    const d = ctx.getImageData(Math.round(x) - 2, Math.round(y) - 2, 5, 5).data;
    let border = 0, ink = 0, halo = 0;
    for (let i = 0; i < d.length; i += 4) {
      const [r, g, b] = [d[i], d[i + 1], d[i + 2]];
      if (b - g > -15 && r < 170) border++;       // slate borders, even half-covered: bluer than the green
      if (r + g + b < 240) ink++;                   // label text
      if (r > 246 && g > 246 && b > 246) halo++;    // the white halo around it
    }
    return [border, ink, halo];
  });
}"""


def test_borders_and_labels_are_drawn_where_the_data_puts_them(make_context, server):
    page, watch = open_map(make_context, server, **DESKTOP)
    search(page, "namur")
    view = settle(page)
    screenshot(page.locator("#map-canvas"), "map-desktop-namur-commune")
    box = page.locator("#map-canvas").bounding_box()
    w, h = box["width"], box["height"]
    k = view["scale"] / 1e4

    def screen(p):
        return p[0] * k + view["tx"], p[1] * k + view["ty"]

    segments = []
    for *_kind_and_box, path, _coarse in MAP["arcs"]:
        pts = [screen(p) for p in decode(path)]
        segments += [(a, b) for a, b in zip(pts, pts[1:], strict=False)
                     if -20 < a[0] < w + 20 and -20 < a[1] < h + 20]
    assert len(segments) > 100

    def distance(p):
        best = math.inf
        for (ax, ay), (bx, by) in segments:
            dx, dy = bx - ax, by - ay
            t = max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / (dx * dx + dy * dy or 1)))
            best = min(best, math.hypot(p[0] - ax - t * dx, p[1] - ay - t * dy))
        return best

    labels = view["labels"]
    assert any(text == "Namur" and kind == "commune" for text, kind, *_ in labels)

    def near_label(p, margin=14):
        return any(abs(p[0] - x) < 6 * len(text) + margin and abs(p[1] - y) < 8 + margin for text, _k, x, y in labels)

    sel = GRID["nodes"][[n[0] for n in GRID["nodes"]].index(view["selected"])]
    sel_xy = (sel[3] * math.cos(math.radians(50.5)) * view["scale"] + view["tx"], -sel[2] * view["scale"] + view["ty"])
    # On a border: points along the arcs (away from labels). Off a border: a lattice of points > 8 px from any.
    on = [((a[0] + b[0]) / 2, (a[1] + b[1]) / 2) for a, b in segments[::7]]
    on = [p for p in on if 10 < p[0] < w - 10 and 10 < p[1] < h - 30 and not near_label(p)][:60]
    off = [(x, y) for x in range(15, int(w) - 15, 37) for y in range(15, int(h) - 30, 29)]
    off = [p for p in off if distance(p) > 8 and not near_label(p) and math.dist(p, sel_xy) > 90][:120]
    assert len(on) >= 20 and len(off) >= 40
    on_px = page.evaluate(PIXELS, on)
    off_px = page.evaluate(PIXELS, off)
    assert sum(1 for border, _i, _h in on_px if border) >= 0.9 * len(on), "commune borders missing"
    assert [p for p, (border, _i, _h) in zip(off, off_px, strict=True) if border] == [], "border colour off the borders"
    # Labels: dark text with a white halo where the map says it drew them.
    inside = [(x, y) for _t, _k, x, y in labels if 20 < x < w - 20 and 10 < y < h - 30]
    assert inside
    for x, y in inside[:15]:
        spots = [(x + dx, y) for dx in range(-12, 13, 3)]
        px = page.evaluate(PIXELS, spots)
        assert sum(i for _b, i, _h in px) > 0 and sum(hh for _b, _i, hh in px) > 0, (x, y)
    assert watch.errors == []


def test_search_selects_the_node_named_after_the_commune(make_context, server):
    page, watch = open_map(make_context, server, **DESKTOP)
    liege, hainaut, brussels = "Province de Liège", "Province du Hainaut", "Région de Bruxelles-Capitale"
    for query, expected, region in (("liege", "Liège", liege), ("4000", "Liège", liege), ("mons", "Mons", hainaut),
                                    ("7000", "Mons", hainaut), ("ixelles", "Ixelles", brussels),
                                    ("1050", "Ixelles", brussels)):
        page.fill("#map-search", query)
        first = page.locator("#map-results li").first
        kind = "Code postal" if query.isdigit() else "Commune"
        assert first.locator(".hit-kind").text_content().startswith(kind), query
        page.press("#map-search", "Enter")
        page.wait_for_function(f"document.getElementById('node-title')?.textContent === {expected!r}")
        assert page.text_content("#node-panel .where") == f"Commune\u00a0: {expected} · {region}", query
        selected = probe(page)["selected"]
        node = next(n for n in GRID["nodes"] if n[0] == selected)
        assert GRID["communes"][node[4]]["fr"] == expected and GRID["localities"][node[5]] == expected, query
    assert watch.errors == []


def test_results_list_communes_localities_and_postal_codes_distinctly(make_context, server):
    page, watch = open_map(make_context, server, **DESKTOP)
    page.fill("#map-search", "jambes")
    page.wait_for_selector("#map-results .hit-locality")
    assert page.text_content("#map-results .hit-locality button") == "Jambes — Namur"
    assert page.text_content("#map-results .hit-locality .hit-kind") == "Localité · Namur"
    page.fill("#map-search", "1050")
    rows = page.locator("#map-results li.hit-postcode")
    assert rows.count() == 2 and rows.first.locator("button").text_content() == "1050 Ixelles"
    page.fill("#map-search", "xyzzy")
    page.press("#map-search", "Enter")
    page.wait_for_function("document.getElementById('map-message').textContent.includes('xyzzy')")
    assert page.text_content("#map-message") == "Aucun lieu ne correspond à «\u00a0xyzzy\u00a0»."
    assert page.locator("#node-panel").count() == 0


def visible_text(page) -> str:
    return page.evaluate("""() => document.body.innerText + '\\n' + [...document.querySelectorAll('*')]
        .filter(e => e.checkVisibility && e.checkVisibility())
        .map(e => ['aria-label', 'title', 'alt', 'placeholder'].map(a => e.getAttribute(a) || '').join(' ')
                  + (e.tagName === 'INPUT' && e.type !== 'hidden' ? ' ' + e.value : '')).join('\\n')""")


def test_no_h3_code_in_any_visible_text(make_context, server, tmp_path):
    page, watch = open_map(make_context, server, **DESKTOP)
    assert page.text_content("#map-help") == i18n.t("map.help")  # a mouse and keys
    page.click("#tab-cellules")
    page.click("#new-cellule")
    page.fill("#f-name", "Cellule Bressoux")
    page.fill("#node-search", "bressoux")
    page.click("#node-results button >> nth=0")
    # the click's handler runs in Python after the click returns: wait for the form to show the choice
    page.wait_for_function("(document.getElementById('node-chosen')?.textContent || '').includes('Bressoux — Liège')")
    assert not H3_CODE.search(visible_text(page))
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("#cellule-list .cellule-name:text-is('Cellule Bressoux')")
    page.click("li.cellule [data-action=open-cellule]")
    seen = []
    for view in ("cellules", "map", "exchange", "sources", "help", "settings"):
        page.click(f"#tab-{view}")
        if view == "map":
            search(page, "bressoux")
            page.wait_for_selector("#node-panel:has-text('Cellule Bressoux')")
            assert page.text_content("#node-title") == "Bressoux — Liège"
            settle(page)
        text = visible_text(page)
        seen.append(view)
        assert not H3_CODE.search(text), (view, H3_CODE.findall(text))
    labels = [t for t, *_ in probe(page)["labels"]]
    assert labels and not any(H3_CODE.search(t) for t in labels)
    assert watch.errors == []


def test_near_me_proposes_the_nearest_node(make_context, server):
    page, watch = open_map(make_context, server, geolocation=NAMUR_STATION, permissions=["geolocation"], **DESKTOP)
    page.click("#map-near-me")
    page.wait_for_selector("#node-panel")
    assert page.text_content("#node-panel .where") == "Commune\u00a0: Namur · Province de Namur"
    assert page.text_content("#map-message") == "Le lieu le plus proche de vous\u00a0: Namur."
    view = settle(page)
    assert view["here"] is not None
    x, y = view["here"][0] * view["scale"] + view["tx"], view["here"][1] * view["scale"] + view["ty"]
    box = page.locator("#map-canvas").bounding_box()
    assert 0 < x < box["width"] and 0 < y < box["height"]  # centred on the device's position
    panel = page.locator("#node-panel").bounding_box()  # the panel is in view on a desktop too
    assert 0 <= panel["y"] and panel["y"] + panel["height"] <= 800 and panel["x"] + panel["width"] <= 1280
    screenshot(page, "map-desktop-near-me")
    assert watch.errors == []


def test_near_me_refused_says_so_in_french_and_changes_nothing(make_context, server):
    page, watch = open_map(make_context, server, **DESKTOP)  # no geolocation permission granted
    before = settle(page)
    page.click("#map-near-me")
    page.wait_for_function("document.getElementById('map-message').classList.contains('error-text')")
    message = page.text_content("#map-message")
    assert message == ("Vous avez refusé l’accès à votre position\u00a0: rien n’a changé. Autorisez-le dans les "
                       "réglages du navigateur, ou cherchez votre commune ou votre code postal.")
    after = settle(page)
    assert (after["scale"], after["tx"], after["ty"], after["selected"], after["here"]) == (
        before["scale"], before["tx"], before["ty"], None, None)
    assert page.locator("#node-panel").count() == 0
    assert watch.errors == []


def test_phone_picks_a_place_for_a_form_with_the_bottom_sheet_in_view(make_context, server):
    page, watch = open_map(make_context, server, **PHONE)
    assert page.text_content("#map-help") == i18n.t("map.help_touch")  # fingers: no arrows, wheel nor Entrée
    assert page.text_content("#map-search-hint") == i18n.t("map.search_hint_touch")
    assert page.get_attribute("#map-canvas", "aria-label").endswith(i18n.t("map.help_touch"))
    screenshot(page, "map-phone-fwb")
    # A tap on the map opens the node's sheet over the map, in view.
    canvas = page.locator("#map-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.5)
    page.wait_for_selector("#node-panel")
    settle(page)
    sheet_in_view(page)
    screenshot(page, "map-phone-sheet")
    page.click("#node-panel [data-action=map-close-panel]")
    page.wait_for_selector("#node-panel", state="detached")
    # Picking: the form asks for a place, the map says for what, choosing fills the form.
    page.click("#tab-cellules")
    page.click("#new-cellule")
    page.fill("#f-name", "Repair Café")
    # The form's place search says when nothing matches (the map's words); a quarter has its own look
    page.fill("#node-search", "Xyzzyville")
    page.wait_for_function("document.getElementById('node-search-message').textContent.length > 0")
    assert page.text_content("#node-search-message") == i18n.t("map.no_hit", q="Xyzzyville")
    assert page.locator("#node-results li").count() == 0
    page.locator("#node-search").scroll_into_view_if_needed()
    screenshot(page, "form-place-no-match")
    page.fill("#node-search", "Salzinnes")
    page.wait_for_selector("#node-results li.hit-quarter")
    assert page.text_content("#node-search-message") == ""
    assert page.text_content("#node-results li.hit-quarter .hit-kind") == "Quartier · Namur"
    look = ("e => [getComputedStyle(e).color, getComputedStyle(e).fontStyle,"
            " getComputedStyle(e.parentNode).borderLeftWidth]")
    assert page.eval_on_selector("#node-results li.hit-quarter .hit-kind", look) == ["rgb(29, 78, 216)", "italic",
                                                                                     "4px"]
    screenshot(page, "form-place-quarter")
    # the quarter's hexagon is named after another place: the form names both
    page.click("#node-results li.hit-quarter button")
    page.wait_for_function("(document.getElementById('node-chosen')?.textContent || '').includes('Salzinnes')")
    assert page.text_content("#node-chosen") == ("Lieu choisi\u00a0: Salzinnes, dans l’hexagone "
                                                 "«\u00a0Belgrade — Namur\u00a0»")
    page.fill("#node-search", "")
    page.click("[data-action=pick-on-map]")
    page.wait_for_selector("#map-pick:not([hidden])")
    assert page.text_content("#map-pick-text") == "Choisissez le lieu de «\u00a0Repair Café\u00a0»"
    top = page.locator("#map-pick").bounding_box()
    assert 0 <= top["y"] < 844
    search(page, "mons")
    settle(page)
    sheet_in_view(page)
    assert page.text_content("#node-panel [data-action=map-choose]") == "Choisir ce lieu"
    screenshot(page, "map-phone-picking")
    page.click("#node-panel [data-action=map-choose]")
    page.wait_for_selector("#edit-form")
    assert page.text_content("#node-chosen") == "Lieu choisi\u00a0: Mons"
    assert page.input_value("#f-name") == "Repair Café"
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("#cellule-list .cellule-name:text-is('Repair Café')")
    assert page.text_content("li.cellule:has-text('Repair Café') .place") == "Mons"
    # Zoomed into Brussels on the phone, with its count of cellules on Mons further away.
    page.click("#tab-map")
    search(page, "ixelles")
    settle(page)
    screenshot(page, "map-phone-ixelles")
    assert watch.errors == []


def sheet_in_view(page) -> None:
    sheet = page.locator("#node-panel").bounding_box()
    wrap = page.locator("#map-wrap").bounding_box()
    assert sheet["y"] >= 0 and sheet["y"] + sheet["height"] <= 844 + 1, sheet  # whole sheet on screen
    # the map shows above the sheet: its top on screen, and at least three quarters of it above the
    # sheet's top edge (a sheet at the screen's bottom under a map brought to the top hides at most its edge)
    assert 0 <= wrap["y"] < sheet["y"], (wrap, sheet)
    assert min(sheet["y"], wrap["y"] + wrap["height"]) - wrap["y"] >= 0.75 * wrap["height"], (wrap, sheet)
    view = probe(page)
    node = next(n for n in GRID["nodes"] if n[0] == view["selected"])
    sx = wrap["x"] + node[3] * math.cos(math.radians(50.5)) * view["scale"] + view["tx"]
    sy = wrap["y"] + -node[2] * view["scale"] + view["ty"]
    assert 0 <= sx <= 390 and max(wrap["y"], 0) <= sy < sheet["y"], (sx, sy, sheet)  # the node shows above it


def test_desktop_views_at_several_zooms(make_context, server):
    """Screenshots to look at (whole FWB, a province, Brussels, a commune) and counts on nodes."""
    page, watch = open_map(make_context, server, **DESKTOP)
    assert page.text_content("#map-help") == i18n.t("map.help")  # a mouse and keys
    page.click("#tab-cellules")
    for name in ("Cellule A", "Cellule B"):
        page.click("#new-cellule")
        page.fill("#f-name", name)
        page.fill("#node-search", "namur")
        page.click("#node-results button >> nth=0")
        page.click("#edit-form button[type=submit]")
        page.wait_for_selector(f"#cellule-list .cellule-name:text-is('{name}')")
    page.click("#tab-map")
    page.locator("#map-wrap").scroll_into_view_if_needed()
    screenshot(page, "map-desktop-fwb")
    whole = settle(page)
    yellow = page.evaluate("""() => { const c = document.getElementById('map-canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] === 0xfa && d[i+1] === 0xcc && d[i+2] === 0x15) n++;
        return n; }""")
    assert yellow > 20  # the node with cellules shows over borders and names, even over the whole FWB
    assert {"Bruxelles", "Liège", "Namur", "Charleroi", "Mons"} <= {t for t, *_ in whole["labels"]}
    assert all(k == "commune" for _t, k, *_ in whole["labels"])
    search(page, "namur")  # then out, by keyboard, to the province
    page.focus("#map-canvas")
    for _ in range(3):
        page.keyboard.press("-")
    province = settle(page)
    screenshot(page, "map-desktop-province")
    search(page, "bruxelles")
    page.focus("#map-canvas")
    for _ in range(3):
        page.keyboard.press("-")
    settle(page)
    screenshot(page, "map-desktop-brussels")
    search(page, "namur")
    commune = settle(page)
    screenshot(page, "map-desktop-commune")
    assert any(k == "locality" for _t, k, *_ in commune["labels"])
    assert ["2", "count"] == next(lab[:2] for lab in commune["labels"] if lab[1] == "count")
    assert province["scale"] < commune["scale"]
    assert watch.errors == []


def test_near_me_without_geolocation_says_so_and_changes_nothing(make_context, server):
    page, watch = open_map(make_context, server, **DESKTOP, init_scripts=(
        "Object.defineProperty(Navigator.prototype, 'geolocation', {get: () => undefined})",))
    search(page, "mons")
    before = settle(page)
    page.click("#map-near-me")
    page.wait_for_function("document.getElementById('map-message').classList.contains('error-text')")
    assert page.text_content("#map-message") == ("Votre position n’est pas disponible sur cet appareil\u00a0: rien "
                                                 "n’a changé. Cherchez votre commune ou votre code postal.")
    after = settle(page)
    assert (after["scale"], after["tx"], after["ty"], after["selected"], after["here"]) == (
        before["scale"], before["tx"], before["ty"], before["selected"], None)
    assert page.text_content("#node-title") == "Mons"
    assert watch.errors == []


# A gesture driven from inside the page, one step per animation frame: wheel steps (deltaY) at a point,
# or a two-finger pinch then a one-finger drag (touch). Returns what the last frame of the gesture was,
# before it rests: crisp or not, the gesture frames drawn, and that frame's pixels (PNG data URL).
GESTURE = """async ([kind, steps, fx, fy]) => {
  const c = document.getElementById('map-canvas'); const r = c.getBoundingClientRect();
  const frame = () => new Promise(requestAnimationFrame);
  const x = r.left + r.width * fx, y = r.top + r.height * fy;
  const touch = (type, id, dx, dy) => c.dispatchEvent(new PointerEvent(type, {pointerId: id, pointerType: 'touch',
      clientX: x + dx, clientY: y + dy, bubbles: true, isPrimary: id === 1}));
  await frame(); await frame();  // the frame of anything changed before: not the gesture's
  const start = window.cellulesMap.cachedFrames, frames = window.cellulesMap.frames;
  if (kind === 'wheel') {
    for (const dy of steps) {
      c.dispatchEvent(new WheelEvent('wheel', {deltaY: dy, clientX: x, clientY: y, bubbles: true, cancelable: true}));
      await frame();
    }
  } else {
    touch('pointerdown', 1, -20, 0); touch('pointerdown', 2, 20, 0);
    for (let i = 1; i <= steps; i++) { touch('pointermove', 1, -20 - 3 * i, 0); touch('pointermove', 2, 20 + 3 * i, 0);
                                       await frame(); }
    touch('pointerup', 2, 20 + 3 * steps, 0);
    for (let i = 1; i <= steps; i++) { touch('pointermove', 1, -20 - 3 * steps + 5 * i, 3 * i); await frame(); }
  }
  await frame();
  return {crisp: window.cellulesMap.crisp, cached: window.cellulesMap.cachedFrames - start,
          frames: window.cellulesMap.frames - frames, png: c.toDataURL(),
          probe: JSON.parse(window.cellulesMapProbe())};
}"""

CAPTURE = """(name) => { const c = document.getElementById('map-canvas');
  window['mapPixels_' + name] = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; }"""
# Pixels of two captures that differ at all, and by more than 60 in a channel (a different thing drawn there).
DIFF = """([a, b]) => { const p = window['mapPixels_' + a], q = window['mapPixels_' + b];
  let any = 0, big = 0;
  for (let i = 0; i < p.length; i += 4) {
    const d = Math.max(Math.abs(p[i] - q[i]), Math.abs(p[i + 1] - q[i + 1]), Math.abs(p[i + 2] - q[i + 2]));
    if (d > 0) any++; if (d > 60) big++;
  }
  return {any, big, total: p.length / 4}; }"""


def save_png(data_url: str, path: Path) -> None:
    import base64

    path.write_bytes(base64.b64decode(data_url.split(",", 1)[1]))


def test_gestures_draw_a_scaled_bitmap_then_end_on_the_crisp_frame(make_context, server):
    """Wheel zoom (desktop) and pinch + drag (phone): while the gesture runs the frames are the last crisp
    frame scaled (cheap to rasterise); once it rests the canvas is exactly a fresh full draw of that view."""
    # (name, context, gesture, steps, where, crisp frames mid-gesture): in ×2.8 towards Namur–Liège, the
    # bitmap at its blurriest, never redrawn; out ÷5 from Namur, crisp again once the bitmap covers < 1/4;
    # a pinch ×2.8 then a drag of one finger.
    for name, kw, kind, steps, fx, fy, refresh in (
        ("desktop", DESKTOP, "wheel", [-40] * 13, 0.62, 0.42, False),
        ("desktop-out", DESKTOP, "wheel", [40] * 20, 0.5, 0.5, True),
        ("phone", PHONE, "pinch", 12, 0.5, 0.4, False),
    ):
        page, watch = open_map(make_context, server, **kw)
        if name == "desktop-out":
            search(page, "namur")
            settle(page)
        page.locator("#map-wrap").scroll_into_view_if_needed()
        before = settle(page)
        page.evaluate("window.cellulesMapGestureCache(true, 800)")  # a slow frame here must not end the gesture
        mid = page.evaluate(GESTURE, [kind, steps, fx, fy])
        assert mid["crisp"] is False and mid["cached"] >= 5, (name, mid["crisp"], mid["cached"])
        assert mid["probe"]["scale"] != before["scale"]
        assert (mid["frames"] > mid["cached"]) is refresh, (name, mid["frames"], mid["cached"])
        if os.environ.get("SHOTS"):  # the gesture's last frame, to look at
            SHOTS.mkdir(parents=True, exist_ok=True)
            save_png(mid["png"], SHOTS / f"map-gesture-{name}-mid.png")
        page.evaluate("""(png) => new Promise(done => { const img = new Image(); img.onload = () => {
            const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
            const x = c.getContext('2d'); x.drawImage(img, 0, 0);
            window.mapPixels_mid = x.getImageData(0, 0, c.width, c.height).data; done(); }; img.src = png; })""",
                      mid["png"])
        page.wait_for_function("window.cellulesMap.crisp", timeout=10_000)  # it rests by itself: no more input
        after = settle(page)
        assert after["crisp"] is True
        assert (after["scale"], after["tx"], after["ty"]) == (mid["probe"]["scale"], mid["probe"]["tx"],
                                                              mid["probe"]["ty"]), name
        page.evaluate(CAPTURE, "settled")
        screenshot(page.locator("#map-canvas"), f"map-gesture-{name}-after")
        page.evaluate("window.cellulesMapDraw(0, false)")  # a fresh full draw of the same view
        page.evaluate(CAPTURE, "fresh")
        assert probe(page)["labels"] == after["labels"]
        same = page.evaluate(DIFF, ["settled", "fresh"])
        assert same["any"] == 0, (name, same)
        # The gesture's last frame was the bitmap, not the crisp frame: close to it, yet not it.
        blur = page.evaluate(DIFF, ["mid", "fresh"])
        assert blur["any"] > 0.01 * blur["total"], (name, blur)
        assert blur["big"] < 0.2 * blur["total"], (name, blur)  # the same map, not something broken
        assert watch.errors == []
        page.context.close()
