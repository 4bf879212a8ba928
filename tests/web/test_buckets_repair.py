"""The browser's own stored records holding characters the model refuses (stored under looser
rules): the load repairs them (app/web/buckets.py stored_state), the texts read are not reused for
the repaired records, and the next save that rewrites every bucket (store.load asks for it) stores
the repaired texts, so the following load has nothing left to repair."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from strategies import T0  # noqa: E402  (the core's test constants, not a test module)

from app.core import actions, document  # noqa: E402
from app.web import buckets  # noqa: E402

NODE = "871fa4c5bffffff"


def saved(state) -> tuple[dict, dict[str, dict[str, str]]]:
    buckets.TEXTS.clear()
    held = {store: {k: v for k, v in writes.items() if v is not None}
            for store, writes in buckets.bucket_writes(None, state).items()}
    return json.loads(buckets.meta_json(state, 1)), held


def read(held) -> tuple[dict[str, list[dict]], dict[str, list[str]]]:
    lines = {kind: [line for text in held.get(store, {}).values() for line in text.split("\n") if line]
             for kind, store in buckets.BUCKET_STORES.items()}
    return {kind: [json.loads(line) for line in texts] for kind, texts in lines.items()}, lines


def test_stored_records_with_c1_characters_load_repaired_and_the_next_full_save_keeps_the_repair():
    state = actions.new_state(name="Asso", random_bytes=bytes(range(16)))
    state, broken = actions.create_cellule(state, {"nodeId": NODE, "name": "Caf\u00e9"}, now_ms=T0,
                                           random_bytes=bytes(16))
    state, clean = actions.create_cellule(state, {"nodeId": NODE, "name": "V\u00e9lo"}, now_ms=T0 + 1,
                                          random_bytes=bytes(range(2, 18)))
    meta, held = saved(state)
    store = buckets.BUCKET_STORES["cellules"]
    key = buckets.bucket_of(broken.id)
    held[store][key] = held[store][key].replace("Caf\u00e9", "Caf\u00e2\x80\x99")  # as a looser version stored it
    meta["instanceName"] = "Asso\u2028"
    records, lines = read(held)

    loaded, repairs = buckets.stored_state(meta, records)
    assert loaded.cellules[broken.id].name == "Caf\u00e2\ufffd\ufffd" and loaded.instance_name == "Asso "
    assert [(r.kind, r.id, r.field) for r in repairs] == [("group", state.instance_id, "instanceName"),
                                                           ("cellule", broken.id, "name")]
    buckets.remember(loaded, records, lines, repairs)
    assert ("cellules", broken.id) not in buckets.TEXTS and ("cellules", clean.id) in buckets.TEXTS

    for name, writes in buckets.bucket_writes(loaded, loaded, everything=True).items():
        held[name] = {k: v for k, v in writes.items() if v is not None}
    records, lines = read(held)
    again, more = buckets.stored_state(json.loads(buckets.meta_json(loaded, 2)), records)
    assert more == ()
    assert document.dumps_state(again, now_ms=T0) == document.dumps_state(loaded, now_ms=T0)


def test_a_stored_state_with_nothing_to_repair_loads_as_state_of_loads_it():
    state = actions.new_state(name="Asso", random_bytes=bytes(range(16)))
    state, _cellule = actions.create_cellule(state, {"nodeId": NODE, "name": "Caf\u00e9"}, now_ms=T0,
                                             random_bytes=bytes(16))
    meta, held = saved(state)
    records, _lines = read(held)
    loaded, repairs = buckets.stored_state(meta, records)
    assert repairs == ()
    assert document.dumps_state(loaded, now_ms=T0) == document.dumps_state(buckets.state_of(meta, records),
                                                                           now_ms=T0) \
        == document.dumps_state(state, now_ms=T0)
