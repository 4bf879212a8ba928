"""Size and count limits: the largest documents import, larger ones are refused clearly."""

from __future__ import annotations

import json

import pytest
from limits_data import NODE, minimal_document

from app.core import actions, document, merge
from app.core.errors import DocumentError
from app.core.i18n import words

NOW = 1_769_594_400_000 + 10**9


def backup_size(cellules: int, ateliers: int) -> int:
    state = actions.new_state(name="Moi", random_bytes=bytes(range(100, 116)))
    new, _ = merge.import_text(state, minimal_document(cellules, ateliers, start=10_000), now_ms=NOW)
    return len(document.dumps_state(new, now_ms=NOW).encode())


def seed_minimal_fitting(limit: int) -> tuple[str, int]:
    """The seed-format document with 50,000 cellules and the most ateliers whose STATE still fits
    under `limit` once imported: records gain clocks when imported, so the state's backup is about
    1.5 times the document. Sizes per record measured on a small import, then solved."""
    base = backup_size(100, 0)
    per_cellule = (backup_size(200, 0) - base) / 100
    per_atelier = (backup_size(100, 100) - base) / 100
    fixed = base - 100 * per_cellule
    ateliers = int((limit - 2000 - fixed - 50_000 * per_cellule) / per_atelier)
    return minimal_document(50_000, ateliers), ateliers


@pytest.mark.slow
def test_the_largest_seed_document_whose_state_fits_imports_reopens_and_reimports():
    text, ateliers = seed_minimal_fitting(document.MAX_DOCUMENT_BYTES)
    state = actions.new_state(name="Moi", random_bytes=bytes(range(100, 116)))
    new, report = merge.import_text(state, text, now_ms=NOW)
    backup = document.check_state_limits(new, now_ms=NOW + 1)  # what the adapters check before storing
    size = len(backup.encode())
    print(f"document {len(text.encode())} B -> state backup {size} B ({size / len(text.encode()):.2f}x), "
          f"{50_000 + ateliers} records")
    assert 0.98 * document.MAX_DOCUMENT_BYTES < size <= document.MAX_DOCUMENT_BYTES
    assert len(report.added) == 50_000 + ateliers
    assert document.loads_state(backup) == new  # reopens (the CLI reads exactly this text)


def test_a_document_within_the_limits_whose_state_would_not_be_is_refused_with_the_limit_named(monkeypatch):
    """Issue 12: a 20 MB document of minimal records grew into a 31 MB state no adapter could read
    back. Same shape, scaled down (a 200 kB limit) to stay fast."""
    limit = 200_000
    monkeypatch.setattr(document, "MAX_DOCUMENT_BYTES", limit)
    per_record = len(minimal_document(2, 0)) - len(minimal_document(1, 0))
    text = minimal_document(limit // per_record, 0)
    while len(text.encode()) > limit:
        text = minimal_document(text.count('"nodeId"') - 5, 0)
    assert len(text.encode()) > limit * 0.95
    state = actions.new_state(name="Moi", random_bytes=bytes(range(100, 116)))
    new, _ = merge.import_text(state, text, now_ms=NOW)  # the document itself is within every limit
    with pytest.raises(DocumentError) as err:
        document.check_state_limits(new, now_ms=NOW)
    size = len(document.dumps_state(new, now_ms=NOW).encode())
    assert size > limit
    assert (err.value.code, err.value.params) == ("state.limit", {"what": words("d.backup_bytes"), "count": size,
                                                                  "limit": limit})


# --- the largest accepted documents of every shape (a reduced size cap keeps them fast) --------------

CAP = 120_000
STAMP = "2026-01-01T00:00:00.000Z-0000-Cabcdefg"
HIST = [{"field": "name", "value": "n" * 120, "clock": f"2025-12-{d:02d}T00:00:00.000Z-0000-Cabcdefg"}
        for d in range(1, 21)]
DEEP = json.loads("[" * (document.MAX_EXTRA_DEPTH - 1) + '"x"' + "]" * (document.MAX_EXTRA_DEPTH - 1))


def _cellule(i: int, **more) -> dict:
    return {"id": f"c{i}", "nodeId": NODE, "name": "N" * 120, "createdAt": "2026-01-01T00:00:00.000Z",
            "updatedAt": "2026-01-01T00:00:00.000Z", "origin": "Cabcdefg", "deleted": False, **more}


SHAPES = {
    "seed minimal cellules": lambda i: {"id": f"c{i}", "nodeId": NODE, "name": "C", "createdAt": "2026-01-01T00:00:00Z",
                                        "updatedAt": "2026-01-01T00:00:00Z", "origin": "Cabcdefg"},
    "own export with sync": lambda i: _cellule(i, sync={"clock": STAMP, "via": ["Cvia0000"]}),
    "full history": lambda i: _cellule(i, sync={"clock": STAMP, "history": HIST}),
    "unknown fields": lambda i: _cellule(i, colour="g" * 200, deep=DEEP, n=2**53 - 1, f=-1.5e300),
}


def shape_document(shape: str, n: int) -> str:
    doc = {"version": "1.0", "instanceId": "Cabcdefg", "exportedAt": "2026-01-02T00:00:00Z",
           "cellules": [SHAPES[shape](i) for i in range(n)], "peerNames": {"Cvia0000": "Via"}, "top": DEEP}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def adapter_import(text: str):
    state = actions.new_state(name="Moi", random_bytes=bytes(range(100, 116)))
    new, _ = merge.import_text(state, text, now_ms=NOW)
    return new, document.check_state_limits(new, now_ms=NOW + 1)


def refusal(text: str) -> str | None:
    """None if the adapter stores `text`'s import, else the code of the refusal, which must be the
    one its size calls for: the document over the cap is refused before parsing (doc.too_large);
    a document within it whose stored state would not be (its backup is larger) is refused whole
    (state.limit)."""
    try:
        adapter_import(text)
    except DocumentError as exc:
        assert exc.code == ("doc.too_large" if len(text.encode()) > CAP else "state.limit"), str(exc)
        return exc.code
    return None


# Which limit the record one beyond the largest accepted document breaks: a document of seed
# records grows when stored (the sync metadata of each record), one full of history shrinks.
@pytest.mark.parametrize(("shape", "one_more"), [
    ("seed minimal cellules", "state.limit"),
    ("own export with sync", "state.limit"),
    ("full history", "doc.too_large"),
    ("unknown fields", "state.limit"),
])
def test_the_largest_accepted_document_of_each_shape_reopens_and_one_more_record_is_refused(shape, one_more,
                                                                                              monkeypatch):
    monkeypatch.setattr(document, "MAX_DOCUMENT_BYTES", CAP)
    lo, hi = 1, CAP // 150  # accepted(lo), not accepted(hi)
    assert refusal(shape_document(shape, lo)) is None
    assert refusal(shape_document(shape, hi)) is not None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if refusal(shape_document(shape, mid)) is None else (lo, mid)
    assert refusal(shape_document(shape, lo + 1)) == one_more
    state, backup = adapter_import(shape_document(shape, lo))
    assert len(state.cellules) == lo
    assert document.loads_state(backup) == state  # reopens from its own backup
    fresh = actions.new_state(name="Autre", random_bytes=bytes(range(1, 17)))
    again, _ = merge.import_text(fresh, backup, now_ms=NOW + 2)  # and a fresh instance imports it
    assert merge.visible(again) == merge.visible(state)
    assert max(len(shape_document(shape, lo).encode()), len(backup.encode())) > CAP * 0.9  # near the cap


def test_over_20_mb_is_refused_before_parsing():
    with pytest.raises(DocumentError) as err:
        document.parse_text(b"{" + b" " * document.MAX_DOCUMENT_BYTES + b"}")
    assert (err.value.code, err.value.params) == ("doc.too_large", {"size": document.MAX_DOCUMENT_BYTES + 2,
                                                                    "limit": 20971520})


def test_more_than_50000_cellules_is_refused_with_the_limit_named():
    with pytest.raises(DocumentError) as err:
        document.read_document(document.parse_text(minimal_document(50_001, 0)))
    assert (err.value.code, err.value.params) == ("doc.schema", {"where": "cellules",
                                                                 "detail": words("d.too_many_items", limit=50_000)})
    assert "plus de 50\u202f000 éléments" in str(err.value)  # the count as the browser writes it
    assert "more than 50,000 items" in err.value.message("en")


def test_200000_ateliers_cannot_fit_in_20_mb_so_the_size_cap_is_the_binding_limit():
    # Each atelier needs its 7 required fields: about 150 bytes at the very least.
    per_atelier = len(minimal_document(1, 2)) - len(minimal_document(1, 1))
    assert per_atelier * 200_000 > document.MAX_DOCUMENT_BYTES
