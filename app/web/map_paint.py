"""The crisp frame of the grid map (app/web/map.py): the hexagons, the borders, the nodes with
cellules, the nearest cellules' hexagons (« Autour de moi », outlined), the selection, the device's
position and the greedy-placed labels (drawn `dy` below their anchor when placed there).

Labels are placed per quantised scale (app.core.grid_map) and the placement reused while panning;
text widths are measured once per text. While a zoom gesture runs, a placement made for a lower
level stands in until the gesture rests (SETTLE_S).
"""

from __future__ import annotations

import math
import time

import js  # type: ignore[import-not-found]
from pyodide.ffi import to_js  # type: ignore[import-not-found]

from app.core.grid_map import COARSE_BELOW, MAP_UNIT, Placed, count_labels, level_scale, place_labels
from app.web.map_gesture import BACKGROUND

FONTS = {"count": "bold 12px system-ui, sans-serif", "commune": "600 12px system-ui, sans-serif",
         "locality": "italic 11px system-ui, sans-serif"}
INK = {"count": "#7c2d12", "commune": "#111827", "locality": "#374151"}
# Border classes (fwb outline, province, commune): colour and width in CSS pixels.
BORDER_STYLE = (("#0f172a", 2.6), ("#334155", 1.8), ("#64748b", 0.9))
SETTLE_S = 0.15  # a zoom gesture rests after this long without a zoom step


class CrispFrame:
    """Draws the full map of one GridMap (passed in; its view, layers and stats are read from it)."""

    def __init__(self, owner) -> None:
        self.map = owner
        self._count_labels: list = []
        self._placements: dict[float, list[Placed]] = {}
        self._widths: dict[tuple[str, str], float] = {}

    def set_counts(self, counts: dict[str, int], labelled: bool) -> None:
        """New numbers of cellules per node (labels only when labelled): placed again when next drawn."""
        self._count_labels = count_labels(self.map.grid, counts) if labelled else []
        self._placements.clear()

    def forget_placements(self) -> None:
        self._placements.clear()

    def draw(self) -> None:
        m = self.map
        t0 = time.perf_counter()
        ctx = m.ctx
        dpr = js.window.devicePixelRatio or 1
        ctx.setTransform(1, 0, 0, 1, 0, 0)
        ctx.fillStyle = BACKGROUND
        ctx.fillRect(0, 0, m.canvas.width, m.canvas.height)
        s = m.scale * dpr
        ctx.setTransform(s, 0, 0, s, m.tx * dpr, m.ty * dpr)
        ctx.fillStyle = "#bbf7d0"
        ctx.fill(m.base)
        if m.scale > 250:
            ctx.lineWidth = 1 / m.scale
            ctx.strokeStyle = "#8cc79f"
            ctx.stroke(m.base)
        if m.overlay is not None and m.layers_on:
            mu = s / MAP_UNIT
            ctx.setTransform(mu, 0, 0, mu, m.tx * dpr, m.ty * dpr)
            ctx.lineJoin = "round"
            zoomed = min(1.0, 0.6 + m.scale / 4000)  # thinner lines over the whole FWB
            w, h = m._size()
            pad = 4 / m.scale
            view = (-m.tx / m.scale - pad, -m.ty / m.scale - pad, (w - m.tx) / m.scale + pad,
                    (h - m.ty) / m.scale + pad)
            kind = None
            coarse = m.scale < COARSE_BELOW
            for tile, fine, rough in reversed(m.border_paths):  # commune borders first, the FWB outline on top
                if not tile.meets(*view):
                    continue
                if tile.kind != kind:
                    kind = tile.kind
                    colour, width = BORDER_STYLE[kind]
                    ctx.strokeStyle = colour
                    ctx.lineWidth = width * zoomed * MAP_UNIT / m.scale
                ctx.stroke(rough if coarse else fine)
        m.drawn = []
        if m.layers_on:  # place names under the nodes with cellules: those always show
            ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
            self._draw_labels(ctx, counts=False)
        ctx.setTransform(s, 0, 0, s, m.tx * dpr, m.ty * dpr)
        ctx.fillStyle = "#facc15"
        ctx.fill(m.busy)
        ctx.lineWidth = 2.5 / m.scale
        ctx.strokeStyle = "#c2410c"
        ctx.stroke(m.near)
        ctx.lineWidth = 3 / m.scale
        ctx.strokeStyle = "#b91c1c"
        ctx.stroke(m.sel)
        ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
        if m.here is not None:
            hx, hy = m.here[0] * m.scale + m.tx, m.here[1] * m.scale + m.ty
            ctx.beginPath()
            ctx.arc(hx, hy, 7, 0, 2 * math.pi)
            ctx.fillStyle = "#2563eb"
            ctx.fill()
            ctx.lineWidth = 3
            ctx.strokeStyle = "#ffffff"
            ctx.stroke()
        if m.layers_on:
            self._draw_labels(ctx, counts=True)
        m.crisp = True
        m._stale = False
        m.gesture.crisp_drawn(m.drawn)
        ms = (time.perf_counter() - t0) * 1000
        m.stats["frames"] += 1
        m.stats["crisp"] = True
        m.stats["lastFrameMs"] = ms
        if m.stats["firstDrawMs"] is None:
            m.stats["firstDrawMs"] = ms
        if m.overlay is not None and m.stats["firstFullDrawMs"] is None:
            m.stats["firstFullDrawMs"] = ms
        m.stats["labels"] = len(m.drawn)
        js.window.cellulesMap = to_js(m.stats, dict_converter=js.Object.fromEntries)
        m.canvas.dataset.frames = str(m.stats["frames"])

    # --- labels -----------------------------------------------------------------------------------
    def _width(self, text: str, kind: str) -> float:
        key = (text, kind)
        width = self._widths.get(key)
        if width is None:
            self.map.ctx.font = FONTS[kind]
            width = self._widths[key] = float(self.map.ctx.measureText(text).width)
        return width

    def _placement(self) -> list[Placed]:
        """The labels placed for this scale's level. While a zoom gesture runs, a level placed
        before and below this one (still free of overlaps here) stands in, and the exact one is
        placed once the gesture rests: frames stay cheap while zooming."""
        m = self.map
        level = level_scale(m.scale)
        placed = self._placements.get(level)
        if placed is not None:
            return placed
        if time.perf_counter() - m._zoomed_at < SETTLE_S:
            below = [k for k in self._placements if k <= level]
            if below:
                m._arm_settle(SETTLE_S)
                return self._placements[max(below)]
        t0 = time.perf_counter()
        labels = list(self._count_labels)
        if m.overlay is not None:
            labels += [*m.overlay.commune_labels, *m.overlay.locality_labels]
        m.ctx.save()
        placed = self._placements[level] = place_labels(labels, level, self._width)
        m.ctx.restore()
        m.stats["placeMs"] = (time.perf_counter() - t0) * 1000
        return placed

    def _draw_labels(self, ctx, counts: bool) -> None:
        m = self.map
        w, h = m._size()
        drawn = m.drawn
        ctx.textAlign = "center"
        ctx.textBaseline = "middle"
        ctx.lineJoin = "round"
        ctx.lineWidth = 3.5
        ctx.strokeStyle = "rgba(255,255,255,0.92)"
        font = None
        for p in self._placement():
            label = p.label
            if (label.kind == "count" or p.dy > 0) != counts:  # a name moved under a count: over the yellow too
                continue
            sx, sy = label.x * m.scale + m.tx, label.y * m.scale + m.ty + p.dy
            if sx < -150 or sy < -20 or sx > w + 150 or sy > h + 20:
                continue
            if label.kind != font:
                font = label.kind
                ctx.font = FONTS[font]
                ctx.fillStyle = INK[font]
            ctx.strokeText(label.text, sx, sy)
            ctx.fillText(label.text, sx, sy)
            drawn.append((label.text, label.kind, round(sx, 1), round(sy, 1)))
