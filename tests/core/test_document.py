"""Interchange format v1.0: round trips, version handling, schema errors naming the place."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import T0, states

from app.core import document
from app.core.errors import ClockError, DocumentError
from app.core.i18n import Words, words


def raised(err) -> tuple[str, dict]:
    """What an error says, exactly: its code and every value its message is made of."""
    return err.value.code, err.value.params


def nested(code: str, **params) -> Words:
    """An error of the model quoted as the detail of a document error."""
    return Words(key=code, params=tuple(params.items()), error=True)


def schema(where: str, detail: Words) -> tuple[str, dict]:
    return "doc.schema", {"where": where, "detail": detail}


def value(where: str, detail: Words) -> tuple[str, dict]:
    return "doc.value", {"where": where, "where_en": where, "detail": detail}


def number(text) -> tuple[str, dict]:
    return "doc.number", {"value": text, "where": "document", "where_en": "document",
                          "limit": 2**53 - 1, "chars": 32}


def not_json(line: int, col: int, detail: Words) -> tuple[str, dict]:
    return "doc.json", {"line": line, "col": col, "detail": detail}


A_LIST = words("d.type_expected", type=(words("d.type.array"),))
SMART_QUOTES = not_json(1, 2, words("d.json.smart_quotes", detail=words("d.json.property_name")))


@given(states())
def test_any_state_round_trips_through_its_full_export(state):
    text = document.dumps_state(state, now_ms=T0)
    back = document.loads_state(text)
    assert back == state
    assert document.dumps_state(back, now_ms=T0) == text


@given(states())
def test_cellules_only_export_holds_live_cellules_and_nothing_else(state):
    doc = document.to_document(state, kind="cellules", now_ms=T0)
    document.check_document(json.loads(json.dumps(doc)))
    assert doc["kind"] == "cellules" and doc["ateliers"] == []
    assert sorted(c["id"] for c in doc["cellules"]) == sorted(c.id for c in state.live_cellules())
    assert all("via" not in c.get("sync", {}) for c in doc["cellules"])


def seed_like_document(**changes):
    """A document as another implementation of the seed's format would write it (no sync metadata)."""
    doc = {
        "version": "1.0", "instanceId": "C1234abc", "exportedAt": "2026-01-28T10:00:00Z",
        "cellules": [{"id": "cel-1", "nodeId": "871fa4c5bffffff", "name": "Cellule Namur", "description": "",
                      "createdAt": "2026-01-20T10:00:00Z", "updatedAt": "2026-01-21T10:00:00Z",
                      "origin": "C1234abc", "deleted": False}],
        "ateliers": [], "federatedSources": [{"id": "Cxyz0000", "name": "Alice", "importedAt": "2026-01-01T00:00:00Z",
                                              "celluleCount": 5}],
    }
    doc.update(changes)
    return doc


def test_a_document_without_clocks_uses_updated_at_as_clock():
    incoming = document.read_document(document.check_document(seed_like_document()))
    cel = incoming.cellules["cel-1"]
    assert cel.clock["name"] == "2026-01-21T10:00:00.000Z-0000-C1234abc"
    assert incoming.sources[0].name == "Alice" and incoming.instance_name == "C1234abc"


def test_unknown_fields_of_a_1x_document_are_kept():
    doc = seed_like_document(version="1.3", futureTopLevel={"a": 1})
    doc["cellules"][0]["colour"] = "green"
    state = document.state_from_document(document.check_document(doc))
    out = document.to_document(state, now_ms=T0)
    assert out["futureTopLevel"] == {"a": 1} and out["cellules"][0]["colour"] == "green"


@pytest.mark.parametrize(("doc", "expected"), [
    ({"version": "2.0", "instanceId": "C1234abc"}, ("doc.version_unsupported", {"version": "2.0"})),
    ({"version": "2.3.1", "name": "mon-projet", "dependencies": {}}, ("doc.not_object", {})),
    ({"cellules": []}, ("doc.version_missing", {})),
    (seed_like_document(cellules=[{"id": "x"}]), schema("cellules[0]", words("d.required_field", name="nodeId"))),
    (seed_like_document(instanceId="alice"), schema("instanceId", words("d.bad_format", value="'alice'"))),
    (seed_like_document(cellules="none"), schema("cellules", A_LIST)),
])
def test_refusals_name_what_is_wrong(doc, expected):
    with pytest.raises(DocumentError) as err:
        document.read_document(document.parse_text(json.dumps(doc)))
    assert raised(err) == expected


def test_duplicate_ids_are_refused():
    doc = seed_like_document()
    doc["cellules"].append(dict(doc["cellules"][0]))
    with pytest.raises(DocumentError) as err:
        document.read_document(document.parse_text(json.dumps(doc)))
    assert raised(err) == ("doc.duplicate", {"id": "cel-1"})


def test_model_rules_apply_to_documents_with_the_place_named():
    doc = seed_like_document()
    doc["cellules"][0]["name"] = "a\u0007b"
    with pytest.raises(DocumentError) as err:
        document.read_document(document.parse_text(json.dumps(doc)))
    from app.core.errors import ValidationError
    from app.core.model import Cellule, check_field

    with pytest.raises(ValidationError) as rule:  # the model's own refusal of that name, quoted whole
        check_field(Cellule.rule("name"), "a\u0007b")
    assert rule.value.code == "field.control_chars"
    assert raised(err) == schema("cellules[0]", rule.value.words())


def test_smart_quotes_from_a_chat_app_get_a_helpful_message():
    with pytest.raises(DocumentError) as err:
        document.parse_text("{\u201cversion\u201d: \u201c1.0\u201d}")
    assert raised(err) == SMART_QUOTES


@pytest.mark.parametrize(("cut", "expected"), [
    (0.3, not_json(9, 4, words("d.json.unterminated"))),  # cut inside a quoted text
    (0.5, not_json(11, 15, words("d.json.cut"))),  # cut between tokens
    (0.9, not_json(22, 16, words("d.json.cut"))),
])
def test_a_cut_export_is_called_cut_even_with_french_apostrophes_inside(cut, expected):
    """Found by a new-user walk: half an export whose descriptions hold « l’église » was blamed on a
    chat app's typographic quotes; it is a cut file, and says so (whatever token the cut falls in)."""
    doc = seed_like_document()
    doc["cellules"][0]["description"] = "Rendez-vous devant l’église, « Repair Café » le samedi"
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    with pytest.raises(DocumentError) as err:
        document.parse_text(text[:int(len(text) * cut)].rstrip())
    assert raised(err) == expected


def test_only_quotes_where_json_has_its_own_are_blamed_on_a_chat_app():
    with pytest.raises(DocumentError) as err:
        document.parse_text('{\u201cversion\u201d: \u201c1.0\u201d}')
    assert raised(err) == SMART_QUOTES
    with pytest.raises(DocumentError) as err:
        document.parse_text('{"description": "l’église, « ici » et là", "x": 1 2}')
    assert raised(err) == not_json(1, 51, words("d.json.comma"))
    with pytest.raises(DocumentError) as err:
        document.parse_text('{«version» : «1.0»}')  # a French phone keyboard's guillemets
    assert raised(err) == SMART_QUOTES


def test_oversized_and_non_utf8_inputs_are_refused_before_parsing():
    with pytest.raises(DocumentError) as err:
        document.parse_text(b" " * (document.MAX_DOCUMENT_BYTES + 1))
    assert err.value.code == "doc.too_large"
    with pytest.raises(DocumentError) as err:
        document.parse_text(b"\xff\xfe{}")
    assert err.value.code == "doc.encoding"


def test_timestamps_far_in_the_future_are_refused_at_import():
    doc = seed_like_document()
    doc["cellules"][0]["updatedAt"] = "2099-01-01T00:00:00Z"
    with pytest.raises(ClockError) as err:
        document.read_document(document.parse_text(json.dumps(doc)), now_ms=T0)
    assert raised(err) == ("clock.future", {"value": "2099-01-01T00:00:00.000Z-0000-C1234abc"})


def test_the_example_in_docs_format_md_is_a_valid_document():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "format.md").read_text("utf-8")
    example = text.split("```json", 1)[1].split("```", 1)[0]
    incoming = document.read_document(document.parse_text(example))
    assert incoming.instance_name == "Asso Quartier Nord"
    assert incoming.cellules["cut3qiwcqfwd46ncd"].description == "Réparations\nle samedi"
    assert incoming.ateliers["aqw63n7ritddt6cpn"].clock["title"] == "2026-01-21T10:00:00.000Z-0000-C1234abc"


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**63) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20)


@given(_json_values)
def test_the_compact_encoder_writes_what_json_dumps_writes(value):
    assert document.compact_json(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# --- accepted => reopens, exports, re-imports equal (whole documents) -------------------------------

from hypothesis import HealthCheck, Phase, find, settings  # noqa: E402

from app.core import actions, merge  # noqa: E402
from app.core.clock import Timestamp, format_ms  # noqa: E402
from app.core.errors import CellulesError  # noqa: E402
from app.core.model import Atelier, Cellule  # noqa: E402

NOW = T0 + 10**8
NODES4 = ["871fa4c5bffffff", "871fa4c58ffffff", "881fa4c5b1fffff", "87194ad32ffffff"]
PEERS = ["Calice00", "Cbob0000", "Cchloe00"]

_scalars = (st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1)
            | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12).filter(lambda t: "\x00" not in t))
_json = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=6).filter(lambda t: "\x00" not in t), inner, max_size=3),
                     max_leaves=12)
_deep = st.integers(1, document.MAX_EXTRA_DEPTH).map(lambda n: json.loads("[" * n + "1" + "]" * n))
_extras = st.dictionaries(st.sampled_from(["colour", "x-future", "note", "tags"]), _json | _deep, max_size=2)
_text = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=8)
# Ways to spoil a document. Each refuses the whole document, except a record stamped far ahead,
# which is refused alone while the rest of the file imports.
REFUSED_SPOILS = ("field", "nul", "deep", "history-field", "history-future", "history-value", "stamp-not-instant",
                  "peer-names", "last-full", "number", "sync-type")
ACCEPTED_SPOILS = ("none", "stamp-far-ahead")


def _stamp(draw, *, before: int = 0) -> str:
    millis = T0 - before - draw(st.integers(0, 10**9))
    return str(Timestamp(millis=millis, counter=draw(st.integers(0, 3)), node=draw(st.sampled_from(PEERS))))


def _field_value(draw, rule):
    if rule.kind == "node":
        return draw(st.sampled_from(NODES4))
    if rule.kind == "time":
        return draw(st.sampled_from(["2026-03-01T18:00:00Z", "2026-03-01T19:00:00+01:00"]
                                    + ([None] if rule.optional else [])))
    if rule.kind == "ref":
        return "c0"
    value = draw(_text)
    return value if value.strip() or not rule.min_len else "Nom"


@st.composite
def _record(draw, cls, i):
    data = {"id": f"{cls.__name__[0].lower()}{i}", "createdAt": format_ms(T0 - 3 * 10**9),
            "updatedAt": format_ms(T0 - 2 * 10**9), "origin": draw(st.sampled_from(PEERS)),
            "deleted": draw(st.booleans())}
    for rule in cls.FIELDS:
        value = _field_value(draw, rule)
        if value is not None or not rule.optional:
            data[rule.key] = value
    if data.get("endsAt") and data["endsAt"] < data["startsAt"]:
        del data["endsAt"]
    if draw(st.booleans()):
        stamp = _stamp(draw)
        clock = stamp if draw(st.booleans()) else {"*": stamp, cls.FIELDS[1].key: _stamp(draw)}
        sync = {"clock": clock}
        if draw(st.booleans()):  # values that lost, older than every field's stamp
            keys = [r.key for r in cls.FIELDS]
            sync["history"] = [{"field": (k := draw(st.sampled_from(keys))), "value": _field_value(draw, cls.rule(k)),
                                "clock": _stamp(draw, before=2 * 10**9)} for _ in range(draw(st.integers(1, 3)))]
        if draw(st.booleans()):
            sync["via"] = draw(st.lists(st.sampled_from(PEERS), max_size=2))
        data["sync"] = sync
    data.update(draw(_extras))
    return data


def _spoil(draw, doc, junk) -> tuple[str, str | None, str | None] | None:
    """Spoil `doc` one way; the refusal it must meet: (code, place named, key of the reason)."""
    c = doc["cellules"][0]
    history_entry = {"field": "name", "value": "Ancien", "clock": str(Timestamp(millis=T0 - 3 * 10**9, counter=0,
                                                                                 node="Calice00"))}
    if junk == "field":
        c["name"] = draw(st.sampled_from(["a\x00", "x" * 121, 12, "a\nb"]))
        return {"a\x00": ("doc.schema", "cellules[0]", "field.control_chars"),
                "a\nb": ("doc.schema", "cellules[0]", "field.control_chars"),
                "x" * 121: ("doc.schema", "cellules[0].name", "d.too_many_chars"),
                12: ("doc.schema", "cellules[0].name", "d.type_expected")}[c["name"]]
    if junk == "nul":
        where = draw(st.sampled_from(["cellules[0]", ""] + [f"federatedSources[{i}]"
                                                             for i in range(len(doc["federatedSources"]))]))
        target = c if where == "cellules[0]" else doc if not where else doc["federatedSources"][int(where[-2])]
        target["note"] = "a\x00b"
        return "doc.nul", f"{where}.note" if where else "note", None
    if junk == "deep":
        c["tags"] = json.loads("[" * (document.MAX_EXTRA_DEPTH + 1) + "]" * (document.MAX_EXTRA_DEPTH + 1))
        return "doc.depth", None, None
    if junk.startswith("history"):
        change = {"history-field": {"field": draw(st.sampled_from(["deleted", "bogus", 3]))},
                  "history-future": {"clock": str(Timestamp(millis=T0, counter=9, node="Cbob0000"))},
                  "history-value": {"value": draw(st.sampled_from(["", None, "x" * 121]))}}[junk]
        c["sync"] = {"clock": format_ms(T0 - 10**9) + "-0000-Calice00", "history": [{**history_entry, **change}]}
        if change.get("field") == 3:
            return "doc.schema", "cellules[0].sync.history[0].field", "d.type_expected"
        reason = {"history-field": "d.field_among", "history-future": "d.history_after",
                  "history-value": "field.too_long" if change.get("value") else "field.required"}[junk]
        return "doc.value", "cellules[0].sync.history[0]", reason
    if junk == "stamp-not-instant":
        stamp = draw(st.sampled_from(["2026-01-28T10:00:60.000Z", "2026-02-30T10:00:00.000Z",
                                      "2026-01-28T10:00:00.000+01:00"]))
        c["sync"] = {"clock": stamp + "-0000-Calice00"}
        if stamp.endswith("+01:00"):  # not even the shape of a stamp
            return "doc.schema", "cellules[0].sync.clock", "d.bad_format"
        return "doc.schema", "cellules[0]", "clock.invalid"
    if junk == "stamp-far-ahead":
        c["sync"] = {"clock": format_ms(NOW + 25 * 3600 * 1000) + "-0000-Calice00"}
        return None
    if junk == "peer-names":
        doc["peerNames"] = draw(st.sampled_from([{"Calice00": ""}, "junk", {"x": "y"}, {"Calice00": "a\nb"}]))
        return "doc.value", "peerNames", "d.peer_names"
    if junk == "last-full":
        doc["sync"] = {"lastFullExportAt": draw(st.sampled_from(["hier", 12, "2026-01-28T10:00:61Z"]))}
        return "doc.schema", "sync.lastFullExportAt", "time.invalid"
    if junk == "number":
        draw(st.sampled_from([c, doc]))["big"] = draw(st.sampled_from([2**53, -(2**53) - 5, 10**30]))
        return "doc.number", "document", None
    if junk == "sync-type":
        c["sync"] = draw(st.sampled_from(["clock", [], {"history": "all"}, {"via": "Calice00"}]))
        inner = next(iter(c["sync"]), None) if isinstance(c["sync"], dict) else None
        return "doc.schema", "cellules[0].sync" + (f".{inner}" if inner else ""), "d.type_expected"
    assert junk == "none", junk
    return None


@st.composite
def spoilt_documents(draw, junks):
    """A whole document spoilt one of the ways `junks` names, and the refusal it must meet (or None)."""
    n = draw(st.integers(1, 3))
    doc = {"version": draw(st.sampled_from(["1.0", "1.7"])), "instanceId": "Cpeer000",
           "exportedAt": draw(st.sampled_from(["2026-01-28T10:00:00Z", "2026-01-28T11:00:00.5+01:00"])),
           "kind": "full", "cellules": [draw(_record(Cellule, i)) for i in range(n)],
           "ateliers": [draw(_record(Atelier, i)) for i in range(draw(st.integers(0, 2)))],
           "federatedSources": [{"id": p, "name": p[1:], "importedAt": "2026-01-20T00:00:00Z",
                                 "celluleCount": draw(st.integers(0, 3)), **draw(_extras)}
                                for p in draw(st.lists(st.sampled_from(PEERS), max_size=2, unique=True))]}
    if draw(st.booleans()):
        doc["instanceName"] = "Pair"
    if draw(st.booleans()):
        doc["sync"] = {"clock": _stamp(draw), "lastFullExportAt": "2026-01-01T00:00:00+01:00"}
    doc.update(draw(_extras))
    if draw(st.booleans()):
        doc["peerNames"] = {"Calice00": "Alice", "Cbob0000": "Bob"}
    return doc, _spoil(draw, doc, draw(st.sampled_from(junks)))


def whole_documents(junk: str):
    return spoilt_documents((junk,)).map(lambda pair: pair[0])


def _import(doc):
    """What an adapter does: import into a fresh instance, then check the state it would store."""
    fresh = actions.new_state(name="Moi", random_bytes=bytes(range(16)))
    new, _ = merge.import_text(fresh, json.dumps(doc, ensure_ascii=False), now_ms=NOW)
    return new, document.check_state_limits(new, now_ms=NOW + 1)


def _reason(error: CellulesError) -> tuple[str, str | None, str | None]:
    detail = error.params.get("detail")
    return error.code, error.params.get("where"), detail.key if detail is not None else None


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(spoilt_documents(REFUSED_SPOILS))
def test_a_spoilt_document_is_refused_whole_naming_the_place_and_the_reason(spoilt):
    doc, expected = spoilt
    with pytest.raises(CellulesError) as err:
        _import(doc)
    assert _reason(err.value) == expected, str(err.value)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(spoilt_documents(ACCEPTED_SPOILS))
def test_an_accepted_document_leaves_a_state_that_reopens_exports_and_reimports_equal(spoilt):
    doc, expected = spoilt
    assert expected is None
    state, text = _import(doc)
    back = document.loads_state(text)  # the CLI's STATE file / the browser's reopen, from its own export
    assert back == state
    assert document.dumps_state(back, now_ms=NOW + 1) == text
    again = document.loads_state(document.dumps(document.to_document(back, now_ms=NOW + 2)))
    assert again == state
    other = actions.new_state(name="Autre", random_bytes=bytes(range(1, 17)))
    reimported, _ = merge.import_text(other, text, now_ms=NOW + 3)  # a fresh instance imports the backup
    assert merge.visible(reimported) == merge.visible(state)
    for kind in ("cellules", "ateliers"):
        for rid, record in getattr(state, kind).items():
            assert dict(getattr(reimported, kind)[rid].extra) == dict(record.extra)
    json.loads(text)  # strict JSON: no NaN, no Infinity
    # the same document read as a backup / STATE file (top-level extras and sync metadata kept)
    restored = document.loads_state(json.dumps(doc, ensure_ascii=False))
    restored_text = document.check_state_limits(restored, now_ms=NOW + 1)
    assert document.loads_state(restored_text) == restored


def _rich(doc) -> bool:
    """Sync metadata with history, an unknown field on a record and one at the top level."""
    known = {*Cellule.keys(), "id", "createdAt", "updatedAt", "origin", "sync"}
    top = {"version", "instanceId", "instanceName", "exportedAt", "kind", "cellules", "ateliers",
           "federatedSources", "sync", "peerNames"}
    return any(c.get("sync", {}).get("history") and set(c) - known for c in doc["cellules"]) and bool(set(doc) - top)


def test_the_whole_document_strategy_yields_rich_documents():
    """The round-trip property is not vacuous: a clean document with history and unknown fields on
    its records and at its top level is among those it draws (and is accepted)."""
    quick = settings(max_examples=300, database=None, phases=[Phase.generate],
                     suppress_health_check=list(HealthCheck))
    rich = find(whole_documents(junk="none"), _rich, settings=quick)
    state, _ = _import(rich)
    assert any(c.history and c.extra for c in state.cellules.values())
    restored = document.loads_state(json.dumps(rich))  # as a backup / STATE file: top-level extras kept
    assert set(restored.extra) - {"peerNames"}


def test_a_record_stamped_far_ahead_is_refused_alone_and_the_rest_imports():
    doc = find(whole_documents(junk="stamp-far-ahead"), lambda d: len(d["cellules"]) > 1 and not d["ateliers"],
               settings=settings(database=None, phases=[Phase.generate]))
    fresh = actions.new_state(name="Moi", random_bytes=bytes(range(16)))
    state, report = merge.import_text(fresh, json.dumps(doc, ensure_ascii=False), now_ms=NOW)
    assert sorted(state.cellules) == sorted(c["id"] for c in doc["cellules"][1:])
    assert [(r.kind, r.id, r.code) for r in report.refusals] == [("cellule", "c0", "clock.future")]


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(whole_documents(junk="none"))
def test_clean_whole_documents_are_accepted(doc):
    _import(doc)


# --- values checked on the way in ------------------------------------------------------------------

def _nul(where: str) -> tuple[str, dict]:
    return "doc.nul", {"where": where, "where_en": where}


def _bad_date(text) -> Words:
    return nested("time.invalid", value=text, label=words("label.date"))


PEER_NAMES = value("peerNames", words("d.peer_names"))


@pytest.mark.parametrize(("change", "expected"), [
    ("1e999", number("1e999")),
    ("-1e400", number("-1e400")),
    ("1" + "0" * 40 + ".5", number(words("d.long_number", start="100000000000", end="0000.5", n=43))),
    (lambda d: d.update(x=2**53), number("9007199254740992")),
    (lambda d: d["cellules"][0].update(colour=[[[[[[[[[[[[[[[[[["deep"]]]]]]]]]]]]]]]]]]),
     ("doc.depth", {"limit": 16})),
    (lambda d: d.update(note="a\x00b"), _nul("note")),
    (lambda d: d["cellules"][0].update({"k\x00": 1}), _nul("cellules[0].k\\u0000")),
    (lambda d: d["federatedSources"][0].update(extra="\x00"), _nul("federatedSources[0].extra")),
    (lambda d: d.update(peerNames="junk"), PEER_NAMES),
    (lambda d: d.update(peerNames={"Cabcdefg": ""}), PEER_NAMES),
    (lambda d: d.update(sync={"lastFullExportAt": "hier"}), schema("sync.lastFullExportAt", _bad_date("hier"))),
    (lambda d: d.update(sync={"lastFullExportAt": 12}), schema("sync.lastFullExportAt", _bad_date(12))),
    (lambda d: d.update(sync={"clock": "2026-01-28T10:00:99.000Z-0000-C1234abc"}),
     schema("document", nested("clock.invalid", value="2026-01-28T10:00:99.000Z-0000-C1234abc"))),
    (lambda d: d.update(sync="clock"), value("sync", words("d.object_expected"))),
    (lambda d: d["cellules"][0].update(sync={"clock": "2026-01-21T10:00:60.000Z-0000-C1234abc"}),
     schema("cellules[0]", nested("clock.invalid", value="2026-01-21T10:00:60.000Z-0000-C1234abc"))),
    (lambda d: d["cellules"][0].update(sync={"history": "all"}), schema("cellules[0].sync.history", A_LIST)),
    (lambda d: d["cellules"][0].update(sync={"history": [{"field": "name", "clock": "x"}] * 21}),
     schema("cellules[0].sync.history", words("d.too_many_items", limit=20))),
    (lambda d: d["cellules"][0].update(sync={"via": "Cabcdefg"}), schema("cellules[0].sync.via", A_LIST)),
    (lambda d: d["federatedSources"][0].update(celluleCount=2**53), number("9007199254740992")),
    (lambda d: d["federatedSources"].append(dict(d["federatedSources"][0])), ("doc.duplicate", {"id": "Cxyz0000"})),
])
def test_every_value_read_from_a_document_is_checked(change, expected):
    doc = seed_like_document()
    if isinstance(change, str):  # a number as written (json.dumps would not write it)
        doc["x"] = "@number@"
    else:
        change(doc)
    text = json.dumps(doc, ensure_ascii=False).replace('"@number@"', str(change))
    with pytest.raises(CellulesError) as err:
        document.read_document(document.parse_text(text), now_ms=T0 + 10**9)
    assert raised(err) == expected, str(err.value)


@pytest.mark.parametrize(("text", "start", "end", "n"), [
    ("1" * 5000, "111111111111", "111111", 5000),
    ('{"a": ' + "9" * 4301 + "}", "999999999999", "999999", 4301),
    ('{"a": 0.' + "1" * 5000 + "}", "0.1111111111", "111111", 5002),
    ('{"a": 1' + "0" * 400 + ".0}", "100000000000", "0000.0", 403),
], ids=["integer", "integer-in-object", "decimal", "long-decimal"])
def test_numbers_with_thousands_of_digits_are_refused_in_french(text, start, end, n):
    """Named by their first and last digits and their length, never written out whole."""
    with pytest.raises(DocumentError) as err:
        document.parse_text(text)
    assert raised(err) == number(words("d.long_number", start=start, end=end, n=n))


def test_lone_surrogates_are_refused_whether_escaped_or_pasted():
    for text in ('{"version": "1.0", "x": "\\ud800"}', '{"version": "1.0", "x": "\ud800"}'):
        with pytest.raises(DocumentError) as err:
            document.parse_text(text)
        assert err.value.code == "doc.surrogate"
    document.parse_text(json.dumps(seed_like_document(note="🚲"), ensure_ascii=True))  # a pair is fine


def test_nesting_is_refused_the_same_at_every_depth_beyond_the_bound():
    codes = set()
    for depth in (document.MAX_EXTRA_DEPTH + 1, 200, 5000, 100_000):
        doc = json.dumps(seed_like_document()).replace('"ateliers"', '"x": ' + "[" * depth + "]" * depth
                                                       + ', "ateliers"')
        with pytest.raises(DocumentError) as err:
            document.read_document(document.parse_text(doc))
        codes.add((err.value.code, str(err.value)))
    assert codes == {("doc.depth", f"Document trop imbriqué (plus de {document.MAX_EXTRA_DEPTH} niveaux).")}
    at_bound = json.loads("[" * document.MAX_EXTRA_DEPTH + "1" + "]" * document.MAX_EXTRA_DEPTH)
    state = document.state_from_document(document.parse_text(json.dumps(seed_like_document(x=at_bound))))
    assert state.extra["x"] == at_bound


FIELD_AMONG = words("d.field_among", fields="contact, description, name, nodeId")


@pytest.mark.parametrize(("entry", "detail"), [
    ({"field": "bogus", "value": "x"}, FIELD_AMONG),
    ({"field": "deleted", "value": True}, FIELD_AMONG),
    ({"field": "name", "value": "Futur", "clock": "2026-06-01T00:00:00.000Z-0000-C1234abc"},
     words("d.history_after", key="name")),
    ({"field": "name", "value": "x" * 121}, nested("field.too_long", limit=120, length=121, label=words("label.name"))),
    ({"field": "name", "value": "Sec", "clock": "2026-01-20T10:00:60.000Z-0000-C1234abc"},
     nested("clock.invalid", value="2026-01-20T10:00:60.000Z-0000-C1234abc")),
    ({"field": "nodeId", "value": "brussels"},
     nested("field.format", detail=words("d.place_code"), label=words("label.place"))),
])
def test_history_entries_that_could_not_have_been_written_are_refused_with_their_place(entry, detail):
    good = {"field": "name", "value": "Ancien nom", "clock": "2026-01-20T10:00:00.000Z-0000-C1234abc"}
    doc = seed_like_document()
    doc["cellules"][0]["sync"] = {"clock": "2026-01-21T10:00:00.000Z-0000-C1234abc", "history": [good]}
    cel = document.read_document(document.parse_text(json.dumps(doc))).cellules["cel-1"]
    assert [(h.field, h.value) for h in cel.history] == [("name", "Ancien nom")]
    doc["cellules"][0]["sync"]["history"].append({**good, **entry})
    with pytest.raises(DocumentError) as err:
        document.read_document(document.parse_text(json.dumps(doc)))
    assert raised(err) == value("cellules[0].sync.history[1]", detail)


# --- limits hold for the stored state too -----------------------------------------------------------

def test_a_state_beyond_the_limits_is_refused_with_the_limit_named(monkeypatch):
    state = document.state_from_document(document.check_document(seed_like_document()))
    text = document.check_state_limits(state, now_ms=T0)
    assert document.loads_state(text) == state
    monkeypatch.setattr(document, "MAX_CELLULES", 0)
    with pytest.raises(DocumentError) as err:
        document.check_state_limits(state, now_ms=T0)
    assert raised(err) == ("state.limit", {"what": words("d.count_cellules"), "count": 1, "limit": 0})
    monkeypatch.setattr(document, "MAX_CELLULES", 50_000)
    monkeypatch.setattr(document, "MAX_DOCUMENT_BYTES", len(text.encode()) - 1)
    with pytest.raises(DocumentError) as err:
        document.check_state_limits(state, now_ms=T0)
    assert raised(err) == ("state.limit", {"what": words("d.backup_bytes"), "count": len(text.encode()),
                                           "limit": len(text.encode()) - 1})


@pytest.mark.parametrize(("text", "depth"), [
    ("[[[]]]", 3), ('{"a":"[[[[["}', 1), ('"]]]]"' + "[" * 30, 30), ('{"a":[{"b":"x\\"[[["}]}', 3),
    ("[1,[2,[3]],[[[[]]]]]", 5), ("", 0), ('{"a": "\\\\"}', 1),
])
def test_nesting_is_measured_outside_strings_before_parsing(text, depth):
    assert document.nesting_depth(text) == depth


def test_a_deep_text_never_reaches_the_parser():
    """In Pyodide json.loads overflows the JavaScript stack (a fatal error) on deep enough text."""
    import unittest.mock

    with unittest.mock.patch.object(document.json, "loads", side_effect=AssertionError("parsed")):
        for depth in (document.MAX_DOCUMENT_DEPTH + 1, 100_000):
            with pytest.raises(DocumentError) as err:
                document.parse_text('{"version": "1.0", "x": ' + "[" * depth + "]" * depth + "}")
            assert err.value.code == "doc.depth"


def test_the_nesting_bound_before_parsing_is_exact():
    """A text nested exactly MAX_DOCUMENT_DEPTH deep reaches the parser; one level more never does."""
    import unittest.mock

    def text(depth: int) -> str:
        return '{"version": "1.0", "x": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"

    bound = document.MAX_DOCUMENT_DEPTH
    assert (document.nesting_depth(text(bound)), document.nesting_depth(text(bound + 1))) == (bound, bound + 1)
    with unittest.mock.patch.object(document.json, "loads", side_effect=AssertionError("parsed")):
        with pytest.raises(AssertionError, match="parsed"):
            document.parse_text(text(bound))
        with pytest.raises(DocumentError) as err:
            document.parse_text(text(bound + 1))
    assert raised(err) == ("doc.depth", {"limit": document.MAX_EXTRA_DEPTH})


def _depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


_tricky = st.text(alphabet='[]{}"\\\\ aé\n', max_size=8)
_nested = st.recursive(st.none() | st.integers() | _tricky,
                       lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_tricky, inner, max_size=3),
                       max_leaves=30)


@given(_nested, st.booleans())
def test_nesting_depth_of_any_json_text_is_the_depth_of_its_value(value, ascii_only):
    """Law: measured on the text, strings with brackets, quotes and backslashes included."""
    assert document.nesting_depth(json.dumps(value, ensure_ascii=ascii_only)) == _depth(value)
