"""What every view gets: the session, the grid, the language, words, feedback, and the way to
another view. Views never import each other: they talk through this object.

Feedback where the eye is: each view (tab panel) starts with its own live region
(`<p class="view-status" role="status">`). `status()` writes into the CURRENT view's region, and
that region alone carries id="status" (so `#status` always means "the message of the view in
front of the user"); switching tab clears the old view's message, so a status never follows the
user to another tab.
The message sticks to the top of the screen (static/app.css) so that it is seen on a phone too, but it
never stands in the way: the user's next action in that view clears it (`quiet`, from the shell), a
success stops following the scroll after STICKY_MS (an error stays until the next action), its height
is the scroll margin of headings and controls (--status-h, static/app.css) and the focused element is
scrolled out from under it (`uncover`).

Shared UI state that more than one view reads (the form being edited, whether the map is picking
a place for it, the node selected on the map, the last place-search results) lives here too.
Hooks the shell fills in (`go`, `open_form`, `changed`, `open_cellule`) are callbacks, like the map's
`on_select`: a view calls them without knowing which view answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_once_callable, create_proxy  # type: ignore[import-not-found]

from app.core.errors import CellulesError
from app.core.grid import Grid, Hit
from app.core.i18n import did_you_mean, t
from app.web.dom import by_id, el, replace_children, set_text
from app.web.session import Session

TABS = (("cellules", "tab.cellules"), ("map", "tab.map"), ("exchange", "tab.exchange"), ("sources", "tab.sources"),
        ("help", "tab.help"), ("settings", "tab.settings"))
TAB_NAMES = tuple(name for name, _ in TABS)
STICKY_MS = 8_000  # a success follows the scroll this long, then stays at its place
TOUCH = "(pointer: coarse), (max-width: 700px)"  # a phone or a tablet: words for fingers, not for a mouse


def _nothing(*_args, **_kwargs) -> None:
    return None


class Context:
    def __init__(self, session: Session, grid: Grid) -> None:
        self.session = session
        self.grid = grid
        self.lang = str(js.localStorage.getItem("cellules-lang") or "fr")
        self.view = "cellules"
        self.form: dict[str, Any] | None = None  # the cellule/atelier form being edited (forms view)
        self.pick_mode = False  # the map is choosing a place for that form
        self.map_selected: str | None = None
        self.hits: list[Hit] = []  # the last place-search results (form and map)
        self.regions = {name: el("p", {"class": "view-status muted", "role": "status", "aria-live": "polite"})
                        for name in TAB_NAMES}
        self._proxies: list = []
        self._said = 0  # messages written so far: a late timer never settles a newer message
        self.uncover_later = create_proxy(self.uncover)
        # hooks, filled in by the shell
        self.go: Callable[[str], None] = _nothing
        self.open_form: Callable[..., None] = _nothing
        self.changed: Callable[[], None] = _nothing  # after an import, undo, drop-source: re-render data
        self.open_cellule: Callable[[str], None] = _nothing  # unfold a cellule's ateliers in the list
        self.after_status: Callable[[], None] = _nothing  # a view's message changed (the undo bar may show)

    @property
    def state(self):
        return self.session.state

    def t(self, key: str, **params) -> str:
        return t(key, self.lang, **params)

    def touch(self) -> bool:
        """A touch or narrow screen: its words name taps and fingers (no drop, no mouse wheel, no keys)."""
        return bool(js.window.matchMedia(TOUCH).matches)

    def unnamed(self) -> bool:
        """The group still has the default name (« Mon association »): it was never asked, or put off."""
        return self.state.instance_name in {t("instance.default_name", lang) for lang in ("fr", "en")}

    def listen(self, target, event: str, handler: Callable) -> None:
        proxy = create_proxy(handler)
        self._proxies.append(proxy)
        target.addEventListener(event, proxy)

    # --- feedback -------------------------------------------------------------------------------
    def status(self, text: str, error: bool = False, button: dict | None = None) -> None:
        """A message in the current view's live region (an error in the error style), with an
        optional button after it (its attributes, e.g. « Annuler la suppression »). The region sticks
        to the top of the screen while it has a message (static/app.css): seen on a phone too."""
        node = self.regions[self.view]
        node.className = "view-status error-text status-line" if error else "view-status muted"
        set_text(node, text)
        if button:
            node.appendChild(document_text(" "))
            node.appendChild(el("button", {"type": "button", "class": "secondary small"} | button))
        self._said += 1
        if text and not error:
            said = self._said
            js.setTimeout(create_once_callable(lambda: self.settle(said)), STICKY_MS)
        self.measure()
        self.uncover()
        self.after_status()

    def quiet(self, target=None) -> None:
        """The user acts again in this view: its old message goes (not when they act inside it)."""
        node = self.regions[self.view]
        if node.textContent and not (target is not None and node.contains(target)):
            self.status("")

    def settle(self, said: int) -> None:
        """A success, once read, stops following the scroll (it stays at its place in the view)."""
        if said == self._said:
            self.regions[self.view].classList.add("settled")
            self.measure()

    def measure(self) -> None:
        """--status-h: the height of the sticky message (0 without one): headings, forms and
        controls scrolled into view stop below it (scroll-margin-top, static/app.css)."""
        node = self.regions[self.view]
        sticky = node.textContent and node.isConnected and str(js.getComputedStyle(node).position) == "sticky"
        js.document.documentElement.style.setProperty("--status-h", f"{int(node.offsetHeight) if sticky else 0}px")

    def uncover(self, _event=None) -> None:
        """The focused element never sits under the sticky message: the page scrolls it out from under."""
        node, active = self.regions[self.view], js.document.activeElement
        if not node.textContent or not active or active == js.document.body or node.contains(active) \
                or active.closest("dialog, #map-panel"):
            return
        bar, box = node.getBoundingClientRect(), active.getBoundingClientRect()
        if box.height and box.top < bar.bottom and box.bottom > bar.top:
            js.window.scrollBy(0, box.top - bar.bottom - 8)

    def fail(self, exc: CellulesError) -> None:
        self.status(exc.message(self.lang), error=True)

    def focus_region(self, view: str) -> None:
        """`view`'s region becomes #status; every other region is emptied (a message does not follow)."""
        for name, node in self.regions.items():
            if name == view:
                node.id = "status"
            else:
                node.removeAttribute("id")
                node.textContent = ""
        self.measure()

    def fill(self, view: str, *children) -> None:
        """Replace a view's content, keeping its live region first."""
        replace_children(by_id(f"view-{view}"), self.regions[view], *children)

    # --- place search (the form's and the map's) --------------------------------------------------
    def search_into(self, query: str, target_id: str, action: str) -> str:
        """The places matching `query` as result rows; when none does, the closest names instead
        (Grid.suggest: a typo). Returns what to say beside the field: "" when places match,
        « Vouliez-vous dire « Namur » ? » for suggestions, « Aucun lieu ne correspond à … » else."""
        self.hits = self.grid.search(query)
        said = ""
        if query.strip() and not self.hits:
            self.hits = self.grid.suggest(query)
            said = did_you_mean(self.lang, query.strip(), [h.label for h in self.hits]) if self.hits \
                else self.t("map.no_hit", q=query.strip())
        replace_children(by_id(target_id), hit_items(self, self.hits, action))
        return said

    def focus_later(self, selector: str | None) -> None:
        """Give the focus back to where the user was (after a save, a close): the first element that
        matches `selector` once the views have re-rendered (the browser scrolls it into view)."""
        target = js.document.querySelector(selector) if selector else None
        if target:
            target.focus()


# the place-search fields and their result lists (the form's and the map's)
RESULTS = {"node-search": "node-results", "map-search": "map-results"}


def results_key(event) -> bool:
    """Keyboard in place-search results: ArrowDown from the field goes into the results,
    ArrowUp/ArrowDown move between them, Escape goes back to the field (Enter on a result is
    its click; Enter in the form's field picks the first place). Returns True when handled."""
    target, key = event.target, str(event.key)
    field_id = str(target.id or "")
    if field_id in RESULTS:
        buttons = js.document.querySelectorAll(f"#{RESULTS[field_id]} button")
        if key == "ArrowDown" and buttons.length:
            event.preventDefault()
            buttons.item(0).focus()
            return True
        if key == "Enter" and field_id == "node-search":  # picks the first place, never submits the form
            event.preventDefault()
            if buttons.length:
                buttons.item(0).click()
            return True
        return False
    item = target.closest(".results li")
    if not item or key not in ("ArrowDown", "ArrowUp", "Escape"):
        return False
    results = item.parentElement
    field = next((f for f, r in RESULTS.items() if r == str(results.id)), None)
    buttons = list(results.querySelectorAll("button"))
    index = next((i for i, b in enumerate(buttons) if b == target), 0)
    event.preventDefault()
    if key == "Escape" or (key == "ArrowUp" and index == 0):
        if field:
            by_id(field).focus()
    else:
        step = 1 if key == "ArrowDown" else -1
        buttons[min(len(buttons) - 1, index + step)].focus()
    return True


def document_text(text: str):
    return js.document.createTextNode(text)


def hit_items(ctx: Context, hits: list[Hit], action: str) -> list:
    """Result rows: the place (a button) and what it is — commune, locality or postal code; a tap
    anywhere on the row picks the place."""
    rows = []
    for i, hit in enumerate(hits):
        c = hit.commune
        where = c.province or c.region if hit.kind == "commune" else c.name_fr
        kind = el("span", {"class": f"hit-kind kind-{hit.kind}", "id": f"{action}-kind-{i}",
                           "text": f"{ctx.t('map.kind.' + hit.kind)} · {where}"})
        button = el("button", {"type": "button", "data-action": action, "data-index": str(i), "text": hit.label,
                               "aria-describedby": f"{action}-kind-{i}"})
        # the row answers a tap too (on its second line): the same action as its button (keyboard: the button)
        rows.append(el("li", {"class": f"hit hit-{hit.kind}", "data-action": action, "data-index": str(i)},
                       button, kind))
    return rows
