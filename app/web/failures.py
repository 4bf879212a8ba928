"""Failures of the browser itself (storage full, database upgrades, URL loading) as French messages.

The core's errors (app.core.errors) cover what a document or an edit can get wrong; these cover
what the browser can: a full disk (QuotaExceededError), a database upgraded by a newer tab or
left by a newer version, a URL that never ends. They are CellulesError too, so every place that
shows a core error next to the user's action shows them the same way; their words are error
messages of the catalogues like every other (msgctxt `error:<code>`: `store.*`, `fetch.*`, ...).
"""

from __future__ import annotations

from app.core.errors import CellulesError
from app.core.i18n import t


class WebError(CellulesError):
    """A failure of the browser environment (storage, database, a URL's fetch)."""


def storage_error(name: str, detail: str) -> WebError:
    """The error of a failed IndexedDB write, by the DOMException name the browser gave."""
    if name == "QuotaExceededError" or "quota" in detail.lower():
        return WebError("store.quota")
    if name == "InvalidStateError" or "closing" in detail.lower():
        return WebError("store.closed")
    return WebError("store.write", detail=detail or name or "?")


def lang() -> str:
    import js  # type: ignore[import-not-found]

    return str(js.localStorage.getItem("cellules-lang") or "fr")


def upgrade_banner() -> None:
    """Another tab opened a newer version of the database: this tab closed its connection (so the
    upgrade is never blocked) and asks, in a banner above everything, to be reloaded."""
    import js  # type: ignore[import-not-found]
    from pyodide.ffi import create_proxy  # type: ignore[import-not-found]

    from app.web.dom import by_id, el

    if by_id("db-banner"):
        return
    button = el("button", {"type": "button", "id": "db-reload", "text": t("db.reload", lang())})
    button.addEventListener("click", create_proxy(lambda _e: js.location.reload()))
    banner = el("div", {"id": "db-banner", "class": "banner alert", "role": "alert"},
                el("span", {"text": t("db.upgraded", lang()) + " "}), button)
    js.document.body.insertBefore(banner, js.document.body.firstChild)
    for node in js.document.querySelectorAll("#app button, #app input, #app textarea, #app select"):
        node.disabled = True  # nothing can be saved through a closed connection: say so, do not pretend
