"""Tiny DOM helpers. User text only ever goes through textContent / createTextNode (never HTML)."""

from __future__ import annotations

import re
from typing import Any

import js  # type: ignore[import-not-found]

document = js.document


def el(tag: str, attrs: dict[str, Any] | None = None, *children: Any):
    """Create an element; attrs are set as attributes (`text` sets textContent); children may be
    elements, strings (as text nodes), None (skipped) or lists of those."""
    node = document.createElement(tag)
    for key, value in (attrs or {}).items():
        if value is None or value is False:
            continue
        if key == "text":
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


# a time of day as app.core.i18n writes it: « 14 h », « 17:30 », “2 pm”, “5:30 pm”
TIME = re.compile(r"\b\d{1,2}(?::\d{2})?(?: h| [ap]m)\b|\b\d{1,2}:\d{2}\b")


def timed(text: str) -> list:
    """`text` as nodes for `el()`, each time of day in a <span class="time"> that never breaks
    (static/app.css): « de 14 h à 17 h » never leaves « h » alone at the start of a line on a phone.
    The text itself is unchanged (the core's formatter matches Intl)."""
    out: list = []
    last = 0
    for match in TIME.finditer(text):
        out.append(text[last:match.start()])
        out.append(el("span", {"class": "time", "text": match.group()}))
        last = match.end()
    out.append(text[last:])
    return [part for part in out if part != ""]


def by_id(element_id: str):
    return document.getElementById(element_id)


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
