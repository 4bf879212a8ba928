"""Feedback where the eye is: each view's live region, and the message in it.

Each view (tab panel) starts with its own live region (`<p class="view-status" role="status">`).
`say()` writes into the CURRENT view's region, and that region alone carries id="status" (so
`#status` always means "the message of the view in front of the user"); switching tab clears the
old view's message (`focus`), so a status never follows the user to another tab.
The message sticks to the top of the screen (static/app.css) so that it is seen on a phone too, but it
never stands in the way: the user's next action in that view clears it (`quiet`, from the shell), a
success stops following the scroll after STICKY_MS (an error stays until the next action), its height
is the scroll margin of headings and controls (--status-h, static/app.css) and the focused element is
scrolled out from under it (`uncover`).
"""

from __future__ import annotations

from collections.abc import Callable

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_once_callable, create_proxy  # type: ignore[import-not-found]

from app.web.dom import by_id, el, replace_children, set_text

STICKY_MS = 8_000  # a success follows the scroll this long, then stays at its place


class ViewStatus:
    """The live regions of the views `names`, the one in front of the user (`view`), and `after`: what
    to do once a view's message changed (the shell's undo bar may show)."""

    def __init__(self, names: tuple[str, ...], after: Callable[[], None]) -> None:
        self.regions = {name: el("p", {"class": "view-status muted", "role": "status", "aria-live": "polite"})
                        for name in names}
        self.view = names[0]
        self.after = after
        self._said = 0  # messages written so far: a late timer never settles a newer message
        self.uncover_later = create_proxy(self.uncover)

    def say(self, text: str, error: bool = False, button: dict | None = None) -> None:
        """A message in the current view's live region (an error in the error style), with an
        optional button after it (its attributes, e.g. « Annuler la suppression »). The region sticks
        to the top of the screen while it has a message (static/app.css): seen on a phone too."""
        node = self.regions[self.view]
        node.className = "view-status error-text status-line" if error else "view-status muted"
        set_text(node, text)
        if button:
            node.appendChild(js.document.createTextNode(" "))
            node.appendChild(el("button", {"type": "button", "class": "secondary small"} | button))
        self._said += 1
        if text and not error:
            said = self._said
            js.setTimeout(create_once_callable(lambda: self.settle(said)), STICKY_MS)
        self.measure()
        self.uncover()
        self.after()

    def quiet(self, target=None) -> None:
        """The user acts again in this view: its old message goes (not when they act inside it)."""
        node = self.regions[self.view]
        if node.textContent and not (target is not None and node.contains(target)):
            self.say("")

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

    def focus(self, view: str) -> None:
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
