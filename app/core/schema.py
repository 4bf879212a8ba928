"""Gate 2 of the v1.0 format: a JSON value -> a schema-valid v1.x document.

The version first: "1.x" is read, a missing or 2.x+ version is refused (a file of another program
that happens to have a "version" is not ours). Then the JSON Schema (app/schema/export-v1.json, the
single source of truth), compiled by fastjsonschema — fast on 40,000 records — in parts: the
document without its records, and one record (schema_validators), so that an import checks only
the records it has to build (document.read_text). Only when that fails does jsonschema run, to
name the first failing place ("cellules[3].name") and what is wrong there, in words.

Loading the bundled schema file at import time is the only file access here (package data).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from app.core.errors import DocumentError
from app.core.i18n import Words, words

SCHEMA: dict[str, Any] = json.loads(resources.files("app").joinpath("schema/export-v1.json").read_text("utf-8"))
RECORD_TABLES = ("cellules", "ateliers")

_validators: dict[str, Any] = {}


def schema_validators() -> dict[str, Any]:
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
    parts = schema_validators()
    document_part = parts["document"]

    def validate(doc: Any) -> None:
        document_part(doc)
        for key in RECORD_TABLES:
            record_part = parts[key]
            for data in doc.get(key) or ():
                record_part(data)

    return validate


def explain(doc: Any) -> DocumentError:
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


# Keys every Cellules FWB export has had: without any of them, a "version" is another program's.
_OURS = frozenset({"instanceId", "exportedAt", "cellules", "ateliers", "federatedSources"})


def check_document(doc: Any) -> dict[str, Any]:
    check_version(doc)
    try:
        _fast_validator()(doc)
    except Exception:  # fastjsonschema.JsonSchemaException, or a type it did not expect
        raise explain(doc) from None
    return doc


def check_version(doc: Any) -> None:
    if not isinstance(doc, dict):
        raise DocumentError("doc.not_object")
    version = doc.get("version")
    if version is None:
        raise DocumentError("doc.version_missing")
    if not isinstance(version, str) or not version.startswith("1."):
        if not doc.keys() & _OURS:  # another program's file that happens to have a version
            raise DocumentError("doc.not_object")
        raise DocumentError("doc.version_unsupported", version=version)
