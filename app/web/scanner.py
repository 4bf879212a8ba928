"""The camera's side of multi-code transfers: animated QR frames (`FWBF:`) and numbered parts
(`FWBP:`) -> progress on screen -> the JSON bytes once the transfer being scanned decoded. Browser
glue only: app.core.transfer.Receiver does the receiving (one decoder per transfer, which one is
being scanned, what a neighbour's frames may not do, the caps before decoding).

The receiver lives as long as the camera does (a new scan starts afresh); the progress bar and
status line under the camera say how far the transfer being scanned got. A frame of a newer
format, or a transfer that arrived damaged, raises its DocumentError, shown by the intake
like any import error while the camera keeps scanning.
"""

from __future__ import annotations

import hashlib

from app.core import payload, transfer
from app.core.fountain import Progress
from app.web.context import Context
from app.web.dom import by_id


class Scanner:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.receiver = transfer.Receiver()

    def reset(self) -> None:
        self.receiver = transfer.Receiver()

    def feed(self, text: str) -> bytes | None:
        """One scanned text -> the export's JSON bytes once the transfer being scanned decoded,
        else None (progress shown). Raises DocumentError: the transfer being scanned arrived
        damaged (« recommencez »), it needs a newer app, or its data does not inflate."""
        receiver = self.receiver
        progress = receiver.feed(text)
        current = receiver.current()
        if progress.status == "newer" and receiver.newer_wins:
            raise receiver.error()
        if receiver.followed is None:
            return None
        if not receiver.complete:
            self.show(current)
            if progress.status == "failed" and progress.tid == current.tid:
                raise receiver.error()
            return None
        try:
            data = receiver.result()
        finally:
            self.reset()
        bar, status = by_id("scan-progress"), by_id("scan-status")
        bar.value = bar.max = current.count
        status.setAttribute("data-transfer", current.tid)
        raw = payload.inflate(data)
        status.setAttribute("data-sha256", hashlib.sha256(raw).hexdigest())
        return raw

    def show(self, progress: Progress) -> None:
        bar, status = by_id("scan-progress"), by_id("scan-status")
        bar.hidden = False
        bar.max = progress.count
        bar.value = progress.rank
        if progress.kind == "parts":
            bar.setAttribute("aria-label", self.ctx.t("q.progress_label"))
            status.textContent = self.ctx.t("q.progress", got=progress.rank, total=progress.count)
        else:
            bar.setAttribute("aria-label", self.ctx.t("q.anim.progress_label"))
            key = "q.anim.other" if self.receiver.others else "q.anim.progress"
            status.textContent = self.ctx.t(key, percent=progress.percent)

