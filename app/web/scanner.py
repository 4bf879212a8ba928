"""The scanner's side of the animated QR (issue 17): fountain frames from the camera (or images)
-> progress on screen -> the JSON bytes once enough arrived. Browser glue over app.core.fountain.

Frames of another transfer are kept apart by the core Receiver (never mixed, never imported);
damaged frames are ignored. The receiver lives as long as the camera does (a new scan starts
afresh), and the progress bar and status line under the camera say how far it got.
"""

from __future__ import annotations

import hashlib

from app.core import fountain, payload
from app.core.errors import DocumentError
from app.web.context import Context
from app.web.dom import by_id


def is_frame(text: str) -> bool:
    return text.lstrip().startswith(payload.FOUNTAIN_PREFIX)


class Scanner:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.receiver = fountain.Receiver()

    def reset(self) -> None:
        self.receiver = fountain.Receiver()

    def feed(self, text: str) -> bytes | None:
        """One scanned frame -> the export's JSON bytes once decoded, else None (progress shown).
        Raises DocumentError if the decoded payload does not inflate (shown like any import error)."""
        progress = self.receiver.feed(text)
        if progress.status == "damaged" and not progress.count:
            if self.receiver.newer and not self.receiver.decoders:  # only frames this app cannot read
                newer = DocumentError("fountain.version", version=self.receiver.newer_version)
                by_id("import-error").textContent = newer.message(self.ctx.lang)
            return None
        bar, status = by_id("scan-progress"), by_id("scan-status")
        if progress.status != "done":
            progress = self.receiver.best()  # not the latest frame's transfer: never backwards
            bar.hidden = False
            bar.max = progress.count
            bar.value = progress.rank
            bar.setAttribute("aria-label", self.ctx.t("q.anim.progress_label"))
            key = "q.anim.other" if self.receiver.others else "q.anim.progress"
            status.textContent = self.ctx.t(key, percent=progress.percent)
            return None
        data = self.receiver.result()
        self.reset()
        bar.value = bar.max
        status.setAttribute("data-transfer", progress.tid)
        raw = payload.inflate(data)
        status.setAttribute("data-sha256", hashlib.sha256(raw).hexdigest())
        return raw
