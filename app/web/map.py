"""The grid map: one canvas; Path2D layers (all nodes, nodes with cellules, the selection, the
commune, province and FWB borders) and greedy-placed labels (counts, communes, localities).

Theory of operation
-------------------
Geometry is built once in world coordinates (app.core.grid) as SVG path strings, handed to the
browser as Path2D objects. The borders come later (`set_overlay`, data/fwb_map.json, loaded when
the map first opens) as three path strings in map units (world × 10⁴), drawn under their own
transform. A frame is then a handful of calls — set the transform, fill and stroke each layer,
then the labels (app/web/map_paint.py) — so panning and zooming stay smooth even though Python
drives it. Input (app/web/map_input.py): pointer drag, pinch, wheel and keyboard. Frames are
coalesced with requestAnimationFrame. `window.cellulesMap` exposes draw timings for tests and
bench/grid.py; `window.cellulesMapProbe()` returns the view and the labels of the last frame (JSON).

Gestures draw a bitmap, not the map (app/web/map_gesture.py): while a gesture runs (drag, pinch,
or wheel steps less than REST_S apart) a frame is the last crisp frame scaled. When the gesture
rests (REST_S after its last step, or at once on the last pointer up) the crisp frame is drawn,
exactly as without the cache. Keyboard zoom, search and every change of content (selection,
cellules, borders, position, size) draw crisp at once.
`window.cellulesMapGestureCache(false)` turns gesture frames off.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy, to_js  # type: ignore[import-not-found]

from app.core.grid import Grid
from app.core.grid_map import MapData
from app.web.map_gesture import GestureFrames
from app.web.map_input import MapInput
from app.web.map_paint import CrispFrame

REST_S = 0.15  # a wheel gesture rests after this long without a step: the crisp frame follows


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
        self.near = js.Path2D.new("")  # « Autour de moi »: the hexagons of the nearest cellules
        self.path_ms = (time.perf_counter() - t0) * 1000
        self.scale = 1.0
        self.tx = self.ty = 0.0
        self.selected: str | None = None
        self.frame_pending = False
        self.fitted = False
        self.stats = {"frames": 0, "cachedFrames": 0, "crisp": True, "lastFrameMs": 0.0, "firstDrawMs": None,
                      "pathMs": self.path_ms,
                      "overlayParseMs": None, "overlayMs": None, "firstFullDrawMs": None, "labels": 0, "placeMs": None}
        self.overlay: MapData | None = None
        self.border_paths: list = []
        self.counts: dict[str, int] = {}
        self.painter = CrispFrame(self)
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
        self.gesture = GestureFrames(self)
        self.input = MapInput(self, canvas)
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
            self.painter.set_counts(counts, labelled=hasattr(node_ids, "items"))
        self.gesture.forget_edges()
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
        self.painter.forget_placements()
        self.stats["overlayMs"] = (time.perf_counter() - t0) * 1000
        self.changed()

    def set_near(self, node_ids) -> None:
        """The hexagons « Autour de moi » lists (outlined); none: no outline."""
        self.near = js.Path2D.new(self.grid.svg_path(dict.fromkeys(node_ids)))
        self.changed()

    def show_around(self, x: float, y: float, node_ids, span: float = 0.12) -> None:
        """The device's position (a marker) and these nodes all in view; with no node, the place around
        the position (`span` world degrees across, a few kilometres), never one hexagon filling the map."""
        self.here = (x, y)
        pts = [(x, y)] + [self.grid.nodes[n].world for n in node_ids]
        x0, y0 = min(p[0] for p in pts), min(p[1] for p in pts)
        x1, y1 = max(p[0] for p in pts), max(p[1] for p in pts)
        if x1 - x0 < span and y1 - y0 < span:  # close together: the place around them, centred on the position
            half = span / 2
            x0, x1 = min(x0, x - half), max(x1, x + half)
            y0, y1 = min(y0, y - half * 0.7), max(y1, y + half * 0.7)
        pad = 0.015  # a hexagon and its label at the edge stay inside
        self._fit(x0 - pad, y0 - pad, x1 + pad, y1 + pad, max_scale=12000)

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
        self.gesture.forget_edges()
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
        """The crisp frame (app/web/map_paint.py)."""
        self.painter.draw()

    def draw_cached(self) -> bool:
        """One gesture frame (app/web/map_gesture.py). False (nothing drawn) when a crisp frame is due."""
        if self._stale:
            return False
        return self.gesture.draw()

    def gesture_step(self) -> None:
        """A drag, pinch or wheel step: gesture frames until it rests (REST_S without a step, or the
        last pointer up), then the crisp frame."""
        self._gesture_until = time.perf_counter() + self.rest_s
        self._arm_settle(self.rest_s)

    def gesture_end(self) -> None:
        """The last pointer is up: the gesture rests at once."""
        if self._gesture_until:
            self._gesture_until = 0.0
            self.request()  # the gesture rests: the crisp frame

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

    def pick(self, sx: float, sy: float, loose: bool = False) -> None:
        x, y = (sx - self.tx) / self.scale, (sy - self.ty) / self.scale
        node = self.grid.nearest(x, y, max_distance=None if loose else 0.02)
        if node is not None:
            self.select(node.id)
            self.on_select(node.id)
