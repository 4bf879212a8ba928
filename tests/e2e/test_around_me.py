"""« Autour de moi » as a volunteer lives it: at Namur station, with cellules 2–3 km away in other
hexagons, the panel lists the nearest cellules with their distance and the map shows them; on a
phone what it says is in view (the bottom sheet); outside the FWB (Eupen, Leuven) it says so and
names the node proposed. Place search: feedback when nothing matches, short names and quarters.

Screenshots (SHOTS=1): build/screenshots/around-me-namur-{desktop,phone}.png, around-me-eupen-desktop.png."""

from __future__ import annotations

import json
import math
from functools import cache

from conftest import ROOT
from driver import create_cellule, open_map, screenshot

from app.core.grid import COS_LAT, Grid
from app.core.nearby import distance_km, fmt_distance

NAMUR_STATION = {"latitude": 50.4686, "longitude": 4.8620}
EUPEN = {"latitude": 50.6285, "longitude": 6.0359}
LEUVEN = {"latitude": 50.8798, "longitude": 4.7005}
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 1}
NBSP = "\u00a0"


@cache
def grid() -> Grid:
    return Grid.from_json(json.loads((ROOT / "data" / "fwb_grid.json").read_text("utf-8")))


def settle(page) -> dict:
    page.clock.run_for(500)  # past the map's rest (170 ms) and the frames after it
    return json.loads(page.evaluate("window.cellulesMapProbe()"))


def expected_row(name: str, query: str, where: dict) -> tuple[float, str]:
    """(distance, the row's text) of a cellule placed by searching `query`."""
    node = grid().nodes[grid().search(query)[0].node_id]
    km = distance_km(where["latitude"], where["longitude"], node.lat, node.lon)
    return km, f"{name} {node.label} · à{NBSP}{fmt_distance('fr', km)}"


def on_canvas(page, view: dict, x: float, y: float) -> bool:
    box = page.locator("#map-canvas").bounding_box()
    sx, sy = x * view["scale"] + view["tx"], y * view["scale"] + view["ty"]
    return 0 < sx < box["width"] and 0 < sy < box["height"]


def in_viewport(page, selector: str, height: int) -> None:
    box = page.locator(selector).bounding_box()
    assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= height + 1, (selector, box)


def test_around_me_at_namur_lists_the_nearest_cellules_and_says_when_outside_the_fwb(make_context, server):
    page, watch = open_map(make_context, server, geolocation=NAMUR_STATION, permissions=["geolocation"], **DESKTOP)
    page.click("#tab-cellules")
    cellules = (("Voisins de Jambes", "jambes"), ("Potager de Bouge", "bouge"), ("Repair Café Mons", "mons"))
    for name, place in cellules:
        create_cellule(page, name, place)
    page.click("#tab-map")
    page.click("#map-near-me")
    page.wait_for_selector("#around-list")
    assert page.text_content("#node-title") == "Namur"
    assert page.text_content("#around-where") == f"Le lieu le plus proche de vous{NBSP}: Namur."
    assert page.text_content("#around-head") == f"Les cellules les plus proches{NBSP}:"
    rows = [text for _km, text in sorted(expected_row(name, place, NAMUR_STATION) for name, place in cellules)]
    assert page.locator("#around-list li").all_text_contents() == rows
    assert rows == [f"Potager de Bouge Bouge — Namur · à{NBSP}1,9\u202fkm",
                    f"Voisins de Jambes Jambes — Namur · à{NBSP}2,9\u202fkm",
                    f"Repair Café Mons Mons · à{NBSP}64\u202fkm"]
    # the map shows the position and the two Namur cellules' hexagons, a few kilometres across (Mons,
    # 64 km away, is listed, not fitted in), left of the panel that floats over the map's corner
    view = settle(page)
    panel_left = page.locator("#map-panel").bounding_box()["x"] - page.locator("#map-canvas").bounding_box()["x"]
    assert on_canvas(page, view, *view["here"]) and view["here"][0] * view["scale"] + view["tx"] < panel_left
    for _name, place in cellules[:2]:
        assert on_canvas(page, view, *grid().nodes[grid().search(place)[0].node_id].world), place
    assert not on_canvas(page, view, *grid().nodes[grid().search("mons")[0].node_id].world)
    height = page.locator("#map-canvas").bounding_box()["height"]
    assert 0.02 * view["scale"] < height / 4  # a hexagon (~0.02° tall) is far from filling the map
    in_viewport(page, "#node-panel", 800)
    screenshot(page, "around-me-namur-desktop")
    # a listed cellule shows its own place
    page.click("#around-list li >> nth=1 >> button")
    page.wait_for_function("document.getElementById('node-title').textContent === 'Jambes — Namur'")
    assert page.locator("#node-panel li").all_text_contents() == ["Voisins de Jambes "]
    assert page.locator("#around-list").count() == 0
    # Eupen: the German-speaking Community, outside the FWB; the nearest node is proposed, with its distance
    for where, words in ((EUPEN, "en Communauté germanophone, hors de la Fédération Wallonie-Bruxelles"),
                         (LEUVEN, "hors de la Fédération Wallonie-Bruxelles (en Flandre ou à l’étranger)")):
        page.context.set_geolocation(where)
        page.click("#map-near-me")
        page.wait_for_function("w => (document.getElementById('around-where')?.textContent || '').includes(w)",
                               arg=words)
        node = grid().nearest(where["longitude"] * COS_LAT, -where["latitude"])
        km = fmt_distance("fr", distance_km(where["latitude"], where["longitude"], node.lat, node.lon))
        said = (f"Vous êtes {words}{NBSP}: la grille ne couvre pas cet endroit. Lieu proposé, le plus proche dans "
                f"la FWB{NBSP}: {node.label}, à {km}.")
        assert page.text_content("#around-where") == said
        assert page.text_content("#map-message") == said
        assert page.text_content("#node-title") == node.label
        if where is EUPEN:
            assert node.label == "Membach — Baelen"
            settle(page)
            screenshot(page, "around-me-eupen-desktop")
    assert watch.errors == []


def test_around_me_on_a_phone_keeps_what_it_says_in_view(make_context, server):
    page, watch = open_map(make_context, server, geolocation=NAMUR_STATION, permissions=["geolocation"], **PHONE)
    # place search first: no match says so at once, short names and quarters are found
    page.fill("#map-search", "zzqq")
    page.wait_for_function("document.getElementById('map-message').textContent.includes('zzqq')")
    assert page.text_content("#map-message") == f"Aucun lieu ne correspond à «{NBSP}zzqq{NBSP}»."
    in_viewport(page, "#map-message", 844)
    page.fill("#map-search", "LLN")
    page.wait_for_function("document.getElementById('map-message').textContent === ''")
    assert page.text_content("#map-results li >> nth=0 >> button") == "Louvain-la-Neuve — Ottignies-Louvain-la-Neuve"
    page.fill("#map-search", "salzinnes")
    page.wait_for_selector("#map-results .hit-quarter")
    assert page.text_content("#map-results .hit-quarter .hit-kind") == "Quartier · Namur"
    page.click("#map-results .hit-quarter button")
    page.wait_for_selector("#node-panel")
    node = grid().nodes[grid().search("salzinnes")[0].node_id]
    assert page.text_content("#node-title") == node.label
    assert page.text_content("#map-message") == (f"«{NBSP}Salzinnes{NBSP}», quartier de Namur{NBSP}: sur la grille, "
                                                 f"le lieu «{NBSP}{node.label}{NBSP}».")
    page.click("#node-panel [data-action=map-close-panel]")
    page.fill("#map-search", "")
    # « Autour de moi » with two cellules 2–3 km away, in hexagons other than the one I stand in
    page.click("#tab-cellules")
    for name, place in (("Voisins de Jambes", "jambes"), ("Potager de Bouge", "bouge")):
        create_cellule(page, name, place)
    page.click("#tab-map")
    page.click("#map-near-me")
    page.wait_for_selector("#around-list")
    settle(page)
    for selector in ("#around-where", "#around-head", "#around-list", "#map-panel"):  # the sheet scrolls
        in_viewport(page, selector, 844)
    assert page.text_content("#around-where") == f"Le lieu le plus proche de vous{NBSP}: Namur."
    assert page.locator("#around-list li").count() == 2
    wrap, sheet = page.locator("#map-wrap").bounding_box(), page.locator("#map-panel").bounding_box()
    assert 0 <= wrap["y"] < sheet["y"]  # the map above the sheet, its top in view
    view = json.loads(page.evaluate("window.cellulesMapProbe()"))
    hx, hy = view["here"][0] * view["scale"] + view["tx"], view["here"][1] * view["scale"] + view["ty"]
    assert 0 < hx < 390 and 0 < wrap["y"] + hy < sheet["y"]  # the position shows above the sheet
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390
    assert math.isfinite(view["scale"])
    screenshot(page, "around-me-namur-phone")
    assert watch.errors == []
