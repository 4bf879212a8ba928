"""app/web/buckets.py is plain Python (no browser object): what a save writes, read back as a load
does, is the state that was saved — from nothing, and after a change that rewrites only some buckets."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from hypothesis import given, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from strategies import T0, states  # noqa: E402  (the core's state generator, not a test module)

from app.core import actions, document  # noqa: E402
from app.web import buckets  # noqa: E402


def stored(old, new, held: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Apply bucket_writes(old -> new) to `held` (bucket store -> key -> text), as IndexedDB would."""
    for store, writes in buckets.bucket_writes(old, new).items():
        for key, text in writes.items():
            if text is None:
                held.setdefault(store, {}).pop(key, None)
            else:
                held.setdefault(store, {})[key] = text
    return held


def load(held, meta_text: str):
    records = {kind: [json.loads(line) for text in held.get(store, {}).values() for line in text.split("\n") if line]
               for kind, store in buckets.BUCKET_STORES.items()}
    return buckets.state_of(json.loads(meta_text), records)


@settings(max_examples=25, deadline=None)
@given(states().filter(lambda s: s.live_cellules()), states(name="Bob"))
def test_saved_buckets_read_back_as_the_saved_state(first, other):
    buckets.TEXTS.clear()
    held = stored(None, first, {})
    back = load(held, buckets.meta_json(first, 1))
    assert document.dumps_state(back, now_ms=0) == document.dumps_state(first, now_ms=0)
    # a save over the first: a tombstone (only its buckets rewritten), then a wholly other state
    second = actions.delete(first, "cellule", first.live_cellules()[0].id, now_ms=T0 + 10**9)
    assert len(buckets.bucket_writes(first, second)["cellule_buckets"]) == 1
    held = stored(first, second, held)
    back = load(held, buckets.meta_json(second, 2))
    assert document.dumps_state(back, now_ms=0) == document.dumps_state(second, now_ms=0)
    held = stored(second, other, held)
    back = load(held, buckets.meta_json(other, 3))
    assert document.dumps_state(back, now_ms=0) == document.dumps_state(other, now_ms=0)


def test_a_bucket_is_stable_and_in_range():
    assert buckets.bucket_of("c0123456789abcdef") == buckets.bucket_of("c0123456789abcdef")
    assert {len(buckets.bucket_of(f"c{i}")) for i in range(500)} == {2}
    assert len({buckets.bucket_of(f"c{i}") for i in range(2000)}) == buckets.BUCKETS
