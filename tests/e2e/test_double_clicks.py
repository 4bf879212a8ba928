"""Every action that writes happens once, however fast the clicks and taps come (app/web/actions.py
`Running` and `repeated`, through the shell's one event delegation).

Each write is tried with a double click (Playwright `dblclick`: the second click's `detail` is 2), with two
clicks or two taps while the first one still runs (the write lock held by the test, so the first one is
surely still running: the control says it is busy, aria-busy and greyed, and only one write waits for the
lock), and with two clicks dispatched in the same task. Then the data is counted exactly, after a reload:
cellules, ateliers, journal lines, confirmations asked."""

from __future__ import annotations

from conftest import wait_ready
from driver import new_app, next_frames, open_more_choices, paste
from peers import peer_export

HOLD = """() => new Promise(held => navigator.locks.request('cellules-fwb-write',
    () => new Promise(release => { window.__release = release; held(); })))"""
WAITING = """async () => (await navigator.locks.query()).pending
    .filter(p => p.name === 'cellules-fwb-write').length"""
BUSY = """sel => { const e = document.querySelector(sel);
    return [e.getAttribute('aria-busy'), e.getAttribute('aria-disabled'), getComputedStyle(e).opacity]; }"""


def centre(page, selector: str) -> tuple[float, float]:
    page.locator(selector).scroll_into_view_if_needed()
    box = page.locator(selector).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def two_clicks(page, selector: str) -> None:
    """Two clicks of the mouse on the control, the second without waiting for anything."""
    x, y = centre(page, selector)
    page.mouse.click(x, y)
    page.mouse.click(x, y)


def two_taps(page, selector: str) -> None:
    x, y = centre(page, selector)
    page.touchscreen.tap(x, y)
    page.touchscreen.tap(x, y)


def held(page, selector: str, clicks) -> None:
    """`clicks` on `selector` while the write lock is held elsewhere: the control is busy and one write
    waits; then the lock goes and that one write runs."""
    page.evaluate(HOLD)
    clicks()
    page.wait_for_function(f"({WAITING})().then(n => n === 1)")
    next_frames(page, 4)  # a second write would have asked for the lock by now
    assert page.evaluate(WAITING) == 1
    assert page.evaluate(BUSY, selector) == ["true", "true", "0.45"]  # says it is busy, greyed
    page.evaluate("window.__release()")


def new_cellule(page, name: str) -> None:
    page.click("#tab-cellules")
    page.click("#new-cellule")
    page.fill("#f-name", name)
    page.fill("#node-search", "namur")
    page.click("#node-results button >> nth=0")


def new_atelier(page, cellule: str, title: str) -> None:
    card = f"li.cellule:has(.cellule-name:text-is('{cellule}'))"
    if not page.locator(f"{card} [data-action=new-atelier]").is_visible():
        page.click(f"{card} [data-action=open-cellule]")
    page.click(f"{card} [data-action=new-atelier]")
    page.fill("#f-title", title)
    page.fill("#f-startsAt", "2030-03-07T18:30")


def preview(page, text: str) -> None:
    page.click("#tab-exchange")
    paste(page, text)
    page.wait_for_selector("#preview")


def journal(page, n: int) -> list[str]:
    """The journal's n lines, newest first, without their dates (read once all n are drawn: the
    journal is read from storage after the tab opens)."""
    page.click("#tab-exchange")
    lines(page, n)
    return [line.split(" — ", 1)[1] for line in page.locator("#journal li").all_text_contents()]


def lines(page, n: int) -> None:
    page.wait_for_function(f"document.querySelectorAll('#journal li').length === {n}")


def test_every_write_happens_once_however_fast_the_clicks(make_context, server):
    _, page, watch = new_app(make_context, server, viewport={"width": 1280, "height": 800}, has_touch=True)
    asked: list[str] = []
    page.on("dialog", lambda d: asked.append(d.message))  # accepted by boot's own listener
    submit = "#edit-form button[type=submit]"

    # « Enregistrer » of a cellule: double click; two clicks and Enter while it runs; two taps while it runs
    new_cellule(page, "Double clic")
    page.dblclick(submit)
    page.wait_for_selector("#cellule-list .cellule-name:text-is('Double clic')")
    new_cellule(page, "Deux clics")

    def clicks_and_enter():
        two_clicks(page, submit)
        page.press("#f-name", "Enter")

    held(page, submit, clicks_and_enter)
    page.wait_for_selector("#cellule-list .cellule-name:text-is('Deux clics')")
    new_cellule(page, "Deux tapes")
    held(page, submit, lambda: two_taps(page, submit))
    page.wait_for_selector("#cellule-list .cellule-name:text-is('Deux tapes')")

    # « Enregistrer » of an atelier: double click; two clicks in one task while it runs
    new_atelier(page, "Double clic", "Atelier double")
    page.dblclick(submit)
    page.wait_for_selector("li.atelier .atelier-title:text-is('Atelier double')")
    new_atelier(page, "Double clic", "Atelier deux clics")
    held(page, submit, lambda: page.eval_on_selector(submit, "b => { b.click(); b.click(); }"))
    page.wait_for_selector("li.atelier .atelier-title:text-is('Atelier deux clics')")

    # « Fusionner »: double click; then two clicks while it runs, and « Remplacer » too (the same decision)
    preview(page, peer_export(["Voisin 1", "Voisin 2", "Voisin 3"]))
    page.dblclick("#do-merge")
    page.wait_for_selector("#report")
    lines(page, 1)
    preview(page, peer_export(["Centre 1"], seed=9, instance="Asso du centre"))
    open_more_choices(page)

    def merge_clicks_then_replace():
        two_clicks(page, "#do-merge")
        page.mouse.click(*centre(page, "#do-replace"))

    held(page, "#do-merge", merge_clicks_then_replace)
    page.wait_for_selector("#report")
    lines(page, 2)
    assert asked == []  # « Remplacer » was not even asked

    # « Remplacer »: double click, one confirmation, one replace
    preview(page, peer_export(["Remplaçant"], seed=5, instance="Asso remplaçante"))
    open_more_choices(page)
    page.dblclick("#do-replace")
    page.wait_for_selector("#report")
    lines(page, 3)
    assert len(asked) == 1

    # undo: two clicks on « Annuler le dernier import » while it runs, and the report's own undo button
    def undo_clicks():
        two_clicks(page, "#undo-last")
        page.eval_on_selector("#report-undo", "b => b.click()")

    held(page, "#undo-last", undo_clicks)
    lines(page, 4)
    page.wait_for_selector("#undo-last[disabled]")

    # source removal: a double click asks once (in the page, no confirm box) and « Supprimer », double-clicked,
    # removes once; its undo, double-clicked, undoes once
    page.click("#tab-sources")
    page.dblclick("li.source:has(.source-name:text-is('Asso voisine')) [data-action=drop-source][data-step=ask]")
    page.wait_for_selector("#drop-confirm")
    assert page.locator("#drop-confirm").count() == 1
    page.dblclick("#drop-yes")
    page.wait_for_selector("#status-undo")
    assert len(asked) == 1
    page.dblclick("#status-undo")
    page.wait_for_selector("li.source:has(.source-name:text-is('Asso voisine'))")
    lines(page, 6)

    # the data, read again from storage
    page.reload()
    wait_ready(page)
    page.click("#tab-cellules")
    assert sorted(page.locator("#cellule-list .cellule-name").all_text_contents()) == [
        "Centre 1", "Deux clics", "Deux tapes", "Double clic", "Voisin 1", "Voisin 2", "Voisin 3"]
    page.click("li.cellule:has(.cellule-name:text-is('Double clic')) [data-action=open-cellule]")
    assert sorted(page.locator("li.atelier .atelier-title").all_text_contents()) == [
        "Atelier deux clics", "Atelier double"]
    assert page.locator("li.atelier").count() == 2
    assert [line.split("\u00a0:")[0].split(" ;")[0] for line in journal(page, 6)] == [
        "Annulé", "Source «\u00a0Asso voisine\u00a0» supprimée", "Annulé",
        "Remplacement depuis «\u00a0Asso remplaçante\u00a0»", "Fusion depuis «\u00a0Asso du centre\u00a0»",
        "Fusion depuis «\u00a0Asso voisine\u00a0»"]
    assert len(asked) == 1
    assert watch.errors == []
