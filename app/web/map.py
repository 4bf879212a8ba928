"""The grid map: one canvas; Path2D layers (all nodes, nodes with cellules, the selection, the
commune, province and FWB borders) and greedy-placed labels (counts, communes, localities).

Theory of operation
-------------------
Geometry is built once in world coordinates (app.core.grid) as SVG path strings, handed to the
browser as Path2D objects. The borders come later (`set_overlay`, data/fwb_map.json, loaded when
the map first opens) as three path strings in map units (world × 10⁴), drawn under their own
transform. A frame is then a handful of calls — set the transform, fill and stroke each layer,
then the labels — so panning and zooming stay smooth even though Python drives it. Labels are
placed per quantised scale (app.core.grid_map) and the placement reused while panning; text
widths are measured once per text. Input: pointer drag (mouse and touch), two-finger pinch,
wheel, and keyboard (arrows, +/−, Enter picks the node at the centre). Frames are coalesced with
requestAnimationFrame. `window.cellulesMap` exposes draw timings for tests and bench/grid.py;
`window.cellulesMapProbe()` returns the view and the labels of the last frame (JSON).

Gestures draw a bitmap, not the map (what map engines do). A whole-FWB frame costs little Python
but its many canvas paths take ~20 ms to rasterise in software: too slow for 50 fps while zooming.
So while a gesture runs (drag, pinch, or wheel steps less than REST_S apart) a frame is one
`drawImage` of the last crisp frame, copied to an offscreen canvas when the gesture starts, under
the gesture's transform (slightly blurry, like a scaled photo). Edges that the bitmap no longer
covers show the hexagons and nodes with cellules, from a bitmap too: the overview (the whole FWB,
drawn once per content) or, zoomed in, the underlay (the view and around it, half resolution). When the bitmap is
scaled beyond ×3 or ÷3 or covers less than MIN_COVER of the view, that frame is crisp again and
becomes the new bitmap. When the gesture rests (REST_S after its last step, or at once on the
last pointer up) the crisp frame is drawn, exactly as without the cache. Keyboard zoom, search
and every change of content (selection, cellules, borders, position, size) draw crisp at once.
`window.cellulesMapGestureCache(false)` turns gesture frames off.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy, to_js  # type: ignore[import-not-found]

from app.core.grid import Grid
from app.core.grid_map import COARSE_BELOW, MAP_UNIT, MapData, Placed, count_labels, level_scale, place_labels

FONTS = {"count": "bold 12px system-ui, sans-serif", "commune": "600 12px system-ui, sans-serif",
         "locality": "italic 11px system-ui, sans-serif"}
INK = {"count": "#7c2d12", "commune": "#111827", "locality": "#374151"}
# Border classes (fwb outline, province, commune): colour and width in CSS pixels.
BORDER_STYLE = (("#0f172a", 2.6), ("#334155", 1.8), ("#64748b", 0.9))
SETTLE_S = 0.15  # a zoom gesture rests after this long without a zoom step
REST_S = 0.15  # a wheel gesture rests after this long without a step: the crisp frame follows
MAX_STRETCH = 3.0  # mid-gesture, a crisp frame again once the bitmap is scaled beyond ×3 or ÷3
MIN_COVER = 0.25  # ... or covers less than this share of the view
OVERVIEW_STRETCH = 4.0  # bare edges show the overview bitmap up to this zoom (× the whole FWB), paths beyond
BACKGROUND = "#eef4f0"


class GridMap:
    def __init__(self, canvas, grid: Grid, on_select: Callable[[str], None]) -> None:
        self.canvas = canvas
        self.grid = grid
        self.on_select = on_select
        self.ctx = canvas.getContext("2d")
        t0 = time.perf_counter()
        self.base = js.Path2D.new(grid.svg_path(grid.nodes))
        self.busy = js.Path2D.new("")
        self.sel = js.Path2D.new("")
        self.path_ms = (time.perf_counter() - t0) * 1000
        self.scale = 1.0
        self.tx = self.ty = 0.0
        self.selected: str | None = None
        self.pointers: dict[int, tuple[float, float]] = {}
        self.pinch: float | None = None
        self.moved = 0.0
        self.frame_pending = False
        self.fitted = False
        self.stats = {"frames": 0, "cachedFrames": 0, "crisp": True, "lastFrameMs": 0.0, "firstDrawMs": None,
                      "pathMs": self.path_ms,
                      "overlayParseMs": None, "overlayMs": None, "firstFullDrawMs": None, "labels": 0, "placeMs": None}
        self.overlay: MapData | None = None
        self.border_paths: list = []
        self.counts: dict[str, int] = {}
        self._count_labels: list = []
        self._placements: dict[float, list[Placed]] = {}
        self._widths: dict[tuple[str, str], float] = {}
        self._zoomed_at = 0.0
        self._settle_pending = False
        self._settle = create_proxy(self._settled)
        self.here: tuple[float, float] | None = None
        self.drawn: list[tuple[str, str, float, float]] = []
        # Gesture frames (see the theory above). bench/grid.py switches the cache off to compare.
        self.gesture_cache = True
        self.rest_s = REST_S
        self.crisp = True  # the last frame drawn was the full map, not the bitmap
        self._gesture_until = 0.0
        self._stale = True  # content changed since the last crisp frame: the next frame is crisp
        self._crisp_view: tuple | None = None  # (scale, tx, ty, width, height) of the crisp frame on the canvas
        self._crisp_drawn: list[tuple[str, str, float, float]] = []
        self._snap = None  # offscreen canvas: the bitmap the gesture frames scale
        self._snap_view: tuple[float, float, float] | None = None
        self._overview = None  # offscreen canvas: the whole FWB, for edges the bitmap leaves bare
        self._overview_view: tuple | None = None
        self._underlay = None  # offscreen canvas: the hexagons around the view, for edges when zoomed in
        self._underlay_view: tuple | None = None
        self._proxies = []
        for event, handler in (
            ("pointerdown", self._down), ("pointermove", self._move), ("pointerup", self._up),
            ("pointercancel", self._up), ("wheel", self._wheel), ("keydown", self._key),
        ):
            proxy = create_proxy(handler)
            self._proxies.append(proxy)
            canvas.addEventListener(event, proxy, to_js({"passive": False}, dict_converter=js.Object.fromEntries))
        self._raf = create_proxy(self._frame)
        self._probe = create_proxy(self.probe)
        js.window.cellulesMapProbe = self._probe
        self.layers_on = True  # bench/grid.py compares frames without borders and labels, in the same run
        self._layers = create_proxy(self._set_layers)
        js.window.cellulesMapLayers = self._layers
        self._cache_switch = create_proxy(self._set_gesture_cache)
        js.window.cellulesMapGestureCache = self._cache_switch
        self._draw_now = create_proxy(self.draw_now)
        js.window.cellulesMapDraw = self._draw_now
        js.window.cellulesMap = to_js(self.stats, dict_converter=js.Object.fromEntries)

    # --- layers ---------------------------------------------------------------------------------
    def set_busy(self, node_ids) -> None:
        """Nodes with cellules: a set of ids, or a mapping id -> number of cellules (shown as labels)."""
        counts = dict(node_ids) if hasattr(node_ids, "items") else dict.fromkeys(node_ids, 1)
        self.busy = js.Path2D.new(self.grid.svg_path(sorted(counts)))
        if counts != self.counts:
            self.counts = counts
            self._count_labels = count_labels(self.grid, counts) if hasattr(node_ids, "items") else []
            self._placements.clear()
        self._overview_view = self._underlay_view = None
        self.changed()

    def _set_layers(self, on) -> None:
        self.layers_on = bool(on)
        self.changed()

    def _set_gesture_cache(self, on, rest_ms=None) -> None:
        """Gesture frames on or off (bench/grid.py compares both); tests may lengthen the rest so that
        a slow machine cannot end a scripted gesture between two of its steps."""
        self.gesture_cache = bool(on)
        if rest_ms is not None:
            self.rest_s = float(rest_ms) / 1000
        self.changed()

    def set_overlay(self, overlay: MapData, parse_ms: float | None = None) -> None:
        """Borders and labels (data/fwb_map.json, parsed)."""
        self.stats["overlayParseMs"] = parse_ms
        t0 = time.perf_counter()
        self.overlay = overlay
        self.border_paths = [(tile, js.Path2D.new(tile.path), js.Path2D.new(tile.coarse)) for tile in overlay.tiles]
        self._placements.clear()
        self.stats["overlayMs"] = (time.perf_counter() - t0) * 1000
        self.changed()

    def set_here(self, x: float, y: float, scale: float = 7000.0) -> None:
        """The device's position: a marker, and the view centred on it."""
        self.here = (x, y)
        w, h = self._size()
        self.scale = max(self.scale, scale)
        self.tx, self.ty = w / 2 - x * self.scale, h / 2 - y * self.scale
        self.changed()

    def select(self, node_id: str | None, center: bool = False) -> None:
        self.selected = node_id
        self.sel = js.Path2D.new(self.grid.svg_path([node_id]) if node_id else "")
        if node_id and center:
            x, y = self.grid.nodes[node_id].world
            w, h = self._size()
            self.scale = max(self.scale, 60 * w / 900)
            self.tx, self.ty = w / 2 - x * self.scale, h / 2 - y * self.scale
        self.changed()

    def show_nodes(self, node_ids) -> None:
        """Zoom to the box of these nodes (a search hit)."""
        pts = [self.grid.nodes[n].world for n in node_ids]
        self._fit(min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts),
                  max_scale=12000)

    # --- view -------------------------------------------------------------------------------------
    def _size(self) -> tuple[float, float]:
        return float(self.canvas.clientWidth or 800), float(self.canvas.clientHeight or 500)

    def resize(self) -> None:
        w, h = self._size()
        dpr = js.window.devicePixelRatio or 1
        self.canvas.width = int(w * dpr)
        self.canvas.height = int(h * dpr)
        if not self.fitted:
            self._fit(*self.grid.bounds())
            self.fitted = True
        self._overview_view = self._underlay_view = None
        self.changed()

    def _fit(self, x0, y0, x1, y1, max_scale: float = 1e9) -> None:
        w, h = self._size()
        pad = 0.06
        span_x, span_y = max(x1 - x0, 0.02), max(y1 - y0, 0.02)
        self.scale = min(w / (span_x * (1 + 2 * pad)), h / (span_y * (1 + 2 * pad)), max_scale)
        self.tx = w / 2 - (x0 + x1) / 2 * self.scale
        self.ty = h / 2 - (y0 + y1) / 2 * self.scale
        self.changed()

    def zoom_at(self, factor: float, sx: float, sy: float) -> None:
        new = min(max(self.scale * factor, 50.0), 20000.0)
        factor = new / self.scale
        self.tx = sx - (sx - self.tx) * factor
        self.ty = sy - (sy - self.ty) * factor
        self.scale = new
        self._zoomed_at = time.perf_counter()
        self.request()

    def pan(self, dx: float, dy: float) -> None:
        self.tx += dx
        self.ty += dy
        self.request()

    def request(self) -> None:
        if not self.frame_pending:
            self.frame_pending = True
            js.requestAnimationFrame(self._raf)

    def changed(self) -> None:
        """Something other than the view changed: the next frame is crisp, even mid-gesture."""
        self._stale = True
        self.request()

    def in_gesture(self) -> bool:
        return self.gesture_cache and time.perf_counter() < self._gesture_until

    def draw(self) -> None:
        t0 = time.perf_counter()
        ctx = self.ctx
        dpr = js.window.devicePixelRatio or 1
        ctx.setTransform(1, 0, 0, 1, 0, 0)
        ctx.fillStyle = BACKGROUND
        ctx.fillRect(0, 0, self.canvas.width, self.canvas.height)
        s = self.scale * dpr
        ctx.setTransform(s, 0, 0, s, self.tx * dpr, self.ty * dpr)
        ctx.fillStyle = "#bbf7d0"
        ctx.fill(self.base)
        if self.scale > 250:
            ctx.lineWidth = 1 / self.scale
            ctx.strokeStyle = "#8cc79f"
            ctx.stroke(self.base)
        if self.overlay is not None and self.layers_on:
            m = s / MAP_UNIT
            ctx.setTransform(m, 0, 0, m, self.tx * dpr, self.ty * dpr)
            ctx.lineJoin = "round"
            zoomed = min(1.0, 0.6 + self.scale / 4000)  # thinner lines over the whole FWB
            w, h = self._size()
            pad = 4 / self.scale
            view = (-self.tx / self.scale - pad, -self.ty / self.scale - pad, (w - self.tx) / self.scale + pad,
                    (h - self.ty) / self.scale + pad)
            kind = None
            coarse = self.scale < COARSE_BELOW
            for tile, fine, rough in reversed(self.border_paths):  # commune borders first, the FWB outline on top
                if not tile.meets(*view):
                    continue
                if tile.kind != kind:
                    kind = tile.kind
                    colour, width = BORDER_STYLE[kind]
                    ctx.strokeStyle = colour
                    ctx.lineWidth = width * zoomed * MAP_UNIT / self.scale
                ctx.stroke(rough if coarse else fine)
        self.drawn = []
        if self.layers_on:  # place names under the nodes with cellules: those always show
            ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
            self._draw_labels(ctx, counts=False)
        ctx.setTransform(s, 0, 0, s, self.tx * dpr, self.ty * dpr)
        ctx.fillStyle = "#facc15"
        ctx.fill(self.busy)
        ctx.lineWidth = 3 / self.scale
        ctx.strokeStyle = "#b91c1c"
        ctx.stroke(self.sel)
        ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
        if self.here is not None:
            hx, hy = self.here[0] * self.scale + self.tx, self.here[1] * self.scale + self.ty
            ctx.beginPath()
            ctx.arc(hx, hy, 7, 0, 2 * math.pi)
            ctx.fillStyle = "#2563eb"
            ctx.fill()
            ctx.lineWidth = 3
            ctx.strokeStyle = "#ffffff"
            ctx.stroke()
        if self.layers_on:
            self._draw_labels(ctx, counts=True)
        self.crisp = True
        self._stale = False
        self._crisp_view = (self.scale, self.tx, self.ty, self.canvas.width, self.canvas.height)
        self._crisp_drawn = self.drawn
        self._snap_view = None  # the bitmap is copied from this frame when a gesture next needs it
        ms = (time.perf_counter() - t0) * 1000
        self.stats["frames"] += 1
        self.stats["crisp"] = True
        self.stats["lastFrameMs"] = ms
        if self.stats["firstDrawMs"] is None:
            self.stats["firstDrawMs"] = ms
        if self.overlay is not None and self.stats["firstFullDrawMs"] is None:
            self.stats["firstFullDrawMs"] = ms
        self.stats["labels"] = len(self.drawn)
        js.window.cellulesMap = to_js(self.stats, dict_converter=js.Object.fromEntries)
        self.canvas.dataset.frames = str(self.stats["frames"])

    # --- labels -----------------------------------------------------------------------------------
    def _width(self, text: str, kind: str) -> float:
        key = (text, kind)
        width = self._widths.get(key)
        if width is None:
            self.ctx.font = FONTS[kind]
            width = self._widths[key] = float(self.ctx.measureText(text).width)
        return width

    def _placement(self) -> list[Placed]:
        """The labels placed for this scale's level. While a zoom gesture runs, a level placed
        before and below this one (still free of overlaps here) stands in, and the exact one is
        placed once the gesture rests: frames stay cheap while zooming."""
        level = level_scale(self.scale)
        placed = self._placements.get(level)
        if placed is not None:
            return placed
        if time.perf_counter() - self._zoomed_at < SETTLE_S:
            below = [k for k in self._placements if k <= level]
            if below:
                self._arm_settle(SETTLE_S)
                return self._placements[max(below)]
        t0 = time.perf_counter()
        labels = list(self._count_labels)
        if self.overlay is not None:
            labels += [*self.overlay.commune_labels, *self.overlay.locality_labels]
        self.ctx.save()
        placed = self._placements[level] = place_labels(labels, level, self._width)
        self.ctx.restore()
        self.stats["placeMs"] = (time.perf_counter() - t0) * 1000
        return placed

    def _arm_settle(self, delay_s: float) -> None:
        if not self._settle_pending:
            self._settle_pending = True
            js.setTimeout(self._settle, int(delay_s * 1000) + 20)

    def _settled(self) -> None:
        """A zoom or wheel gesture may have rested: draw (crisp, with the exact labels) once it has."""
        self._settle_pending = False
        left = self._gesture_until - time.perf_counter()
        if left > 0:
            self._arm_settle(left)
        else:
            self.request()

    def _draw_labels(self, ctx, counts: bool) -> None:
        w, h = self._size()
        drawn = self.drawn
        ctx.textAlign = "center"
        ctx.textBaseline = "middle"
        ctx.lineJoin = "round"
        ctx.lineWidth = 3.5
        ctx.strokeStyle = "rgba(255,255,255,0.92)"
        font = None
        for p in self._placement():
            label = p.label
            if (label.kind == "count") != counts:
                continue
            sx, sy = label.x * self.scale + self.tx, label.y * self.scale + self.ty
            if sx < -150 or sy < -20 or sx > w + 150 or sy > h + 20:
                continue
            if label.kind != font:
                font = label.kind
                ctx.font = FONTS[font]
                ctx.fillStyle = INK[font]
            ctx.strokeText(label.text, sx, sy)
            ctx.fillText(label.text, sx, sy)
            drawn.append((label.text, label.kind, round(sx, 1), round(sy, 1)))

    # --- gesture frames ---------------------------------------------------------------------------
    def draw_cached(self) -> bool:
        """One gesture frame: the last crisp frame as a bitmap under the gesture's transform, over the
        overview where it leaves the view bare. False (nothing drawn) when a crisp frame is due."""
        t0 = time.perf_counter()
        cw, ch = self.canvas.width, self.canvas.height
        if self._stale or cw == 0 or ch == 0:
            return False
        if self._snap_view is None:  # the canvas holds the last crisp frame: copy it
            if self._crisp_view is None or self._crisp_view[3:] != (cw, ch):
                return False
            if self._snap is None:
                self._snap = js.document.createElement("canvas")
            if self._snap.width != cw or self._snap.height != ch:
                self._snap.width, self._snap.height = cw, ch
            self._snap.getContext("2d").drawImage(self.canvas, 0, 0)
            self._snap_view = self._crisp_view[:3]
        s0, x0, y0 = self._snap_view
        r = self.scale / s0
        dpr = js.window.devicePixelRatio or 1
        ox, oy = dpr * (self.tx - r * x0), dpr * (self.ty - r * y0)
        cover = (max(0.0, min(cw, ox + r * cw) - max(0.0, ox)) * max(0.0, min(ch, oy + r * ch) - max(0.0, oy))
                 / (cw * ch))
        if not 1 / MAX_STRETCH <= r <= MAX_STRETCH or cover < MIN_COVER:
            return False
        ctx = self.ctx
        if cover < 0.9999:
            strips = [(x, y, w, h) for x, y, w, h in self._bare(ox, oy, r * cw, r * ch, cw, ch) if w > 0 and h > 0]
            self._draw_edges(ctx, dpr, strips)
        ctx.setTransform(r, 0, 0, r, ox, oy)
        ctx.drawImage(self._snap, 0, 0)
        ctx.setTransform(1, 0, 0, 1, 0, 0)
        self.drawn = [(text, kind, round((x - x0) * r + self.tx, 1), round((y - y0) * r + self.ty, 1))
                      for text, kind, x, y in self._crisp_drawn]
        self.crisp = False
        self.stats["frames"] += 1
        self.stats["cachedFrames"] += 1
        self.stats["crisp"] = False
        self.stats["lastFrameMs"] = (time.perf_counter() - t0) * 1000
        js.window.cellulesMap = to_js(self.stats, dict_converter=js.Object.fromEntries)
        self.canvas.dataset.frames = str(self.stats["frames"])
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
        cw, ch = self.canvas.width, self.canvas.height
        ctx.setTransform(1, 0, 0, 1, 0, 0)
        ctx.fillStyle = BACKGROUND
        for strip in strips:
            ctx.fillRect(*strip)
        x0, y0, x1, y1 = self.grid.bounds()
        fit = min(cw / dpr / max(x1 - x0, 0.02), ch / dpr / max(y1 - y0, 0.02))
        if self.scale <= OVERVIEW_STRETCH * fit:
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
            view = (self.scale / 2, (self.tx + w / 2) / 2, (self.ty + h / 2) / 2, cw, ch)
            self._underlay = self._hexagons(self._underlay, cw, ch, dpr, *view[:3], stroke=self.scale > 250)
            self._underlay_view = view
        self._blit(ctx, dpr, self._underlay, view, strips)

    def _at(self, view: tuple, dpr: float) -> tuple[float, float, float]:
        """Where a bitmap drawn at view (scale, tx, ty) goes now: its stretch and device offset."""
        s0, x0, y0 = view[:3]
        r = self.scale / s0
        return r, dpr * (self.tx - r * x0), dpr * (self.ty - r * y0)

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
        if canvas is None:
            canvas = js.document.createElement("canvas")
        canvas.width, canvas.height = cw, ch  # also clears it
        octx = canvas.getContext("2d")
        octx.fillStyle = BACKGROUND
        octx.fillRect(0, 0, cw, ch)
        octx.setTransform(s * dpr, 0, 0, s * dpr, tx * dpr, ty * dpr)
        octx.fillStyle = "#bbf7d0"
        octx.fill(self.base)
        if stroke:
            octx.lineWidth = 1 / self.scale
            octx.strokeStyle = "#8cc79f"
            octx.stroke(self.base)
        octx.fillStyle = "#facc15"
        octx.fill(self.busy)
        return canvas

    def draw_now(self, dx: float = 0.0, cached: bool = False) -> bool:
        """For tests and the bench: pan by dx CSS pixels and draw at once, a gesture frame (True when
        one could be drawn) or the crisp frame."""
        self.tx += float(dx or 0)
        if cached and self.draw_cached():
            return True
        self.draw()
        return False

    def probe(self) -> str:
        """For tests and the bench: the view and the labels of the last frame (CSS pixels), and
        whether that frame was crisp (False: a gesture frame, the bitmap of the last crisp one)."""
        import json

        return json.dumps({"scale": self.scale, "tx": self.tx, "ty": self.ty, "labels": self.drawn,
                           "selected": self.selected, "here": self.here, "crisp": self.crisp})

    def _frame(self, _ts=None) -> None:
        self.frame_pending = False
        if self.in_gesture() and self.draw_cached():
            return
        self.draw()

    # --- input ------------------------------------------------------------------------------------
    def _local(self, event) -> tuple[float, float]:
        rect = self.canvas.getBoundingClientRect()
        return event.clientX - rect.left, event.clientY - rect.top

    def _down(self, event) -> None:
        try:
            self.canvas.setPointerCapture(event.pointerId)
        except Exception:  # a synthetic pointer (bench, tests) has nothing to capture
            pass
        self.pointers[event.pointerId] = self._local(event)
        self.moved = 0.0
        self.pinch = None

    def _move(self, event) -> None:
        if event.pointerId not in self.pointers:
            return
        x, y = self._local(event)
        self._gesture_step()
        if len(self.pointers) == 1:
            px, py = self.pointers[event.pointerId]
            self.moved += abs(x - px) + abs(y - py)
            self.pan(x - px, y - py)
        elif len(self.pointers) == 2:
            self.pointers[event.pointerId] = (x, y)
            (ax, ay), (bx, by) = self.pointers.values()
            dist = math.hypot(ax - bx, ay - by)
            if self.pinch:
                self.zoom_at(dist / self.pinch, (ax + bx) / 2, (ay + by) / 2)
            self.pinch = dist
            self.moved += 10
        self.pointers[event.pointerId] = (x, y)

    def _up(self, event) -> None:
        was_tap = len(self.pointers) == 1 and self.moved < 6 and event.type == "pointerup"
        self.pointers.pop(event.pointerId, None)
        self.pinch = None
        if not self.pointers and self._gesture_until:
            self._gesture_until = 0.0
            self.request()  # the gesture rests: the crisp frame
        if was_tap:
            self._pick(*self._local(event))

    def _gesture_step(self) -> None:
        """A drag, pinch or wheel step: gesture frames until it rests (REST_S without a step, or the
        last pointer up), then the crisp frame."""
        self._gesture_until = time.perf_counter() + self.rest_s
        self._arm_settle(self.rest_s)

    def _wheel(self, event) -> None:
        event.preventDefault()
        x, y = self._local(event)
        self._gesture_step()
        self.zoom_at(math.exp(-event.deltaY / 500), x, y)

    def _key(self, event) -> None:
        step = 60
        w, h = self._size()
        actions = {
            "ArrowLeft": lambda: self.pan(step, 0), "ArrowRight": lambda: self.pan(-step, 0),
            "ArrowUp": lambda: self.pan(0, step), "ArrowDown": lambda: self.pan(0, -step),
            "+": lambda: self.zoom_at(1.4, w / 2, h / 2), "=": lambda: self.zoom_at(1.4, w / 2, h / 2),
            "-": lambda: self.zoom_at(1 / 1.4, w / 2, h / 2), "Enter": lambda: self._pick(w / 2, h / 2, loose=True),
        }
        if event.key in actions:
            event.preventDefault()
            actions[event.key]()

    def _pick(self, sx: float, sy: float, loose: bool = False) -> None:
        x, y = (sx - self.tx) / self.scale, (sy - self.ty) / self.scale
        node = self.grid.nearest(x, y, max_distance=None if loose else 0.02)
        if node is not None:
            self.select(node.id)
            self.on_select(node.id)
