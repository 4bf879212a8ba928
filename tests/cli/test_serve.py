"""The local server (app/serve.py) holds its ground on a meeting's Wi-Fi: connections that send
nothing or half a request cost no thread and are closed at their deadline, workers are bounded,
`--host` is honoured with `--lan`, no directory is listed, a malformed path is a 400 (never a
traceback), a compressed variant is never served under its own name — and what the browser tests
rely on is kept (MIME types, br/gzip selection, ETag, no-cache, CORS). Loopback only."""

from __future__ import annotations

import contextlib
import gzip
import http.client
import re
import selectors
import socket
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import pytest

import app.serve
from app.serve import MAX_CONNECTIONS_PER_CLIENT, make_server, request_segments

ROOT = Path(__file__).resolve().parents[2]
INDEX = b"<!doctype html><title>Cellules FWB</title>" + b"<p>Bonjour</p>" * 200
WASM = b"\0asm\x01\0\0\0" + bytes(range(256)) * 64
BOUND = 30  # seconds: a failure bound for every wait, never a measure


@pytest.fixture
def site(tmp_path) -> Path:
    root = tmp_path / "site"
    for name, data in {
        "index.html": INDEX, "index.html.br": brotli.compress(INDEX), "index.html.gz": gzip.compress(INDEX),
        "app.wasm": WASM, "app.wasm.br": brotli.compress(WASM),
        "pyodide/pyodide.js": b"export {};", "static/app.css": b"body { color: black }",
        "data/grid.json": b'{"nodes": []}', "sub/index.html": b"<p>sub</p>",
        "archive.gz": gzip.compress(b"an archive of its own"), ".secret": b"not for the network",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


@contextlib.contextmanager
def running(directory: Path, **options):
    httpd = make_server(directory, port=0, **options)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.stop()
        thread.join(BOUND)
        assert not thread.is_alive()


def get(httpd, path: str, headers: dict | None = None, method: str = "GET"):
    conn = http.client.HTTPConnection("127.0.0.1", httpd.server_address[1], timeout=BOUND)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def raw(httpd, data: bytes) -> bytes:
    """Send `data` on a new connection and read until the server closes it."""
    with socket.create_connection(("127.0.0.1", httpd.server_address[1]), timeout=BOUND) as s:
        s.sendall(data)
        received = b""
        while chunk := s.recv(65536):
            received += chunk
        return received


def closed_by_server(s: socket.socket) -> bool:
    """Read until the server closes `s` (True), or BOUND seconds pass (False)."""
    s.settimeout(BOUND)
    try:
        while s.recv(65536):
            pass
    except ConnectionResetError:
        pass
    except TimeoutError:
        return False
    return True


def drain(s: socket.socket) -> int | None:
    """How many bytes arrive on `s` before the server closes it, or None if it is still open
    after BOUND seconds without a byte."""
    s.settimeout(BOUND)
    count = 0
    try:
        while chunk := s.recv(1024 * 1024):
            count += len(chunk)
    except ConnectionResetError:
        pass
    except TimeoutError:
        return None
    return count


def server_threads() -> int:
    return sum(1 for t in threading.enumerate() if t.name.startswith("cellules-serve"))


# --- connections that hold on ----------------------------------------------------------------------
def test_300_half_open_connections_cost_no_thread_and_real_requests_are_still_served(site):
    before = threading.active_count()
    with running(site, workers=4) as httpd:
        attackers = []
        try:
            for _ in range(300):
                s = socket.create_connection(("127.0.0.1", httpd.server_address[1]), timeout=BOUND)
                attackers.append(s)
                with contextlib.suppress(OSError):  # already pushed out by a later one
                    s.sendall(b"GET / HTTP/1.1\r\nHost: cellules\r\n")  # and never the empty line
            for path, body in [("/", INDEX), ("/static/app.css", b"body { color: black }"), ("/app.wasm", WASM)]:
                response, received = get(httpd, path, {"Accept-Encoding": "identity"})
                assert (response.status, received) == (200, body)
            assert len(httpd.connections) <= MAX_CONNECTIONS_PER_CLIENT
            assert server_threads() <= 4
            assert threading.active_count() <= before + 1 + 4  # serve_forever's thread and the workers
        finally:
            for s in attackers:
                s.close()
    assert server_threads() == 0


def test_clients_that_never_read_hold_workers_only_until_the_send_timeout(site, tmp_path):
    big = site / "big.bin"
    big.write_bytes(bytes(16 * 1024 * 1024))
    with running(site, workers=2, send_timeout=0.5) as httpd:
        readers = []
        try:
            for _ in range(6):
                s = socket.socket()
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                s.settimeout(BOUND)
                s.connect(("127.0.0.1", httpd.server_address[1]))
                s.sendall(b"GET /big.bin HTTP/1.1\r\nHost: cellules\r\n\r\n")
                readers.append(s)
            response, received = get(httpd, "/", {"Accept-Encoding": "identity"})
            assert (response.status, received) == (200, INDEX)
            assert server_threads() <= 2
            for s in readers:  # each was cut off, not served 16 MB
                received = drain(s)
                assert received is not None and received < len(b"HTTP/1.1 200 OK\r\n") + 16 * 1024 * 1024
        finally:
            for s in readers:
                s.close()


def test_a_connection_that_never_finishes_its_request_is_closed_at_its_deadline(site):
    with running(site, head_timeout=1.0) as httpd:
        with socket.create_connection(("127.0.0.1", httpd.server_address[1]), timeout=BOUND) as silent:
            assert closed_by_server(silent)
        with socket.create_connection(("127.0.0.1", httpd.server_address[1]), timeout=BOUND) as dripping:
            # one byte at a time: the deadline counts from the first byte, not from the last
            selector = selectors.DefaultSelector()
            selector.register(dripping, selectors.EVENT_READ)
            request = b"GET / HTTP/1.1\r\nHost: cellules\r\n" + b"X-Padding: aaaa\r\n" * 1000
            closed = False
            for byte in request[:600]:
                try:
                    dripping.send(bytes([byte]))
                except OSError:
                    closed = True
                    break
                if selector.select(0.05):
                    closed = closed_by_server(dripping)
                    break
            selector.close()
            assert closed
        response, received = get(httpd, "/", {"Accept-Encoding": "identity"})
        assert (response.status, received) == (200, INDEX)


def test_an_idle_keep_alive_connection_is_closed_after_its_idle_timeout(site):
    with running(site, idle_timeout=0.3) as httpd:
        conn = http.client.HTTPConnection("127.0.0.1", httpd.server_address[1], timeout=BOUND)
        conn.request("GET", "/static/app.css")
        response = conn.getresponse()
        assert response.status == 200 and response.read() == b"body { color: black }"
        assert response.getheader("Connection") is None  # kept alive
        assert closed_by_server(conn.sock)
        conn.close()


def test_requests_sent_together_on_one_connection_are_answered_in_order(site):
    with running(site) as httpd:
        received = raw(httpd, b"GET /static/app.css HTTP/1.1\r\nHost: c\r\n\r\n"
                              b"GET /data/grid.json HTTP/1.1\r\nHost: c\r\nConnection: close\r\n\r\n")
    assert received.count(b"HTTP/1.1 200 OK\r\n") == 2
    assert received.index(b"body { color: black }") < received.index(b'{"nodes": []}')


def test_a_request_with_a_body_is_refused_and_its_connection_closed(site):
    with running(site) as httpd:
        received = raw(httpd, b"POST /index.html HTTP/1.1\r\nHost: c\r\nContent-Length: 5\r\n\r\nhello")
        assert received.startswith(b"HTTP/1.1 501 ")
        response, body = get(httpd, "/", {"Accept-Encoding": "identity"})
        assert (response.status, body) == (200, INDEX)


def test_a_request_head_above_the_limit_is_answered_431(site):
    with running(site) as httpd:
        received = raw(httpd, b"GET / HTTP/1.1\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n")
    assert received.startswith(b"HTTP/1.1 431 ")


def test_stop_closes_open_connections_and_the_same_port_serves_again(site, tmp_path):
    with running(site) as httpd:
        port = httpd.server_address[1]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=BOUND)
        conn.request("GET", "/static/app.css")
        assert conn.getresponse().read() == b"body { color: black }"
        httpd.stop()
        assert closed_by_server(conn.sock)
        conn.close()
    other = tmp_path / "v2"
    other.mkdir()
    (other / "index.html").write_bytes(b"v2")
    again = make_server(other, port=port)
    threading.Thread(target=again.serve_forever, daemon=True).start()
    try:
        response, body = get(again, "/")
        assert (response.status, body) == (200, b"v2")
    finally:
        again.stop()


# --- --host with --lan ---------------------------------------------------------------------------
def test_lan_with_a_host_listens_on_that_host(site, monkeypatch, capsys):
    def no_probe():
        raise AssertionError("--host was given: no need to look for the local network")

    monkeypatch.setattr(app.serve, "lan_address", no_probe)
    made, ready = [], threading.Event()

    def make(*args, **kwargs):
        made.append(make_server(*args, **kwargs))
        ready.set()
        return made[0]

    monkeypatch.setattr(app.serve, "make_server", make)
    result = []
    thread = threading.Thread(target=lambda: result.append(app.serve.serve(site, "127.0.0.1", 0, lan=True)))
    thread.start()
    try:
        assert ready.wait(BOUND)
        httpd = made[0]
        assert httpd.server_address[0] == "127.0.0.1"
        response, body = get(httpd, "/", {"Accept-Encoding": "identity"})
        assert (response.status, body) == (200, INDEX)
    finally:
        if made:
            made[0].stop()
        thread.join(BOUND)
    assert result == [0]
    assert f"http://127.0.0.1:{httpd.server_address[1]}/" in capsys.readouterr().out


def test_the_cli_passes_host_with_lan(site):
    proc = subprocess.Popen([sys.executable, "-m", "app", "serve", "--lan", "--host", "127.0.0.1", "--port", "0",
                             "--dir", str(site)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        selector = selectors.DefaultSelector()
        selector.register(proc.stdout, selectors.EVENT_READ)
        assert selector.select(BOUND), "the server printed nothing"
        selector.close()
        url = urlsplit(re.split(r"\s:\s", proc.stdout.readline().decode(), maxsplit=1)[1].strip())
        assert (url.scheme, url.hostname, url.path) == ("http", "127.0.0.1", "/") and url.port
        conn = http.client.HTTPConnection("127.0.0.1", url.port, timeout=BOUND)
        conn.request("GET", "/")
        assert conn.getresponse().status == 200
        conn.close()
    finally:
        proc.terminate()
        proc.wait(BOUND)
        proc.stdout.close()
        proc.stderr.close()


@pytest.mark.parametrize("host", [None, "0.0.0.0"])
def test_lan_on_every_interface_without_a_network_says_so_in_french(site, monkeypatch, capsys, host):
    monkeypatch.setattr(app.serve, "lan_address", lambda: None)
    assert app.serve.serve(site, host, 0, lan=True) == 1
    assert "Aucun réseau local trouvé" in capsys.readouterr().err


def test_a_port_in_use_is_said_in_french(site, capsys):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        assert app.serve.serve(site, "127.0.0.1", taken.getsockname()[1]) == 1
    assert "Impossible d’écouter sur 127.0.0.1:" in capsys.readouterr().err


# --- what is served --------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/pyodide/", "/static/", "/data/", "/pyodide", "/static", "/data", "/sub",
                                  "/missing/"])
def test_no_directory_is_listed(site, path):
    with running(site) as httpd:
        response, body = get(httpd, path)
    assert response.status == 404
    assert b"Directory listing" not in body and b"app.css" not in body and b"pyodide.js" not in body


def test_a_directory_ending_in_a_slash_serves_its_index_html(site):
    with running(site) as httpd:
        assert get(httpd, "/", {"Accept-Encoding": "identity"})[1] == INDEX
        response, body = get(httpd, "/sub/")
        assert (response.status, body) == (200, b"<p>sub</p>")
        assert response.getheader("Content-Type") == "text/html; charset=utf-8"


BAD_TARGETS = [
    b"/%00/x", b"/index.html%00", b"/%zz", b"/%4", b"/a%", b"/%C3%28", b"/%FF", b"/a%2Fb", b"/a%5Cb", b"/a\\b",
    b"/..", b"/../index.html", b"/static/../index.html", b"/%2e%2e/index.html", b"/.%2E/x", b"/.", b"/./index.html",
    b"/C:%5Cwindows", b"/c:/x", b"/a%0Ab", b"/a%7Fb", b"/a\x01b", b"/\xff", b"/\xc3\xa9", b"/" + b"a" * 3000,
    b"/" + b"b" * 300, b"*", b"index.html", b"http://example.org/", b"/index.html#top", b"/a b",
]


def test_malformed_paths_are_answered_400_and_print_no_traceback(site, capfd):
    with running(site, verbose=True) as httpd:
        for target in BAD_TARGETS:
            received = raw(httpd, b"GET " + target + b" HTTP/1.1\r\nHost: cellules\r\n\r\n")
            assert received.startswith(b"HTTP/1.1 400 "), (target, received[:60])
        response, body = get(httpd, "/", {"Accept-Encoding": "identity"})
        assert (response.status, body) == (200, INDEX)
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Error" not in err


def test_the_path_rules():
    assert request_segments("/") == [""]
    assert request_segments("/static/app.css?v=1") == ["static", "app.css"]
    assert request_segments("/sub/") == ["sub", ""]
    assert request_segments("/caf%C3%A9%20x") == ["café x"]
    assert request_segments("/~a/b-c_d.e") == ["~a", "b-c_d.e"]
    assert request_segments("/" + "a" * 255) == ["a" * 255]
    for bad in BAD_TARGETS:
        assert request_segments(bad.decode("latin-1")) is None, bad


def test_hidden_files_are_not_served(site):
    with running(site) as httpd:
        assert get(httpd, "/.secret")[0].status == 404


@pytest.mark.parametrize("path", ["/index.html.br", "/index.html.gz", "/app.wasm.br"])
@pytest.mark.parametrize("accept", ["br, gzip", "identity"])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_compressed_variant_is_never_served_under_its_own_name(site, path, accept, method):
    with running(site) as httpd:
        response, body = get(httpd, path, {"Accept-Encoding": accept}, method)
    assert response.status == 404 and response.getheader("Content-Encoding") is None


def test_a_compressed_file_of_its_own_is_served_as_itself(site):
    with running(site) as httpd:
        response, body = get(httpd, "/archive.gz", {"Accept-Encoding": "br, gzip"})
    assert response.status == 200 and response.getheader("Content-Encoding") is None
    assert response.getheader("Content-Type") == "application/gzip"
    assert gzip.decompress(body) == b"an archive of its own"


def test_types_encodings_etags_and_caching_are_kept(site):
    with running(site) as httpd:
        response, body = get(httpd, "/app.wasm", {"Accept-Encoding": "identity"})
        assert response.getheader("Content-Type") == "application/wasm" and body == WASM
        assert response.getheader("Content-Encoding") is None
        identity_etag = response.getheader("ETag")
        response, body = get(httpd, "/app.wasm", {"Accept-Encoding": "gzip, deflate, br"})
        assert response.getheader("Content-Type") == "application/wasm"
        assert response.getheader("Content-Encoding") == "br" and brotli.decompress(body) == WASM
        assert response.getheader("ETag") not in (None, identity_etag)
        response, body = get(httpd, "/", {"Accept-Encoding": "gzip"})
        assert response.getheader("Content-Encoding") == "gzip" and gzip.decompress(body) == INDEX
        assert response.getheader("Content-Type") == "text/html; charset=utf-8"
        assert response.getheader("Vary") == "Accept-Encoding"
        assert response.getheader("Cache-Control") == "no-cache"
        assert response.getheader("X-Content-Type-Options") == "nosniff"
        assert response.getheader("Access-Control-Allow-Origin") is None
        again, body = get(httpd, "/", {"Accept-Encoding": "gzip", "If-None-Match": response.getheader("ETag")})
        assert again.status == 304 and body == b""
        assert get(httpd, "/", {"Accept-Encoding": "br", "If-None-Match": response.getheader("ETag")})[0].status == 200
        assert get(httpd, "/app.wasm", method="HEAD")[0].getheader("Content-Length") == str(len(WASM))
    with running(site, cors=True) as httpd:
        assert get(httpd, "/")[0].getheader("Access-Control-Allow-Origin") == "*"
