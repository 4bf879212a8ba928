"""The CLI against inputs that misbehave: never a traceback, one French line, status 1,
STATE byte-identical and no `.undo` written; URLs with a total deadline, a body cap whatever the
headers say, redirects only to http(s), no connection named as such.

The URL tests run a local HTTP server on 127.0.0.1 that misbehaves on purpose; every handler
stops by itself within a few seconds, and the server is shut down at the end of the module.
"""

from __future__ import annotations

import gzip
import json
import re
import socket
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from corpus import base_doc, imported_as_documented

from app import cli
from app.cli import main
from app.core import document, i18n, merge, transfer
from app.core.i18n import words

# The servers' pauses: an event never set, waited on with a timeout (the same on any clock; libfaketime's
# shifted clock makes time.sleep hang).
PAUSE = threading.Event()
GOOD = json.dumps(base_doc()).encode()
CAP = document.MAX_DOCUMENT_BYTES


class Misbehaving(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10  # a handler never outlives this

    def log_message(self, *args):  # quiet
        pass

    def send(self, status=200, body=b"", headers=(), length=True):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if length is True:
            self.send_header("Content-Length", str(len(body)))
        elif length is not None:
            self.send_header("Content-Length", str(length))
        self.send_header("Connection", "close")
        self.end_headers()
        if body:
            self.wfile.write(body)

    def drip(self, seconds=6.0, head=True):
        """One byte every 0.1 s for `seconds`, then stop: slower than any deadline in these tests."""
        if head:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Connection", "close")
            self.end_headers()
        end = time.monotonic() + seconds
        try:
            while time.monotonic() < end:
                self.wfile.write(b" ")
                self.wfile.flush()
                PAUSE.wait(0.1)
        except OSError:
            pass

    def do_GET(self):  # noqa: C901, PLR0912 - one branch per misbehaviour
        path = self.path
        if path == "/ok":
            self.send(body=GOOD, headers=[("Content-Type", "application/json")])
        elif path == "/ok-gzip":
            self.send(body=gzip.compress(GOOD), headers=[("Content-Encoding", "gzip")])
        elif path == "/drip":
            self.drip()
        elif path == "/drip-headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            end = time.monotonic() + 6
            try:
                while time.monotonic() < end:
                    self.wfile.write(b"X-Slow: a\r\n")
                    self.wfile.flush()
                    PAUSE.wait(0.1)
            except OSError:
                pass
        elif path == "/silent":
            PAUSE.wait(6)
        elif path == "/endless":
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            block = b" " * 65536
            try:
                for _ in range(CAP // 65536 + 64):  # a little over the cap, then stop
                    self.wfile.write(block)
            except OSError:
                pass
        elif path == "/huge-length":
            self.send(body=b"{", length=10**12)
        elif path == "/lying-length":  # announces a small body, sends far more
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                self.wfile.write(GOOD)
            except OSError:
                pass
        elif path == "/short":  # announces more than it sends, then closes
            self.send(body=GOOD[:50], length=len(GOOD))
            self.close_connection = True
        elif path == "/gzip-bomb":
            bomb = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
            body = bomb.compress(b"[" + b" " * (CAP * 3)) + bomb.compress(b"]") + bomb.flush()
            self.send(body=body, headers=[("Content-Encoding", "gzip")])
        elif path == "/gzip-broken":
            self.send(body=gzip.compress(GOOD)[:-20], headers=[("Content-Encoding", "gzip")])
        elif path == "/brotli":
            self.send(body=GOOD, headers=[("Content-Encoding", "br")])
        elif path.startswith("/redirect-to?"):
            self.send(status=302, headers=[("Location", path.split("?", 1)[1])])
        elif path == "/redirect-loop":
            self.send(status=302, headers=[("Location", "/redirect-loop")])
        elif path == "/not-found":
            self.send(status=404, body=b"nope")
        else:
            self.send(status=500)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Misbehaving)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def state(tmp_path):
    path = tmp_path / "state.json"
    assert main(["init", str(path), "--name", "Moi"]) == 0
    return path


def refused(state, argv, capsys) -> str:
    """Run the CLI; it must fail with one French line and leave STATE and .undo as they were."""
    before = state.read_bytes()
    undo = state.with_name(state.name + ".undo")
    undo_before = undo.read_bytes() if undo.exists() else None
    capsys.readouterr()
    status = main(argv)
    out = capsys.readouterr()
    assert status == 1
    err = out.err.strip()
    assert err.startswith("erreur : ") and "\n" not in err and "Traceback" not in err, err
    assert state.read_bytes() == before
    assert (undo.read_bytes() if undo.exists() else None) == undo_before
    return err


def line(error: cli.CellulesError) -> str:
    """The one line the CLI prints for `error`: exactly this code with exactly these values."""
    return "erreur : " + " ".join(str(error).split())


def test_a_good_url_imports_plain_and_gzip(server, state, capsys):
    assert main(["import", str(state), f"{server}/ok"]) == 0
    imported_as_documented(document.loads_state(state.read_bytes()), GOOD.decode(), "ok")
    assert main(["import", str(state), f"{server}/ok-gzip"]) == 0  # the same file again: nothing more
    imported_as_documented(document.loads_state(state.read_bytes()), GOOD.decode(), "ok")


def test_a_redirect_to_http_is_followed(server, state):
    assert main(["import", str(state), f"{server}/redirect-to?/ok"]) == 0
    imported_as_documented(document.loads_state(state.read_bytes()), GOOD.decode(), "ok")


@pytest.mark.parametrize("path", ["/drip", "/drip-headers", "/silent"])
def test_the_deadline_is_total_whatever_the_server_does(server, state, capsys, monkeypatch, path):
    """Each server keeps the connection busy for 6 s (a byte, a header line every 0.1 s, or nothing):
    only a total deadline of 2 s refuses it as late; a per-read timeout would wait for the end and
    then refuse it for another reason. How long the refusal takes is a figure of bench/url_deadline.py."""
    monkeypatch.setattr(cli, "MAX_URL_SECONDS", 2)
    err = refused(state, ["import", str(state), server + path], capsys)
    assert err == line(cli.CliError("url.timeout", url=server + path, seconds=2))


@pytest.mark.parametrize("path", ["/endless", "/huge-length", "/gzip-bomb"])
def test_the_body_is_capped_whatever_the_headers_say(server, state, capsys, path):
    err = refused(state, ["import", str(state), server + path], capsys)
    assert err == line(cli.CliError("fetch.too_large", url=server + path, limit=i18n.fmt_size("fr", CAP)))


def test_a_gzip_bomb_is_never_decompressed_beyond_the_cap(server, monkeypatch):
    seen = []
    real = zlib.decompressobj

    class Spy:
        def __init__(self, *a):
            self.inner = real(*a)

        def decompress(self, data, max_length=0):
            assert 0 < max_length <= CAP + 1
            out = self.inner.decompress(data, max_length)
            seen.append(len(out))
            return out

        def __getattr__(self, name):
            return getattr(self.inner, name)

    monkeypatch.setattr(zlib, "decompressobj", Spy)
    with pytest.raises(cli.CellulesError) as err:
        cli.fetch_url(f"{server}/gzip-bomb")
    assert err.value.code == "fetch.too_large"
    assert sum(seen) <= CAP + 1


@pytest.mark.parametrize(("path", "code", "params"), [
    ("/short", "url.incomplete", {"got": 50, "expected": len(GOOD)}),
    ("/gzip-broken", "url.encoding", {"detail": words("d.cli.compressed_truncated")}),
    ("/brotli", "url.encoding", {"detail": words("d.cli.encoding_unknown", coding="br")}),
    ("/not-found", "url.http", {"status": 404}),
    ("/redirect-loop", "url.unreachable", {"detail": words("d.cli.redirects", n=cli.MAX_REDIRECTS)}),
])
def test_content_length_mismatch_and_broken_bodies_are_named(server, state, capsys, path, code, params):
    url = server + path
    err = refused(state, ["import", str(state), url], capsys)
    assert err == line(cli.CliError(code, url=url, **params))
    with pytest.raises(cli.CellulesError) as raised:
        cli.read_source(url)
    assert (raised.value.code, raised.value.params) == (code, {"url": url, **params})


def test_a_body_longer_than_announced_is_read_to_the_announced_length_only(server, state, capsys):
    """Only the announced 100 bytes are read: what the import refuses is that cut text."""
    assert cli.read_source(f"{server}/lying-length") == GOOD[:100]
    with pytest.raises(document.DocumentError) as cut:
        document.parse_text(GOOD[:100])
    assert refused(state, ["import", str(state), f"{server}/lying-length"], capsys) == line(cut.value)


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://example.org/x.json", "javascript:alert(1)",
                                    "data:application/json,{}"])
def test_redirects_to_another_scheme_are_refused_and_named(server, state, capsys, target):
    err = refused(state, ["import", str(state), f"{server}/redirect-to?{target}"], capsys)
    assert err == line(cli.CliError("url.redirect", target=target))


def test_no_connection_is_named_as_such(state, capsys):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/x.json"
    err = refused(state, ["import", str(state), url], capsys)
    assert err == line(cli.CliError("url.not_reached", url=url, detail=words("d.cli.refused")))
    url = "http://cellules-fwb.invalid/x.json"  # .invalid never resolves (RFC 2606)
    err = refused(state, ["import", str(state), url], capsys)
    assert err == line(cli.CliError("url.not_reached", url=url, detail=words("d.cli.no_domain")))


@pytest.mark.parametrize("source", ["ftp://example.org/a.json", "file:///etc/passwd", "http://", "http://x:port/",
                                    "http://[::1/x.json"])
def test_other_schemes_and_malformed_addresses_are_refused(state, capsys, source):
    err = refused(state, ["import", str(state), source], capsys)
    assert err == line(cli.CliError("url.scheme", url=source))


# --- never a traceback; .undo only after success -----------------------------------------------

@pytest.mark.parametrize("text", [
    "1" * 5000,  # beyond Python's int-string conversion limit
    '{"version":"1.0","x":' + "9" * 5000 + "}",
    '{"version":"1.0","x":1e999}',
    '{"version":"1.0","x":-1e400}',
    "[" * 5000 + "]" * 5000,
    '{"version":"1.0","x":"\\ud800"}',
])
def test_hostile_numbers_nesting_and_text_never_print_a_traceback(tmp_path, state, capsys, text):
    bad = tmp_path / "bad.json"
    bad.write_text(text, "utf-8")
    with pytest.raises(cli.CellulesError) as core:  # the core's refusal of that text
        document.parse_text(transfer.read_any(bad.read_bytes()))
    assert refused(state, ["import", str(state), str(bad)], capsys) == line(core.value)
    assert refused(state, ["validate", str(bad)], capsys) == line(core.value)


def test_an_unreadable_or_broken_state_file_is_named_not_a_traceback(tmp_path, capsys):
    state = tmp_path / "state.json"
    state.write_bytes(b"\xff\xfe not json")
    assert refused(state, ["list", str(state)], capsys) == line(document.DocumentError("doc.encoding"))
    state.write_text('{"version":"1.0","instanceId":"Cabcdefg","exportedAt":"2026-01-01T00:00:00Z","cellules":[],'
                     '"peerNames":"junk"}', "utf-8")
    with pytest.raises(document.DocumentError) as core:
        document.loads_state(state.read_bytes())
    assert core.value.code == "doc.value"
    assert refused(state, ["list", str(state)], capsys) == line(core.value)


def test_an_unexpected_exception_is_one_french_line(state, capsys, monkeypatch):
    def boom(*a, **k):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli.document, "loads_state", boom)
    err = refused(state, ["list", str(state)], capsys)
    assert err == line(cli.CliError("internal", detail="ZeroDivisionError: division by zero"))


def test_a_write_failure_is_named_and_state_untouched(tmp_path, state, capsys):
    folder = tmp_path / "no" / "such" / "dir"
    err = refused(state, ["export", str(state), "-o", str(folder / "out.json")], capsys)
    # the atomic write fails on its temporary file next to the target (random suffix)
    written = re.fullmatch(re.escape(line(cli.CliError("io.write", path=f"{folder}/@", detail="No such file or "
                                                                                            "directory")))
                           .replace("@", r"\.out\.json\.[a-z0-9_]+\.tmp"), err)
    assert written, err


def test_undo_snapshot_is_written_only_after_the_new_state(tmp_path, state, capsys, monkeypatch):
    good = tmp_path / "good.json"
    good.write_bytes(GOOD)
    assert main(["import", str(state), str(good)]) == 0
    imported_as_documented(document.loads_state(state.read_bytes()), GOOD.decode(), "ok")
    undo = state.with_name(state.name + ".undo")
    first_undo = undo.read_bytes()
    # a second import whose state cannot be written: STATE and the earlier snapshot stay as they were
    other = json.loads(GOOD)
    other["instanceId"] = other["cellules"][0]["origin"] = other["ateliers"][0]["origin"] = "Cother00"
    other["cellules"][0]["id"], other["ateliers"][0]["id"], other["ateliers"][0]["celluleId"] = "c9", "a9", "c9"
    (tmp_path / "other.json").write_text(json.dumps(other), "utf-8")
    monkeypatch.setattr(document, "MAX_DOCUMENT_BYTES", len(state.read_bytes()) + 10)
    err = refused(state, ["import", str(state), str(tmp_path / "other.json")], capsys)
    with pytest.raises(document.DocumentError) as limit:  # the state the import would have written
        document.check_state_limits(merge.import_text(document.loads_state(state.read_bytes()),
                                                      (tmp_path / "other.json").read_text("utf-8"),
                                                      now_ms=cli.now_ms())[0], now_ms=cli.now_ms())
    assert limit.value.code == "state.limit" and err == line(limit.value)
    assert undo.read_bytes() == first_undo
