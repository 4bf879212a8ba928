"""Loading a document from a URL: a total deadline and a size cap on the body, whatever the headers.

Theory of operation. The body is read as a stream (response.body.getReader()), counted chunk by
chunk, and the read stops at the cap: a server that sends no Content-Length, a wrong one, an
endless body or a gzip bomb (the browser inflates, the count is of inflated bytes) never makes the
page hold more than the cap. One AbortController with one timer bounds the whole load (connection,
headers and body), so a body that drips a byte a second ends at the deadline. Every way out is a
French error naming what went wrong:

  no connection (navigator.onLine false, or the host cannot be reached at all)  -> offline
  the address answers with a redirect the browser will not follow (a non-http(s) scheme, or a
  site that refuses to be read)                                                  -> redirect
  the site answers but refuses to be read from another page                      -> CORS
  the body stops before its end (wrong Content-Length, connection cut)           -> broken

Asked first. An address handed to the app at launch (`?url=`, a share from another app) is never
fetched by itself: the request alone would tell that address's owner that this app was just opened
(and from where). `ask` puts the address in « Charger depuis une adresse web », asks « Charger les
données de « … » ? » under it, and « Oui, charger » (the action `import-url`, like the « Charger »
beside the field) fetches the address in the field, on the user's click. The fetch itself stays
what it is for an address the user typed: any http(s) address (a peer's site, CORS permitting),
without credentials, then the import preview (nothing is stored before « Fusionner »).

The browser hides why a fetch failed (always "TypeError: Failed to fetch"), so the kind is found
afterwards with two small probes: a fetch with redirect: "manual" (an opaque redirect means the
address redirects) and a "no-cors" fetch (an opaque answer means the site is there but refuses
CORS; a failure means it cannot be reached).
"""

from __future__ import annotations

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_once_callable, to_js  # type: ignore[import-not-found]

from app.core import document
from app.core.errors import CellulesError
from app.core.i18n import fmt_size
from app.web.dom import by_id, reveal
from app.web.failures import WebError, lang

DEADLINE_S = 30  # the whole load: connection, headers and body
PROBE_S = 8  # each diagnosis probe
SHOWN_CHARS = 200  # of an address in the question (the field holds all of it)


def ask(ctx, url: str) -> None:
    """An address handed to the app: shown in the address field, with the question « Charger les
    données de « … » ? » and « Oui, charger » under it (in the view's live region, read out by screen
    readers); the button takes the focus. Nothing is fetched here."""
    field, row = by_id("import-url"), by_id("import-url-row")
    if not field or not row:
        return
    field.value = url
    region = ctx.regions[ctx.view]
    if region.isConnected and not row.contains(region):
        row.after(region)
    shown = url if len(url) <= SHOWN_CHARS else url[:SHOWN_CHARS - 1] + "…"
    ctx.status(ctx.t("x.url_ask", url=shown),
               button={"id": "import-url-ask", "data-action": "import-url", "text": ctx.t("x.url_ask_yes")})
    reveal(region, "nearest")
    button = by_id("import-url-ask")
    if button:
        button.focus()


def deadline_s() -> float:
    """The total deadline; `window.cellulesUrlDeadline` (seconds) overrides it (tests, slow links)."""
    override = getattr(js.window, "cellulesUrlDeadline", None)
    try:
        return float(override) if override is not None else DEADLINE_S
    except (TypeError, ValueError):
        return DEADLINE_S


def _options(**kw) -> object:
    return to_js({"credentials": "omit", "cache": "no-store", **kw}, dict_converter=js.Object.fromEntries)


def _aborted(controller) -> bool:
    return bool(controller.signal.aborted)


async def fetch_document(url: str, *, cap: int = document.MAX_DOCUMENT_BYTES) -> bytes:
    """The body at `url` (at most `cap` bytes, within the deadline) or a French CellulesError."""
    seconds = deadline_s()
    controller = js.AbortController.new()
    timer = js.setTimeout(create_once_callable(lambda: controller.abort()), int(seconds * 1000))
    reader = None
    try:
        try:
            response = await js.fetch(url, _options(signal=controller.signal, redirect="follow"))
        except Exception:
            if _aborted(controller):
                raise WebError("fetch.deadline", url=url, seconds=_n(seconds)) from None
            raise await diagnose(url) from None
        if not response.ok:
            raise CellulesError("url.http", url=url, status=response.status)
        declared = str(response.headers.get("content-length") or "")
        if declared.isdigit() and int(declared) > cap:
            raise WebError("fetch.too_large", url=url, limit=_mb(cap))
        if not response.body:
            return b""
        reader = response.body.getReader()
        chunks: list[bytes] = []
        total = 0
        while True:
            try:
                result = await reader.read()
            except Exception:
                if _aborted(controller):
                    raise WebError("fetch.deadline", url=url, seconds=_n(seconds)) from None
                raise WebError("fetch.broken", url=url, received=total) from None
            if result.done:
                break
            chunk = result.value
            total += int(chunk.length)
            if total > cap:
                raise WebError("fetch.too_large", url=url, limit=_mb(cap))
            chunks.append(chunk.to_bytes())
        return b"".join(chunks)
    finally:
        js.clearTimeout(timer)
        if not _aborted(controller):
            controller.abort()  # stops whatever the server still sends (cap reached, error)
        if reader is not None:
            try:
                reader.releaseLock()
            except Exception:
                pass


async def diagnose(url: str) -> CellulesError:
    """Why did fetching `url` fail? (The browser only says "Failed to fetch".)"""
    if not bool(js.navigator.onLine):
        return WebError("fetch.offline", url=url)
    for mode in ("manual", "no-cors"):
        controller = js.AbortController.new()
        timer = js.setTimeout(create_once_callable(lambda c=controller: c.abort()), PROBE_S * 1000)
        try:
            if mode == "manual":
                probe = await js.fetch(url, _options(signal=controller.signal, redirect="manual"))
                if str(probe.type) == "opaqueredirect":
                    return WebError("fetch.redirect", url=url)
                return WebError("fetch.broken", url=url, received=0)  # answers now: it was cut the first time
            else:
                await js.fetch(url, _options(signal=controller.signal, mode="no-cors"))
                return CellulesError("url.cors", url=url)  # the site is there, but refuses to be read
        except Exception:
            pass
        finally:
            js.clearTimeout(timer)
            controller.abort()
    return WebError("fetch.offline", url=url)


def _n(seconds: float) -> str:
    return f"{seconds:g}"


def _mb(size: int) -> str:
    """« 32 Mo » / “32 MB”, in the user's language (i18n.fmt_size)."""
    return fmt_size(lang(), size)
