"""A corpus of hostile or broken inputs (issues 8, 12): each case is (name, text, expected error code).

Codes starting with "ok" are accepted: "ok" imports, "ok-refused:<code>" imports the file with record
c1 refused in the preview for <code> (one implausible record never blocks the whole file).

The same corpus runs through the core, the CLI and the browser's paste box. Every case must end in a
clear CellulesError (a French message naming what is wrong), and stored data must stay as it was.
"""

from __future__ import annotations

import copy
import json
import zlib
from pathlib import Path

from app.core import payload, transfer

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
    ("empty", "", "doc.empty"),
    ("spaces", "   \n ", "doc.empty"),
    ("prose from a chat", "Salut ! Voici nos cellules, à bientôt", "payload.prefix"),
    ("another program's file with a version", '{"name": "mon-projet", "version": "2.3.1", "dependencies": {}}',
     "doc.not_object"),
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
    ("deep nesting in a field", variant("cellules.0.extra", json.loads("[" * 50 + "]" * 50)), "doc.depth"),
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
    ("cellule updatedAt far future", variant("cellules.0.updatedAt", "2999-01-01T00:00:00Z"),
     "ok-refused:clock.future"),
    ("cellule clock far future", variant("cellules.0.sync", {"clock": "2999-01-01T00:00:00.000Z-0000-Chostile"}),
     "ok-refused:clock.future"),
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


# --- accepted => reopens; identity; clocks; junk history; numbers; nesting; NUL ---------------------------
GOOD_STAMP = "2026-01-02T00:00:00.000Z-0000-Chostile"
OLD_STAMP = "2026-01-01T00:00:00.000Z-0000-Chostile"
FAR_AHEAD = "2099-01-01T00:00:00.000Z-0000-Chostile"  # the tests import with now = 2026-01-28 (+ ~11 days)


def nested(levels: int) -> list:
    return json.loads("[" * levels + "]" * levels)


def raw_number(path: str, number: str) -> str:
    """A document whose value at `path` is written as `number` (json.dumps would not write it)."""
    return variant(path, "@number@").replace('"@number@"', number)


def history(*entries) -> dict:
    return {"clock": GOOD_STAMP, "history": list(entries)}


_BEFORE_ISSUE12 = len(CASES)
CASES += [
    # a state that would not reopen: sync metadata and top-level extras are checked too
    ("peerNames not an object", variant("peerNames", "junk"), "doc.value"),
    ("peerNames with an empty name", variant("peerNames", {"Cabcdefg": ""}), "doc.value"),
    ("peerNames keyed by a non-instance", variant("peerNames", {"alice": "Alice"}), "doc.value"),
    ("lastFullExportAt not a date", variant("sync", {"lastFullExportAt": "hier"}), "doc.schema"),
    ("lastFullExportAt a number", variant("sync", {"lastFullExportAt": 1769594400000}), "doc.schema"),
    ("top-level sync not an object", variant("sync", "clock"), "doc.value"),
    ("top-level clock not an instant", variant("sync", {"clock": "2026-01-02T00:00:60.000Z-0000-Chostile"}),
     "doc.schema"),
    ("record sync not an object", variant("cellules.0.sync", "clock"), "doc.schema"),
    ("history not a list", variant("cellules.0.sync", {"clock": GOOD_STAMP, "history": "all"}), "doc.schema"),
    ("history over 20 entries", variant("cellules.0.sync", history(*[{"field": "name", "value": "x",
                                                                       "clock": OLD_STAMP}] * 21)), "doc.schema"),
    ("via not a list", variant("cellules.0.sync", {"clock": GOOD_STAMP, "via": "Cabcdefg"}), "doc.schema"),
    ("source count beyond safe integers", raw_number("federatedSources", '[{"id": "Cabcdefg", "name": "A", '
                                                     '"importedAt": "2026-01-01T00:00:00Z", "celluleCount": '
                                                     '9007199254740993}]'), "doc.number"),
    ("source count as text", variant("federatedSources", [{"id": "Cabcdefg", "name": "A", "importedAt":
                                                           "2026-01-01T00:00:00Z", "celluleCount": "12"}]),
     "doc.schema"),
    ("lone surrogate in a name", variant("cellules.0.name", "@s@").replace("@s@", "\\ud800"), "doc.surrogate"),
    ("lone surrogate in an unknown field", variant("cellules.0.note", "@s@").replace("@s@", "x\\udfff"),
     "doc.surrogate"),
    # identity: an id that differs from a real one by a trailing newline is not an id
    ("instance id with a trailing newline", variant("instanceId", "Chostile\n"), "doc.schema"),
    ("origin with a trailing newline", variant("cellules.0.origin", "Chostile\n"), "doc.schema"),
    ("record id with a trailing newline", variant("cellules.0.id", "c1\n"), "doc.schema"),
    ("via with a trailing newline", variant("cellules.0.sync", {"clock": GOOD_STAMP, "via": ["Cabcdefg\n"]}),
     "doc.schema"),
    # clocks: only real instants in canonical form
    ("clock seconds 60", variant("cellules.0.sync", {"clock": "2026-01-02T00:00:60.000Z-0000-Chostile"}),
     "doc.schema"),
    ("clock seconds 99 (beats every later edit)",
     variant("cellules.0.sync", {"clock": "2026-01-02T00:00:99.000Z-0000-Chostile"}), "doc.schema"),
    ("clock on 30 February", variant("cellules.0.sync", {"clock": "2026-02-30T00:00:00.000Z-0000-Chostile"}),
     "doc.schema"),
    ("clock in month 13", variant("cellules.0.sync", {"clock": "2026-13-02T00:00:00.000Z-0000-Chostile"}),
     "doc.schema"),
    ("clock at hour 24", variant("cellules.0.sync", {"clock": "2026-01-02T24:00:00.000Z-0000-Chostile"}),
     "doc.schema"),
    ("clock with an upper-case counter", variant("cellules.0.sync", {"clock": "2026-01-02T00:00:00.000Z-00AF-"
                                                                               "Chostile"}), "doc.schema"),
    ("per-field clock not an instant", variant("cellules.0.sync", {"clock": {
        "*": GOOD_STAMP, "name": "2026-01-02T00:00:61.000Z-0000-Chostile"}}), "doc.schema"),
    ("createdAt seconds 60", variant("cellules.0.createdAt", "2026-01-01T00:00:60Z"), "doc.schema"),
    ("updatedAt offset beyond a day", variant("cellules.0.updatedAt", "2026-01-02T00:00:00+24:00"), "doc.schema"),
    ("atelier on 29 February 2026", variant("ateliers.0.startsAt", "2026-02-29T18:00:00Z"), "doc.schema"),
    # clocks far ahead (a peer's clock set years ahead): that record is refused, the rest imports
    ("clock far ahead", variant("cellules.0.sync", {"clock": FAR_AHEAD}), "ok-refused:clock.future"),
    ("one field's clock far ahead", variant("cellules.0.sync", {"clock": {"*": GOOD_STAMP, "description":
                                                                            FAR_AHEAD}}), "ok-refused:clock.future"),
    # junk history cannot flood real entries out: refused, its place named
    ("history from the future", variant("cellules.0.sync", history(*[{"field": "name", "value": f"x{i}", "clock":
                                                                       FAR_AHEAD} for i in range(20)])), "doc.value"),
    ("history of unknown fields", variant("cellules.0.sync", history(*[{"field": f"f{i}", "value": "x",
                                                                         "clock": OLD_STAMP} for i in range(20)])),
     "doc.value"),
    ("history values the field refuses", variant("cellules.0.sync", history(
        {"field": "name", "value": "x" * 500, "clock": OLD_STAMP}, {"field": "nodeId", "value": "ici",
                                                                     "clock": OLD_STAMP})), "doc.value"),
    # numbers beyond what every reader holds exactly
    ("5000 digits in an unknown field", raw_number("cellules.0.note", "1" * 5000), "doc.number"),
    ("1e999 in an unknown field", raw_number("cellules.0.note", "1e999"), "doc.number"),
    ("-1e400 at the top level", raw_number("note", "-1e400"), "doc.number"),
    ("integer beyond 2^53", raw_number("note", str(2**53 + 1)), "doc.number"),
    ("decimal with 400 digits", raw_number("note", "0." + "3" * 400), "doc.number"),
    # nesting: the same bound in every adapter
    ("17 levels in an unknown field", variant("cellules.0.note", nested(17)), "doc.depth"),
    ("deep top-level extra", variant("note", nested(40)), "doc.depth"),
    ("deep source extra", variant("federatedSources", [{"id": "Cabcdefg", "name": "A", "importedAt":
                                                        "2026-01-01T00:00:00Z", "note": nested(30)}]), "doc.depth"),
    ("16 levels in an unknown field", variant("cellules.0.note", nested(16)), "ok"),
    # NUL: no database stores it
    ("NUL in an unknown field", variant("cellules.0.note", "a\u0000b"), "doc.nul"),
    ("NUL in an unknown field's name", variant("cellules.0.no\u0000te", "x"), "doc.nul"),
    ("NUL in a top-level extra", variant("note", {"k": ["a\u0000"]}), "doc.nul"),
    ("NUL in a source extra", variant("federatedSources", [{"id": "Cabcdefg", "name": "A", "importedAt":
                                                            "2026-01-01T00:00:00Z", "note": "\u0000"}]), "doc.nul"),
    ("NUL in a description", variant("cellules.0.description", "a\u0000b"), "doc.schema"),
]
ISSUE12_CASES = CASES[_BEFORE_ISSUE12:]

# Cases that need a state holding records first, for the merge's rules (identity is immutable,
# own-instance files refused). "{SELF}" is replaced by the importing instance's id and
# "{HELD}" by the id of a cellule it created. (name, text, expected: an error code, or "refused:<code>"
# for a record refused in the preview while the rest imports.)
def held_copy(**changes) -> str:
    """A file holding a copy of the importer's cellule {HELD} (and no atelier)."""
    cellule = {**base_doc()["cellules"][0], "id": "{HELD}", **changes}
    return json.dumps({**base_doc(), "cellules": [cellule], "ateliers": []})


STATEFUL_CASES: list[tuple[str, str, str]] = [
    ("a backup carrying my own instanceId", variant("instanceId", "{SELF}"), "import.self"),
    ("a file whose records claim me as author", variant("cellules.0.origin", "{SELF}"), "ok"),
    ("a copy of my cellule with another origin", held_copy(), "refused:identity.origin"),
    ("a copy of my cellule with an older createdAt and my origin",
     held_copy(origin="{SELF}", createdAt="2000-01-01T00:00:00Z"), "refused:identity.created"),
]

INVALID_UTF8 = b'{"version": "1.0", "instanceName": "\xff\xfe"}'


# --- what an accepted case must have imported -------------------------------------------------------------------
def imported_as_documented(state, text: str, code: str) -> None:
    """`state` (after importing case `text` into an empty instance) holds exactly what the document carries:
    every cellule and atelier, by id, with its name / title, description, place and node as written (user text
    kept verbatim, a script included), their author untouched and the sender listed as a source with its counts;
    an "ok-refused:" case: the refused cellule c1 and its ateliers are absent, and nothing else is."""
    doc = json.loads(transfer.read_any(text))
    refused = {"c1"} if code.startswith("ok-refused:") else set()
    cellules = {c["id"]: c for c in doc["cellules"] if not c.get("deleted") and c["id"] not in refused}
    ateliers = {a["id"]: a for a in doc["ateliers"] if not a.get("deleted") and a["celluleId"] in cellules}
    assert sorted(state.cellules) == sorted(cellules), (sorted(state.cellules), sorted(cellules))
    assert sorted(state.ateliers) == sorted(ateliers), (sorted(state.ateliers), sorted(ateliers))
    for cid, raw in cellules.items():
        got = state.cellules[cid]
        assert (got.name, got.description, got.node_id, got.origin, got.created_at[:19]) == (
            raw["name"], raw.get("description", ""), raw["nodeId"], raw["origin"], raw["createdAt"][:19]), cid
    for aid, raw in ateliers.items():
        got = state.ateliers[aid]
        assert (got.title, got.cellule_id, got.place, got.origin) == (
            raw["title"], raw["celluleId"], raw.get("place", ""), raw["origin"]), aid
    if cellules:
        source = state.sources[doc["instanceId"]]
        assert source.name == doc["instanceName"]
        assert (source.cellule_count, source.atelier_count) == (len(cellules), len(ateliers))
