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
        self.stats = {"frames": 0, "lastFrameMs": 0.0, "firstDrawMs": None, "pathMs": self.path_ms,
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
        self.request()

    def _set_layers(self, on) -> None:
        self.layers_on = bool(on)
        self.request()

    def set_overlay(self, overlay: MapData, parse_ms: float | None = None) -> None:
        """Borders and labels (data/fwb_map.json, parsed)."""
        self.stats["overlayParseMs"] = parse_ms
        t0 = time.perf_counter()
        self.overlay = overlay
        self.border_paths = [(tile, js.Path2D.new(tile.path), js.Path2D.new(tile.coarse)) for tile in overlay.tiles]
        self._placements.clear()
        self.stats["overlayMs"] = (time.perf_counter() - t0) * 1000
        self.request()

    def set_here(self, x: float, y: float, scale: float = 7000.0) -> None:
        """The device's position: a marker, and the view centred on it."""
        self.here = (x, y)
        w, h = self._size()
        self.scale = max(self.scale, scale)
        self.tx, self.ty = w / 2 - x * self.scale, h / 2 - y * self.scale
        self.request()

    def select(self, node_id: str | None, center: bool = False) -> None:
        self.selected = node_id
        self.sel = js.Path2D.new(self.grid.svg_path([node_id]) if node_id else "")
        if node_id and center:
            x, y = self.grid.nodes[node_id].world
            w, h = self._size()
            self.scale = max(self.scale, 60 * w / 900)
            self.tx, self.ty = w / 2 - x * self.scale, h / 2 - y * self.scale
        self.request()

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
        self.request()

    def _fit(self, x0, y0, x1, y1, max_scale: float = 1e9) -> None:
        w, h = self._size()
        pad = 0.06
        span_x, span_y = max(x1 - x0, 0.02), max(y1 - y0, 0.02)
        self.scale = min(w / (span_x * (1 + 2 * pad)), h / (span_y * (1 + 2 * pad)), max_scale)
        self.tx = w / 2 - (x0 + x1) / 2 * self.scale
        self.ty = h / 2 - (y0 + y1) / 2 * self.scale
        self.request()

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

    def draw(self) -> None:
        t0 = time.perf_counter()
        ctx = self.ctx
        dpr = js.window.devicePixelRatio or 1
        ctx.setTransform(1, 0, 0, 1, 0, 0)
        ctx.fillStyle = "#eef4f0"
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
        ms = (time.perf_counter() - t0) * 1000
        self.stats["frames"] += 1
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
                if not self._settle_pending:
                    self._settle_pending = True
                    js.setTimeout(self._settle, int(SETTLE_S * 1000) + 20)
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

    def _settled(self) -> None:
        self._settle_pending = False
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

    def probe(self) -> str:
        """For tests and the bench: the view and the labels of the last frame (CSS pixels)."""
        import json

        return json.dumps({"scale": self.scale, "tx": self.tx, "ty": self.ty, "labels": self.drawn,
                           "selected": self.selected, "here": self.here})

    def _frame(self, _ts=None) -> None:
        self.frame_pending = False
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
        if was_tap:
            self._pick(*self._local(event))

    def _wheel(self, event) -> None:
        event.preventDefault()
        x, y = self._local(event)
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
