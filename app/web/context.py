"""What every view gets: the session, the grid, the language, words, the messages of the views, the
shared UI state, and the way to another view. Views never import each other: they talk through this object.

- The views' live regions and their messages: app/web/view_status.py (`status`, `quiet`, `fail`,
  `focus_region`, `fill` here say it in one word).
- Place search, its result rows and their keyboard: app/web/place_search.py (`search_into` here keeps
  the last results, shared by the form and the map).
- Shared UI state that more than one view reads (the form being edited, whether the map is picking a
  place for it, the node selected on the map, the last place-search results) lives here.
- What views reach through the shell (`go`, `open_form`, `changed`, `open_cellule`, `after_status`) is
  given when the context is built (`Hooks`, every one required): a view calls them without knowing which
  view answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy  # type: ignore[import-not-found]

from app.core.errors import CellulesError
from app.core.grid import Grid, Hit
from app.core.i18n import t
from app.web.dom import by_id, replace_children
from app.web.place_search import hit_items, search
from app.web.session import Session
from app.web.view_status import ViewStatus

TABS = (("cellules", "tab.cellules"), ("map", "tab.map"), ("exchange", "tab.exchange"), ("sources", "tab.sources"),
        ("help", "tab.help"), ("settings", "tab.settings"))
TAB_NAMES = tuple(name for name, _ in TABS)
TOUCH = "(pointer: coarse), (max-width: 700px)"  # a phone or a tablet: words for fingers, not for a mouse


@dataclass(frozen=True)
class Hooks:
    """What the shell answers for the views. Every one is required: a context without one is refused
    when it is built (TypeError), never a call that silently does nothing."""

    go: Callable[[str], None]  # show another view (a tab's name)
    open_form: Callable[..., None]  # open the cellule or atelier form (FormsView.open's arguments)
    changed: Callable[[], None]  # after an import, undo, drop-source: re-render data
    open_cellule: Callable[[str], None]  # unfold a cellule's ateliers in the list
    after_status: Callable[[], None]  # a view's message changed (the undo bar may show)

    def __post_init__(self) -> None:
        missing = [f.name for f in fields(self) if not callable(getattr(self, f.name))]
        if missing:
            raise TypeError(f"Hooks: not callable: {', '.join(missing)}")


class Context:
    def __init__(self, session: Session, grid: Grid, hooks: Hooks) -> None:
        if not isinstance(hooks, Hooks):
            raise TypeError("Context needs the shell's Hooks")
        self.session = session
        self.grid = grid
        self.lang = str(js.localStorage.getItem("cellules-lang") or "fr")
        self.messages = ViewStatus(TAB_NAMES, after=hooks.after_status)
        self.form: dict[str, Any] | None = None  # the cellule/atelier form being edited (forms view)
        self.pick_mode = False  # the map is choosing a place for that form
        self.map_selected: str | None = None
        self.hits: list[Hit] = []  # the last place-search results (form and map)
        self._proxies: list = []
        self.uncover_later = self.messages.uncover_later
        self.go = hooks.go
        self.open_form = hooks.open_form
        self.changed = hooks.changed
        self.open_cellule = hooks.open_cellule
        self.after_status = hooks.after_status

    @property
    def state(self):
        return self.session.state

    @property
    def view(self) -> str:
        """The view in front of the user (a tab's name)."""
        return self.messages.view

    @view.setter
    def view(self, name: str) -> None:
        self.messages.view = name

    @property
    def regions(self) -> dict:
        """Each view's live region (its first child)."""
        return self.messages.regions

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

    # --- the current view's message (app/web/view_status.py) --------------------------------------
    def status(self, text: str, error: bool = False, button: dict | None = None) -> None:
        self.messages.say(text, error, button)

    def quiet(self, target=None) -> None:
        self.messages.quiet(target)

    def fail(self, exc: CellulesError) -> None:
        self.messages.say(exc.message(self.lang), error=True)

    def measure(self) -> None:
        self.messages.measure()

    def focus_region(self, view: str) -> None:
        self.messages.focus(view)

    def fill(self, view: str, *children) -> None:
        self.messages.fill(view, *children)

    # --- place search (the form's and the map's) --------------------------------------------------
    def search_into(self, query: str, target_id: str, action: str) -> str:
        """The places matching `query` as result rows in `target_id` (kept in `hits`); returns what to
        say beside the field (place_search.search)."""
        self.hits, said = search(self.grid, self.lang, query)
        replace_children(by_id(target_id), hit_items(self.lang, self.hits, action))
        return said

    def focus_later(self, selector: str | None) -> None:
        """Give the focus back to where the user was (after a save, a close): the first element that
        matches `selector` once the views have re-rendered (the browser scrolls it into view)."""
        target = js.document.querySelector(selector) if selector else None
        if target:
            target.focus()
