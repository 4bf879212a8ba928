"""A small static server for the built site (build/site), with the MIME types Pyodide needs.

A wrong `.wasm` type makes Pyodide hang silently, so types are set here, not guessed by the OS.
Every response says `Cache-Control: no-cache`: offline use is the service worker's job.
"""

from __future__ import annotations

import functools
import http.server
import sys
from pathlib import Path

MIME_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".py": "text/plain; charset=utf-8",
}


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}
    cors = False

    def send_head(self):
        # mtime-based 304s (1 s granularity) can hide a redeploy made within the same second:
        # always send the bytes; the service worker is what makes repeat visits cheap.
        del self.headers["If-Modified-Since"]
        return super().send_head()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature of the base class
        if self.server.verbose:  # type: ignore[attr-defined]
            super().log_message(format, *args)


def make_server(directory: Path, host: str = "127.0.0.1", port: int = 8000, *, cors: bool = False,
                verbose: bool = False) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(type("Handler", (SiteHandler,), {"cors": cors}), directory=str(directory))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.verbose = verbose  # type: ignore[attr-defined]
    server.daemon_threads = True
    return server


def serve(directory: Path, host: str, port: int, *, cors: bool = False) -> int:
    server = make_server(directory, host, port, cors=cors, verbose=True)
    url = f"http://{host}:{server.server_address[1]}/"
    print(f"Cellules FWB: {url}  (Ctrl+C pour arrêter)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("arrêté", file=sys.stderr)
    finally:
        server.server_close()
    return 0
