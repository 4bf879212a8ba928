"""Input of the grid map (app/web/map.py): pointer drag (mouse and touch), two-finger pinch, wheel,
and keyboard (arrows, +/−, Enter picks the node at the centre). A tap picks the node under it.
`Locator`: the device's position, for « Autour de moi »."""

from __future__ import annotations

import math

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy, to_js  # type: ignore[import-not-found]


class MapInput:
    """The canvas's listeners for one GridMap (passed in): they pan, zoom and pick through it."""

    def __init__(self, owner, canvas) -> None:
        self.map = owner
        self.canvas = canvas
        self.pointers: dict[int, tuple[float, float]] = {}
        self.pinch: float | None = None
        self.moved = 0.0
        self._proxies = []
        for event, handler in (
            ("pointerdown", self._down), ("pointermove", self._move), ("pointerup", self._up),
            ("pointercancel", self._up), ("wheel", self._wheel), ("keydown", self._key),
        ):
            proxy = create_proxy(handler)
            self._proxies.append(proxy)
            canvas.addEventListener(event, proxy, to_js({"passive": False}, dict_converter=js.Object.fromEntries))

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
        self.map.gesture_step()
        if len(self.pointers) == 1:
            px, py = self.pointers[event.pointerId]
            self.moved += abs(x - px) + abs(y - py)
            self.map.pan(x - px, y - py)
        elif len(self.pointers) == 2:
            self.pointers[event.pointerId] = (x, y)
            (ax, ay), (bx, by) = self.pointers.values()
            dist = math.hypot(ax - bx, ay - by)
            if self.pinch:
                self.map.zoom_at(dist / self.pinch, (ax + bx) / 2, (ay + by) / 2)
            self.pinch = dist
            self.moved += 10
        self.pointers[event.pointerId] = (x, y)

    def _up(self, event) -> None:
        was_tap = len(self.pointers) == 1 and self.moved < 6 and event.type == "pointerup"
        self.pointers.pop(event.pointerId, None)
        self.pinch = None
        if not self.pointers:
            self.map.gesture_end()
        if was_tap:
            self.map.pick(*self._local(event))

    def _wheel(self, event) -> None:
        event.preventDefault()
        x, y = self._local(event)
        self.map.gesture_step()
        self.map.zoom_at(math.exp(-event.deltaY / 500), x, y)

    def _key(self, event) -> None:
        m = self.map
        step = 60
        w, h = m._size()
        actions = {
            "ArrowLeft": lambda: m.pan(step, 0), "ArrowRight": lambda: m.pan(-step, 0),
            "ArrowUp": lambda: m.pan(0, step), "ArrowDown": lambda: m.pan(0, -step),
            "+": lambda: m.zoom_at(1.4, w / 2, h / 2), "=": lambda: m.zoom_at(1.4, w / 2, h / 2),
            "-": lambda: m.zoom_at(1 / 1.4, w / 2, h / 2), "Enter": lambda: m.pick(w / 2, h / 2, loose=True),
        }
        if event.key in actions:
            event.preventDefault()
            actions[event.key]()


class Locator:
    """One fresh position per request (`getCurrentPosition`, `maximumAge` 0: someone who moved gets where
    they are now): `on_position(lat, lon)`, or `on_error(code)` (1 refused, 2 unavailable, 3 timeout)."""

    def __init__(self, on_position, on_error) -> None:
        self._proxies = [create_proxy(lambda p: on_position(float(p.coords.latitude), float(p.coords.longitude))),
                         create_proxy(lambda e: on_error(int(getattr(e, "code", 2) or 2)))]

    def request(self) -> bool:
        """Ask for the position; False when this device has no geolocation (nothing asked)."""
        geolocation = getattr(js.navigator, "geolocation", None)
        if not geolocation:
            return False
        options = to_js({"enableHighAccuracy": False, "timeout": 20000, "maximumAge": 0},
                        dict_converter=js.Object.fromEntries)
        geolocation.getCurrentPosition(self._proxies[0], self._proxies[1], options)
        return True
