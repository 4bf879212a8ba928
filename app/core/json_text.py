"""Gate 1 of the v1.0 format: a text -> a JSON value (app.core.document reads every document
through it, then checks the schema: app.core.schema).

Size first (the cap is the caller's, document.MAX_DOCUMENT_BYTES), then the encoding, the nesting
counted on the text before parsing (in Pyodide a deep enough JSON text overflows the JavaScript stack
inside json.loads, a fatal error no `except` catches), then json.loads with hooks that refuse what no
adapter can hold exactly: integers beyond ±MAX_INT, decimals of more than MAX_NUMBER_CHARS or not
finite, NaN and Infinity; a lone surrogate (cannot be written as UTF-8) is refused. A JSON error
names its line, column and what is wrong in words (`d.json.*`), a chat app's curly quotes included.
"""

from __future__ import annotations

import json
import math
import re
from itertools import accumulate
from typing import Any

from app.core.errors import DocumentError
from app.core.i18n import Words, words

MAX_EXTRA_DEPTH = 16  # nesting levels of one unknown field's value
# Nesting of a whole document: a record (3 levels: document, list, record) holding an unknown field.
# Checked on the text BEFORE parsing: in Pyodide a deep enough JSON text overflows the JavaScript
# stack inside json.loads, a fatal error no `except` catches (CPython raises RecursionError).
MAX_DOCUMENT_DEPTH = MAX_EXTRA_DEPTH + 3
MAX_INT = 2**53 - 1  # I-JSON (RFC 7493): exact in JavaScript, within PostgreSQL's bigint
MAX_NUMBER_CHARS = 32  # characters of one decimal number as written


def parse_json_text(text: str | bytes, max_bytes: int) -> Any:
    """Size (at most `max_bytes` of UTF-8), encoding, nesting, JSON, numbers, lone surrogates -> a JSON value."""
    if isinstance(text, str):
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError as exc:  # a lone surrogate pasted from a JavaScript string
            raise DocumentError("doc.surrogate", value=f"{ord(text[exc.start]):04x}") from None
    else:
        size = len(text)
    if size > max_bytes:
        raise DocumentError("doc.too_large", size=size, limit=max_bytes)
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


def number_error(text: str) -> DocumentError:
    shown = text if len(text) <= 24 else words("d.long_number", start=text[:12], end=text[-6:], n=len(text))
    return DocumentError("doc.number", value=shown, where="document", where_en="document", limit=MAX_INT,
                         chars=MAX_NUMBER_CHARS)


def _parse_int(text: str) -> int:
    """json's hook for integers: never more digits than a safe integer has (no conversion-limit
    ValueError, no 4,300-digit parse), never outside ±MAX_INT."""
    if len(text) > 17 or abs(value := int(text)) > MAX_INT:
        raise number_error(text)
    return value


def _parse_float(text: str) -> float:
    """json's hook for decimals: finite ("1e999" would be inf, which JSON cannot write back)."""
    if len(text) > MAX_NUMBER_CHARS or not math.isfinite(value := float(text)):
        raise number_error(text)
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
