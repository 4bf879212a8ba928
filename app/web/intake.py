"""Every way data arrives, to one place: the import preview of « Échanger ».

Paths: a picked file, a file dropped anywhere on the page, pasted text, a URL, the camera (one QR,
a multi-part QR, or an animated fountain loop), a photo of a code, a share from another app (GET
?text=/?url= or POST through the service worker's inbox), an app link (#import=… at launch or while
open), and a .json opened with the installed app (launchQueue). Each one switches to « Échanger »,
reads bytes or text, and hands them to `analyse`: the core checks them (document.read_text,
merge.check_incoming) and the exchange view shows the preview, scrolled into view
and focused. Any failure is a French message just below the control that was used (`use()`; the file
chooser when the data came from elsewhere: a drop, a link, a share), scrolled into view and focused;
nothing is stored before the user chooses « Fusionner » or « Remplacer ».
"""

from __future__ import annotations

import asyncio
import json

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy  # type: ignore[import-not-found]

from app.core import document, live_code, merge, transfer
from app.core.errors import CellulesError, DocumentError
from app.web import scanner, urlload
from app.web.context import Context
from app.web.dom import by_id, reveal
from app.web.failures import WebError
from app.web.feedback import message_near, status_near
from app.web.views.exchange import ExchangeView
from app.web.views.live_dialog import open_live

INBOX = "fwb-share-inbox"  # service-worker.js puts POST shares there
UNEXPECTED = (ValueError, TypeError, OverflowError, RecursionError, MemoryError, KeyError)


class Intake:
    def __init__(self, ctx: Context, exchange: ExchangeView) -> None:
        self.ctx = ctx
        self.exchange = exchange
        self.scanner = scanner.Scanner(ctx)
        self.stop_scan = None  # stops the camera (static/camera.js)
        self._on_text = create_proxy(self.on_scanned)
        self._on_error = create_proxy(self.scan_error)
        self._hash = create_proxy(self.from_hash)
        self._launch = create_proxy(lambda params: asyncio.ensure_future(self.from_launch_queue(params)))
        ctx.listen(js.document, "dragover", lambda event: event.preventDefault())
        ctx.listen(js.document, "drop", self.on_drop)

    def t(self, key: str, **params) -> str:
        return self.ctx.t(key, **params)

    # --- one way in -----------------------------------------------------------------------------
    def analyse(self, text: str | bytes, label: str, origin: str = "file") -> None:
        """`origin`: where it came from, named by the preview (file, url, link, qr, paste, share).
        A live-sync code (`FWBW:`) opens « Synchroniser en direct » with it instead."""
        if isinstance(text, str) and live_code.is_live_code(text):
            open_live(self.ctx, text)
            return
        self.exchange.clear_result()
        incoming = None
        try:
            with merge.paused_gc():
                incoming = document.read_text(transfer.read_any(text), held=self.ctx.state)
            merge.check_incoming(self.ctx.state, incoming, self.ctx.grid)
        except CellulesError as exc:
            if exc.code == "import.self" and incoming is not None and incoming.kind == "full":  # my own backup
                self.exchange.show_error(self.t("pv.own_backup", name=incoming.instance_name))
                return
            self.exchange.show_error(exc)
            return
        except UNEXPECTED as exc:  # a case the core's checks missed: still a French message, nothing stored
            js.console.error(f"import analysis: {exc!r}")
            self.exchange.show_error(WebError("unreadable"))
            return
        try:
            self.exchange.offer(incoming, label, origin)
        except UNEXPECTED as exc:
            js.console.error(f"import preview: {exc!r}")
            self.exchange.show_error(WebError("unreadable"))

    def use(self, control: str = "import-file") -> None:
        """The control this attempt came through (its id): its errors appear just below its row."""
        self.exchange.near = control

    def error_text(self, text: str) -> None:
        message_near(by_id("import-error"), self.exchange.near, text)

    async def read_file(self, file, name: str, origin: str = "file") -> None:
        """A File or Blob (dropped, picked, opened with the app, or shared to it) -> the preview."""
        if file.size > document.MAX_DOCUMENT_BYTES:
            self.exchange.show_error(DocumentError("doc.too_large", size=int(file.size),
                                                   limit=document.MAX_DOCUMENT_BYTES))
            return
        buffer = await file.arrayBuffer()
        self.analyse(buffer.to_bytes(), name, origin)

    async def load_url(self, url: str) -> None:
        """An address -> the preview, within a total deadline and a size cap (app/web/urlload.py);
        every failure ends with a French message under the address, never on « Chargement »."""
        self.error_text("")
        url = url.strip()
        if not url.lower().startswith(("http://", "https://")):
            self.exchange.show_error(CellulesError("url.scheme", url=url))
            return
        status_near(self.ctx, "import-url-row", self.t("x.loading", url=url))  # under the address, in sight
        try:
            body = await urlload.fetch_document(url)
        except CellulesError as exc:
            self.exchange.show_error(exc)
            return
        finally:
            self.ctx.status("")
        self.analyse(body, url, "url")

    # --- handlers (app/web/actions.py) ------------------------------------------------------------
    async def on_file(self, target) -> None:
        files = target.files
        if files and files.length:
            self.use("import-file")
            file = files.item(0)
            target.value = ""  # the same file chosen again (after « Fermer sans importer ») is read again
            await self.read_file(file, str(file.name))

    def on_paste(self, _target) -> None:
        self.use("import-paste")
        self.analyse(str(by_id("import-text").value), self.t("x.pasted"), "paste")

    async def on_url(self, _target) -> None:
        self.use("import-url-go")
        await self.load_url(str(by_id("import-url").value))

    def on_drop(self, event) -> None:
        event.preventDefault()
        files = event.dataTransfer.files if event.dataTransfer else None
        if files and files.length:
            self.ctx.go("exchange")
            self.use()
            asyncio.ensure_future(self.read_file(files.item(0), str(files.item(0).name)))

    # --- QR codes: camera and photo ---------------------------------------------------------------
    def on_camera(self, _target) -> None:
        self.stop_camera()
        self.use("scan-camera")
        video = by_id("scan-video")
        video.hidden = False
        by_id("scan-stop").hidden = False
        self.error_text("")
        by_id("scan-status").textContent = self.t("q.aim")
        self.scanner.reset()
        self.stop_scan = js.window.cellulesScan.start(video, self._on_text, self._on_error)
        reveal("scan-status")

    def on_stop_camera(self, _target) -> None:
        self.stop_camera()
        by_id("scan-status").textContent = ""

    def stop_camera(self) -> None:
        stop, self.stop_scan = self.stop_scan, None
        if stop is not None:
            stop()
        if by_id("scan-video"):
            by_id("scan-video").hidden = True
            by_id("scan-stop").hidden = True

    async def on_photo(self, target) -> None:
        files = target.files
        if not (files and files.length):
            return
        self.use("scan-image")
        photo = files.item(0)
        target.value = ""  # the same photo chosen again is read again
        self.error_text("")
        try:
            text = await js.window.cellulesScan.decodeImage(photo)
        except Exception:
            text = None
        if not text:
            self.error_text(self.t("q.err.no_code"))
            return
        self.on_scanned(str(text))

    def scan_error(self, code: str, detail: str = "") -> None:
        self.stop_camera()
        by_id("scan-status").textContent = ""  # « Visez le QR code… » no longer holds
        self.error_text(self.t(f"q.err.{code}") if code in ("insecure", "no-camera", "denied")
                        else self.t("q.err.camera", detail=detail))

    def on_scanned(self, text: str) -> None:
        """A decoded QR text (camera or image): a whole code, an app link, or one frame or part of a
        multi-code transfer (app.web.scanner feeds it to app.core.transfer.Receiver)."""
        text = str(text)
        if live_code.is_live_code(text):  # another device's live-sync code: its dialog reads it
            self.stop_camera()
            open_live(self.ctx, text)
            return
        try:
            if transfer.is_transfer(text):
                raw = self.scanner.feed(text)  # the export's JSON once the transfer being scanned decoded
                if raw is None:
                    return
                text = raw
            self.stop_camera()
            by_id("scan-status").textContent = self.t("q.read")
            self.analyse(text, self.t("q.source"), "qr")
        except CellulesError as exc:
            self.exchange.show_error(exc)

    # --- handed to the page at launch -------------------------------------------------------------
    def from_launch(self) -> None:
        """Data handed to the page at launch always goes to the import preview, never straight in:
        an app link (#import=…), a share from another app (?text= / ?url=), or a .json file opened
        with the installed app (file_handlers -> launchQueue)."""
        location = js.window.location
        self.from_hash()
        js.window.addEventListener("hashchange", self._hash)  # a link opened while the app is open
        params = js.URLSearchParams.new(location.search)
        if params.get("share-target"):  # a POST share, kept by the service worker (its inbox)
            js.history.replaceState(None, "", str(location.pathname))
            asyncio.ensure_future(self.receive_share())
        elif params.get("text") or params.get("url"):  # a GET share (older manifests, plain links)
            js.history.replaceState(None, "", str(location.pathname))
            self.route_shared(str(params.get("text") or params.get("url")))
        if hasattr(js.window, "launchQueue"):
            js.window.launchQueue.setConsumer(self._launch)

    def from_hash(self, _event=None) -> None:
        location = js.window.location
        if str(location.hash).startswith("#import="):
            link = str(location.href)
            js.history.replaceState(None, "", str(location.pathname) + str(location.search))  # read once
            self.ctx.go("exchange")
            self.use()
            self.analyse(link, "", "link")

    async def from_launch_queue(self, params) -> None:
        if params.files and params.files.length:
            self.ctx.go("exchange")
            self.use()
            file = await params.files.at(0).getFile()
            await self.read_file(file, str(file.name))

    def route_shared(self, shared: str) -> None:
        """Shared text goes to the preview; a bare web address is shown and asked about first: nothing is
        fetched before « Oui, charger » (then the preview)."""
        self.ctx.go("exchange")
        self.use()
        shared = shared.strip()
        if shared.lower().startswith(("http://", "https://")) and "#import=" not in shared and " " not in shared:
            urlload.ask(self.ctx, shared)
        else:
            self.analyse(shared, "", "share")

    async def receive_share(self) -> None:
        """Read (once) what the service worker received from the share sheet: a file, or text/URL."""
        base = str(js.URL.new("./share-inbox/", js.location.href).href)
        inbox = await js.caches.open(INBOX)
        file_response = await inbox.match(base + "file")
        fields_response = await inbox.match(base + "fields")
        await inbox.delete(base + "file")
        await inbox.delete(base + "fields")
        fields = json.loads(await fields_response.text()) if fields_response else {}
        if file_response:
            self.ctx.go("exchange")
            self.use()
            name = js.decodeURIComponent(file_response.headers.get("x-file-name") or "partage.json")
            await self.read_file(await file_response.blob(), str(name), "share")
        elif fields.get("text") or fields.get("url"):
            self.route_shared(fields.get("text") or fields.get("url"))
        else:
            self.ctx.go("exchange")
            self.use()
            self.exchange.show_error(CellulesError("share.empty"))
