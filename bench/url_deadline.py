"""How long `import URL` takes to give up on a server that never finishes (a figure, not a test).

tests/hostile/test_cli_robust.py proves that a dripping, header-dripping or silent server is refused
as late (« n’a pas tout envoyé en N s ») well before it would have finished; this prints how long
each refusal took against the deadline it had, median of a few runs.
Run: `.venv/bin/python bench/url_deadline.py [--deadline 2] [--runs 3]`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import cli  # noqa: E402
from app.core.errors import CellulesError  # noqa: E402

BUSY_SECONDS = 8.0  # each server keeps the connection busy this long, longer than any deadline measured


class Slow(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        end = time.monotonic() + BUSY_SECONDS
        try:
            if self.path == "/drip":  # headers, then one byte of body every 0.1 s
                self.send_response(200)
                self.send_header("Connection", "close")
                self.end_headers()
            elif self.path == "/drip-headers":  # a header line every 0.1 s, never the end of the headers
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            while time.monotonic() < end:
                if self.path != "/silent":
                    self.wfile.write(b" " if self.path == "/drip" else b"X-Slow: a\r\n")
                    self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--deadline", type=float, default=2.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cli.MAX_URL_SECONDS = args.deadline
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    print(f"deadline {args.deadline:g} s, each server busy {BUSY_SECONDS:g} s, median of {args.runs} runs")
    for path in ("/drip", "/drip-headers", "/silent"):
        took, codes = [], set()
        for _ in range(args.runs):
            start = time.monotonic()
            try:
                cli.fetch_url(base + path)
                codes.add("accepted")
            except CellulesError as exc:
                codes.add(exc.code)
            took.append(time.monotonic() - start)
        median = statistics.median(took)
        print(f"{path:14} refused after {median:5.2f} s ({median / args.deadline:4.2f} × the deadline, "
              f"max {max(took):5.2f} s) — {', '.join(sorted(codes))}")
    httpd.shutdown()


if __name__ == "__main__":
    main()
