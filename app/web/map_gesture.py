"""Gesture frames of the grid map (app/web/map.py): a bitmap, not the map (what map engines do).

Theory of operation
-------------------
A whole-FWB frame costs little Python but its many canvas paths take ~20 ms to rasterise in
software: too slow for 50 fps while zooming. So while a gesture runs (drag, pinch, or wheel steps
less than REST_S apart) a frame is one `drawImage` of the last crisp frame, copied to an offscreen
canvas when the gesture starts, under the gesture's transform (slightly blurry, like a scaled
photo). Edges that the bitmap no longer covers show the hexagons and nodes with cellules, from a
bitmap too: the overview (the whole FWB, drawn once per content) or, zoomed in, the underlay (the
view and around it, half resolution). When the bitmap is scaled beyond ×3 or ÷3 or covers less
than MIN_COVER of the view, that frame is crisp again and becomes the new bitmap. The map
(GridMap) owns one GestureFrames and decides when a gesture frame is wanted.
"""

from __future__ import annotations

import math
import time

import js  # type: ignore[import-not-found]
from pyodide.ffi import to_js  # type: ignore[import-not-found]

MAX_STRETCH = 3.0  # mid-gesture, a crisp frame again once the bitmap is scaled beyond ×3 or ÷3
MIN_COVER = 0.25  # ... or covers less than this share of the view
OVERVIEW_STRETCH = 4.0  # bare edges show the overview bitmap up to this zoom (× the whole FWB), paths beyond
BACKGROUND = "#eef4f0"


class GestureFrames:
    """The bitmaps of one GridMap (passed in; its view, canvas, layers and stats are read from it)."""

    def __init__(self, owner) -> None:
        self.map = owner
        self._crisp_view: tuple | None = None  # (scale, tx, ty, width, height) of the crisp frame on the canvas
        self._crisp_drawn: list[tuple[str, str, float, float]] = []
        self._snap = None  # offscreen canvas: the bitmap the gesture frames scale
        self._snap_view: tuple[float, float, float] | None = None
        self._overview = None  # offscreen canvas: the whole FWB, for edges the bitmap leaves bare
        self._overview_view: tuple | None = None
        self._underlay = None  # offscreen canvas: the hexagons around the view, for edges when zoomed in
        self._underlay_view: tuple | None = None

    def crisp_drawn(self, drawn: list[tuple[str, str, float, float]]) -> None:
        """A crisp frame is on the canvas (with these labels)."""
        m = self.map
        self._crisp_view = (m.scale, m.tx, m.ty, m.canvas.width, m.canvas.height)
        self._crisp_drawn = drawn
        self._snap_view = None  # the bitmap is copied from this frame when a gesture next needs it

    def forget_edges(self) -> None:
        """The content or the size changed: the overview and the underlay are drawn again when needed."""
        self._overview_view = self._underlay_view = None

    def draw(self) -> bool:
        """One gesture frame: the last crisp frame as a bitmap under the gesture's transform, over the
        overview where it leaves the view bare. False (nothing drawn) when a crisp frame is due."""
        m = self.map
        t0 = time.perf_counter()
        cw, ch = m.canvas.width, m.canvas.height
        if cw == 0 or ch == 0:
            return False
        if self._snap_view is None:  # the canvas holds the last crisp frame: copy it
            if self._crisp_view is None or self._crisp_view[3:] != (cw, ch):
                return False
            if self._snap is None:
                self._snap = js.document.createElement("canvas")
            if self._snap.width != cw or self._snap.height != ch:
                self._snap.width, self._snap.height = cw, ch
            self._snap.getContext("2d").drawImage(m.canvas, 0, 0)
            self._snap_view = self._crisp_view[:3]
        s0, x0, y0 = self._snap_view
        r = m.scale / s0
        dpr = js.window.devicePixelRatio or 1
        ox, oy = dpr * (m.tx - r * x0), dpr * (m.ty - r * y0)
        cover = (max(0.0, min(cw, ox + r * cw) - max(0.0, ox)) * max(0.0, min(ch, oy + r * ch) - max(0.0, oy))
                 / (cw * ch))
        if not 1 / MAX_STRETCH <= r <= MAX_STRETCH or cover < MIN_COVER:
            return False
        ctx = m.ctx
        if cover < 0.9999:
            strips = [(x, y, w, h) for x, y, w, h in self._bare(ox, oy, r * cw, r * ch, cw, ch) if w > 0 and h > 0]
            self._draw_edges(ctx, dpr, strips)
        ctx.setTransform(r, 0, 0, r, ox, oy)
        ctx.drawImage(self._snap, 0, 0)
        ctx.setTransform(1, 0, 0, 1, 0, 0)
        m.drawn = [(text, kind, round((x - x0) * r + m.tx, 1), round((y - y0) * r + m.ty, 1))
                   for text, kind, x, y in self._crisp_drawn]
        m.crisp = False
        m.stats["frames"] += 1
        m.stats["cachedFrames"] += 1
        m.stats["crisp"] = False
        m.stats["lastFrameMs"] = (time.perf_counter() - t0) * 1000
        js.window.cellulesMap = to_js(m.stats, dict_converter=js.Object.fromEntries)
        m.canvas.dataset.frames = str(m.stats["frames"])
        return True

    @staticmethod
    def _bare(ox: float, oy: float, bw: float, bh: float, cw: int, ch: int) -> list[tuple[int, int, int, int]]:
        """The strips of the canvas (device pixels, whole) outside the bitmap's box: above, below, left, right."""
        top, bottom = min(ch, max(0, math.ceil(oy))), max(0, min(ch, math.floor(oy + bh)))
        left, right = min(cw, max(0, math.ceil(ox))), max(0, min(cw, math.floor(ox + bw)))
        return [(0, 0, cw, top), (0, bottom, cw, ch - bottom), (0, top, left, bottom - top),
                (right, top, cw - right, bottom - top)]

    def _draw_edges(self, ctx, dpr: float, strips: list[tuple[int, int, int, int]]) -> None:
        """What the bitmap leaves bare: the hexagons and the nodes with cellules, from a bitmap too.
        Zoomed out, the overview (the whole FWB); zoomed in, where the overview would be a blur, the
        underlay: the view and half a view around it at half resolution, drawn when first needed
        and again when the view leaves it or zooms too far from it."""
        m = self.map
        cw, ch = m.canvas.width, m.canvas.height
        ctx.setTransform(1, 0, 0, 1, 0, 0)
        ctx.fillStyle = BACKGROUND
        for strip in strips:
            ctx.fillRect(*strip)
        x0, y0, x1, y1 = m.grid.bounds()
        fit = min(cw / dpr / max(x1 - x0, 0.02), ch / dpr / max(y1 - y0, 0.02))
        if m.scale <= OVERVIEW_STRETCH * fit:
            if self._overview_view is None or self._overview_view[3:] != (cw, ch):
                w, h = cw / dpr, ch / dpr
                self._overview = self._hexagons(self._overview, cw, ch, dpr, fit, w / 2 - (x0 + x1) / 2 * fit,
                                                h / 2 - (y0 + y1) / 2 * fit, stroke=False)
                self._overview_view = (fit, w / 2 - (x0 + x1) / 2 * fit, h / 2 - (y0 + y1) / 2 * fit, cw, ch)
            self._blit(ctx, dpr, self._overview, self._overview_view, strips)
            return
        view = self._underlay_view
        if view is not None:
            r, ox, oy = self._at(view, dpr)
        if view is None or view[3:] != (cw, ch) or not 1.0 <= r <= 6.0 or ox > 0 or oy > 0 \
                or ox + r * cw < cw or oy + r * ch < ch:
            w, h = cw / dpr, ch / dpr
            view = (m.scale / 2, (m.tx + w / 2) / 2, (m.ty + h / 2) / 2, cw, ch)
            self._underlay = self._hexagons(self._underlay, cw, ch, dpr, *view[:3], stroke=m.scale > 250)
            self._underlay_view = view
        self._blit(ctx, dpr, self._underlay, view, strips)

    def _at(self, view: tuple, dpr: float) -> tuple[float, float, float]:
        """Where a bitmap drawn at view (scale, tx, ty) goes now: its stretch and device offset."""
        m = self.map
        s0, x0, y0 = view[:3]
        r = m.scale / s0
        return r, dpr * (m.tx - r * x0), dpr * (m.ty - r * y0)

    def _blit(self, ctx, dpr: float, bitmap, view: tuple, strips) -> None:
        """The parts of a bitmap drawn at view (scale, tx, ty) that fall in these strips of the canvas
        (only those: rasterising a whole scaled canvas under the gesture's bitmap costs milliseconds)."""
        r, ox, oy = self._at(view, dpr)
        bw, bh = bitmap.width, bitmap.height
        ctx.setTransform(1, 0, 0, 1, 0, 0)
        for x, y, w, h in strips:
            sx0, sy0 = max(0.0, (x - ox) / r), max(0.0, (y - oy) / r)
            sx1, sy1 = min(bw, (x + w - ox) / r), min(bh, (y + h - oy) / r)
            if sx1 > sx0 and sy1 > sy0:
                ctx.drawImage(bitmap, sx0, sy0, sx1 - sx0, sy1 - sy0, ox + sx0 * r, oy + sy0 * r,
                              (sx1 - sx0) * r, (sy1 - sy0) * r)

    def _hexagons(self, canvas, cw: int, ch: int, dpr: float, s: float, tx: float, ty: float, stroke: bool):
        """An offscreen canvas (made if None) with the hexagons and the nodes with cellules at view (s, tx, ty)."""
        m = self.map
        if canvas is None:
            canvas = js.document.createElement("canvas")
        canvas.width, canvas.height = cw, ch  # also clears it
        octx = canvas.getContext("2d")
        octx.fillStyle = BACKGROUND
        octx.fillRect(0, 0, cw, ch)
        octx.setTransform(s * dpr, 0, 0, s * dpr, tx * dpr, ty * dpr)
        octx.fillStyle = "#bbf7d0"
        octx.fill(m.base)
        if stroke:
            octx.lineWidth = 1 / m.scale
            octx.strokeStyle = "#8cc79f"
            octx.stroke(m.base)
        octx.fillStyle = "#facc15"
        octx.fill(m.busy)
        return canvas
