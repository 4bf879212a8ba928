"""Live sync's transport: one WebRTC connection with no server, and the codes' single-use book.

Theory of operation
-------------------
`Transport` is one RTCPeerConnection with no server (`iceServers: []`) and one ordered data
channel, called straight from Python. A code is made only once ICE gathering has ended (its
description then holds every candidate: nothing trickles later, a QR code is all the other side
gets). What it sends waits in a queue while the channel's own buffer holds more than HIGH_WATER
bytes (backpressure: a large state never fills the browser's buffer). A binary message arrives
as None (the protocol is text only: app.core.live refuses it).

The codes this device made or answered (app.core.live_code.CodeBook: single use, expiry) are kept
in localStorage, so a code stays used across a reload.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import Callable

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy, to_js  # type: ignore[import-not-found]

from app.core import live_code

GATHER_S = 5  # ICE gathering ends in well under a second on a local network; never wait longer
HIGH_WATER = 1 << 20  # bytes in the channel's buffer before sending waits for it to drain
BOOK_KEY = "cellules-live-codes"


def now_ms() -> int:
    return int(js.Date.now())


def _js(value):
    return to_js(value, dict_converter=js.Object.fromEntries)


# --- the code book (single use), kept in localStorage ----------------------------------------------
def book() -> live_code.CodeBook:
    try:
        return live_code.CodeBook.from_json(json.loads(str(js.localStorage.getItem(BOOK_KEY) or "{}")))
    except ValueError:
        return live_code.CodeBook()


def keep_book(new: live_code.CodeBook) -> None:
    js.localStorage.setItem(BOOK_KEY, json.dumps(new.to_json()))


class Transport:
    """One peer connection, one data channel; `on_open()`, `on_text(text or None)`, `on_close()`."""

    def __init__(self, on_open: Callable, on_text: Callable, on_close: Callable) -> None:
        self.on_open, self.on_text, self.on_close = on_open, on_text, on_close
        self.pc = js.RTCPeerConnection.new(_js({"iceServers": []}))
        self.channel = None
        self.queue: deque[str] = deque()
        self.proxies: list = []
        self.closed = False
        self._listen(self.pc, "datachannel", lambda event: self._attach(event.channel))
        self._listen(self.pc, "connectionstatechange", self._state)

    def _listen(self, target, event: str, handler: Callable) -> None:
        proxy = create_proxy(handler)
        self.proxies.append((target, event, proxy))
        target.addEventListener(event, proxy)

    def _attach(self, channel) -> None:
        if self.channel is not None:  # one channel per connection: another is closed at once
            channel.close()
            return
        self.channel = channel
        channel.bufferedAmountLowThreshold = HIGH_WATER // 2
        self._listen(channel, "open", lambda _e: self.on_open())
        self._listen(channel, "message", lambda e: self.on_text(e.data if isinstance(e.data, str) else None))
        self._listen(channel, "close", lambda _e: self._ended())
        self._listen(channel, "bufferedamountlow", lambda _e: self._flush())

    def _state(self, _event=None) -> None:
        if str(self.pc.connectionState) in ("failed", "closed"):
            self._ended()

    def _ended(self) -> None:
        if not self.closed:
            self.close()
            self.on_close()

    async def _gathered(self) -> str:
        """The local description once ICE gathering ended (or GATHER_S passed)."""
        if str(self.pc.iceGatheringState) != "complete":
            done = asyncio.get_event_loop().create_future()

            def check(_event=None):
                if str(self.pc.iceGatheringState) == "complete" and not done.done():
                    done.set_result(None)

            self._listen(self.pc, "icegatheringstatechange", check)
            check()
            try:
                await asyncio.wait_for(done, GATHER_S)
            except TimeoutError:
                pass
        return str(self.pc.localDescription.sdp)

    async def offer(self) -> str:
        self._attach(self.pc.createDataChannel("fwbw", _js({"ordered": True})))
        await self.pc.setLocalDescription()
        return await self._gathered()

    async def answer(self, remote: dict) -> str:
        await self.pc.setRemoteDescription(_js(remote))
        await self.pc.setLocalDescription()
        return await self._gathered()

    async def accept(self, remote: dict) -> None:
        await self.pc.setRemoteDescription(_js(remote))

    def send(self, text: str) -> None:
        self.queue.append(text)
        self._flush()

    def _flush(self) -> None:
        channel = self.channel
        while self.queue and channel is not None and str(channel.readyState) == "open" \
                and int(channel.bufferedAmount) < HIGH_WATER:
            channel.send(self.queue.popleft())

    def close(self) -> None:
        self.closed = True
        if self.channel is not None:
            self.channel.close()
        self.pc.close()
        for target, event, proxy in self.proxies:  # no event reaches a destroyed proxy
            target.removeEventListener(event, proxy)
            proxy.destroy()
        self.proxies = []


