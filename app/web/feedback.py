"""Feedback next to the action, and focus given back: small helpers the exchange-side views share.

`status_near(ctx, anchor, text)`: the current view's live region (#status, app/web/view_status.py) is
moved right after `anchor` (the row of the button that was used) before the message is written, so
the message appears where the user is looking, on a phone too; the view's next render puts the
region back at its top. `message_near(node, anchor, text)` does the same for a message element of its
own (the import's #import-error): moved right after the control that was used, shown, and focused.
`keep_in_sight(region, node)`: the sticky message never covers `node` (the list's count after a save); the
page scrolls it out from under. `remember()` / `give_back()`: a dialog or a panel that closes gives the
focus back to the control that opened it, found again by its id or its data-action + data-id when a
re-render replaced the element. `footer_words(lang)`: the page's own words (index.html: the skip
link, the loading screen, the footer — [data-i18n] texts, [data-i18n-label] labels) in the user's
language, for the app and for the recovery screen alike; they are also kept (localStorage) for the
next loading screen, which static/boot-lang.js shows in that language before Python runs.
`relabel(old, new)`: after a language switch, every label attribute (aria-label, title, placeholder)
still in the old language — in a view not re-rendered, a panel left open — reads in the new one.
`file_picker()` / `show_chosen()`: a file input the user sees as one of the app's own buttons, in the
app's language (never the browser's « Choose File / No file chosen », which follows the browser's
locale), with the chosen file's name after it.
"""

from __future__ import annotations

import json

import js  # type: ignore[import-not-found]

from app.core.i18n import TEXTS, t
from app.web.dom import by_id, el, reveal, set_text

# index.html's words: [data-i18n] texts and [data-i18n-label] labels
# (tests/e2e/test_language_everywhere.py checks the list)
PAGE_KEYS = ("page.skip", "tab.cellules", "tab.map", "tab.exchange", "tab.sources", "tab.help", "tab.settings",
             "tab.bar_label", "page.loading", "page.boot_failed", "page.boot_failed_hint", "update.available",
             "update.reload", "footer.offline", "footer.attribution", "footer.version")
BOOT_WORDS = "cellules-boot-words"  # localStorage, read by static/boot-lang.js
LABELS = ("aria-label", "title", "placeholder")


def status_near(ctx, anchor, text: str, error: bool = False) -> None:
    """`text` in the current view's live region, placed right after `anchor` (an element or an id)."""
    node = by_id(anchor) if isinstance(anchor, str) else anchor
    region = ctx.regions[ctx.view]
    if node and node.isConnected and region.isConnected and not node.contains(region):
        node.after(region)
    ctx.status(text, error=error)
    if text and region.isConnected:
        reveal(region, "nearest")


def uncovering_scroll(bar: tuple[float, float], box: tuple[float, float], gap: float = 4) -> float:
    """How far to scroll (negative: up) for `box` (its top and bottom on screen) to sit `gap` px below the
    sticky message `bar` (its top and bottom) when the message covers it; 0 when it covers nothing of it
    (or either has no height: not on screen)."""
    (bar_top, bar_bottom), (box_top, box_bottom) = bar, box
    if bar_bottom <= bar_top or box_bottom <= box_top or box_top >= bar_bottom or box_bottom <= bar_top:
        return 0
    return box_top - bar_bottom - gap


def keep_in_sight(region, node) -> None:
    """The view's message `region`, stuck to the top of the screen, never covers `node` (« 5 cellules » after a
    save or a deletion): the page scrolls it down from under the message; the message, its text and its place
    in the page are untouched (a live region read as it was written)."""
    if not node or not region.textContent or not region.isConnected:
        return
    bar, box = region.getBoundingClientRect(), node.getBoundingClientRect()
    dy = uncovering_scroll((bar.top, bar.bottom), (box.top, box.bottom))
    if dy:
        js.window.scrollBy(0, dy)


def message_near(node, control: str | None, text: str) -> None:
    """`text` in `node` (a message element), moved right after the control `control` (an id) or the
    row of buttons it is in (None: where it is), scrolled into view and focused (tabindex=-1: the
    focus leaves a text field, whose keyboard would cover the message on a phone; role=alert reads it)."""
    place = by_id(control) if control else None
    place = (place.closest(".actions, .row, .file-pick") or place) if place else None
    if place and not place.contains(node):
        place.after(node)
    set_text(node, text)
    if text:
        reveal(node, "nearest", focus=True)


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
    """The page's own words in `lang` (the footer's storage figures are the settings view's), kept for
    the next loading screen."""
    for key in PAGE_KEYS:
        for node in js.document.querySelectorAll(f'[data-i18n="{key}"]'):
            node.textContent = t(key, lang)
        for node in js.document.querySelectorAll(f'[data-i18n-label="{key}"]'):
            node.setAttribute("aria-label", t(key, lang))
    words = {key: t(key, lang) for key in PAGE_KEYS}
    js.localStorage.setItem(BOOT_WORDS, json.dumps({"lang": lang, "words": words}, ensure_ascii=False))


def relabel(old: str, new: str) -> None:
    """Every label attribute that reads as a word of `old` (a text of i18n.TEXTS without parameters)
    now reads in `new`. The cellule list (user names in its labels) is re-rendered, not relabelled."""
    side = 0 if old == "fr" else 1
    index: dict[str, set[str]] = {}
    for key, pair in TEXTS.items():
        if "{" not in pair[side]:
            index.setdefault(pair[side], set()).add(t(key, new))
    for attr in LABELS:
        for node in js.document.querySelectorAll(f"[{attr}]"):
            found = index.get(str(node.getAttribute(attr)))
            if found and len(found) == 1 and not node.closest("#list-slot"):
                node.setAttribute(attr, next(iter(found)))


def file_picker(attrs: dict, button: str, intro: str | None = None):
    """A file input (`attrs`: id, data-input, accept…) inside a <label> styled as a button (`button`: its
    words), an optional line above it (`intro`), and the chosen file's name after it (`show_chosen`).
    The input covers its label, transparent: a tap or a click reaches it, Tab focuses it (the label shows
    the focus ring) and Enter or Space opens the browser's picker."""
    input_id = attrs["id"]
    described = " ".join(([f"{input_id}-intro"] if intro else []) + [f"{input_id}-chosen"])
    return el("div", {"class": "file-pick", "id": f"{input_id}-pick"},
              el("p", {"class": "file-intro", "id": f"{input_id}-intro", "text": intro}) if intro else None,
              el("label", {"class": "file-button", "id": f"{input_id}-button"},
                 el("input", {"type": "file", "class": "file-input", "aria-describedby": described, **attrs}),
                 el("span", {"text": button})),
              el("span", {"class": "file-chosen", "id": f"{input_id}-chosen"}))


def show_chosen(node, lang: str) -> None:
    """After a file input changed: « Fichier choisi : <nom> » next to it (nothing when none is chosen)."""
    slot = by_id(f"{node.id}-chosen") if node.id else None
    if not slot:
        return
    files = node.files
    name = str(files.item(0).name) if files and files.length else ""
    slot.textContent = t("picker.file_chosen", lang, name=name) if name else ""
