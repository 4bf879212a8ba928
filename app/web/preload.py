"""What the page's Python can find already built when it starts from a memory snapshot (issue 16).

static/snapshot-worker.mjs imports this module and calls `parse_grid` with the build's own
data/fwb_grid.json before it takes the snapshot, so a restored boot has the grid indexed without
fetching or parsing anything. A normal boot finds GRID empty and app/web/main.py parses the grid
once. Pure: no `js` here (nothing holding a JavaScript object may be in a snapshot).
"""

from __future__ import annotations

import json

from app.core.grid import Grid

GRID: Grid | None = None


def parse_grid(text: str) -> Grid:
    """Parse the grid once and keep it."""
    global GRID
    GRID = Grid.from_json(json.loads(text))
    return GRID
