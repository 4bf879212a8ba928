"""Tiny DOM helpers. User text only ever goes through textContent / createTextNode (never HTML)."""

from __future__ import annotations

import re
from typing import Any

import js  # type: ignore[import-not-found]

document = js.document


def el(tag: str, attrs: dict[str, Any] | None = None, *children: Any):
    """Create an element; attrs are set as attributes (`text` sets its text: see keep_together); children
    may be elements, strings (as text nodes), None (skipped) or lists of those."""
    node = document.createElement(tag)
    for key, value in (attrs or {}).items():
        if value is None or value is False:
            continue
        if key == "text":
            if tag in FLOWING:
                append(node, keep_together(str(value)))
            else:
                node.textContent = str(value)
        elif key == "value":
            node.value = str(value)
        elif value is True:
            node.setAttribute(key, "")
        else:
            node.setAttribute(key, str(value))
    append(node, children)
    return node


def append(node, children) -> None:
    for child in children:
        if child is None:
            continue
        if isinstance(child, (list, tuple)):
            append(node, child)
        elif isinstance(child, str):
            node.appendChild(document.createTextNode(child))
        else:
            node.appendChild(child)


def clear(node) -> None:
    while node.firstChild:
        node.removeChild(node.firstChild)


def replace_children(node, *children) -> None:
    clear(node)
    append(node, children)


# Line breaks a French reader never expects, kept out at render (the words themselves are the core's, unchanged):
# inside a time of day (« 14 h », « 16 h 30 », “2 pm”, “4:30 pm”; French times already carry no-break spaces,
# i18n.fmt_time), and between a guillemet and its word (« Remplacer »).
TIME = re.compile(r"\b\d{1,2}(?::\d{2})?(?:[ \u00a0]h(?:\u00a0\d{2})?| [ap]m)\b|\b\d{1,2}:\d{2}\b")
# a longer word (a file name) is left free to break inside
QUOTE = re.compile(r"«\s\S{1,24}(?!\S)(?:\s»)?|(?<!\S)\S{1,24}\s»")
TOGETHER = re.compile(f"(?P<time>{TIME.pattern})|{QUOTE.pattern}")
# elements whose `text` goes through keep_together() (never <option>, <textarea>, <title>: text only)
FLOWING = frozenset({"p", "span", "li", "h2", "h3", "h4", "label", "button", "strong", "em", "div", "summary",
                     "legend", "section", "dd", "td"})


def keep_together(text: str) -> list:
    """`text` as nodes for `el()` / `replace_children()`: each time of day in a <span class="time">, each
    guillemet with its word in a <span class="glue">, both `white-space: nowrap` (static/app.css). On a phone
    « de 14 h à 17 h » never leaves « h » at the start of a line, nor « Remplacer » its » ; textContent is
    exactly `text`."""
    out: list = []
    last = 0
    for match in TOGETHER.finditer(text):
        out.append(text[last:match.start()])
        span = document.createElement("span")
        span.className = "time" if match.group("time") else "glue"
        span.textContent = match.group()
        out.append(span)
        last = match.end()
    out.append(text[last:])
    return [part for part in out if part != ""]


def set_text(node, text: str) -> None:
    """`node.textContent = text`, with keep_together()'s line breaking."""
    replace_children(node, keep_together(text))


def by_id(element_id: str):
    return document.getElementById(element_id)


def app_dialog(dialog_id: str, labelled_by: str, **listeners: Any):
    """The <dialog> `dialog_id` inside #app (its buttons reach the page's click delegation), made on
    first use: as wide as a QR code needs, labelled by the element `labelled_by`, with `listeners`
    (event name -> proxy) added once."""
    dialog = by_id(dialog_id)
    if not dialog:
        dialog = el("dialog", {"id": dialog_id, "class": "qr-dialog", "aria-labelledby": labelled_by,
                               "style": "width:min(40rem,95vw)"})
        for event, listener in listeners.items():
            dialog.addEventListener(event, listener)
        by_id("app").appendChild(dialog)
    return dialog


def data(node, name: str) -> str | None:
    """A data-* attribute (None when absent: reading a missing dataset key raises in Pyodide)."""
    value = node.getAttribute(f"data-{name}")
    return None if value is None else str(value)


def _options(**options):
    from pyodide.ffi import to_js  # type: ignore[import-not-found]

    return to_js(options, dict_converter=js.Object.fromEntries)


def reveal(node, block: str = "start", focus: bool = False) -> None:
    """Scroll an element (or an id) into view, and focus it when asked (a result the user cannot
    see did not happen; focus brings screen readers and keyboards there too)."""
    node = by_id(node) if isinstance(node, str) else node
    if not node:
        return
    node.scrollIntoView(_options(block=block))
    if focus:
        if not node.hasAttribute("tabindex"):
            node.setAttribute("tabindex", "-1")
        node.focus(_options(preventScroll=True))


def download(data_: str | bytes, name: str, mime: str) -> None:
    """Save text or bytes as a file through a Blob (nothing leaves the page; works offline)."""
    from pyodide.ffi import create_proxy, to_js  # type: ignore[import-not-found]

    part = to_js(data_) if isinstance(data_, bytes) else data_
    url = js.URL.createObjectURL(js.Blob.new(to_js([part]), _options(type=mime)))
    link = el("a", {"href": url, "download": name, "hidden": True})
    document.body.appendChild(link)
    link.click()
    link.remove()
    js.setTimeout(create_proxy(lambda: js.URL.revokeObjectURL(url)), 10_000)
