"""Command-line adapter: `python -m app ...` over the same pure core as the browser.

The STATE file is itself a full v1.0 export. Every command reads it through the same checks as
an import, and writes it atomically (temporary file, then rename): on any error the command exits
with status 1, prints one French line on stderr, and leaves STATE byte-identical.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import socket
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import replace as dc_replace
from functools import cache
from pathlib import Path

from app.core import actions, document, i18n, merge, names, payload, refresh, sql, transfer, undo
from app.core.errors import CellulesError, DocumentError
from app.core.grid import Grid
from app.core.i18n import words
from app.core.report import Report

ROOT = Path(__file__).resolve().parent.parent
GRID_FILE = ROOT / "data" / "fwb_grid.json"
CLI_LANG = "fr"  # the command line's language: its lines, its errors and its --help


class CliError(CellulesError):
    pass


def now_ms() -> int:
    return int(time.time() * 1000)


@cache
def grid() -> Grid | None:
    if not GRID_FILE.exists():
        return None
    return Grid.from_json(json.loads(GRID_FILE.read_text("utf-8")))


def read_text(path: str) -> str | bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with Path(path).open("rb") as f:  # a file over the document cap is refused unread, whatever it holds
            data = f.read(document.MAX_DOCUMENT_BYTES + 1)
            if len(data) > document.MAX_DOCUMENT_BYTES:
                raise DocumentError("doc.too_large", size=max(len(data), os.fstat(f.fileno()).st_size),
                                    limit=document.MAX_DOCUMENT_BYTES)
            return data
    except FileNotFoundError:
        raise DocumentError("doc.schema", where=path, detail=words("d.cli.file_missing")) from None
    except OSError as exc:
        raise DocumentError("doc.schema", where=path, detail=words("d.cli.unreadable", reason=exc.strerror)) from None


def load_state(path: str):
    """STATE, this instance's own file: texts stored under looser rules are repaired, said in one line."""
    state, repairs = document.loads_own_state(read_text(path))
    if repairs:
        print(document.repair_message(repairs), file=sys.stderr)
    return state


def write_atomic(path: str, text: str) -> None:
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_state(path: str, state) -> None:
    write_atomic(path, document.check_state_limits(state, now_ms=now_ms()))


def values_of(args: argparse.Namespace, mapping: dict[str, str]) -> dict[str, str]:
    return {key: getattr(args, attr) for attr, key in mapping.items() if getattr(args, attr, None) is not None}


CELLULE_ARGS = {"name": "name", "node": "nodeId", "description": "description", "contact": "contact"}
ATELIER_ARGS = {"cellule": "celluleId", "title": "title", "starts": "startsAt", "ends": "endsAt", "place": "place",
                "description": "description"}


# --- commands -------------------------------------------------------------------------------------

def cmd_init(args) -> int:
    if Path(args.state).exists():
        raise CliError("doc.schema", where=args.state, detail=words("d.cli.state_exists"))
    if not args.name and not args.backup:
        raise CliError("field.required", label=words("label.cli.name_or_backup"))
    state = actions.new_state(name=args.name or i18n.t("instance.default_name"), random_bytes=os.urandom(16))
    if args.backup:  # restore a backup as yourself: this new instance takes the backup's identity
        incoming = document.read_document(document.parse_text(transfer.read_any(read_text(args.backup))))
        state, report = merge.restore_backup(state, incoming, now_ms=now_ms(), device_seed=os.urandom(16),
                                             known_nodes=grid())
        print(report.summary(), file=sys.stderr)
    save_state(args.state, state)
    print(state.instance_id)
    return 0


def cmd_cellule(args) -> int:
    state = load_state(args.state)
    if args.action == "add":
        state, record = actions.create_cellule(state, values_of(args, CELLULE_ARGS), now_ms=now_ms(),
                                               random_bytes=os.urandom(16), known_nodes=grid())
        print(record.id)
    elif args.action == "edit":
        state, _ = actions.edit(state, "cellule", args.id, values_of(args, CELLULE_ARGS), now_ms=now_ms(),
                                known_nodes=grid())
    else:
        state = actions.delete(state, "cellule", args.id, now_ms=now_ms())
    save_state(args.state, state)
    return 0


def cmd_atelier(args) -> int:
    state = load_state(args.state)
    if args.action == "add":
        state, record = actions.create_atelier(state, values_of(args, ATELIER_ARGS), now_ms=now_ms(),
                                               random_bytes=os.urandom(16))
        print(record.id)
    elif args.action == "edit":
        state, _ = actions.edit(state, "atelier", args.id, values_of(args, ATELIER_ARGS), now_ms=now_ms())
    else:
        state = actions.delete(state, "atelier", args.id, now_ms=now_ms())
    save_state(args.state, state)
    return 0


def cmd_list(args) -> int:
    state = load_state(args.state)
    cellules = state.live_cellules()
    g = grid()
    if args.json:
        out = {
            "instanceId": state.instance_id, "instanceName": state.instance_name,
            "cellules": [document.record_to_json(c, with_sync=False) | {
                "federated": state.is_federated(c), "author": merge.author_label(state, c, "fr"),
                "ateliers": [document.record_to_json(a, with_sync=False) for a in state.live_ateliers(c.id)],
            } for c in cellules],
        }
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    print(i18n.t("cli.list.head", name=state.instance_name, n=len(cellules)) + f" ({state.instance_id})")
    age = actions.backup_age(state, now_ms())
    if age.remind:  # the same rule as the browser's banner (more than 30 days since « Tout exporter »)
        print(i18n.t("x.backup_banner", days=age.days), file=sys.stderr)
    for c in cellules:
        place = g.nodes[c.node_id].label if g and c.node_id in g.nodes else c.node_id
        badge = f" [{i18n.t('cli.line.federated', author=merge.author_label(state, c))}]" \
            if state.is_federated(c) else ""
        print(f"- {c.name}{badge} — {place} — {c.id}")
        for a in state.live_ateliers(c.id):
            print(f"    · {a.starts_at} {a.title}" + (f" ({a.place})" if a.place else "") + f" — {a.id}")
    return 0


def cmd_validate(args) -> int:
    incoming = document.read_document(document.parse_text(transfer.read_any(read_text(args.file))), now_ms=now_ms())
    unknown = sorted({c.node_id for c in incoming.cellules.values()} - set(grid().nodes)) if grid() else []
    if unknown:
        raise CellulesError("node.unknown", node=unknown[0])
    orphans = [a for a in incoming.ateliers.values() if a.cellule_id not in incoming.cellules]
    if orphans and incoming.kind == "full":
        raise DocumentError("atelier.orphan", id=orphans[0].id, cellule=orphans[0].cellule_id)
    print(i18n.t("cli.valid", version=incoming.version, cellules=len(incoming.cellules),
                 ateliers=len(incoming.ateliers), name=incoming.instance_name, id=incoming.instance_id))
    return 0


def cmd_qr(args) -> int:
    from app.core import qr

    state = load_state(args.state)
    if args.all:
        return qr_animated(state, args)
    if not args.cellule_id:
        raise CliError("field.required", label=words("label.cli.cellule_id"))
    text = payload.encode(qr.cellule_document(state, args.cellule_id, now_ms=now_ms()))
    if args.link_base and not args.link_base.startswith(("https://", "http://")):
        raise CliError("url.scheme")
    texts = qr.cellule_frames(text, args.link_base)
    if len(texts) > 1:
        raise CliError("qr.too_big", chars=len(text))
    code = qr.make(texts[0])
    kind = Path(args.output).suffix.lower()
    if kind == ".svg":
        write_atomic(args.output, qr.svg(code))
    elif kind == ".png":
        Path(args.output).write_bytes(qr.png(code))
    else:
        raise CliError("qr.format", name=args.output)
    print(i18n.t("cli.line.qr_written", version=code.version, level=code.error, path=args.output))
    return 0


def qr_animated(state, args) -> int:
    """`qr --all`: the whole export as fountain-coded frames (the browser's « QR animé »): a folder
    of frame-NNN.png + frames.txt + qr-anime.gif, or only the animated GIF with `-o NAME.gif`."""
    from app.core import qr

    if not 1 <= args.fps <= 30:
        raise CliError("field.format", label="--fps", detail=words("d.cli.fps"))
    doc = document.to_document(state, kind="cellules" if args.cellules else "full", now_ms=now_ms())
    texts = qr.animated_frames(doc)
    codes = [qr.make_frame(text) for text in texts]
    out = Path(args.output)
    if out.suffix.lower() == ".gif":
        write_gif(out, codes, args.fps)
        print(i18n.t("cli.line.qr_gif", n=len(texts), version=codes[0].version, fps=args.fps, path=out))
        return 0
    out.mkdir(parents=True, exist_ok=True)
    for i, code in enumerate(codes, 1):
        (out / f"frame-{i:03d}.png").write_bytes(qr.png(code, scale=4))
    (out / "frames.txt").write_text("\n".join(texts) + "\n", "utf-8")
    print(i18n.t("cli.qr_frames", n=len(texts), path=out, half=math.ceil(len(texts) / 2)))
    try:
        write_gif(out / "qr-anime.gif", codes, args.fps)
    except CliError as exc:
        print(i18n.t("cli.line.note", message=exc))
    else:
        print(i18n.t("cli.line.gif", path=out / "qr-anime.gif", fps=args.fps))
    return 0


def write_gif(path: Path, codes, fps: int) -> None:
    """An endless animated GIF of the codes (Pillow: an optional extra, `pip install 'cellules-fwb[gif]'`)."""
    try:
        from PIL import Image
    except ImportError:
        raise CliError("qr.no_pillow") from None
    import io

    from app.core import qr

    images = [Image.open(io.BytesIO(qr.png(code, scale=4))).convert("P") for code in codes]
    buffer = io.BytesIO()
    images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:], duration=round(1000 / fps),
                   loop=0, optimize=False, disposal=1)
    path.write_bytes(buffer.getvalue())


def cmd_serve(args: argparse.Namespace) -> int:
    from app.serve import serve

    site = Path(args.dir) if args.dir else ROOT / "build" / "site"
    if not (site / "index.html").exists() and not args.dir:
        from tools.build_site import build

        build(site)
    return serve(site, args.host, args.port, cors=args.cors, lan=args.lan)


MAX_URL_SECONDS = 30  # total: connection, headers and body together (a dripping server is cut off)
MAX_REDIRECTS = 5
_REDIRECTS = (301, 302, 303, 307, 308)


def fetch_url(url: str) -> bytes:
    """GET an http(s) URL: a total deadline, a body cap whatever the headers say (compressed or
    not: never decompressed beyond the cap), redirects followed only to http(s). French errors."""
    import http.client
    import urllib.parse

    deadline = time.monotonic() + MAX_URL_SECONDS
    for _ in range(MAX_REDIRECTS + 1):
        try:
            parts = urllib.parse.urlsplit(url)
            valid = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
        except ValueError:  # e.g. "http://[::1" (an unclosed IPv6 address)
            valid = False
        if not valid:
            raise CliError("url.scheme", url=url)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise CliError("url.timeout", url=url, seconds=MAX_URL_SECONDS)
        cls = http.client.HTTPSConnection if parts.scheme.lower() == "https" else http.client.HTTPConnection
        try:
            conn = cls(parts.hostname, parts.port, timeout=remaining)
        except ValueError:  # a port that is not a number
            raise CliError("url.scheme", url=url) from None
        # The watchdog shuts the socket down at the deadline, whatever it is waiting for (the
        # response keeps reading from it after http.client lets go of the connection).
        expired = threading.Event()
        held: list[socket.socket] = []

        def cut(expired=expired, held=held) -> None:
            expired.set()
            for sock in held:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        watchdog = threading.Timer(remaining, cut)
        watchdog.daemon = True
        try:
            try:
                conn.connect()
            except TimeoutError:  # nothing answered the connection at all
                raise CliError("url.not_reached", url=url,
                               detail=words("d.cli.no_answer", seconds=MAX_URL_SECONDS)) from None
            held.append(conn.sock)
            watchdog.start()
            if expired.is_set():
                cut()
            target = _get(conn, parts, url)
            if expired.is_set():  # the cut socket reads as a (short) end of body
                raise CliError("url.timeout", url=url, seconds=MAX_URL_SECONDS)
            if isinstance(target, bytes):
                return target
            url = target
        except CellulesError:
            if expired.is_set():
                raise CliError("url.timeout", url=url, seconds=MAX_URL_SECONDS) from None
            raise
        except (OSError, http.client.HTTPException) as exc:
            if expired.is_set() or isinstance(exc, TimeoutError | socket.timeout):
                raise CliError("url.timeout", url=url, seconds=MAX_URL_SECONDS) from None
            raise _network_error(url, exc) from None
        finally:
            watchdog.cancel()
            conn.close()
    raise CliError("url.unreachable", url=url, detail=words("d.cli.redirects", n=MAX_REDIRECTS))


def _get(conn, parts, url: str) -> bytes | str:
    """One request: the body (bytes), or the http(s) address a redirect points to (str)."""
    import urllib.parse
    import zlib

    path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    conn.request("GET", path, headers={"User-Agent": "cellules-fwb", "Accept": "application/json, text/plain, */*",
                                       "Accept-Encoding": "gzip, deflate"})
    response = conn.getresponse()
    if response.status in _REDIRECTS:
        location = response.getheader("Location") or ""
        target = urllib.parse.urljoin(url, location.strip())
        if urllib.parse.urlsplit(target).scheme.lower() not in ("http", "https"):
            raise CliError("url.redirect", target=target[:200])
        return target
    if response.status != 200:
        raise CliError("url.http", url=url, status=response.status)
    cap = document.MAX_DOCUMENT_BYTES
    announced = response.length  # None when not announced (or chunked)
    if announced is not None and announced > cap:
        raise too_large(url)
    coding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if coding in ("gzip", "x-gzip"):
        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif coding == "deflate":
        inflate = zlib.decompressobj()
    elif coding == "identity":
        inflate = None
    else:
        raise CliError("url.encoding", url=url, detail=words("d.cli.encoding_unknown", coding=coding[:40]))
    body = bytearray()
    received = 0
    try:
        while chunk := response.read1(64 * 1024):
            received += len(chunk)
            if received > cap:
                raise too_large(url)
            if inflate is None:
                body += chunk
            else:  # never more output than the cap allows (a gzip bomb stops here)
                body += inflate.decompress(chunk, cap + 1 - len(body))
                if inflate.unconsumed_tail:
                    raise too_large(url)
            if len(body) > cap:
                raise too_large(url)
    except zlib.error as exc:
        raise CliError("url.encoding", url=url, detail=str(exc)[:80]) from None
    if response.length:  # the server closed before sending what it announced
        raise CliError("url.incomplete", url=url, got=received, expected=received + response.length)
    if inflate is not None and not inflate.eof:
        raise CliError("url.encoding", url=url, detail=words("d.cli.compressed_truncated"))
    return bytes(body)


def too_large(url: str) -> CellulesError:
    """A body over the document cap: the browser's words for the same failure (the cap as a size)."""
    return CliError("fetch.too_large", url=url, limit=i18n.fmt_size("fr", document.MAX_DOCUMENT_BYTES))


def _network_error(url: str, exc: BaseException) -> CellulesError:
    """An address nothing answers says why, in the browser's sentence for it (« Pas de connexion : … est
    injoignable (…) »), its parenthesis naming what the CLI sees: no such domain, refused, no network."""
    import errno
    import ssl

    if isinstance(exc, socket.gaierror):
        return CliError("url.not_reached", url=url, detail=words("d.cli.no_domain"))
    if isinstance(exc, ConnectionRefusedError):
        return CliError("url.not_reached", url=url, detail=words("d.cli.refused"))
    if isinstance(exc, OSError) and exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN):
        return CliError("url.not_reached", url=url, detail=words("d.cli.no_network"))
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return CliError("url.unreachable", url=url, detail=words("d.cli.tls"))
    if isinstance(exc, ConnectionResetError | BrokenPipeError):
        return CliError("url.unreachable", url=url, detail=words("d.cli.reset"))
    return CliError("url.unreachable", url=url, detail=type(exc).__name__)


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def read_source(source: str) -> str | bytes:
    if is_url(source):
        return fetch_url(source)
    if "://" in source:
        raise CliError("url.scheme", url=source)
    return read_text(source)


def side_file(state_path: str, suffix: str) -> Path:
    return Path(state_path).with_name(Path(state_path).name + suffix)


def save_with_undo(path: str, state, report: Report, last: undo.Undo) -> None:
    """Write the new STATE, then its undo (undo.undo_to_json: only what the operation changed),
    then journal the report. Both texts are built and checked first (limits): on any failure
    neither STATE nor an earlier undo is touched."""
    undo_text = undo.undo_to_json(last)
    text = document.check_state_limits(state, now_ms=now_ms())
    write_atomic(path, text)
    write_atomic(str(side_file(path, ".undo")), undo_text)
    journal(path, report.to_json())


def journal(path: str, entry: dict) -> None:
    with side_file(path, ".journal.jsonl").open("a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False) + "\n")


def save_operation(path: str, before, after, report: Report, *, address: str | None = None) -> str:
    """Write what an import, replace, refresh or drop-source made of STATE, with its undo and its
    journal line; return the line to print. An import that changed nothing leaves STATE and the
    stored undo as they are (the undo stays that of the last import that changed something), is
    journalled as « Rien de nouveau : … » and says so; only a source's newly known `address` (an
    import from a URL) is still remembered."""
    if address:  # the source remembers where it was loaded from (`sources --refresh`)
        after = refresh.with_address(after, report.source_id, address)
    last = undo.make_undo(before, after, action=report.action, label=report.source_name, at=report.at,
                          other_device=isinstance(report, merge.DeviceReport))
    if undo.changed_nothing(last):
        kept = refresh.with_address(before, report.source_id, address) if address else before
        if kept is not before:
            save_state(path, kept)
        journal(path, {**report.to_json(), "nothingNew": True})
        return i18n.t("jr.nothing_new", summary=report.summary())
    save_with_undo(path, after, report, last)
    return report.summary()


def browser_file_name(state, kind: str, now: int) -> str:
    """The name the browser gives this export (names.export_file_name): « Asso-sauvegarde-2026-01-29-11h00.json »,
    « Asso-cellules-2026-01-29.json », « Asso-supabase-2026-01-29.sql »; a restored device named in its
    backups; a name a file of the current folder has already gets the next number (« …-11h00-2.json »):
    an export never writes over an earlier one."""
    from app.core.formats import safe_filename

    given = [path.name for path in Path(".").iterdir()]
    return names.export_file_name(state, "fr", kind, now, given, safe_name=safe_filename(state.instance_name))


def free_path(name: str) -> Path:
    """`name` in the current folder; when a file has that name already, « name (1).ext », « name (2).ext »…
    as a browser names a second download: an export never writes over an earlier one."""
    path = Path(name)
    n = 0
    while path.exists():
        n += 1
        path = Path(f"{Path(name).stem} ({n}){Path(name).suffix}")
    return path


def cmd_export(args) -> int:
    """`export STATE [-o OUT]`: without -o, the file gets the browser's name, in the current folder."""
    if args.format != "json":
        return cmd_export_format(args)
    state = load_state(args.state)
    kind = "cellules" if args.cellules_only else "full"
    now = now_ms()
    output = args.output or browser_file_name(state, kind, now)
    if kind == "full":
        state = actions.stamp_full_export(state, now)
    write_atomic(output, document.dumps(document.to_document(state, kind=kind, now_ms=now)))
    if kind == "full":
        save_state(args.state, state)
    print(i18n.t("cli.line.exported", path=output, kind=kind))
    return 0


def cmd_export_format(args) -> int:
    """`export --format csv|geojson|ics`: open formats for spreadsheets, maps and calendars. Without -o,
    the browser's name in the current folder (csv without --table: both tables in one .zip)."""
    from app.core import formats

    state = load_state(args.state)
    key = args.format
    if key == "csv":
        if args.output is None:
            key = f"csv-{args.table}" if args.table else "csv-zip"
        elif Path(args.output).suffix.lower() == ".zip":
            key = "csv-zip"
        elif args.table:
            key = f"csv-{args.table}"
        else:
            raise CliError("field.required", label=words("label.cli.table"))
    for flag, given, allowed in (("--cellule", args.cellule, key == "ics"), ("--cellules-only", args.cellules_only,
                                                                             False)):
        if given and not allowed:
            raise CliError("field.format", label=flag, detail=words("d.cli.not_with_format", format=args.format))
    file = formats.export_file(state, grid(), key, now_ms=now_ms(), cellule_id=args.cellule)
    out = Path(args.output) if args.output else free_path(file.name)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(file.data)
            os.replace(tmp, out)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise CliError("field.format", label="-o",
                       detail=words("d.cli.cannot_write", path=str(out), reason=exc.strerror)) from None
    print(i18n.t("cli.line.exported_bytes", path=out, kind=key, size=len(file.data)))
    return 0


def cmd_to_sql(args) -> int:
    """`to-sql STATE [-o OUT.sql]`: without -o, the browser's name (« Asso-supabase-2026-01-29.sql »)."""
    state = load_state(args.state)
    now = now_ms()
    output = args.output or browser_file_name(state, "sql", now)
    write_atomic(output, sql.to_sql(state, now_ms=now))
    print(i18n.t("cli.sql", path=output, cellules=len(state.cellules), ateliers=len(state.ateliers)))
    return 0


def cmd_import(args) -> int:
    state = load_state(args.state)
    text = transfer.read_any(read_source(args.source))  # JSON, FWB1: code, app link, or QR part lines
    mode = "replace" if args.replace else "merge"
    # --take-other-device: the records a backup of another device of this group says were created
    # there come as the group's own (merge.merge's `adopt`); without it they are left aside, and said
    adopt = merge.created_there_ids(state, document.read_text(text, held=state)) if args.take_other_device \
        else frozenset()
    if not args.dry_run:
        if args.json:
            raise CliError("field.format", label="--json", detail=words("d.cli.only_with", flag="--dry-run"))
        new, report = merge.import_text(state, text, mode=mode, now_ms=now_ms(), known_nodes=grid(), adopt=adopt)
        if isinstance(report, merge.DeviceReport):  # how to bring what was left aside: this command's flag
            report = dc_replace(report, aside_how="cli.line.device_aside")
        print(save_operation(args.state, state, new, report, address=args.source if is_url(args.source) else None))
        return 0
    incoming = document.read_text(text, held=state)
    merge.check_incoming(state, incoming, grid())
    plans = merge.preview(state, incoming, mode=mode, now_ms=now_ms(), adopt=adopt)
    if args.json:
        print(json.dumps(preview_json(incoming, mode, plans), ensure_ascii=False, indent=1))
        return 0
    print_plans(plans)
    counts = merge.preview_counts(plans)
    print(", ".join(f"{n} {i18n.t('m.status.' + s)}" for s, n in counts.items() if n))
    if counts["offered"]:
        print(i18n.t("cli.line.device_aside", n=counts["offered"]))
    print(i18n.t("cli.dry_run"))
    return 0


def print_plans(plans, indent: str = "") -> None:
    """A preview item by item (what `import --dry-run` and `sources --refresh --dry-run` show)."""
    for item in plans:
        if item.status == "unchanged":
            continue
        print(f"{indent}{item.status:9} {item.kind:8} {item.id}  {item.label}"
              + (f" — {item.reason_text()}" if item.reason else ""))
        for change in item.changes:
            mark = ""
            if change.conflict:
                mark = f" ({i18n.t('m.conflict.' + change.winner)})"
            print(f"{indent}            {change.field}: {change.old!r} → {change.new!r}{mark}")


def preview_json(incoming, mode: str, plans) -> dict:
    """`import --dry-run --json`: the preview for scripts and tests (statuses are merge.STATUSES;
    for a conflict, `winner` says which side keeps each field)."""
    items = []
    for plan in plans:
        item = plan.to_json()
        if plan.reason:
            item["message"] = plan.reason_text()
        items.append(item)
    return {"source": {"instanceId": incoming.instance_id, "instanceName": incoming.instance_name,
                       "kind": incoming.kind},
            "mode": mode, "counts": merge.preview_counts(plans), "items": items}


def cmd_sources(args) -> int:
    state = load_state(args.state)
    if args.refresh is not None:
        return refresh_sources(args, state)
    if args.dry_run:
        raise CliError("field.format", label="--dry-run", detail=words("d.cli.only_with", flag="--refresh"))
    labels = names.labels(state)
    rows = [merge_source_row(state, s, labels[s.id])
            for s in sorted(state.sources.values(), key=lambda s: (names.fold(labels[s.id]), s.id))]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    if not rows:
        print(i18n.t("s.none_left" if state.extra.get("peerNames") else "s.none"))
    for r in rows:
        print(i18n.t("cli.source", name=r["label"], id=r["id"], at=r["importedAt"], cellules=r["wouldRemoveCellules"],
                     ateliers=r["wouldRemoveAteliers"]))
        if r.get("url"):
            print(i18n.t("cli.source_url", url=r["url"]))
    return 0


def merge_source_row(state, source, label: str) -> dict:
    """A source as `sources` lists it: what « Sources » shows in the browser and what `drop-source` would
    report removed, one count (merge.source_counts: live cellules, live ateliers of a live cellule)."""
    cellules, ateliers = merge.source_counts(state, source.id)
    return {**document.source_to_json(source), "label": label, "wouldRemoveCellules": cellules,
            "wouldRemoveAteliers": ateliers}


def refresh_sources(args, state) -> int:
    """`sources STATE --refresh [SOURCE_ID]`: each source (or the one named) loaded again from its address,
    in one preview (`--dry-run`) or merged in one write (one undo). A source that cannot be loaded says why
    on stderr and the status is 1; the others are still merged. Nothing new anywhere: nothing is written."""
    if args.json and not args.dry_run:
        raise CliError("field.format", label="--json", detail=words("d.cli.only_with", flag="--dry-run"))
    now = now_ms()
    fetched = []
    for source in refresh.refreshable(state, args.refresh or None):
        try:
            fetched.append(refresh.Fetched(source_id=source.id, url=source.url, body=fetch_url(source.url)))
        except CellulesError as exc:
            fetched.append(refresh.Fetched(source_id=source.id, url=source.url, error=exc))
    refreshes = refresh.plan(state, fetched, now_ms=now, known_nodes=grid())
    if args.json:
        print(json.dumps({"sources": [r.to_json() for r in refreshes]}, ensure_ascii=False, indent=1))
        return 1 if refresh.errors(refreshes) else 0
    for r in refreshes:
        if r.error is not None:
            text = i18n.t("s.source_failed", name=r.label, error=r.error.message("fr"))
            print(error_line(text), file=sys.stderr)  # one line, as every CLI error
        elif r.changes:
            print(i18n.t("s.source_changes", name=r.label, **{k: r.counts.get(k, 0) for k in
                                                               ("new", "changed", "conflict", "deleted", "unchanged")}))
            if args.dry_run:
                print_plans(r.plans, indent="  ")
        else:
            print(i18n.t("s.source_nothing", name=r.label))
    failed = 1 if refresh.errors(refreshes) else 0
    if args.dry_run:
        print(i18n.t("cli.dry_run"))
        return failed
    if not any(r.changes for r in refreshes):
        print(i18n.t("s.refreshed_none"))
        return failed
    new, report = refresh.apply(state, [r for r in refreshes if r.changes], now_ms=now, known_nodes=grid())
    print(save_operation(args.state, state, new, report))
    return failed


def cmd_drop_source(args) -> int:
    state = load_state(args.state)
    if args.source_id not in state.sources:
        raise CliError("source.unknown", id=args.source_id)
    new, report = merge.drop_source(state, args.source_id, now_ms=now_ms())
    print(save_operation(args.state, state, new, report))
    return 0


def cmd_undo(args) -> int:
    """Undo the last import / replace / drop-source that changed something: only what it changed
    (undo.apply_undo); what was written since stays. When that would take something written since,
    say what and stop, unless --force."""
    snapshot = side_file(args.state, ".undo")
    if not snapshot.exists():
        raise CliError("undo.nothing")
    text = snapshot.read_bytes()
    if not undo.is_undo_text(text):  # an older version's whole-state snapshot
        document.loads_state(text)  # never restore something unreadable
        write_atomic(args.state, text.decode("utf-8"))
        snapshot.unlink()
        print(i18n.t("cli.undone_old"))
        return 0
    state = load_state(args.state)
    last = undo.undo_from_json(text)
    plan = undo.plan_undo(state, last)
    for loss in plan.lost:
        key = "m.undo.lost_field" if loss.field else "m.undo.lost_record"
        print(i18n.t(key, kind=loss.kind, id=loss.id, label=loss.label, field=loss.field, value=repr(loss.value)),
              file=sys.stderr)
    new, report = undo.apply_undo(state, last, now_ms=now_ms(), force=args.force)
    save_state(args.state, new)
    snapshot.unlink()
    print(report.summary())
    return 0


# --- parser ---------------------------------------------------------------------------------------

@contextmanager
def argparse_in(lang: str = "fr"):
    """argparse's own words (the usage line, the help's headings, the usage errors) in `lang` while the
    command line is read. argparse passes each of its English messages through its module's gettext
    function `_`; meanwhile that is a lookup in the `cli.args.*` entries, whose English value is argparse's
    message itself (a message without an entry stays as argparse words it)."""
    own = {i18n.TEXTS[key][1]: i18n.t(key, lang) for key in i18n.TEXTS if key.startswith("cli.args.")}
    english = argparse._  # type: ignore[attr-defined]
    argparse._ = lambda message: own.get(message, message)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = english  # type: ignore[attr-defined]


class FrenchParser(argparse.ArgumentParser):
    def error(self, message: str):  # one clear line, status 1 (argparse's own is 2)
        self.print_usage(sys.stderr)
        print(i18n.t("cli.line.error", message=message), file=sys.stderr)
        raise SystemExit(1)


# Each command's arguments: (name or flags, metavar key, help key, argparse options). Every value an
# argument takes is named by a `cli.metavar.*` entry (tests/cli/test_cli_usage_words.py checks it); the
# values typed as they are (--format's, --table's choices) show themselves.
FIELD_METAVARS = {"name": "name", "node": "zone", "description": "text", "contact": "contact", "cellule": "cellule_id",
                  "title": "title", "starts": "start", "ends": "end", "place": "place"}


def build_parser(lang: str = "fr") -> argparse.ArgumentParser:
    def t(key: str) -> str:
        return i18n.t(key, lang)

    def mv(key: str) -> str:
        return i18n.t(f"cli.metavar.{key}", lang)

    parser = FrenchParser(prog="python -m app", description=t("cli.help.description"))
    sub = parser.add_subparsers(dest="command", metavar=mv("command"), required=True, parser_class=FrenchParser)

    def command(name: str, func, help_key: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=t(help_key))
        p.set_defaults(func=func)
        return p

    p = command("init", cmd_init, "cli.help.init")
    p.add_argument("state", metavar=mv("state"))
    p.add_argument("--name", metavar=mv("name"), help=t("cli.help.init_name"))
    p.add_argument("--from", dest="backup", metavar=mv("backup_file"), help=t("cli.help.init_from"))

    for kind, func, fields in (("cellule", cmd_cellule, CELLULE_ARGS), ("atelier", cmd_atelier, ATELIER_ARGS)):
        p = command(kind, func, f"cli.help.{kind}")
        ksub = p.add_subparsers(dest="action", metavar=mv("action"), required=True, parser_class=FrenchParser)
        for action in ("add", "edit", "delete"):
            a = ksub.add_parser(action, help=t(f"cli.help.{kind}_{action}"))
            a.add_argument("state", metavar=mv("state"))
            if action != "add":
                a.add_argument("id", metavar=mv("id"))
            if action != "delete":
                for attr in fields:
                    if kind == "atelier" and attr == "cellule" and action == "edit":
                        continue
                    required = action == "add" and attr in ("name", "node", "cellule", "title", "starts")
                    a.add_argument(f"--{attr}", metavar=mv(FIELD_METAVARS[attr]), required=required,
                                   help=t(f"cli.help.field_{attr}"))

    p = command("list", cmd_list, "cli.help.list")
    p.add_argument("state", metavar=mv("state"))
    p.add_argument("--json", action="store_true")

    p = command("validate", cmd_validate, "cli.help.validate")
    p.add_argument("file", metavar=mv("file"))

    p = command("export", cmd_export, "cli.help.export")
    p.add_argument("state", metavar=mv("state"))
    p.add_argument("-o", "--output", metavar=mv("output"), help=t("cli.help.export_output"))
    p.add_argument("--cellules-only", action="store_true", help=t("cli.help.export_cellules_only"))
    p.add_argument("--format", choices=("json", "csv", "geojson", "ics"), default="json",
                   help=t("cli.help.export_format"))
    p.add_argument("--table", choices=("cellules", "ateliers"), help=t("cli.help.export_table"))
    p.add_argument("--cellule", metavar=mv("cellule_id"), help=t("cli.help.export_cellule"))

    p = command("to-sql", cmd_to_sql, "cli.help.to_sql")
    p.add_argument("state", metavar=mv("state"))
    p.add_argument("-o", "--output", metavar=mv("output"), help=t("cli.help.to_sql_output"))

    p = command("import", cmd_import, "cli.help.import")
    p.add_argument("state", metavar=mv("state"))
    p.add_argument("source", metavar=mv("source"))
    p.add_argument("--replace", action="store_true", help=t("cli.help.import_replace"))
    p.add_argument("--take-other-device", action="store_true", help=t("cli.help.import_take_other_device"))
    p.add_argument("--dry-run", action="store_true", help=t("cli.help.dry_run"))
    p.add_argument("--json", action="store_true", help=t("cli.help.import_json"))

    p = command("sources", cmd_sources, "cli.help.sources")
    p.add_argument("state", metavar=mv("state"))
    p.add_argument("--json", action="store_true", help=t("cli.help.sources_json"))
    p.add_argument("--refresh", nargs="?", const="", metavar=mv("source_id"), help=t("cli.help.sources_refresh"))
    p.add_argument("--dry-run", action="store_true", help=t("cli.help.sources_dry_run"))

    p = command("drop-source", cmd_drop_source, "cli.help.drop_source")
    p.add_argument("state", metavar=mv("state"))
    p.add_argument("source_id", metavar=mv("source_id"))

    p = command("undo", cmd_undo, "cli.help.undo")
    p.add_argument("state", metavar=mv("state"))
    p.add_argument("--force", action="store_true", help=t("cli.help.undo_force"))

    p = command("qr", cmd_qr, "cli.help.qr")
    p.add_argument("state", metavar=mv("state"))
    p.add_argument("cellule_id", nargs="?", metavar=mv("cellule_id"))
    p.add_argument("--all", action="store_true", help=t("cli.help.qr_all"))
    p.add_argument("--cellules", action="store_true", help=t("cli.help.qr_cellules"))
    p.add_argument("--fps", type=int, default=5, metavar=mv("fps"), help=t("cli.help.qr_fps"))
    p.add_argument("-o", "--output", required=True, metavar=mv("output"), help=t("cli.help.qr_output"))
    p.add_argument("--link-base", metavar=mv("url"), help=t("cli.help.qr_link_base"))

    p = command("serve", cmd_serve, "cli.help.serve")
    p.add_argument("--port", type=int, default=8000, metavar=mv("port"), help=t("cli.help.serve_port"))
    p.add_argument("--host", metavar=mv("host"), help=t("cli.help.serve_host"))
    p.add_argument("--dir", metavar=mv("folder"), help=t("cli.help.serve_dir"))
    p.add_argument("--cors", action="store_true", help=t("cli.help.serve_cors"))
    p.add_argument("--lan", action="store_true", help=t("cli.help.serve_lan"))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Never a traceback: one French line on stderr and a non-zero status for any failure."""
    try:
        with argparse_in(CLI_LANG):
            args = build_parser(CLI_LANG).parse_args(argv)
        return args.func(args)
    except CellulesError as exc:
        return _fail(exc)
    except KeyboardInterrupt:
        return _fail(CliError("internal", detail=words("d.cli.interrupted")), status=130)
    except OSError as exc:  # a file we write: disk full, permission, missing folder...
        return _fail(CliError("io.write", path=exc.filename or "?", detail=exc.strerror or type(exc).__name__))
    except Exception as exc:  # a bug: still one line, and STATE was written atomically or not at all
        return _fail(CliError("internal", detail=f"{type(exc).__name__}: {str(exc)[:120]}"))


def error_line(message: str) -> str:
    """« erreur : … » on one line, whatever the values quoted."""
    return i18n.t("cli.line.error", message=" ".join(message.split()))


def _fail(exc: CellulesError, status: int = 1) -> int:
    try:
        print(error_line(str(exc)), file=sys.stderr)
    except (OSError, ValueError):
        pass
    return status


if __name__ == "__main__":
    sys.exit(main())
