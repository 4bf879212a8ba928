"""Live sync's link: one session with one peer, between the transport (app/web/live.py) and the
protocol (app.core.live).

Theory of operation
-------------------
Everything that happens to a link — a message, the user's choice, a local write, a tick, the
channel closing — goes into one queue that a single task works through in order, so a
`MergeReady` is merged and stored (Session.act) before the next message is read. The session's
first merge is one journal entry, undoable like an import; later batches are merged into it
without a new entry. After every stored write of this tab, every link is told (`local`), which
passes an edit here, or a change merged from one peer, on to the others (a room around one device).

The links of this page and the checkpoints of earlier sessions (in memory, dropped whenever data
may have gone away: a write with a journal entry — an import, an undo, « Remplacer », a source
removed, a restore — that is not a live merge) are kept here, one set per page.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_once_callable, create_proxy  # type: ignore[import-not-found]

from app.core import document, live, merge
from app.core.errors import CellulesError, LiveError
from app.web.context import Context
from app.web.live import Transport, now_ms
from app.web.session import KEEP_UNDO, import_undo

TICK_MS = 1_000
LINKS: list[Link] = []  # this page's live sessions (at most live.MAX_SESSIONS)
POINTS: list[live.Checkpoint] = []  # checkpoints of earlier sessions (newest first)
MERGING: list[Link] = []  # the link whose merge is being stored now (its re-render keeps the checkpoints)


class Link:
    """One live session with one peer. `notify()` is called after anything the dialog may show."""

    def __init__(self, ctx: Context, notify: Callable[[], None]) -> None:
        self.ctx = ctx
        self.notify = notify
        self.transport = Transport(self._opened, self._text, self._closed)
        self.session: live.Session | None = None
        self.inbox: asyncio.Queue = asyncio.Queue()
        self.worker = None
        self.timer = None
        self._tick = create_proxy(lambda: self.put("tick"))
        self.status = "waiting"  # live.STATUSES
        self.refused = (0, 0)  # records refused here, and ours the peer refused (status "apart")
        self.waiting = 0  # of those refused here, the peer's ateliers waiting for their cellule
        self.aside = (0, 0)  # of those each way, what the user left aside (created on the other device, unticked)
        self.opened = False
        self.peer_name = ""
        self.other_device = False  # the peer is another device of this group: « votre autre appareil »
        self.preview: live.PreviewReady | None = None
        self.skip: frozenset[str] = frozenset()
        self.adopt: frozenset[str] = frozenset()  # ticked in « Créés sur votre autre appareil »
        self.merged = False  # the session's first merge is written (its journal entry, its undo)
        self.error: CellulesError | None = None
        self.ended_by_peer = ""
        self.code = ""  # the code this side shows (its offer or its answer)
        self.offer_session = b""  # the session id of our offer, while it waits for an answer

    # --- inputs, in order -----------------------------------------------------------------------
    def put(self, kind: str, value=None) -> None:
        self.inbox.put_nowait((kind, value))

    def _opened(self) -> None:
        self.opened = True
        self.worker = asyncio.ensure_future(self._work())
        self.put("start")
        self.timer = js.setInterval(self._tick, TICK_MS)

    def _text(self, text) -> None:
        self.put("text", text)

    def _closed(self) -> None:
        self.put("closed")
        if self.worker is None:  # never opened: nothing else will say it
            self.status = "interrupted"
            self.notify()

    def decide(self, accept: bool, skip: frozenset[str] = frozenset(), adopt: frozenset[str] = frozenset()) -> None:
        """The user's choice on the preview; `skip`: the records unticked; `adopt`: those ticked among
        « Créés sur votre autre appareil » (from another device of this group)."""
        self.skip = skip
        self.adopt = adopt
        self.put("decide", accept)

    def stop(self) -> None:
        """The user stops (or closes the page's live sync): the peer is told, the session ends."""
        self.end("live.stopped")
        self.put("closed")
        if self.worker is None:
            self._finish()

    def end(self, code: str) -> None:
        if self.session is not None and self.session.phase != "closed":
            self.transport.send(json.dumps({"t": "end", "code": code}, separators=(",", ":")))

    async def _work(self) -> None:
        while True:
            kind, value = await self.inbox.get()
            try:
                await self._step(kind, value)
            except (CellulesError, ValueError, TypeError, KeyError, RecursionError, MemoryError) as exc:
                js.console.warn(f"live sync: {exc!r}")
                self.error = exc if isinstance(exc, CellulesError) else LiveError("live.message", part="adapter")
                self.end(self.error.code)
                self._finish()
            self.notify()
            if kind == "closed" or (self.session is not None and self.session.phase == "closed"):
                self._finish()
                return

    async def _step(self, kind: str, value) -> None:
        state, now = self.ctx.state, now_ms()
        if kind == "start":
            self.session, out = live.start(state, points=POINTS, now_ms=now)
        elif self.session is None:
            return
        elif kind == "text":
            self.session, out = live.receive(self.session, value, state, now_ms=now)
        elif kind == "decide":
            self.session, out = live.decide(self.session, bool(value), state, now_ms=now, adopt=self.adopt)
            self.preview = None
        elif kind == "local":
            self.session, out = live.local(self.session, state, now_ms=now)
        elif kind == "tick":
            self.session, out = live.tick(self.session, state, now_ms=now)
        else:  # closed
            self.session, out = live.disconnect(self.session)
        await self._act(out)
        self.status = self.session.status  # after a merge, the Status outputs before it are stale
        self.refused = (self.session.refused, self.session.peer_refused)
        self.waiting = len(self.session.waiting)
        self.aside = (self.session.aside_held, self.session.peer_aside)

    async def _act(self, out: list) -> None:
        for item in out:
            if isinstance(item, live.Send):
                self.transport.send(item.text)
            elif isinstance(item, live.PeerHello):
                self.peer_name, self.other_device = item.name, item.other_device
            elif isinstance(item, live.PreviewReady):
                self.preview = item
            elif isinstance(item, live.MergeReady):
                await self._merge(item.incoming, item.adopt)
                self.session, more = live.local(self.session, self.ctx.state, now_ms=now_ms())
                await self._act(more)
            elif isinstance(item, live.Refused):
                self.error = item.error
            elif isinstance(item, live.PeerEnded):
                self.ended_by_peer = item.code or "live.ended"
            elif isinstance(item, live.CheckpointReached):
                POINTS[:] = live.remember(POINTS, item.point)

    async def _merge(self, incoming: document.Incoming, adopt: frozenset[str] = frozenset()) -> None:
        """Merged as a file is (per-field winner, history, conflicts, provenance), stored; the
        session's first merge is one journal entry, undoable like an import. `adopt`: the records
        another device of this group says it created that the user ticked (merge.merge's)."""
        now, grid, skip, first = now_ms(), self.ctx.grid, self.skip, not self.merged

        def change(state):
            new, report = merge.merge(state, incoming, now_ms=now, skip=skip if first else frozenset(),
                                      known_nodes=grid, adopt=adopt)
            document.check_state_limits(new, now_ms=now)
            return new, report

        undo = import_undo(now, "merge", incoming.instance_name) if first else KEEP_UNDO
        MERGING.append(self)
        try:
            ok, info = await self.ctx.session.act(change, undo=undo,
                                                  journal=_journal_entry if first else None)
        finally:
            MERGING.remove(self)
        if not ok:
            raise info
        self.merged = True
        self.ctx.changed()

    def _finish(self) -> None:
        if self.timer is not None:
            js.clearInterval(self.timer)
            self.timer = None
        if self.session is not None and self.session.phase != "closed":
            self.session, _ = live.disconnect(self.session)
        self.status = "interrupted"
        if not self.transport.closed:
            js.setTimeout(create_once_callable(self.transport.close), 300)  # an `end` still queued goes out first


def _apart(link: Link) -> tuple[int, int, int, int, int]:
    """How two copies that told each other everything differ: records refused here, the peer's
    ateliers waiting here for their cellule, records created on the other device of this group left
    aside here, ours refused there, ours left aside there."""
    (here, there), (aside, peer_aside) = link.refused, link.aside
    return here - link.waiting - aside, link.waiting, aside, there - peer_aside, peer_aside


def _journal_entry(report: merge.Report) -> dict:
    """The journal entry of a session's first merge. Records another device of this group created
    and the user left aside are counted (`skipped`) but not listed as `offered`: the journal would
    say to import its file again; the dialog says how to bring them (« Reconnecter », tick them)."""
    entry = report.to_json()
    entry.pop("offered", None)
    return entry


def open_link(ctx: Context, notify: Callable[[], None]) -> Link:
    """A new session of this page (the interrupted ones are forgotten), at most live.MAX_SESSIONS alive."""
    alive = [k for k in LINKS if k.status != "interrupted"]
    if len(alive) >= live.MAX_SESSIONS:
        raise LiveError("lv.too_many", limit=live.MAX_SESSIONS)
    LINKS[:] = [*alive, Link(ctx, notify)]
    return LINKS[-1]


def boxes(root, attr: str, *, checked: bool) -> frozenset[str]:
    """The `attr` values of the checkboxes under `root` that are ticked (`checked`) or not."""
    return frozenset(str(box.getAttribute(attr)) for box in root.querySelectorAll(f"[{attr}]")
                     if bool(box.checked) == checked)


def peer_words(ctx: Context, link: Link, key: str, **params) -> str:
    """A sentence naming the peer: by its name (`key`), or for another device of this group
    « votre autre appareil » (`key` + "_other_device"), never the group's own name."""
    if link.other_device:
        return ctx.t(key + "_other_device", **params)
    return ctx.t(key, name=link.peer_name, **params)


def status_words(ctx: Context, link: Link) -> str:
    """A link's state in words: « connecté », « à jour »…; when the two copies differ only by what
    was refused, how many records each way (« connecté — 1 élément refusé ici »), the peer's
    ateliers waiting for their cellule counted apart (« 2 ateliers en attente de leur cellule »), and
    between two devices of one group what was left aside on each (« 2 éléments créés sur votre autre
    appareil laissés de côté ici »): never « à jour » while they differ."""
    if link.status != "apart":
        return ctx.t(f"live.status.{link.status}")
    here, waiting, aside, there, peer_aside = _apart(link)
    what = [ctx.t("live.apart.here", n=here) if here else None,
            ctx.t("live.apart.waiting", n=waiting) if waiting else None,
            ctx.t("live.apart.aside", n=aside) if aside else None,
            ctx.t("live.apart.there", n=there) if there else None,
            ctx.t("live.apart.peer_aside", n=peer_aside) if peer_aside else None]
    return ctx.t("live.status.apart", what=", ".join(w for w in what if w))


def apart_hints(link: Link) -> list[str]:
    """Why two copies that told each other everything still differ (« apart »): a record refused here
    or there (« apart »: lv.apart_hint), the peer's ateliers waiting for their cellule (« waiting »),
    records left aside here (« aside ») or on the other device of this group (« peer_aside »)."""
    if link.status != "apart":
        return []
    here, waiting, aside, there, peer_aside = _apart(link)
    return [key for key, shown in (("apart", here or there), ("waiting", waiting), ("aside", aside),
                                   ("peer_aside", peer_aside)) if shown]


def written() -> None:
    """Data here changed (an edit, an import, a merge): every live session sends what is due."""
    for link in LINKS:
        if link.opened and link.status != "interrupted":
            link.put("local")


def forget_points() -> None:
    """Something may have taken data away (an undo, « Remplacer », a source removed, a restore): the
    next session sends everything again instead of resuming from a checkpoint."""
    POINTS.clear()


def _observe(journaled: bool) -> None:
    """A stored write of this tab (Session.observers): every session sends what is due; a write
    with a journal entry that is not a live merge may have taken data away (checkpoints forgotten)."""
    if journaled and not MERGING:
        forget_points()
    written()


def watch_writes(ctx: Context) -> None:
    """Every stored write of this tab reaches `written`; one that keeps a journal entry (an import,
    an undo, « Remplacer », a source removed, a restore) and is not a live merge reaches
    `forget_points` too (one observer of the tab's Session)."""
    if _observe not in ctx.session.observers:
        ctx.session.observers.append(_observe)
