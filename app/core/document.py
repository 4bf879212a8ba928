"""The interchange format v1.0: text -> checked document -> model, and model -> document -> text.

Theory of operation
-------------------
Reading goes through three gates, each with a French error naming what is wrong:
  1. size and encoding (before parsing: a 20 MB cap), then `json.loads` (line and column on error);
  2. version: "1.x" is read, a missing or 2.x+ version is refused; the JSON Schema
     (app/schema/export-v1.json, the single source of truth) is checked by a compiled
     fastjsonschema validator — fast on 40,000 records — and only when that fails does jsonschema
     run to name the first failing place ("cellules[3].name");
  3. the model: each record is built as a frozen dataclass (rules in app.core.model), ids must be
     unique, timestamps must not be implausibly in the future. On import, a record whose JSON is
     exactly that of the record we already hold (but for the sender's `via`) reuses ours: a
     peer's monthly file repeats most records, and comparing dicts costs less than rebuilding.
Unknown fields of a 1.x document are kept (in `extra`) and written back on export.
Records without sync metadata (another implementation of the seed's format) get `updatedAt` as
their clock.

Accepted => reopens: every value read is checked on the way in, so that whatever is accepted can
be stored, exported, and read back by every adapter:
  * numbers: integers within ±(2**53 - 1) (what JavaScript and PostgreSQL's bigint hold exactly),
    decimals finite and at most MAX_NUMBER_CHARS characters — checked by the parser's own hooks, so
    "1e999" or 5,000 digits never become inf or hit Python's int-string conversion limit;
  * text anywhere (unknown fields included): no NUL (no database stores it), no lone surrogate
    (cannot be written as UTF-8);
  * unknown fields (`extra`, of records, sources and the document): JSON values nested at most
    MAX_EXTRA_DEPTH levels (the same bound in CPython and Pyodide: the parser's own recursion
    limit differs between them); `peerNames` (top level) must map instance ids to instance names;
  * sync metadata: clocks are canonical stamps; `lastFullExportAt` an RFC 3339 date; each history
    entry names a field of the record, holds a value that field accepts, and is not newer than that
    field's own stamp (a history entry is a value that lost: junk from the future is refused, with
    its place named; the model then bounds what it keeps per field);
  * the STATE an import yields must itself fit the document limits (`check_state_limits`): a
    document of minimal records grows when its records get clocks, and a state whose backup would
    be refused must never be written.

Loading the bundled schema file at import time is the only file access here (package data).
"""

from __future__ import annotations

import gc
import json
import math
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from importlib import resources
from itertools import accumulate
from json import encoder
from operator import attrgetter
from typing import Any

from app.core.clock import (
    INSTANCE_ID_RE,
    Timestamp,
    check_drift,
    format_ms,
    from_updated_at,
    normalize_time,
    parse_rfc3339,
)
from app.core.errors import CellulesError, DocumentError
from app.core.i18n import Words, t, words
from app.core.model import _CONTROL as _REFUSED_MULTI_LINE  # what check_field refuses, exactly
from app.core.model import _CONTROL_SINGLE_LINE as _REFUSED_ONE_LINE
from app.core.model import (
    DELETED,
    INSTANCE_NAME_RULE,
    LINE_BREAKS,
    SOURCE_URL_KEY,
    Atelier,
    Cellule,
    HistoryEntry,
    Record,
    Source,
    State,
    check_field,
    local_sync_from_json,
    local_sync_to_json,
)

FORMAT_VERSION = "1.0"
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_CELLULES = 50_000
MAX_ATELIERS = 200_000
MAX_SOURCES = 10_000
MAX_VIA = 1000  # peers that brought one record (schema maxItems)
MAX_HISTORY = 20  # history entries of one record in a document (schema maxItems)
MAX_EXTRA_DEPTH = 16  # nesting levels of one unknown field's value
# Nesting of a whole document: a record (3 levels: document, list, record) holding an unknown field.
# Checked on the text BEFORE parsing: in Pyodide a deep enough JSON text overflows the JavaScript
# stack inside json.loads, a fatal error no `except` catches (CPython raises RecursionError).
MAX_DOCUMENT_DEPTH = MAX_EXTRA_DEPTH + 3
MAX_INT = 2**53 - 1  # I-JSON (RFC 7493): exact in JavaScript, within PostgreSQL's bigint
MAX_NUMBER_CHARS = 32  # characters of one decimal number as written

SCHEMA: dict[str, Any] = json.loads(resources.files("app").joinpath("schema/export-v1.json").read_text("utf-8"))
RECORD_TABLES = ("cellules", "ateliers")


@contextmanager
def paused_gc() -> Iterator[None]:
    """Big imports and loads allocate hundreds of thousands of acyclic objects; CPython's cyclic
    collector would walk the whole heap again and again (about a third of the import time,
    bench/merge.py)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

_validators: dict[str, Any] = {}


def _schema_validators() -> dict[str, Any]:
    """SCHEMA compiled by fastjsonschema once per process, in three parts: "document" checks
    everything but the records (their arrays' type and length included), "cellules" and
    "ateliers" check one record. Together they are SCHEMA exactly: its record arrays say nothing
    of their items but the `$ref` each part checks (tests/core/test_merge_speed.py pins it). Apart,
    an import checks only the records it has to build (read_text)."""
    if not _validators:
        import fastjsonschema  # lazy: an import of 2 ms in CPython 3.11, 110 ms in Pyodide (3.14): not at boot

        properties = {**SCHEMA["properties"]}
        for key in RECORD_TABLES:
            properties[key] = {k: v for k, v in properties[key].items() if k != "items"}
        _validators["document"] = fastjsonschema.compile({**SCHEMA, "properties": properties})
        for key in RECORD_TABLES:
            _validators[key] = fastjsonschema.compile({"definitions": SCHEMA["definitions"],
                                                       **SCHEMA["properties"][key]["items"]})
    return _validators


def _fast_validator():
    """The whole SCHEMA: the document, then each of its records."""
    parts = _schema_validators()
    document_part = parts["document"]

    def validate(doc: Any) -> None:
        document_part(doc)
        for key in RECORD_TABLES:
            record_part = parts[key]
            for data in doc.get(key) or ():
                record_part(data)

    return validate


def _explain(doc: Any) -> DocumentError:
    """Name the first failing place with jsonschema (slow, only on failure)."""
    import jsonschema  # lazy: an import of 65 ms in CPython 3.11, 720 ms in Pyodide (3.14): only a refusal needs it

    error = jsonschema.exceptions.best_match(jsonschema.Draft4Validator(SCHEMA).iter_errors(doc))
    if error is None:  # the two validators disagree: report it rather than let bad data in
        return DocumentError("doc.schema", where="document", detail=words("d.schema_refused"))
    where = "document"
    for part in error.absolute_path:
        where += f"[{part}]" if isinstance(part, int) else f".{part}"
    return DocumentError("doc.schema", where=where.removeprefix("document.") if where != "document" else where,
                         detail=_schema_detail(error))


_TYPES = frozenset({"string", "object", "array", "integer", "number", "boolean", "null"})


def _schema_detail(error: Any) -> Words:
    v, limit = error.validator, error.validator_value
    if v == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return words("d.required_field", name=missing)
    if v == "type":
        kinds = limit if isinstance(limit, list) else [limit]
        return words("d.type_expected", type=tuple(words(f"d.type.{k}") for k in kinds if k in _TYPES)
                     or str(limit))
    if v == "pattern":
        return words("d.bad_format", value=repr(str(error.instance)[:60]))
    if v == "enum":
        return words("d.expected_among", values=str(limit))
    simple = {"maxLength": "d.too_many_chars", "maxItems": "d.too_many_items", "maxProperties": "d.too_many_fields",
              "minimum": "d.below", "maximum": "d.above"}
    if v in simple:
        return words(simple[v], limit=limit)
    return words("d.empty_text") if v == "minLength" else words("d.refused")


def parse_text(text: str | bytes) -> dict[str, Any]:
    """Gate 1 and 2: a JSON text -> a schema-valid v1.x document (a dict)."""
    return check_document(_parsed(text))


def read_text(text: str | bytes, *, held: State | None = None, now_ms: int | None = None,
              refuse_future: bool = True) -> Incoming:
    """read_document(parse_text(text), ...) in one pass over the records: a record that is
    exactly one `held` already holds (_held_copy) is neither checked against the schema nor
    built again — it was both when this instance took it, and a peer's file repeats most of
    what we hold. Every other record is checked against the schema before any is built, so a
    refusal names what parse_text would name."""
    return read_json(_parsed(text), held=held, now_ms=now_ms, refuse_future=refuse_future)


def parse_json(text: str | bytes) -> Any:
    """The first gates of read_text (size, encoding, nesting, JSON, numbers, lone surrogates): the
    JSON value of `text`, not yet checked as a document — for read_json."""
    return _parsed(text)


def read_json(doc: Any, *, held: State | None = None, now_ms: int | None = None,
              refuse_future: bool = True) -> Incoming:
    """The rest of read_text, on a JSON value parse_json gave (or documents of one peer put
    together, app.core.live): version, schema and model in one pass over the records, with the
    same refusals and messages as read_text. Once it returns, every record of `doc` is
    schema-valid (or exactly one `held` holds)."""
    _check_version(doc)
    try:
        _schema_validators()["document"](doc)
    except Exception:  # fastjsonschema.JsonSchemaException, or a type it did not expect
        raise _explain(doc) from None
    return _read(doc, now_ms=now_ms, held=held, refuse_future=refuse_future, check_records=True)


def _parsed(text: str | bytes) -> Any:
    """Gate 1 and JSON: size, encoding, nesting, numbers, lone surrogates -> a JSON value."""
    if isinstance(text, str):
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError as exc:  # a lone surrogate pasted from a JavaScript string
            raise DocumentError("doc.surrogate", value=f"{ord(text[exc.start]):04x}") from None
    else:
        size = len(text)
    if size > MAX_DOCUMENT_BYTES:
        raise DocumentError("doc.too_large", size=size, limit=MAX_DOCUMENT_BYTES)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise DocumentError("doc.encoding") from None
    text = text.lstrip("\ufeff")
    if nesting_depth(text) > MAX_DOCUMENT_DEPTH:
        raise DocumentError("doc.depth", limit=MAX_EXTRA_DEPTH)
    try:
        doc = json.loads(text, parse_constant=_no_constant, parse_int=_parse_int, parse_float=_parse_float)
    except json.JSONDecodeError as exc:
        raise DocumentError("doc.json", line=exc.lineno, col=exc.colno,
                            detail=_json_detail(exc.msg, text, exc.pos)) from None
    except (RecursionError, MemoryError):
        raise DocumentError("doc.depth", limit=MAX_EXTRA_DEPTH) from None
    if _ESCAPED_SURROGATE.search(text):  # rare: only then look for one that is not half of a pair
        _refuse_lone_surrogates(doc)
    return doc


_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'[]{}"')  # bytes deleted before counting
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def nesting_depth(text: str | bytes) -> int:
    """The deepest nesting of brackets outside JSON strings (exact for JSON; an upper bound for a
    broken text), with byte operations only (measured: about 0.2 s on a 20 MB document, json.loads
    0.5 s). Escapes go first (an escaped backslash, then an escaped quote), then everything but
    brackets and quotes; adjacent quotes enclose nothing, so dropping them leaves each bracket
    inside or outside a string as it was; what is left between the remaining quotes is skipped."""
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _NOT_STRUCTURE).replace(b'""', b"")
    outside = b"".join(raw.split(b'"')[0::2]) if b'"' in raw else raw
    return max(accumulate(map(_STEP.__getitem__, outside)), default=0)


_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_lone_surrogates(doc: Any) -> None:
    try:
        json.dumps(doc, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(doc, ensure_ascii=False)
        char = _LONE_SURROGATE.search(text)
        raise DocumentError("doc.surrogate", value=f"{ord(char.group()):04x}" if char else "d800") from None


def _number_error(text: str) -> DocumentError:
    shown = text if len(text) <= 24 else words("d.long_number", start=text[:12], end=text[-6:], n=len(text))
    return DocumentError("doc.number", value=shown, where="document", where_en="document", limit=MAX_INT,
                         chars=MAX_NUMBER_CHARS)


def _parse_int(text: str) -> int:
    """json's hook for integers: never more digits than a safe integer has (no conversion-limit
    ValueError, no 4,300-digit parse), never outside ±MAX_INT."""
    if len(text) > 17 or abs(value := int(text)) > MAX_INT:
        raise _number_error(text)
    return value


def _parse_float(text: str) -> float:
    """json's hook for decimals: finite ("1e999" would be inf, which JSON cannot write back)."""
    if len(text) > MAX_NUMBER_CHARS or not math.isfinite(value := float(text)):
        raise _number_error(text)
    return value


# json's own messages (English) -> words, first match wins (an unknown one is shown as it is).
_JSON_MESSAGES = (
    ("Expecting property name", "d.json.property_name"),
    ("Expecting value", "d.json.value"),
    ("Expecting ',' delimiter", "d.json.comma"),
    ("Expecting ':' delimiter", "d.json.colon"),
    ("Illegal trailing comma", "d.json.trailing_comma"),
    ("Unterminated string", "d.json.unterminated"),
    ("Invalid control character", "d.json.control"),
    ("Extra data", "d.json.extra"),
    ("Invalid \\", "d.json.escape"),
)


# A chat app's curly quotes where JSON has straight ones: around a field name, before its colon
# (“version”: / «version» :). Inside a text, ’ and « » are ordinary French: l’église, « Repair Café ».
_SMART_QUOTE_IN_STRUCTURE = re.compile(r"[“”„«]\s?\w{1,40}\s?[“”»]\s*:")


def _json_detail(msg: str, text: str, pos: int) -> Words | str:
    rest = text[pos:pos + 64].rstrip() if len(text) - pos <= 64 else None
    if rest is not None and not msg.startswith("Extra data") and re.fullmatch(r"[\w.+-]*", rest):
        detail: Words | str = words("d.json.cut")  # ends in the middle (`"deleted": fals`): cut short
    else:
        detail = next((words(key) for en, key in _JSON_MESSAGES if msg.startswith(en)), msg)
    if _SMART_QUOTE_IN_STRUCTURE.search(text, 0, 10000):
        detail = words("d.json.smart_quotes", detail=detail)
    return detail


def _no_constant(name: str):
    """NaN and Infinity are not JSON: another program could not read the document back."""
    raise DocumentError("doc.json", line="?", col="?", detail=words("d.json.constant", name=name))


# Keys every Cellules FWB export has had: without any of them, a "version" is another program's.
_OURS = frozenset({"instanceId", "exportedAt", "cellules", "ateliers", "federatedSources"})


def check_document(doc: Any) -> dict[str, Any]:
    _check_version(doc)
    try:
        _fast_validator()(doc)
    except Exception:  # fastjsonschema.JsonSchemaException, or a type it did not expect
        raise _explain(doc) from None
    return doc


def _check_version(doc: Any) -> None:
    if not isinstance(doc, dict):
        raise DocumentError("doc.not_object")
    version = doc.get("version")
    if version is None:
        raise DocumentError("doc.version_missing")
    if not isinstance(version, str) or not version.startswith("1."):
        if not doc.keys() & _OURS:  # another program's file that happens to have a version
            raise DocumentError("doc.not_object")
        raise DocumentError("doc.version_unsupported", version=version)


# --- model <-> JSON -------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Incoming:
    """A checked document, as model objects."""

    version: str
    instance_id: str
    instance_name: str
    exported_at: str
    kind: str
    cellules: Mapping[str, Cellule]
    ateliers: Mapping[str, Atelier]
    sources: tuple[Source, ...]
    clock: str = ""
    last_full_export_at: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    local_sync: Mapping[str, Any] = field(default_factory=dict)  # top-level sync's marks/device/devices (model)
    # (kind, id) of records whose clock the document does not give in full (another implementation
    # of the format: `updatedAt` stands in, see _read_clock): nothing says what their writer had seen
    unclocked: frozenset[tuple[str, str]] = frozenset()


_COMMON_KEYS = ("id", "createdAt", "updatedAt", "origin", "deleted", "sync")
_TOP_KEYS = ("version", "instanceId", "instanceName", "exportedAt", "kind", "cellules", "ateliers",
             "federatedSources", "sync")


def _read_clock(value: Any, data: Mapping[str, Any], keys: tuple[str, ...],
                writer: str | None = None) -> dict[str, str]:
    """A record's clock as written: one stamp for all fields, or {field: stamp, "*": the others};
    fields with no stamp get `updatedAt` as their clock (see from_updated_at), written by `writer`:
    the document's sender (what it holds, it wrote or took; it cannot sign a write as someone
    else's — a copy of our record edited elsewhere is not « written by us »), else `origin`."""
    if isinstance(value, str):
        return dict.fromkeys(keys, value)
    value = value or {}
    default = value.get("*")
    if default is None and not value.keys() >= set(keys):
        default = from_updated_at(data["updatedAt"], writer or data["origin"])
    return {key: value.get(key, default) for key in keys}


def _write_clock(stamps: list[str], clock: Mapping[str, str]) -> str | dict[str, str]:
    """The compact form of a clock: most records were written in one go and share one stamp."""
    if stamps.count(stamps[0]) == len(stamps):
        return stamps[0]
    common = max(set(stamps), key=lambda s: (stamps.count(s), s))
    return {"*": common, **{k: v for k, v in sorted(clock.items()) if v != common}}


_LABEL_UPDATED = words("label.updated")
_KNOWN_KEYS = {cls: frozenset(cls.keys()) | frozenset(_COMMON_KEYS) for cls in (Cellule, Atelier)}


def record_from_json(cls: type[Record], data: Mapping[str, Any], where: str, writer: str | None = None) -> Record:
    """One record of a document; `writer`: the document's sender (the node of stamps it lacks)."""
    try:
        sync = data.get("sync") or {}
        if not isinstance(sync, Mapping):
            raise DocumentError("doc.value", where=f"{where}.sync", where_en=f"{where}.sync",
                                detail=words("d.object_expected"))
        parse_rfc3339(data["updatedAt"], label=_LABEL_UPDATED)  # even when unused
        attrs = {rule.attr: data[rule.key] for rule in cls.FIELDS if rule.key in data}
        unknown = data.keys() - _KNOWN_KEYS[cls]
        extra = {k: check_extra(data[k], f"{where}.{k}") for k in sorted(unknown)} if unknown else {}
        history = sync.get("history") or ()
        if not isinstance(history, list | tuple) or len(history) > MAX_HISTORY:
            raise DocumentError("doc.value", where=f"{where}.sync.history", where_en=f"{where}.sync.history",
                                detail=words("d.list_at_most", n=MAX_HISTORY))
        via = sync.get("via") or ()
        if not isinstance(via, list | tuple) or len(via) > MAX_VIA:
            raise DocumentError("doc.value", where=f"{where}.sync.via", where_en=f"{where}.sync.via",
                                detail=words("d.via_at_most", n=MAX_VIA))
        attrs.update(
            id=data["id"], created_at=data["createdAt"], origin=data["origin"],
            deleted=bool(data.get("deleted", False)), clock=_read_clock(sync.get("clock"), data, cls.keys(), writer),
            history=(), via=tuple(via), extra=extra,
        )
        record = cls(**attrs)
        if history:
            # built again so that the model's own rules for history (bounds) apply
            record = dc_replace(record, history=_read_history(record, history, f"{where}.sync.history"))
        return record
    except CellulesError as exc:
        if exc.code in _OWN_CODES:
            raise
        raise DocumentError("doc.schema", where=where, detail=exc.words()) from None


# Errors that already name their place (not wrapped in "doc.schema").
_OWN_CODES = frozenset({"doc.value", "doc.depth", "doc.nul", "doc.number"})
_HISTORY_FIELDS = {cls: frozenset(k for k in cls.keys() if k != DELETED) for cls in (Cellule, Atelier)}


_CONFLICT = {"conflict": True}  # a history entry that lost a concurrent edit (model.HistoryEntry)


def _read_history(record: Record, entries: Any, where: str) -> tuple[HistoryEntry, ...]:
    """History entries as the model holds them, each checked: a field of the record, a value that
    field accepts (normalised like the field), a canonical stamp no newer than the field's own (a
    history entry is a value that lost). An entry that could not have been written is refused,
    naming its place: junk from the future must not push real entries out."""
    out = []
    fields = _HISTORY_FIELDS[type(record)]
    for i, entry in enumerate(entries):
        place = f"{where}[{i}]"
        if not isinstance(entry, Mapping) or entry.get("field") not in fields:
            raise DocumentError("doc.value", where=place, where_en=place,
                                detail=words("d.field_among", fields=", ".join(sorted(fields))))
        key = entry["field"]
        try:
            stamp = str(Timestamp.parse(entry.get("clock")))
            value = entry.get("value")
            if value is not None or not record.rule(key).optional:
                value = check_field(record.rule(key), value)
        except CellulesError as exc:
            raise DocumentError("doc.value", where=place, where_en=place, detail=exc.words()) from None
        if stamp > record.stamp(key):
            raise DocumentError("doc.value", where=place, where_en=place,
                                detail=words("d.history_after", key=key))
        out.append(HistoryEntry(field=key, value=value, clock=stamp, conflict=entry.get("conflict") is True))
    return tuple(out)


def merge_extra(local: Mapping[str, Any], local_stamp: str, remote: Mapping[str, Any],
                remote_stamp: str) -> dict[str, Any]:
    """Unknown fields of two copies of a record, merged the same whatever the import order: the
    union, the side with the later last stamp winning key by key; with equal last stamps, each key
    keeps the larger value by its compact JSON text, code-point order (what the SQL export's
    `v::text COLLATE "C"` gives for text, numbers, booleans and null)."""
    if remote_stamp > local_stamp:
        return {**local, **remote}
    if remote_stamp < local_stamp:
        return {**remote, **local}
    out = {**local}
    for key, value in remote.items():
        if key not in out or _extra_key(value) > _extra_key(out[key]):
            out[key] = value
    return out


def _extra_key(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def check_extra(value: Any, where: str) -> Any:
    """An unknown field's value: JSON types only, at most MAX_EXTRA_DEPTH levels, bounded numbers,
    no NUL in any text (keys included, the field's own name too). Iterative: a deep value cannot
    exhaust the stack."""
    if "\x00" in where:
        shown = where.replace("\x00", "\\u0000")
        raise DocumentError("doc.nul", where=shown, where_en=shown)
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()  # depth: containers holding `item`, itself included if one
        if depth > MAX_EXTRA_DEPTH and isinstance(item, Mapping | list | tuple):
            raise DocumentError("doc.depth", limit=MAX_EXTRA_DEPTH)
        if isinstance(item, str):
            if "\x00" in item:
                raise DocumentError("doc.nul", where=where, where_en=where)
        elif isinstance(item, bool) or item is None:
            pass
        elif isinstance(item, int):
            if abs(item) > MAX_INT:
                raise _number_error(str(item)[:40])
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise _number_error(repr(item))
        elif isinstance(item, Mapping):
            for k, v in item.items():
                if not isinstance(k, str) or "\x00" in k:
                    raise DocumentError("doc.nul", where=where, where_en=where)
                stack.append((v, depth + 1))
        elif isinstance(item, list | tuple):
            stack.extend((v, depth + 1) for v in item)
        else:
            raise DocumentError("doc.value", where=where, where_en=where, detail=words("d.not_storable"))
    return value


def record_to_json(record: Record, *, with_sync: bool = True, with_via: bool = True) -> dict[str, Any]:
    values = record.__dict__  # the fields, read straight (every record of every export comes here)
    out: dict[str, Any] = {"id": values["id"]}
    for attr, key, optional in record._JSON_FIELDS:
        value = values[attr]
        if optional and (value is None or value == ""):
            continue
        out[key] = value
    last = record.last_stamp
    # A stamp starts with its wall time in the canonical form: the last one's is `updatedAt`.
    out["createdAt"] = values["created_at"]
    out["updatedAt"] = last[:24] if last else values["created_at"]
    out["origin"] = values["origin"]
    out["deleted"] = values["deleted"]
    if record.extra:
        out.update(record.extra)
    if with_sync and last:
        stamps = list(record.clock.values())
        same = stamps.count(last) == len(stamps)
        sync: dict[str, Any] = {"clock": last if same else _write_clock(stamps, record.clock)}
        if record.history:
            sync["history"] = [{"field": h.field, "value": h.value, "clock": h.clock, **_CONFLICT} if h.conflict
                               else {"field": h.field, "value": h.value, "clock": h.clock} for h in record.history]
        if with_via and record.via:
            sync["via"] = list(record.via)
        out["sync"] = sync
    return out


def source_from_json(data: Mapping[str, Any], where: str = "federatedSources") -> Source:
    known = {"id", "name", "importedAt", "celluleCount", "atelierCount"}
    counts = {}
    for key in ("celluleCount", "atelierCount"):
        count = data.get(key, 0)
        if type(count) is not int or not 0 <= count <= MAX_INT:
            raise DocumentError("doc.value", where=f"{where}.{key}", where_en=f"{where}.{key}",
                                detail=words("d.positive_int"))
        counts[key] = count
    return Source(id=data["id"], name=data["name"], imported_at=data["importedAt"],
                  cellule_count=counts["celluleCount"], atelier_count=counts["atelierCount"],
                  extra={k: check_extra(v, f"{where}.{k}") for k, v in data.items() if k not in known})


def source_to_json(source: Source, *, with_url: bool = True) -> dict[str, Any]:
    """A source as JSON; `with_url=False` leaves its address out (it may hold a private link's token:
    a backup keeps it, a file made to share does not)."""
    extra = source.extra if with_url else {k: v for k, v in source.extra.items() if k != SOURCE_URL_KEY}
    return {"id": source.id, "name": source.name, "importedAt": source.imported_at,
            "celluleCount": source.cellule_count, "atelierCount": source.atelier_count, **extra}


def _held_copy(data: Any, known: Mapping[str, Record]) -> Record | None:
    """The record of `known` (ours) that `data` is exactly the JSON of, but for `sync.via` (the
    sender's provenance), or None: a peer's monthly file repeats most records unchanged, and
    comparing two dicts is cheaper than checking and building a record. Any JSON value may come
    here (read_text compares before the schema): only a record's exact JSON matches — its
    booleans as booleans (in Python 0 == False and 1 == True) — and records with unknown fields
    (`extra`, any JSON) always take the full path."""
    if type(data) is not dict:
        return None
    rid = data.get("id")
    held = known.get(rid) if type(rid) is str else None
    if held is None or held.extra or type(data.get("deleted")) is not bool:
        return None
    sync = data.get("sync")
    via = ()
    if type(sync) is dict and "via" in sync:
        given = sync["via"]
        if type(given) is not list or not all(type(v) is str for v in given):
            return None
        via = tuple(sorted(set(given)))
        data = {**data, "sync": {k: v for k, v in sync.items() if k != "via"}}
    if data != record_to_json(held, with_via=False):
        return None
    if held.history and any(type(h.get("conflict", False)) is not bool for h in data["sync"]["history"]):
        return None
    return held if held.via == via else held.evolve(via=via)


def read_document(doc: Mapping[str, Any], *, now_ms: int | None = None, held: State | None = None,
                  refuse_future: bool = True) -> Incoming:
    """Gate 3: a schema-valid document -> model objects (unique ids, plausible clocks).
    `held`: the state the document will be merged into; records it already holds unchanged are
    reused rather than rebuilt (only for documents that passed the schema).
    `refuse_future=False`: a record stamped too far ahead of `now_ms` is read like any other (the
    merge then refuses that record alone, see clock.stamp_too_far_ahead)."""
    return _read(doc, now_ms=now_ms, held=held, refuse_future=refuse_future, check_records=False)


def _read(doc: Mapping[str, Any], *, now_ms: int | None, held: State | None, refuse_future: bool,
          check_records: bool) -> Incoming:
    """read_document; `check_records`: the document passed the schema but for its records
    (read_text), which are checked here, all of them before any is built — but those `held`
    holds exactly (_held_copy)."""
    tables: dict[str, dict[str, Any]] = {}
    unclocked: set[tuple[str, str]] = set()
    writer = doc.get("instanceId") if isinstance(doc.get("instanceId"), str) and INSTANCE_ID_RE.match(
        doc.get("instanceId")) else None
    found: list[tuple[str, type[Record], list[Any], list[Record | None]]] = []
    for key, cls, limit in (("cellules", Cellule, MAX_CELLULES), ("ateliers", Atelier, MAX_ATELIERS)):
        items = doc.get(key) or []
        if len(items) > limit:
            raise DocumentError("doc.limit", what=key, what_en=key, count=len(items), limit=limit)
        known: Mapping[str, Record] = getattr(held, key) if held is not None else {}
        copies = [_held_copy(data, known) for data in items] if known else [None] * len(items)
        if check_records:
            check = _schema_validators()[key]
            try:
                for data, copy in zip(items, copies, strict=True):
                    if copy is None:
                        check(data)
            except Exception:  # fastjsonschema.JsonSchemaException, or a type it did not expect
                raise _explain(doc) from None
        found.append((key, cls, items, copies))
    for key, cls, items, copies in found:
        table: dict[str, Any] = {}
        kind = "cellule" if cls is Cellule else "atelier"
        every_key = set(cls.keys())
        for i, (data, record) in enumerate(zip(items, copies, strict=True)):
            if record is None:
                record = record_from_json(cls, data, f"{key}[{i}]", writer)
                sync = data.get("sync")
                stamps = sync.get("clock") if isinstance(sync, Mapping) else None
                if not stamps or (isinstance(stamps, Mapping) and "*" not in stamps
                                  and not stamps.keys() >= every_key):
                    unclocked.add((kind, record.id))
            if record.id in table:
                raise DocumentError("doc.duplicate", id=record.id)
            if now_ms is not None and refuse_future:
                check_drift(Timestamp.parse(record.last_stamp), now_ms)
            table[record.id] = record
        tables[key] = table
    try:
        raw_sources = doc.get("federatedSources") or ()
        if len(raw_sources) > MAX_SOURCES:
            raise DocumentError("doc.limit", what="sources", what_en="sources", count=len(raw_sources),
                                limit=MAX_SOURCES)
        sources = tuple(source_from_json(s, f"federatedSources[{i}]") for i, s in enumerate(raw_sources))
        if len({s.id for s in sources}) != len(sources):
            raise DocumentError("doc.duplicate", id=next(s.id for s in sources
                                                         if sum(t.id == s.id for t in sources) > 1))
        sync = doc.get("sync") or {}
        if not isinstance(sync, Mapping):
            raise DocumentError("doc.value", where="sync", where_en="sync", detail=words("d.object_expected"))
        clock = sync.get("clock") or ""
        if clock:
            clock = str(Timestamp.parse(clock))
        last_full = sync.get("lastFullExportAt")
        if last_full is not None:
            try:
                last_full = normalize_time(last_full)
            except CellulesError as exc:
                raise DocumentError("doc.schema", where="sync.lastFullExportAt", detail=exc.words()) from None
        instance_name = doc.get("instanceName") or doc["instanceId"]
        check_field(INSTANCE_NAME_RULE, instance_name)
        local_sync = {k: v for k, v in sync.items() if k not in ("clock", "lastFullExportAt")}
        local_sync_from_json(local_sync, doc["instanceId"])  # marks, device, devices: checked on the way in
        extra = {k: check_extra(v, k) for k, v in doc.items() if k not in _TOP_KEYS}
        if "peerNames" in extra:
            _check_peer_names(extra["peerNames"])
        return Incoming(
            version=doc["version"], instance_id=doc["instanceId"],
            instance_name=instance_name,
            exported_at=normalize_time(doc["exportedAt"]), kind=doc.get("kind", "full"),
            cellules=tables["cellules"], ateliers=tables["ateliers"], sources=sources, clock=clock,
            last_full_export_at=last_full, extra=extra,
            local_sync=local_sync, unclocked=frozenset(unclocked),
        )
    except CellulesError as exc:
        if exc.code in _OWN_CODES or exc.code in ("doc.limit", "doc.duplicate", "doc.schema"):
            raise
        raise DocumentError("doc.schema", where="document", detail=exc.words()) from None


def _check_peer_names(names: Any) -> None:
    """`peerNames` (top level, written by this app): instance id -> the name it goes by."""
    ok = isinstance(names, Mapping) and len(names) <= MAX_SOURCES
    if ok:
        for key, name in names.items():
            try:
                check_field(INSTANCE_NAME_RULE, name)
            except CellulesError:
                ok = False
            if not ok or not INSTANCE_ID_RE.match(key):
                ok = False
                break
    if not ok:
        raise DocumentError("doc.value", where="peerNames", where_en="peerNames",
                            detail=words("d.peer_names"))


_ID_OF = attrgetter("id")


def to_document(state: State, *, kind: str = "full", now_ms: int, records: bool = True) -> dict[str, Any]:
    """The v1.0 document of a state. `full`: everything, tombstones included (a backup).
    `cellules`: live cellules only, no ateliers, no local provenance, no source addresses (light to share).
    `records=False`: the cellules and ateliers lists are left empty (dumps_state writes them itself)."""
    full = kind == "full"
    cellules = sorted(state.cellules.values(), key=_ID_OF) if records else []
    ateliers = sorted(state.ateliers.values(), key=_ID_OF) if records else []
    doc: dict[str, Any] = {
        "version": FORMAT_VERSION,
        "instanceId": state.instance_id,
        "instanceName": state.instance_name,
        "exportedAt": format_ms(now_ms),
        "kind": kind,
        "cellules": [record_to_json(c, with_via=full) for c in cellules if full or c.live],
        "ateliers": [record_to_json(a) for a in ateliers] if full else [],
        "federatedSources": [source_to_json(s, with_url=full)
                             for s in sorted(state.sources.values(), key=lambda s: s.id)],
    }
    if full:
        sync: dict[str, Any] = {"clock": state.clock} if state.clock else {}
        if state.last_full_export_at:
            sync["lastFullExportAt"] = state.last_full_export_at
        sync.update(local_sync_to_json(state))
        if sync:
            doc["sync"] = sync
    doc.update(state.extra)
    return doc


def check_state_limits(state: State, *, now_ms: int) -> str:
    """The full export of `state` as text, or DocumentError("state.limit") naming the limit it
    would break: a state is only ever stored if its own backup can be read back (same counts and
    size as any document). Adapters call it before writing a state an import produced."""
    for what, count, limit in (("d.count_cellules", len(state.cellules), MAX_CELLULES),
                               ("d.count_ateliers", len(state.ateliers), MAX_ATELIERS),
                               ("d.count_sources", len(state.sources), MAX_SOURCES)):
        if count > limit:
            raise DocumentError("state.limit", what=words(what), count=count, limit=limit)
    for table in (state.cellules, state.ateliers):
        for record in table.values():
            if len(record.via) > MAX_VIA:
                raise DocumentError("state.limit", what=words("d.provenance", id=record.id), count=len(record.via),
                                    limit=MAX_VIA)
    text = dumps_state(state, now_ms=now_ms)
    size = len(text.encode("utf-8"))
    if size > MAX_DOCUMENT_BYTES:
        raise DocumentError("state.limit", what=words("d.backup_bytes"),
                            count=size, limit=MAX_DOCUMENT_BYTES)
    return text


def state_from_document(doc: Mapping[str, Any]) -> State:
    """A full export read back as the state it was taken from (the CLI's STATE file, backups)."""
    incoming = read_document(doc)
    return State(
        instance_id=incoming.instance_id, instance_name=incoming.instance_name, clock=incoming.clock,
        cellules=incoming.cellules, ateliers=incoming.ateliers,
        sources={s.id: s for s in incoming.sources}, last_full_export_at=incoming.last_full_export_at,
        extra=incoming.extra, **local_sync_from_json(incoming.local_sync, incoming.instance_id),
    )


def _compact_encoder():
    """Compact JSON text of a value, non-ASCII kept. JSONEncoder.encode builds a new C encoder on
    every call; one encoder built once is a third faster over 60,000 records (bench/merge.py)."""
    fallback = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
    if encoder.c_make_encoder is None or encoder.c_encode_basestring is None:  # a pure-Python json
        return fallback

    def refuse(value: Any) -> Any:
        raise TypeError(f"not JSON: {type(value).__name__}")

    # (markers, default, encoder, indent, key_sep, item_sep, sort_keys, skipkeys, allow_nan)
    make = encoder.c_make_encoder(None, refuse, encoder.c_encode_basestring, None, ":", ",", False, False, False)

    def compact(value: Any) -> str:
        if isinstance(value, str):
            return encoder.c_encode_basestring(value)
        return "".join(make(value, 0))

    return compact


compact_json = _compact_encoder()


def dumps(doc: Mapping[str, Any]) -> str:
    """Compact JSON with one record per line: small enough for 50,000 cellules under the size cap,
    still readable and diffable by a person."""
    return _dumps(doc, {})


def _dumps(doc: Mapping[str, Any], written: Mapping[str, list[str]]) -> str:
    """dumps; `written`: lists whose items are already JSON texts (dumps_state's records)."""
    compact = compact_json
    parts = []
    for key, value in doc.items():
        texts = written.get(key)
        if texts is None and key in ("cellules", "ateliers", "federatedSources") and isinstance(value, list) \
                and value:
            texts = [compact(v) for v in value]
        if texts:
            items = ",\n".join(texts)
            parts.append(f"{compact(key)}:[\n{items}\n]")
        else:
            parts.append(f"{compact(key)}:{compact(value)}")
    return "{" + ",\n".join(parts) + "}\n"


_ENCODE_TEXT = encoder.c_encode_basestring or encoder.py_encode_basestring  # a str -> its JSON text
_FIELD_HEADS: dict[type, tuple[tuple[str, str, bool], ...]] = {}


def record_text(record: Record) -> str:
    """compact_json(record_to_json(record)) — the same text, written straight for the records
    that have neither unknown fields nor history (most of them: no dict is built, every text
    goes through the JSON encoder's own string escaping)."""
    if record.extra or record.history:
        return compact_json(record_to_json(record))
    enc = _ENCODE_TEXT
    values = record.__dict__
    heads = _FIELD_HEADS.get(type(record))
    if heads is None:
        heads = _FIELD_HEADS[type(record)] = tuple((attr, f',"{key}":', optional)
                                                   for attr, key, optional in record._JSON_FIELDS)
    parts = ['{"id":', enc(values["id"])]
    for attr, head, optional in heads:
        value = values[attr]
        if optional and (value is None or value == ""):
            continue
        parts += (head, enc(value) if type(value) is str else compact_json(value))
    last = record.last_stamp
    created = values["created_at"]
    parts += (',"createdAt":', enc(created), ',"updatedAt":', enc(last[:24] if last else created),
              ',"origin":', enc(values["origin"]), ',"deleted":true' if values["deleted"] else ',"deleted":false')
    if last:
        clock = values["clock"]
        stamps = list(clock.values())
        parts += (',"sync":{"clock":', enc(last) if stamps.count(last) == len(stamps)
                  else compact_json(_write_clock(stamps, clock)))
        if values["via"]:
            parts += (',"via":', compact_json(list(values["via"])))
        parts.append("}")
    parts.append("}")
    return "".join(parts)


def loads_state(text: str | bytes) -> State:
    with paused_gc():
        return state_from_document(parse_text(text))


# --- one's own stored state, stored under looser text rules -------------------------------------
# A value the model refuses (a C1 control such as the mojibake `â\x80\x99`, NEL, U+2028/U+2029…)
# may sit in a state this device stored itself; that state must still open. Only for the device's
# own stored state (the browser's IndexedDB, the CLI's STATE file): a peer's file holding such a
# value is refused as before, naming the field.

@dataclass(frozen=True, kw_only=True)
class Repair:
    """One stored text that held characters the model refuses, and was repaired."""

    kind: str  # "cellule" | "atelier" | "group" (the instance's name) | "source" | "peer" (a peer's name)
    id: str  # the record's, the instance's, the source's or the peer's id
    field: str  # JSON key: "name", "title", "description", … ("instanceName" for the group)
    label: str  # what the user knows it by: the record's name or title, the group's name (repaired)
    history: bool = False  # a past value in the record's history, not its current one


def repaired_text(rule: Any, value: Any) -> Any:
    """`value` with every character `rule` refuses replaced: a line break (NEL, U+2028, U+2029, VT,
    FF, …) by a line feed in a multi-line field and by a space in a one-line one, any other refused
    character by U+FFFD. A required field that would be left blank gets U+FFFD for every one.
    Anything else (not text, nothing refused) is returned as it is."""
    if not isinstance(value, str) or rule.kind != "text":
        return value
    pattern = _REFUSED_MULTI_LINE if rule.multiline else _REFUSED_ONE_LINE
    if pattern.search(value) is None:
        return value
    brk = "\n" if rule.multiline else " "
    fixed = pattern.sub(lambda m: brk if LINE_BREAKS.match(m.group()) else "\ufffd", value)
    if rule.min_len and not fixed.strip():
        fixed = pattern.sub("\ufffd", value)
    return fixed


def repair_stored(doc: Mapping[str, Any]) -> tuple[dict[str, Any], tuple[Repair, ...]]:
    """A stored full document with every text the model refuses repaired (repaired_text), and what
    was repaired: the group's name, record fields and their history values, source and peer names.
    Everything else is kept as it is; `doc` itself is not changed (changed parts are copies)."""
    out = dict(doc)
    repairs: list[Repair] = []
    name = doc.get("instanceName")
    fixed = repaired_text(INSTANCE_NAME_RULE, name)
    if fixed != name:
        out["instanceName"] = fixed
        repairs.append(Repair(kind="group", id=str(doc.get("instanceId")), field="instanceName", label=fixed))
    for key, cls, kind in (("cellules", Cellule, "cellule"), ("ateliers", Atelier, "atelier")):
        items = doc.get(key)
        if isinstance(items, list):
            fixed_items = [_repaired_record(cls, kind, data, repairs) for data in items]
            if any(a is not b for a, b in zip(fixed_items, items, strict=True)):
                out[key] = fixed_items
    sources = doc.get("federatedSources")
    if isinstance(sources, list):
        fixed_sources = []
        for source in sources:
            name = source.get("name") if isinstance(source, Mapping) else None
            fixed = repaired_text(INSTANCE_NAME_RULE, name)
            if fixed != name:
                source = {**source, "name": fixed}
                repairs.append(Repair(kind="source", id=str(source.get("id")), field="name", label=fixed))
            fixed_sources.append(source)
        if any(a is not b for a, b in zip(fixed_sources, sources, strict=True)):
            out["federatedSources"] = fixed_sources
    names = doc.get("peerNames")
    if isinstance(names, Mapping):
        fixed_names = {peer: repaired_text(INSTANCE_NAME_RULE, name) for peer, name in names.items()}
        for peer, name in names.items():
            if fixed_names[peer] != name:
                repairs.append(Repair(kind="peer", id=str(peer), field="name", label=fixed_names[peer]))
        if fixed_names != names:
            out["peerNames"] = fixed_names
    return out, tuple(repairs)


def _repaired_record(cls: type[Record], kind: str, data: Any, repairs: list[Repair]) -> Any:
    if not isinstance(data, Mapping):
        return data
    changed: dict[str, Any] = {}
    for rule in cls.FIELDS:
        value = data.get(rule.key)
        fixed = repaired_text(rule, value)
        if fixed != value:
            changed[rule.key] = fixed
    label_key = "name" if cls is Cellule else "title"
    label = str(changed.get(label_key, data.get(label_key, data.get("id"))))
    rid = str(data.get("id"))
    repairs.extend(Repair(kind=kind, id=rid, field=key, label=label) for key in changed)
    sync = data.get("sync")
    history = sync.get("history") if isinstance(sync, Mapping) else None
    if isinstance(history, list):
        entries = []
        for entry in history:
            rule = cls._RULES.get(entry.get("field")) if isinstance(entry, Mapping) else None
            if rule is not None:
                value = entry.get("value")
                fixed = repaired_text(rule, value)
                if fixed != value:
                    entry = {**entry, "value": fixed}
                    repairs.append(Repair(kind=kind, id=rid, field=rule.key, label=label, history=True))
            entries.append(entry)
        if any(a is not b for a, b in zip(entries, history, strict=True)):
            changed["sync"] = {**sync, "history": entries}
    return {**data, **changed} if changed else data


def own_state_from_document(doc: Mapping[str, Any]) -> tuple[State, tuple[Repair, ...]]:
    """The device's OWN stored state (never a peer's file): state_from_document, and when that is
    refused, the same with the texts the model refuses repaired (repair_stored) — with what was
    repaired, for the adapter to say once. A state with nothing to repair is read exactly as
    state_from_document reads it (no cost: the repair runs only when that refuses); one that is
    refused for another reason gives that refusal."""
    try:
        return state_from_document(doc), ()
    except CellulesError:
        fixed, repairs = repair_stored(doc)
        if not repairs:
            raise
    return state_from_document(fixed), repairs


def loads_own_state(text: str | bytes) -> tuple[State, tuple[Repair, ...]]:
    """loads_state for the device's own stored state (the CLI's STATE file): see own_state_from_document
    (the text is read again, for the repair, only when loads_state refuses it)."""
    try:
        return loads_state(text), ()
    except CellulesError:
        doc = parse_text(text)
    return own_state_from_document(doc)


MAX_REPAIRS_NAMED = 3  # places a repair message names; the others are counted


def repair_message(repairs: tuple[Repair, ...], lang: str = "fr") -> str:
    """« 2 textes réparés : des caractères invisibles ont été retirés (« Café », nom ; …). »"""
    places = []
    for repair in repairs[:MAX_REPAIRS_NAMED]:
        rule = INSTANCE_NAME_RULE if repair.field == "instanceName" or repair.kind in ("source", "peer") else (
            Cellule if repair.kind == "cellule" else Atelier).rule(repair.field)
        places.append(t("repair.history_place" if repair.history else "repair.place", lang, label=repair.label,
                        field=words(rule.label_key)))
    if len(repairs) > MAX_REPAIRS_NAMED:
        places.append(t("repair.more", lang, n=len(repairs) - MAX_REPAIRS_NAMED))
    return t("repair.stored", lang, n=len(repairs), places=t("repair.separator", lang).join(places))


def dumps_state(state: State, *, now_ms: int) -> str:
    """dumps(to_document(state, kind="full", ...)), its records written straight (record_text)."""
    with paused_gc():
        written = {"cellules": [record_text(c) for c in sorted(state.cellules.values(), key=_ID_OF)],
                   "ateliers": [record_text(a) for a in sorted(state.ateliers.values(), key=_ID_OF)]}
        return _dumps(to_document(state, kind="full", now_ms=now_ms, records=False), written)

