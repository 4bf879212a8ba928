"""A corpus of hostile or broken inputs (issue 8): each case is (name, text, expected error code).

The same corpus runs through the core, the CLI and the browser's paste box. Every case must end in a
clear CellulesError (a French message naming what is wrong), and stored data must stay as it was.
"""

from __future__ import annotations

import copy
import json
import zlib
from pathlib import Path

from app.core import payload

GRID_FILE = Path(__file__).resolve().parents[2] / "data" / "fwb_grid.json"
GOOD_NODE = json.loads(GRID_FILE.read_text("utf-8"))["nodes"][0][0]


def base_doc() -> dict:
    return {
        "version": "1.0", "instanceId": "Chostile", "instanceName": "Hostile", "exportedAt": "2026-01-28T10:00:00Z",
        "kind": "full",
        "cellules": [{"id": "c1", "nodeId": GOOD_NODE, "name": "Cellule", "description": "", "createdAt":
                      "2026-01-01T00:00:00Z", "updatedAt": "2026-01-02T00:00:00Z", "origin": "Chostile",
                      "deleted": False}],
        "ateliers": [{"id": "a1", "celluleId": "c1", "title": "Atelier", "startsAt": "2026-02-01T18:00:00Z",
                      "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-02T00:00:00Z",
                      "origin": "Chostile", "deleted": False}],
        "federatedSources": [],
    }


def variant(path: str, value, delete: bool = False) -> str:
    doc = copy.deepcopy(base_doc())
    target = doc
    parts = path.split(".")
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    last = parts[-1]
    if delete:
        del target[last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return json.dumps(doc, ensure_ascii=False)


SCRIPT = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
CASES: list[tuple[str, str, str]] = [
    # broken JSON and encodings
    ("empty", "", "doc.json"),
    ("spaces", "   \n ", "doc.json"),
    ("truncated", json.dumps(base_doc())[:-40], "doc.json"),
    ("trailing garbage", json.dumps(base_doc()) + " }", "doc.json"),
    ("single quotes", "{'version': '1.0'}", "doc.json"),
    ("smart quotes from a chat app", json.dumps(base_doc()).replace('"', "\u201c"), "doc.json"),
    ("NaN", '{"version": NaN}', "doc.json"),
    ("array", "[1, 2, 3]", "doc.not_object"),
    ("string", '"FWB"', "doc.not_object"),
    ("number", "42", "doc.not_object"),
    ("null", "null", "doc.not_object"),
    ("deep nesting", "[" * 100_000 + "]" * 100_000, "doc.depth"),
    ("deep nesting in a field", variant("cellules.0.extra", json.loads("[" * 50 + "]" * 50)), "ok-or-error"),
    # versions
    ("no version", variant("version", None, delete=True), "doc.version_missing"),
    ("version 2.0", variant("version", "2.0"), "doc.version_unsupported"),
    ("version 10.1", variant("version", "10.1"), "doc.version_unsupported"),
    ("version as number", variant("version", 1.0), "doc.version_unsupported"),
    ("version garbage", variant("version", "1.x"), "doc.schema"),
    # top-level fields
    ("bad instance id", variant("instanceId", "alice"), "doc.schema"),
    ("instance id too long", variant("instanceId", "C12345678"), "doc.schema"),
    ("missing exportedAt", variant("exportedAt", None, delete=True), "doc.schema"),
    ("exportedAt not a date", variant("exportedAt", "hier"), "doc.schema"),
    ("kind unknown", variant("kind", "everything"), "doc.schema"),
    ("cellules not a list", variant("cellules", {"c1": {}}), "doc.schema"),
    ("ateliers not a list", variant("ateliers", "none"), "doc.schema"),
    ("instance name empty", variant("instanceName", ""), "doc.schema"),
    ("instance name huge", variant("instanceName", "x" * 500), "doc.schema"),
    ("instance name with control chars", variant("instanceName", "Alice\u0000"), "doc.schema"),
    # cellule fields: types, missing, limits
    ("cellule missing id", variant("cellules.0.id", None, delete=True), "doc.schema"),
    ("cellule missing name", variant("cellules.0.name", None, delete=True), "doc.schema"),
    ("cellule missing node", variant("cellules.0.nodeId", None, delete=True), "doc.schema"),
    ("cellule name number", variant("cellules.0.name", 12), "doc.schema"),
    ("cellule name empty", variant("cellules.0.name", ""), "doc.schema"),
    ("cellule name blank", variant("cellules.0.name", "   "), "doc.schema"),
    ("cellule name huge", variant("cellules.0.name", "x" * 10_000), "doc.schema"),
    ("cellule description huge", variant("cellules.0.description", "x" * 2001), "doc.schema"),
    ("cellule contact huge", variant("cellules.0.contact", "x" * 201), "doc.schema"),
    ("cellule name with newline", variant("cellules.0.name", "a\nb"), "doc.schema"),
    ("cellule name with NUL", variant("cellules.0.name", "a\u0000b"), "doc.schema"),
    ("cellule name with bell", variant("cellules.0.name", "a\u0007b"), "doc.schema"),
    ("cellule description with escape char", variant("cellules.0.description", "a\u001bb"), "doc.schema"),
    ("cellule name with line separator", variant("cellules.0.name", "a\u2028b"), "doc.schema"),
    ("cellule deleted not boolean", variant("cellules.0.deleted", "yes"), "doc.schema"),
    ("cellule bad id characters", variant("cellules.0.id", "../../etc"), "doc.schema"),
    ("cellule id too long", variant("cellules.0.id", "c" * 100), "doc.schema"),
    ("cellule origin bad", variant("cellules.0.origin", "nobody"), "doc.schema"),
    ("cellule createdAt garbage", variant("cellules.0.createdAt", "2026-13-45T99:99:99Z"), "doc.schema"),
    ("cellule updatedAt far future", variant("cellules.0.updatedAt", "2999-01-01T00:00:00Z"), "clock.future"),
    ("cellule clock far future", variant("cellules.0.sync", {"clock": "2999-01-01T00:00:00.000Z-0000-Chostile"}),
     "clock.future"),
    ("cellule clock garbage", variant("cellules.0.sync", {"clock": "tomorrow"}), "doc.schema"),
    ("cellule impossible updatedAt beside a valid clock",
     variant("cellules.0.sync", {"clock": "2026-01-02T00:00:00.000Z-0000-Chostile"}).replace(
         '"updatedAt": "2026-01-02T00:00:00Z"', '"updatedAt": "2026-13-45T99:99:99Z"', 1), "doc.schema"),
    # tolerant, documented: clock entries for fields the format does not have are ignored
    ("cellule clock unknown field", variant("cellules.0.sync", {"clock": {"evil": "2026-01-01T00:00:00.000Z-0000-"
                                                                                  "Chostile"}}), "ok"),
    ("node not H3", variant("cellules.0.nodeId", "brussels"), "doc.schema"),
    ("node unknown in the grid", variant("cellules.0.nodeId", "8f2830828052d25"), "node.unknown"),
    ("duplicate cellule ids", json.dumps({**base_doc(), "cellules": base_doc()["cellules"] * 2}), "doc.duplicate"),
    # ateliers
    ("atelier pointing at an unknown cellule", variant("ateliers.0.celluleId", "nowhere"), "atelier.orphan"),
    ("atelier missing start", variant("ateliers.0.startsAt", None, delete=True), "doc.schema"),
    ("atelier start not a date", variant("ateliers.0.startsAt", "samedi"), "doc.schema"),
    ("atelier ends before it starts", variant("ateliers.0.endsAt", "2026-01-01T00:00:00Z"), "doc.schema"),
    ("atelier title huge", variant("ateliers.0.title", "x" * 121), "doc.schema"),
    ("atelier place huge", variant("ateliers.0.place", "x" * 201), "doc.schema"),
    ("duplicate atelier ids", json.dumps({**base_doc(), "ateliers": base_doc()["ateliers"] * 2}), "doc.duplicate"),
    # sources
    ("source without name", variant("federatedSources", [{"id": "Cabcdefg", "importedAt": "2026-01-01T00:00:00Z"}]),
     "doc.schema"),
    ("source count negative", variant("federatedSources", [{"id": "Cabcdefg", "name": "x", "importedAt":
                                                            "2026-01-01T00:00:00Z", "celluleCount": -1}]),
     "doc.schema"),
    # compact payloads, links, QR parts
    ("payload lower case", "FWB1:abcdef", "payload.base45"),
    ("payload truncated Base45", payload.encode(base_doc())[:-1], "payload.base45"),
    ("payload truncated zlib", "FWB1:" + payload.b45encode(zlib.compress(json.dumps(base_doc()).encode())[:-8]),
     "payload.zlib"),
    ("payload not zlib", "FWB1:" + payload.b45encode(b"hello world!"), "payload.zlib"),
    ("zip bomb", "FWB1:" + payload.b45encode(zlib.compress(b"[" + b" " * (21 * 1024 * 1024) + b"]", 9)),
     "payload.too_large"),
    ("link without data", "https://cellules.example/#import=", "payload.prefix"),
    ("QR part alone", payload.split(payload.encode(base_doc()), 50)[0], "payload.missing"),
    ("QR part malformed", "FWBP:x/y/z:abc", "payload.part"),
    ("QR parts of two sets", "\n".join([payload.split(payload.encode(base_doc()), 50)[0],
                                        payload.split(payload.encode({**base_doc(), "instanceName": "B"}), 50)[1]]),
     "payload.other_set"),
    # HTML/JS payloads are data, not code: they import as text (tolerant, documented)
    ("script in a cellule name", variant("cellules.0.name", SCRIPT[:120]), "ok"),
    ("script in a description", variant("cellules.0.description", SCRIPT), "ok"),
    ("script in an atelier place", variant("ateliers.0.place", SCRIPT[:200]), "ok"),
    ("script in the instance name", variant("instanceName", SCRIPT[:120]), "ok"),
]

INVALID_UTF8 = b'{"version": "1.0", "instanceName": "\xff\xfe"}'
