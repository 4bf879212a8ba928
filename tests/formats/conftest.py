"""Open-format tests with independent consumers that only run natively (icalendar, shapely, LibreOffice)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))  # format_samples, strategies
