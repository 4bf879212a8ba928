"""The action table (app/web/actions.py) walked from the user's side.

1. Every view is reachable from the table: each tab panel through the table's `tab` entry (a control carrying
   `data-action=tab` and its `data-tab`), each dialog and panel through the table entry that opens it.
2. After EVERY action of the table that reports something, a status message is inside the viewport of a phone
   (390×844, where « out of sight » is one scroll away): a live region (role=status / alert, aria-live) outside
   the header whose text is new. Every entry of the table is classified here — reports a status, or why it does
   not (it opens something, it filters, it is an intake: tests/e2e/test_feedback_in_view.py) — so an entry added
   to the table without a decision fails `test_every_table_entry_is_classified`.
One page walks every case in turn (booting once per case costs minutes on a shared machine); each case is then
its own test.
"""

from __future__ import annotations

import ast

import pytest
from conftest import ROOT, wait_ready
from driver import create_cellule
from peers import peer_export
from views import NEW_STATUS, NEW_STATUS_ANYWHERE, REMEMBER, walk_page

from app.web import actions

# The tabs, as app/web/context.py declares them (that module imports `js`: read, not imported).
TAB_NAMES = tuple(name for name, _ in next(ast.literal_eval(node.value) for node in ast.parse(
    (ROOT / "app" / "web" / "context.py").read_text("utf-8")).body
    if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "TABS"))

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True,
         "permissions": ["geolocation", "clipboard-read", "clipboard-write"],
         "geolocation": {"latitude": 50.4669, "longitude": 4.8675}}  # Namur

SHOWN = """() => [...document.querySelectorAll('[role=tabpanel]')].filter(p => !p.hidden).map(p => p.id)
    .concat(document.querySelector('[data-action=tab][aria-selected=true]')?.dataset.tab)"""
# (table, name) of every entry that reports what it did: each is performed below, on a phone.
STATUS = (
    ("form", "cellule"), ("form", "atelier"), ("form", "settings"),
    ("action", "delete-cellule"), ("action", "delete-atelier"), ("action", "history-restore"),
    ("action", "export-full"), ("action", "export-cellules"), ("action", "export-copy"), ("action", "export-sql"),
    ("action", "fx-csv-cellules"), ("action", "fx-csv-ateliers"), ("action", "fx-geojson"), ("action", "fx-ics"),
    ("action", "fx-print"), ("action", "do-restore"), ("action", "do-merge"), ("action", "do-replace"),
    ("action", "undo"), ("action", "drop-source"), ("action", "wipe"), ("action", "map-near-me"),
    ("action", "backup-now"), ("form", "welcome"), ("action", "undo-delete-cellule"),
)
OPENS = "opens {} (its result is the thing opened, in view: test_views.py, test_a11y_views.py)"
INTAKE = "an intake: the preview comes into view and takes focus (test_feedback_in_view.py)"
# (table, name) -> why that entry reports no status.
SILENT = {
    ("action", "tab"): "navigation: the view it opens is checked by test_every_tab_is_reached_through_the_table",
    ("action", "open-cellule"): "unfolds the cellule's ateliers in place",
    ("action", "new-cellule"): OPENS.format("the cellule form"),
    ("action", "edit-cellule"): OPENS.format("the cellule form"),
    ("action", "new-atelier"): OPENS.format("the atelier form"),
    ("action", "edit-atelier"): OPENS.format("the atelier form"),
    ("action", "cancel-form"): "closes the form (focus goes back where the user was)",
    ("action", "pick-node"): "fills the form's place field under the user's finger",
    ("action", "pick-on-map"): OPENS.format("the map in pick mode, with its banner (a live region)"),
    ("action", "show-qr"): OPENS.format("the QR dialog"),
    ("action", "close-qr"): "closes the QR dialog",
    ("action", "history-open"): OPENS.format("the history dialog"),
    ("action", "history-close"): "closes the history dialog",
    ("action", "mark-seen"): "« J’ai vu »: the « modifié aussi par … » flag it stands in disappears",
    ("action", "map-hit"): OPENS.format("the map's place panel"),
    ("action", "map-close-panel"): "closes the map's place panel",
    ("action", "map-cancel-pick"): "leaves pick mode, back to the form",
    ("action", "map-choose"): "back to the form with the place filled in",
    ("action", "map-create"): OPENS.format("the cellule form on that place"),
    ("action", "anim-open"): OPENS.format("the animated QR dialog"),
    ("action", "live-open"): "opens « Synchroniser en direct » (its states, in view: test_live_sync.py)",
    ("action", "anim-kind"): "switches what the animated QR sends, in the open dialog",
    ("action", "anim-close"): "closes the animated QR dialog",
    ("action", "import-paste"): INTAKE,
    ("action", "import-url"): INTAKE,
    ("action", "scan-camera"): INTAKE + "; the camera's own status: test_fountain_camera.py",
    ("action", "scan-stop"): "stops the camera",
    ("action", "cancel-import"): "closes the preview",
    ("input", "filter-text"): "filters the list in place (its count is under the filters)",
    ("input", "filter-commune"): "filters the list in place",
    ("input", "filter-fed"): "filters the list in place",
    ("input", "node-search"): "place results under the field being typed in",
    ("input", "map-search"): "place results under the field being typed in",
    ("input", "import-file"): INTAKE,
    ("input", "scan-image"): INTAKE,
    ("action", "qr-copy-link"): "« Lien copié » beside the button, inside the QR dialog (test_cellules_view.py)",
    ("action", "install-app"): "hands over to the browser's own install prompt (test_cellules_view.py)",
    ("action", "welcome-restore"): "navigation to « Échanger », where a backup is chosen (test_cellules_view.py)",
    ("action", "welcome-later"): "puts the welcome card away, focus on « Nouvelle cellule »"
                                   " (test_group_name_after_link.py)",
    ("action", "name-group"): OPENS.format("« Réglages » on the group's name (test_group_name_after_link.py)"),
    ("action", "refresh-source"): "loads a source again: its preview comes into view and takes focus, an error"
                                  " is said in the view's status (test_sources_refresh.py)",
    ("action", "refresh-all"): "loads every source with an address: one preview in view with focus"
                               " (test_sources_refresh.py)",
    ("action", "refresh-merge"): "the merge's report in the view's status, checked on a phone in"
                                 " test_sources_refresh.py",
    ("action", "refresh-cancel"): "closes the refresh preview",
}


# Actions whose status is known to be out of sight (none today); strict, so an entry flips to a failure once
# fixed — then delete its line.
KNOWN: dict[str, str] = {}


def table_entries() -> set[tuple[str, str]]:
    return {(kind, name) for kind, table in actions.TABLES.items() for name in table}


def test_every_table_entry_is_classified():
    """Each entry reports a status (and is performed below) or says why not; none is both, none is left out."""
    assert not set(STATUS) & set(SILENT)
    assert table_entries() - set(STATUS) - set(SILENT) == set(), "entries of actions.py with no decision here"
    assert set(STATUS) | set(SILENT) <= table_entries(), "entries here that actions.py no longer has"


def tap(page, selector: str) -> None:
    """What a finger does: the control scrolled into view (inside a closed « Avancé » too), then tapped."""
    page.eval_on_selector(selector, "e => { const d = e.closest('details'); if (d) d.open = true; }")
    page.locator(selector).first.scroll_into_view_if_needed()
    page.locator(selector).first.tap()


def tab(page, name: str) -> None:
    page.locator(f"[data-action=tab][data-tab={name}]").tap()
    page.wait_for_selector(f"#view-{name}:not([hidden])")


def preview(page, text: str) -> None:
    tab(page, "exchange")
    page.fill("#import-text", text)
    tap(page, "[data-action=import-paste]")
    page.wait_for_selector("#preview")


def status_after(page, act) -> object:
    page.evaluate(REMEMBER)
    try:
        act()
        page.wait_for_function(NEW_STATUS, timeout=8_000)
        return True
    except Exception as exc:  # noqa: BLE001 — reported by that action's test, the walk goes on
        return (f"no new status inside the viewport ({type(exc).__name__}: {str(exc).splitlines()[0][:160]}); "
                f"new live text: {page.evaluate(NEW_STATUS_ANYWHERE)}")


@pytest.fixture(scope="module")
def found(request):
    out: dict[object, object] = {}
    with walk_page(request, **PHONE) as page:
        # 1. every tab panel through the table's `tab` entry, in both directions
        out["tabs"] = page.evaluate("""() => [
            [...document.querySelectorAll('[data-action=tab]')].map(b => b.dataset.tab),
            [...document.querySelectorAll('[role=tabpanel]')].map(p => p.id)]""")
        for name in (*TAB_NAMES, *reversed(TAB_NAMES)):
            page.locator(f"[data-action=tab][data-tab={name}]").tap()
            out.setdefault(("tab", name), []).append(page.evaluate(SHOWN))

        def run(key, act):
            out[key] = status_after(page, act)

        def download(selector):
            def act():
                with page.expect_download():
                    tap(page, selector)
            return act

        # 2. every action that reports, on a phone; first the welcome of a first visit (the group's name)
        def welcome():
            page.fill("#welcome-name", "Asso des tests")
            tap(page, "#welcome-form button[type=submit]")

        run(("form", "welcome"), welcome)
        # the device is still empty: a full backup can be restored
        run(("action", "do-restore"), lambda: (preview(page, peer_export(["Cellule restaurée"], seed=3)),
                                               tap(page, "[data-action=do-restore]")))

        def new_cellule():
            tab(page, "cellules")
            tap(page, "[data-action=new-cellule]")
            page.fill("#f-name", "Cellule du lundi")
            page.fill("#node-search", "mons")
            page.locator("#node-results button").first.tap()
            tap(page, "#edit-form button[type=submit]")

        run(("form", "cellule"), new_cellule)
        page.wait_for_selector("#cellule-list .cellule-name:text-is('Cellule du lundi')")

        def new_atelier():
            card = "li.cellule:has(.cellule-name:text-is('Cellule du lundi'))"
            if not page.locator(f"{card} [data-action=new-atelier]").is_visible():
                tap(page, f"{card} [data-action=open-cellule]")
            tap(page, f"{card} [data-action=new-atelier]")
            page.fill("#f-title", "Atelier crevaisons")
            page.fill("#f-startsAt", "2030-03-07T18:30")
            tap(page, "#edit-form button[type=submit]")

        run(("form", "atelier"), new_atelier)
        page.wait_for_selector("li.atelier")

        def restore_old_name():
            tab(page, "cellules")
            tap(page, "li.cellule:has(.cellule-name:text-is('Cellule du lundi')) [data-action=edit-cellule]")
            page.fill("#f-name", "Cellule du mardi")
            tap(page, "#edit-form button[type=submit]")
            page.wait_for_selector("#cellule-list .cellule-name:text-is('Cellule du mardi')")
            tap(page, "li.cellule:has(.cellule-name:text-is('Cellule du mardi')) [data-action=history-open]")
            page.wait_for_selector("dialog[open] [data-action=history-restore]")
            page.evaluate(REMEMBER)
            tap(page, "dialog[open] [data-action=history-restore]")

        run(("action", "history-restore"), restore_old_name)
        page.evaluate("document.querySelectorAll('dialog[open]').forEach(d => d.close())")

        def delete_atelier():
            tab(page, "cellules")
            if not page.locator("[data-action=delete-atelier]").first.is_visible():
                tap(page, "li.cellule:has(li.atelier) [data-action=open-cellule]")
            tap(page, "[data-action=delete-atelier]")

        run(("action", "delete-atelier"), delete_atelier)

        tab(page, "exchange")
        for name in ("export-full", "export-cellules", "export-sql", "fx-csv-cellules", "fx-csv-ateliers",
                     "fx-geojson", "fx-ics"):
            run(("action", name), download(f"[data-action={name}]"))
        run(("action", "export-copy"), lambda: tap(page, "[data-action=export-copy]"))
        run(("action", "fx-print"), lambda: tap(page, "[data-action=fx-print]"))
        page.evaluate("document.body.classList.remove('print-list')")  # what the browser's afterprint does

        run(("action", "do-merge"), lambda: (preview(page, peer_export(["Cellule voisine", "Cellule du parc"])),
                                             tap(page, "[data-action=do-merge]")))
        run(("action", "undo"), lambda: (tab(page, "exchange"), tap(page, "[data-action=undo]")))
        run(("action", "do-replace"), lambda: (preview(page, peer_export(["Cellule remplaçante"], seed=11,
                                                                         instance="Asso du centre")),
                                               tap(page, "[data-action=do-replace]")))
        run(("action", "drop-source"), lambda: (tab(page, "sources"),
                                                tap(page, "[data-action=drop-source][data-step=ask]"),
                                                tap(page, "#drop-yes")))

        def rename():
            tab(page, "settings")
            page.fill("#instance-name", "Asso du quartier")
            tap(page, "#view-settings button[type=submit]")

        run(("form", "settings"), rename)
        run(("action", "wipe"), lambda: tap(page, "[data-action=wipe]"))  # the typed word is missing: cancelled
        tab(page, "cellules")
        create_cellule(page, "Cellule à supprimer", place="namur")  # its own status first, then the deletion's
        run(("action", "delete-cellule"), lambda: tap(
            page, "li.cellule:has(.cellule-name:text-is('Cellule à supprimer')) [data-action=delete-cellule]"))
        page.wait_for_selector("[data-action=undo-delete-cellule]")
        run(("action", "undo-delete-cellule"), lambda: tap(page, "[data-action=undo-delete-cellule]"))
        run(("action", "map-near-me"), lambda: (tab(page, "map"), tap(page, "[data-action=map-near-me]")))

        # the backup reminder: 60 days after the last full export (the clock moved on, the page reopened)
        page.add_init_script("{ const now = Date.now; Date.now = () => now() + 60 * 86400000; }")
        page.reload()
        wait_ready(page)
        page.wait_for_selector("#backup-banner:not([hidden]) [data-action=backup-now]")
        run(("action", "backup-now"), download("[data-action=backup-now]"))
    return out


def test_the_tab_bar_has_one_table_control_per_view(found):
    assert found["tabs"] == [list(TAB_NAMES), [f"view-{name}" for name in TAB_NAMES]]


@pytest.mark.parametrize("name", TAB_NAMES)
def test_every_tab_is_reached_through_the_table(found, name):
    """`[data-action=tab][data-tab=…]` shows that view's panel alone and marks its tab as selected."""
    assert "tab" in actions.CLICK
    assert found["tab", name] == [[f"view-{name}", name]] * 2


@pytest.mark.parametrize("entry", [pytest.param(e, marks=pytest.mark.xfail(strict=True, reason=KNOWN[e]))
                                   if e in KNOWN else e for e in (f"{kind}:{name}" for kind, name in STATUS)])
def test_after_each_action_a_status_message_is_in_view(found, entry):
    kind, name = entry.split(":")
    assert found[kind, name] is True, found[kind, name]
