"""The committed grid and map (data/fwb_grid.json, data/fwb_map.json), each read once, for the core
tests that place or find things on them (not a test module itself)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from app.core.grid import Grid
from app.core.grid_map import MapData

DATA = Path(__file__).resolve().parents[2] / "data"


@cache
def grid() -> Grid:
    return Grid.from_json(json.loads((DATA / "fwb_grid.json").read_text("utf-8")))


@cache
def mapdata() -> MapData:
    return MapData.from_json(json.loads((DATA / "fwb_map.json").read_text("utf-8")), grid())
