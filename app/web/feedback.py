"""Feedback next to the action, and focus given back: small helpers the exchange-side views share.

`status_near(ctx, anchor, text)`: the current view's live region (#status, app/web/context.py) is
moved right after `anchor` (the row of the button that was used) before the message is written, so
the message appears where the user is looking, on a phone too; the view's next render puts the
region back at its top. `remember()` / `give_back()`: a dialog or a panel that closes gives the
focus back to the control that opened it, found again by its id or its data-action + data-id when a
re-render replaced the element. `footer_words(lang)`: the page's footer (index.html, [data-i18n]
spans) in the user's language, for the app and for the recovery screen alike.
"""

from __future__ import annotations

import js  # type: ignore[import-not-found]

from app.core.i18n import t
from app.web.dom import by_id, reveal

FOOTER_KEYS = ("footer.offline", "footer.attribution", "footer.version")  # index.html's [data-i18n] spans


def status_near(ctx, anchor, text: str, error: bool = False) -> None:
    """`text` in the current view's live region, placed right after `anchor` (an element or an id)."""
    node = by_id(anchor) if isinstance(anchor, str) else anchor
    region = ctx.regions[ctx.view]
    if node and node.isConnected and region.isConnected and not node.contains(region):
        node.after(region)
    ctx.status(text, error=error)
    if text and region.isConnected:
        reveal(region, "nearest")


def remember(node=None) -> str | None:
    """A selector that finds the control `node` (default: the focused one) again after a re-render."""
    node = node if node else js.document.activeElement  # (a missing element is JS null: falsy, not None)
    if not node or node == js.document.body or not hasattr(node, "getAttribute"):
        return None
    if node.id:
        return f"#{js.CSS.escape(node.id)}"
    action, rid = node.getAttribute("data-action"), node.getAttribute("data-id")
    if action:
        return f'[data-action="{action}"]' + (f'[data-id="{js.CSS.escape(rid)}"]' if rid else "")
    return None


def give_back(selector: str | None, fallback: str | None = None) -> None:
    """Focus the control `selector` names (or `fallback`, an id), if it is on screen."""
    for sel in (selector, f"#{fallback}" if fallback else None):
        node = js.document.querySelector(sel) if sel else None
        if node and node.getClientRects().length:
            node.focus()
            return


def footer_words(lang: str) -> None:
    """The footer's sentences in `lang` (its storage figures are the settings view's)."""
    for key in FOOTER_KEYS:
        for node in js.document.querySelectorAll(f'[data-i18n="{key}"]'):
            node.textContent = t(key, lang)
