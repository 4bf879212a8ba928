"""Cellules FWB: cellules and ateliers of associations in Brussels and Wallonia, with no server.

`app.core` is pure Python (no I/O, no clock); `app.cli` and `app.web` are the two adapters over it.
"""

__version__ = "0.1.0"
