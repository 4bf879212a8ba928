"""Tiny DOM helpers. User text only ever goes through textContent / createTextNode (never HTML)."""

from __future__ import annotations

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


def by_id(element_id: str):
    return document.getElementById(element_id)
