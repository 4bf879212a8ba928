"""A small static server for the built site (build/site), with the MIME types Pyodide needs.

A wrong `.wasm` type makes Pyodide hang silently, so types are set here, not guessed by the OS.
Every response says `Cache-Control: no-cache`: offline use is the service worker's job.

Compression (issue 16): tools/build_site.py writes `name.br` / `name.gz` next to large files. When
the request's Accept-Encoding allows it, the compressed file is sent as the body of `name` with
`Content-Encoding` (brotli first, then gzip), `Vary: Accept-Encoding` and an ETag of the bytes
actually sent, so a cache never confuses two encodings. Nothing is compressed on the fly.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import socket
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
    # HTTP/1.1: Chromium only revalidates (If-None-Match -> 304) responses of HTTP/1.1 servers;
    # with HTTP/1.0 every visit and the service worker's precache downloaded everything again.
    protocol_version = "HTTP/1.1"
    cors = False

    def send_head(self):
        # Revalidation by content (ETag), not by mtime: mtime has 1 s granularity and would hide a
        # redeploy made within the same second.
        del self.headers["If-Modified-Since"]
        self._etag = ""  # keep-alive: this handler answered other requests before
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        if not path.is_file():
            return super().send_head()  # 404, or the redirect of a directory without its slash
        body, encoding = path, None
        accepted = accepted_encodings(self.headers.get("Accept-Encoding", ""))
        for name, suffix in ENCODINGS:
            variant = path.with_name(path.name + suffix)
            if name in accepted and variant.is_file():
                body, encoding = variant, name
                break
        self._etag = _etag(body)
        if self.headers.get("If-None-Match") == self._etag:
            self.send_response(304)
            self.send_header("Vary", "Accept-Encoding")
            self.end_headers()
            return None
        try:
            f = open(body, "rb")  # noqa: SIM115 - the base class's copyfile reads and closes it
        except OSError:
            self.send_error(404, "File not found")
            return None
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(body.stat().st_size))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return f

    def copyfile(self, source, outputfile) -> None:
        before = source.tell()
        super().copyfile(source, outputfile)
        self.server.bytes_sent += source.tell() - before  # type: ignore[attr-defined]

    _etag = ""

    def end_headers(self) -> None:
        if self._etag:
            self.send_header("ETag", self._etag)
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature of the base class
        if self.server.verbose:  # type: ignore[attr-defined]
            super().log_message(format, *args)


# (Content-Encoding, file suffix), in order of preference.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


def accepted_encodings(header: str) -> set[str]:
    """The encodings an Accept-Encoding header allows (q > 0); `*` allows ours."""
    allowed: set[str] = set()
    for item in header.split(","):
        name, _, params = item.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0 and name.strip():
            allowed.add(name.strip().lower())
    if "*" in allowed:
        allowed |= {name for name, _ in ENCODINGS}
    return allowed


@functools.lru_cache(maxsize=4096)
def _etag_of(path: str, mtime_ns: int, size: int) -> str:
    return '"' + hashlib.sha256(Path(path).read_bytes()).hexdigest()[:20] + '"'


def _etag(path: Path) -> str:
    st = path.stat()
    return _etag_of(str(path), st.st_mtime_ns, st.st_size)


class SiteServer(http.server.ThreadingHTTPServer):
    """Keeps its open connections, so that stopping it really stops it (HTTP/1.1 keep-alive
    connections would otherwise go on serving the old files)."""

    daemon_threads = True

    def __init__(self, *args, **kwargs) -> None:
        self.connections: set = set()
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address) -> None:
        self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:
        self.connections.discard(request)
        super().shutdown_request(request)

    def stop(self) -> None:
        self.shutdown()
        for conn in list(self.connections):
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.server_close()


def make_server(directory: Path, host: str = "127.0.0.1", port: int = 8000, *, cors: bool = False,
                verbose: bool = False) -> SiteServer:
    handler = functools.partial(type("Handler", (SiteHandler,), {"cors": cors}), directory=str(directory))
    server = SiteServer((host, port), handler)
    server.verbose = verbose  # type: ignore[attr-defined]
    server.bytes_sent = 0  # type: ignore[attr-defined]
    return server


def lan_address() -> str | None:
    """This computer's address on the local network (the hotspot's Wi-Fi), or None.

    A UDP socket "connected" to a private address makes the system pick the interface it would
    use; no packet is sent."""
    for probe in ("10.255.255.255", "192.168.255.255", "172.31.255.255"):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.connect((probe, 1))
                address = s.getsockname()[0]
        except OSError:
            continue
        if address and not address.startswith(("127.", "0.")):
            return address
    return None


LAN_HELP = """\
Sur le même réseau Wi-Fi (ou le point d’accès d’un téléphone), ouvrez cette adresse dans le
navigateur des téléphones, ou scannez ce QR code avec leur appareil photo :

{qr}
  {url}

Ce qui marche : l’application se charge depuis cet ordinateur, sans internet ; chaque téléphone
garde ses données dans son navigateur et peut échanger (fichier, texte collé, QR affichés).
Ce qui ne marche pas en « http » sur le réseau local (les navigateurs le réservent à https) :
  - l’usage hors ligne et l’installation comme application : gardez cet ordinateur allumé pendant
    la réunion ; après, ouvrez l’application depuis son adresse https habituelle ;
  - le scanner de QR dans l’application (caméra) et le bouton « Copier » : lisez les QR avec
    l’appareil photo du téléphone, échangez par fichier ou texte collé.
Le pare-feu de l’ordinateur doit laisser entrer le port {port}.
Ctrl+C pour arrêter."""


def terminal_qr(text: str) -> str:
    """A QR code of `text` drawn with block characters, for a terminal."""
    import io

    import segno

    out = io.StringIO()
    segno.make(text, error="m").terminal(out=out, compact=True, border=2)
    return out.getvalue().rstrip("\n")


def serve(directory: Path, host: str, port: int, *, cors: bool = False, lan: bool = False) -> int:
    """Serve until Ctrl+C. `lan`: listen on the local network (all interfaces unless `host` names
    one) and print the address phones should open, with a QR code of it."""
    if lan and host == "127.0.0.1":
        address = lan_address()
        if address is None:
            print("Aucun réseau local trouvé : connectez cet ordinateur au Wi-Fi ou au point d’accès "
                  "(hotspot) d’un téléphone, puis relancez « python -m app serve --lan ».", file=sys.stderr)
            return 1
        host, shown = "0.0.0.0", address  # noqa: S104 - the point of --lan
    else:
        shown = host
    try:
        server = make_server(directory, host, port, cors=cors, verbose=not lan)
    except OSError as exc:
        print(f"Impossible d’écouter sur {host}:{port} ({exc.strerror}). Essayez un autre port : --port 8080",
              file=sys.stderr)
        return 1
    url = f"http://{shown}:{server.server_address[1]}/"
    if lan:
        print(f"Cellules FWB pour les autres : {url}", flush=True)
        print(LAN_HELP.format(qr=terminal_qr(url), url=url, port=server.server_address[1]), flush=True)
    else:
        print(f"Cellules FWB: {url}  (Ctrl+C pour arrêter)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("arrêté", file=sys.stderr)
    finally:
        server.server_close()
    return 0
