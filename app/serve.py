"""A small static server for the built site (build/site), with the MIME types Pyodide needs.

A wrong `.wasm` type makes Pyodide hang silently, so types are set here, not guessed by the OS.
Every response says `Cache-Control: no-cache`: offline use is the service worker's job.

Compression: tools/build_site.py writes `name.br` / `name.gz` next to large files. When the
request's Accept-Encoding allows it, the compressed file is sent as the body of `name` with
`Content-Encoding` (brotli first, then gzip), `Vary: Accept-Encoding` and an ETag of the bytes
actually sent, so a cache never confuses two encodings. Nothing is compressed on the fly. A variant
is never served under its own name (`/index.html.br` is 404): its compressed bytes would arrive
with the original's type and no Content-Encoding.

`python -m app serve --lan` runs this server on a meeting's Wi-Fi, where anyone connected can reach
it, so it holds its ground:
- One thread (the one running `serve_forever`) accepts connections and reads request heads without
  blocking. A connection takes one of at most `workers` threads only while a complete request is
  being answered; a connection that sends nothing, or half a request, costs no thread.
- A request head must be complete `head_timeout` seconds after its first byte (after the
  connection opened, for its first request); an idle keep-alive connection is closed after
  `idle_timeout` seconds; a piece of a response (64 KiB) that the client has not taken within
  `send_timeout` seconds closes the connection. A head above MAX_HEAD_BYTES is answered 431.
- At most MAX_CONNECTIONS open connections, MAX_CONNECTIONS_PER_CLIENT per client address: beyond,
  the connection that has waited longest for a request is closed to make room (a flood of
  half-open connections pushes out its own, and a real request still gets in). One client address
  gets at most PER_CLIENT_WORKERS workers at a time, the others take turns.
- Paths: only RFC 3986 characters, strict percent-encoding decoding to UTF-8, no NUL or control
  character, no `.`/`..` segment, no encoded `/` or `\\`, no `:`, at most MAX_PATH_CHARS characters
  and 255 bytes per segment, else 400. No directory listing: a path ending in `/` serves that
  directory's index.html or 404. Hidden files (a segment starting with `.`) are 404.
- A failure while answering is logged in one line (when verbose) and closes that connection; no
  traceback reaches the terminal.

The page served for a meeting (`meeting`, which `--lan` sets) carries a cookie, MEETING_COOKIE: the page
reads it (app/web/views/meeting.py) and says it is the meeting's temporary copy — its data lives at this
computer's address, not in the app each phone normally opens — and asks to « Tout exporter » before leaving.
A cookie because nothing else reaches a page over plain http: no service worker, no Server-Timing (both
need a secure context), and the page's own bytes are the build's (the same SRI as everywhere).
"""

from __future__ import annotations

import collections
import functools
import hashlib
import http.server
import io
import queue
import re
import selectors
import socket
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
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

# (Content-Encoding, file suffix), in order of preference.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
VARIANT_SUFFIXES = tuple(suffix for _, suffix in ENCODINGS)

WORKERS = 16
PER_CLIENT_WORKERS = 8
MAX_CONNECTIONS = 200  # under macOS's default limit of 256 open files
MAX_CONNECTIONS_PER_CLIENT = 64  # a browser opens 6 per site and per profile (or per private window)
HEAD_TIMEOUT = 10.0
IDLE_TIMEOUT = 15.0
SEND_TIMEOUT = 30.0
MAX_HEAD_BYTES = 64 * 1024
MAX_PATH_CHARS = 2048
MAX_SEGMENT_BYTES = 255  # a file name's limit on every common file system
# Sent with the page (index.html) when serving a meeting; a day at most, so a phone that later opens an
# ordinary server at the same address is not told so for long. Cookies ignore the port.
MEETING_COOKIE = "cellules-meeting=1; Max-Age=43200; Path=/; SameSite=Strict"

_PATH_CHARS = re.compile(r"/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*")  # RFC 3986: "/" and pchar
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_REFUSED_IN_SEGMENT = re.compile(r"[\x00-\x1f\x7f/\\:]")


def request_segments(target: str) -> list[str] | None:
    """The decoded segments of a request target's path (`/a/b/` -> ["a", "b", ""]), or None when
    the target must be refused with 400. The query is ignored."""
    path = target.partition("?")[0]
    if len(path) > MAX_PATH_CHARS or not _PATH_CHARS.fullmatch(path):
        return None
    segments = []
    for raw in path[1:].split("/"):
        text = raw
        if "%" in raw:
            if raw.count("%") != len(_PERCENT.findall(raw)):
                return None
            try:
                text = urllib.parse.unquote_to_bytes(raw).decode("utf-8")
            except UnicodeDecodeError:
                return None
        if text in (".", "..") or len(text.encode("utf-8")) > MAX_SEGMENT_BYTES or _REFUSED_IN_SEGMENT.search(text):
            return None
        segments.append(text)
    return segments


def site_file(directory: Path, segments: list[str]) -> Path | None:
    """The file of `directory` that a request's path segments name, or None (404)."""
    if any(segment.startswith(".") for segment in segments):
        return None
    target = Path(directory, *segments)
    name = segments[-1]
    try:
        if name == "":
            target = target / "index.html"
        elif name.endswith(VARIANT_SUFFIXES) and target.with_name(name[:-3]).is_file():
            return None  # a compressed variant: only ever sent as the body of its original
        return target if target.is_file() else None
    except OSError:
        return None


class _SocketWriter(io.BufferedIOBase):
    """The handler's `wfile`: every write is sent whole (or raises)."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._sock.sendall(data)
        with memoryview(data) as view:
            return view.nbytes


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Answers one request whose head the server already read (`request` is a _Connection)."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}
    # HTTP/1.1: Chromium only revalidates (If-None-Match -> 304) responses of HTTP/1.1 servers;
    # with HTTP/1.0 every visit and the service worker's precache downloaded everything again.
    protocol_version = "HTTP/1.1"
    server_version = "cellules-serve"
    cors = False
    meeting = False
    _etag = ""
    _head_sent = False
    _segments: list[str] = []

    def setup(self) -> None:
        self.connection = self.request.sock
        self.rfile = io.BytesIO(self.request.head)
        self.wfile = _SocketWriter(self.connection)

    def handle(self) -> None:
        self.close_connection = True
        try:
            self.handle_one_request()
        except Exception as exc:
            self.close_connection = True
            if isinstance(exc, OSError) or self._head_sent:
                raise  # the connection is gone or half answered: the server closes it
            self.log_error("internal error: %s: %s", type(exc).__name__, exc)
            self.send_error(500)
            return
        headers = getattr(self, "headers", None)
        if headers is not None and (headers.get("Content-Length", "0").strip() not in ("", "0")
                                    or "Transfer-Encoding" in headers):
            self.close_connection = True  # a body this server does not read: the connection ends here

    def finish(self) -> None:
        pass

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        segments = request_segments(self.path)
        if segments is None:
            self.send_error(400, "Bad request path")
            return False
        self._segments = segments
        return True

    def send_head(self):
        # Revalidation by content (ETag), not by mtime: mtime has 1 s granularity and would hide a
        # redeploy made within the same second.
        self._etag = ""
        path = site_file(Path(self.directory), self._segments)
        if path is None:
            self.send_error(404, "File not found")
            return None
        body, encoding = path, None
        accepted = accepted_encodings(self.headers.get("Accept-Encoding", ""))
        for name, suffix in ENCODINGS:
            variant = path.with_name(path.name + suffix)
            if name in accepted and variant.is_file():
                body, encoding = variant, name
                break
        try:
            self._etag = _etag(body)
            f = open(body, "rb")  # noqa: SIM115 - do_GET/do_HEAD close it
            size = body.stat().st_size
        except OSError:
            self._etag = ""
            self.send_error(404, "File not found")
            return None
        if self.headers.get("If-None-Match") == self._etag:
            f.close()
            self.send_response(304)
            self.send_header("Vary", "Accept-Encoding")
            self.end_headers()
            return None
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(size))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return f

    def version_string(self) -> str:
        return self.server_version

    def list_directory(self, path):
        self.send_error(404, "File not found")
        return None

    def copyfile(self, source, outputfile) -> None:
        before = source.tell()
        try:
            super().copyfile(source, outputfile)
        finally:
            self.server.count_sent(source.tell() - before)  # type: ignore[attr-defined]

    def end_headers(self) -> None:
        if self._etag:
            self.send_header("ETag", self._etag)
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        if self.meeting and self._segments and self._segments[-1] in ("", "index.html"):
            self.send_header("Set-Cookie", MEETING_COOKIE)
        self._head_sent = True
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature of the base class
        if self.server.verbose:  # type: ignore[attr-defined]
            super().log_message(format, *args)


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


_WAITING, _READY, _BUSY = "waiting", "ready", "busy"


class _Connection:
    """One client connection: its socket, the bytes read and not yet answered, and its deadline."""

    __slots__ = ("sock", "address", "client", "buffer", "head", "deadline", "idle", "state")

    def __init__(self, sock: socket.socket, address, deadline: float) -> None:
        self.sock = sock
        self.address = address
        self.client = address[0]
        self.buffer = b""
        self.head = b""
        self.deadline = deadline
        self.idle = False  # between two requests (not the first)
        self.state = _WAITING


def _head_end(buffer: bytes) -> int | None:
    """Where a request head (request line and headers, up to the empty line) ends in `buffer`."""
    ends = [i + len(mark) for mark in (b"\n\r\n", b"\n\n") if (i := buffer.find(mark)) >= 0]
    return min(ends) if ends else None


class SiteServer(http.server.HTTPServer):
    """The server: see the module's docstring. `stop()` stops it for good, open connections
    included (HTTP/1.1 keep-alive connections would otherwise go on serving the old files)."""

    request_queue_size = 128

    def __init__(self, server_address, handler, *, workers: int = WORKERS, head_timeout: float = HEAD_TIMEOUT,
                 idle_timeout: float = IDLE_TIMEOUT, send_timeout: float = SEND_TIMEOUT) -> None:
        self.verbose = False
        self.bytes_sent = 0
        self.workers = workers
        self.head_timeout = head_timeout
        self.idle_timeout = idle_timeout
        self.send_timeout = send_timeout
        self.connections: set[_Connection] = set()
        self._lock = threading.Lock()  # connections and bytes_sent, shared with the workers
        self._per_client: collections.Counter[str] = collections.Counter()
        self._waiting: dict[_Connection, None] = {}  # oldest activity first
        self._ready: collections.OrderedDict[str, collections.deque[_Connection]] = collections.OrderedDict()
        self._busy: collections.Counter[str] = collections.Counter()
        self._in_flight = 0
        self._done: queue.SimpleQueue[tuple[_Connection, bool]] = queue.SimpleQueue()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cellules-serve")
        self._selector: selectors.BaseSelector | None = None
        self._stopping = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()
        self._closed = False
        # binds and listens; when that fails it calls server_close(), which needs what is set above
        super().__init__(server_address, handler)
        self.socket.setblocking(False)

    # --- the accepting and reading thread ------------------------------------------------------
    def serve_forever(self, poll_interval: float = 0.5) -> None:
        if self._stopping.is_set():
            return
        self._stopped.clear()
        selector = self._selector = selectors.DefaultSelector()
        selector.register(self.socket, selectors.EVENT_READ, None)
        selector.register(self._wake_r, selectors.EVENT_READ, "wake")
        try:
            while not self._stopping.is_set():
                for key, _ in selector.select(self._next_timeout(poll_interval)):
                    if key.data is None:
                        self._accept()
                    elif key.data == "wake":
                        self._drain_wake()
                    else:
                        self._read(key.data)
                self._take_back()
                self._expire()
                self._dispatch()
        finally:
            self._close_all()
            selector.close()
            self._selector = None
            self._stopped.set()

    def _next_timeout(self, poll_interval: float) -> float:
        soonest = min((conn.deadline for conn in self._waiting), default=None)
        if soonest is None:
            return poll_interval
        return max(0.0, min(poll_interval, soonest - time.monotonic()))

    def _accept(self) -> None:
        while True:
            try:
                sock, address = self.socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # out of file descriptors: free the longest-waiting connection
                if not self._evict(None):
                    time.sleep(0.05)
                return
            if self._per_client[address[0]] >= MAX_CONNECTIONS_PER_CLIENT and not self._evict(address[0]):
                sock.close()
                continue
            if len(self.connections) >= MAX_CONNECTIONS and not self._evict(None):
                sock.close()
                continue
            sock.setblocking(False)
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
            conn = _Connection(sock, address, time.monotonic() + self.head_timeout)
            with self._lock:
                self.connections.add(conn)
            self._per_client[conn.client] += 1
            self._wait(conn)

    def _evict(self, client: str | None) -> bool:
        """Close the connection (of `client`, or anyone's) that has waited longest for a request."""
        for conn in self._waiting:
            if client is None or conn.client == client:
                self._close(conn)
                return True
        return False

    def _wait(self, conn: _Connection) -> None:
        conn.state = _WAITING
        self._waiting[conn] = None
        assert self._selector is not None
        self._selector.register(conn.sock, selectors.EVENT_READ, conn)

    def _read(self, conn: _Connection) -> None:
        try:
            data = conn.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self._close(conn)
            return
        if not data:
            self._close(conn)
            return
        if conn.idle:
            conn.idle = False
            conn.deadline = time.monotonic() + self.head_timeout
        conn.buffer += data
        self._find_head(conn)

    def _find_head(self, conn: _Connection) -> None:
        conn.buffer = conn.buffer.lstrip(b"\r\n")  # empty lines before a request line are ignored
        end = _head_end(conn.buffer)
        if end is None:
            if len(conn.buffer) > MAX_HEAD_BYTES:
                self._refuse(conn, b"431 Request Header Fields Too Large")
            return
        if end > MAX_HEAD_BYTES:
            self._refuse(conn, b"431 Request Header Fields Too Large")
            return
        conn.head, conn.buffer = conn.buffer[:end], conn.buffer[end:]
        self._unwait(conn)
        conn.state = _READY
        self._ready.setdefault(conn.client, collections.deque()).append(conn)

    def _refuse(self, conn: _Connection, status: bytes) -> None:
        try:
            conn.sock.send(b"HTTP/1.1 " + status + b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        except OSError:
            pass
        self._close(conn)

    def _unwait(self, conn: _Connection) -> None:
        if conn.state == _WAITING:
            self._waiting.pop(conn, None)
            if self._selector is not None:
                try:
                    self._selector.unregister(conn.sock)
                except (KeyError, ValueError):
                    pass

    def _close(self, conn: _Connection) -> None:
        self._unwait(conn)
        with self._lock:
            if conn not in self.connections:
                return
            self.connections.discard(conn)
        self._per_client[conn.client] -= 1
        if self._per_client[conn.client] <= 0:
            del self._per_client[conn.client]
        try:
            conn.sock.close()
        except OSError:
            pass

    def _expire(self) -> None:
        now = time.monotonic()
        for conn in [conn for conn in self._waiting if conn.deadline <= now]:
            self._close(conn)

    def _dispatch(self) -> None:
        while self._in_flight < self.workers and self._ready:
            for client in list(self._ready):
                if self._in_flight >= self.workers:
                    return
                if self._busy[client] >= PER_CLIENT_WORKERS:
                    continue
                waiting = self._ready[client]
                conn = waiting.popleft()
                if waiting:
                    self._ready.move_to_end(client)
                else:
                    del self._ready[client]
                conn.state = _BUSY
                self._busy[client] += 1
                self._in_flight += 1
                self._pool.submit(self._answer, conn)
                break
            else:
                return  # every client with a request already has its share of workers

    def _take_back(self) -> None:
        while True:
            try:
                conn, keep = self._done.get_nowait()
            except queue.Empty:
                return
            self._in_flight -= 1
            self._busy[conn.client] -= 1
            if self._busy[conn.client] <= 0:
                del self._busy[conn.client]
            conn.state = _READY  # neither waiting nor busy until placed below
            if not keep:
                self._close(conn)
                continue
            try:
                conn.sock.setblocking(False)
            except OSError:
                self._close(conn)
                continue
            now = time.monotonic()
            conn.idle = not conn.buffer
            conn.deadline = now + (self.head_timeout if conn.buffer else self.idle_timeout)
            self._wait(conn)
            if conn.buffer:
                self._find_head(conn)  # the client sent its next request with this one

    def _drain_wake(self) -> None:
        try:
            while self._wake_r.recv(4096):
                pass
        except OSError:
            pass

    def _wake(self) -> None:
        try:
            self._wake_w.send(b"\0")
        except OSError:
            pass  # already woken (buffer full), or closed

    def _close_all(self) -> None:
        for conn in list(self._waiting):
            self._close(conn)
        for waiting in self._ready.values():
            for conn in waiting:
                self._close(conn)
        self._ready.clear()
        with self._lock:
            busy = list(self.connections)
        for conn in busy:  # answered by a worker now: its sends fail at once
            try:
                conn.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    # --- the workers -----------------------------------------------------------------------------
    def _answer(self, conn: _Connection) -> None:
        keep = False
        try:
            conn.sock.settimeout(self.send_timeout)
            handler = self.RequestHandlerClass(conn, conn.address, self)
            keep = not handler.close_connection and not self._stopping.is_set()
        except Exception as exc:  # noqa: BLE001 - a connection's failure is that connection's, never a traceback
            if self.verbose and not isinstance(exc, OSError):
                print(f"{conn.client}: {type(exc).__name__}: {exc}", file=sys.stderr)
        finally:
            self._done.put((conn, keep))
            self._wake()

    def count_sent(self, size: int) -> None:
        with self._lock:
            self.bytes_sent += size

    # --- stopping --------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop `serve_forever` (for good) and wait until it has returned."""
        self._stopping.set()
        self._wake()
        self._stopped.wait()

    def server_close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._stopping.set()
        super().server_close()
        self._pool.shutdown(wait=True, cancel_futures=True)
        while True:
            try:
                conn, _ = self._done.get_nowait()
            except queue.Empty:
                break
            with self._lock:
                self.connections.discard(conn)
            try:
                conn.sock.close()
            except OSError:
                pass
        with self._lock:
            left = list(self.connections)
            self.connections.clear()
        for conn in left:
            try:
                conn.sock.close()
            except OSError:
                pass
        self._wake_r.close()
        self._wake_w.close()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def make_server(directory: Path, host: str = "127.0.0.1", port: int = 8000, *, cors: bool = False,
                verbose: bool = False, workers: int = WORKERS, head_timeout: float = HEAD_TIMEOUT,
                idle_timeout: float = IDLE_TIMEOUT, send_timeout: float = SEND_TIMEOUT,
                meeting: bool = False) -> SiteServer:
    handler = functools.partial(type("Handler", (SiteHandler,), {"cors": cors, "meeting": meeting}),
                                directory=str(directory))
    server = SiteServer((host, port), handler, workers=workers, head_timeout=head_timeout,
                        idle_timeout=idle_timeout, send_timeout=send_timeout)
    server.verbose = verbose
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


def serve(directory: Path, host: str | None = None, port: int = 8000, *, cors: bool = False,
          lan: bool = False) -> int:
    """Serve until Ctrl+C. `host`: the address to listen on; None is 127.0.0.1, or with `lan` every
    interface. `lan`: print the address phones should open, with a QR code of it."""
    if lan and host in (None, "0.0.0.0"):  # noqa: S104 - the point of --lan
        address = lan_address()
        if address is None:
            print("Aucun réseau local trouvé : connectez cet ordinateur au Wi-Fi ou au point d’accès "
                  "(hotspot) d’un téléphone, puis relancez « python -m app serve --lan ».", file=sys.stderr)
            return 1
        host, shown = "0.0.0.0", address  # noqa: S104 - the point of --lan
    else:
        host = host or "127.0.0.1"
        shown = host
    try:
        server = make_server(directory, host, port, cors=cors, verbose=not lan, meeting=lan)
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
