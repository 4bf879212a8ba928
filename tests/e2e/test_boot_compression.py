"""Compression: the build's .br/.gz files decode to the exact files, `app serve` picks
them by Accept-Encoding, and the service worker's SRI checks (over the decoded body) still pass."""

from __future__ import annotations

import base64
import gzip
import hashlib
import http.client
import json
import re

import brotli
from conftest import wait_controlled, wait_ready


def precache(site) -> list[tuple[str, str]]:
    worker = (site / "service-worker.js").read_text()
    return json.loads(re.search(r"const PRECACHE = (\[.*?\]);", worker).group(1))


def get(server, path: str, accept: str, etag: str | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    headers = {"Accept-Encoding": accept}
    if etag:
        headers["If-None-Match"] = etag
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response, body


DECODE = {"br": brotli.decompress, "gzip": gzip.decompress, None: lambda b: b}


def test_every_precached_file_decodes_to_its_sri_hash_in_every_encoding(server, site):
    entries = precache(site)
    encoded = {"br": 0, "gzip": 0}
    for url, integrity in entries:
        path = url[1:] if url != "./" else "/"
        etags = set()
        for accept in ("br, gzip", "gzip", "identity", "gzip;q=0, br;q=0"):
            response, body = get(server, path, accept)
            assert response.status == 200, url
            encoding = response.getheader("Content-Encoding")
            assert encoding in (None, *(e for e in accept.split(", ") if "q=0" not in e)), (url, accept, encoding)
            if encoding:
                encoded[encoding] += 1
            assert response.getheader("Vary") == "Accept-Encoding"
            digest = hashlib.sha256(DECODE[encoding](body)).digest()
            assert "sha256-" + base64.b64encode(digest).decode() == integrity, (url, accept)
            etag = response.getheader("ETag")
            etags.add((encoding, etag))
            again, _ = get(server, path, accept, etag)  # revalidation is per encoding
            assert again.status == 304
        # one ETag per encoding, never shared by two encodings
        assert len({e for _, e in etags}) == len({enc for enc, _ in etags})
    assert encoded["br"] >= 5 and encoded["gzip"] >= 5  # the large files really are sent compressed
    wasm, _ = get(server, "/pyodide/pyodide.asm.wasm", "gzip, deflate, br, zstd")
    assert wasm.getheader("Content-Encoding") == "br"
    assert wasm.getheader("Content-Type") == "application/wasm"


def test_compressed_variants_are_not_precached_and_match_their_file(site):
    names = {url for url, _ in precache(site)}
    variants = sorted(p for p in site.rglob("*") if p.suffix in (".gz", ".br"))
    assert any(p.name == "pyodide.asm.wasm.br" for p in variants)
    for variant in variants:
        original = variant.with_suffix("")
        assert "./" + variant.relative_to(site).as_posix() not in names
        decoded = (brotli.decompress if variant.suffix == ".br" else gzip.decompress)(variant.read_bytes())
        assert decoded == original.read_bytes(), variant


def test_a_first_visit_moves_at_most_7_mb_and_the_worker_installs_through_sri(browser, own_server):
    # A server of its own: the bytes it counts are this first visit's only.
    server = own_server
    context = browser.new_context()
    offsite, errors = [], []
    context.on("request", lambda r: r.url.startswith((server.url, "data:", "blob:")) or offsite.append(r.url))
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    server.httpd.bytes_sent = 0
    page.goto(server.url)
    wait_ready(page)
    wait_controlled(page)  # the worker's install fetched every file with {integrity}
    sent = server.httpd.bytes_sent
    assert sent <= 7_000_000, f"first visit sent {sent / 1e6:.2f} MB"
    # The browser decoded what it received: the same files, byte for byte (SRI over the decoded body).
    checked = page.evaluate("""async () => {
        const src = await (await fetch('./service-worker.js')).text();
        const list = JSON.parse(src.match(/const PRECACHE = (\\[.*?\\]);/)[1]);
        let ok = 0;
        for (const [url, integrity] of list) {
            const r = await fetch(url, {integrity, cache: 'no-store'});
            if (r.ok) ok += 1;
        }
        return [ok, list.length];
    }""")
    assert checked[0] == checked[1]
    context.close()
    assert offsite == [] and errors == []
