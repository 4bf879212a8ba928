"""The SQL generator for Supabase, pure parts (loading into a real PostgreSQL: tests/supabase)."""

from __future__ import annotations

from dataclasses import replace as dc_replace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import NODES, T0, rand

from app.core import actions, sql
from app.core.errors import CellulesError
from app.core.merge import merge_record, tie_key


def test_literals_cannot_be_escaped_from_whatever_standard_conforming_strings_is():
    assert sql.literal("'); DROP TABLE x; --") == "E'''); DROP TABLE x; --'"
    assert sql.literal(r"a\'b") == r"E'a\\''b'"  # E'' strings: every backslash doubled, setting on or off
    assert sql.literal({"k": "it's \\n"}) == r"""E'{"k":"it''s \\\\n"}'::jsonb"""
    assert (sql.literal(None), sql.literal(True), sql.literal(False), sql.literal(7)) == ("NULL", "true", "false", "7")
    for bad in ("nul\x00", {"k": "nul\x00"}, "\ud800", 2**63):
        with pytest.raises(ValueError):
            sql.literal(bad)
    assert sql.literal(-(2**63)) == str(-(2**63))
    with pytest.raises(TypeError):
        sql.literal(1.5)


def test_one_transaction_rows_for_every_record_deterministic_and_batched():
    state = actions.new_state(name="Asso 'Nord'", random_bytes=rand("s"))
    for i in range(sql.BATCH_ROWS + 3):
        state, c = actions.create_cellule(state, {"nodeId": NODES[i % 4], "name": f"C{i}"}, now_ms=T0 + i,
                                          random_bytes=rand(i))
    state = actions.delete(state, "cellule", c.id, now_ms=T0 + 10**6)
    text = sql.to_sql(state, now_ms=T0 + 2 * 10**6)
    assert text == sql.to_sql(state, now_ms=T0 + 2 * 10**6)
    assert text.count("BEGIN;") == 1 and text.rstrip().endswith("COMMIT;")
    assert text.count("INSERT INTO public.cellules") == 2  # 503 rows in batches of 500
    assert text.count("INSERT INTO public.cellule_holders") == 2
    assert "now()" not in text.lower() and "serial" not in text.lower()
    assert "E'Asso ''Nord'''" in text
    assert "standard_conforming_strings" not in text
    row = next(line for line in text.splitlines() if line.startswith(f"(E'{c.id}', E'C{sql.BATCH_ROWS + 2}'"))
    assert ", true, " in row  # the tombstone travels too


def test_column_tables_follow_the_model():
    cellules, ateliers = sql.RECORD_TABLES
    assert [c for c in sql.record_columns(cellules) if not c.endswith("_clock")] == \
        ["id", "name", "description", "contact", "node_id", "deleted", "created_at", "origin", "extra"]
    assert "ends_at" in ateliers.nullable and "ends_at_clock" in sql.record_columns(ateliers)


def test_tie_key_orders_like_postgresql_row_comparison():
    assert tie_key(None) < tie_key("")  # NULL first (the generated SQL compares `x IS NOT NULL` first)
    assert tie_key("Z") < tie_key("a") < tie_key("é") < tie_key("🚲")  # code points = COLLATE "C" bytes
    assert tie_key(False) < tie_key(True)


# --- what PostgreSQL refuses is refused at export, named; extra merge order-independent ------------

def _state_with(**extra_of_record):
    state = actions.new_state(name="Asso", random_bytes=rand("x"))
    state, c = actions.create_cellule(state, {"nodeId": NODES[0], "name": "C"}, now_ms=T0, random_bytes=rand(1))
    c = c.evolve(extra=extra_of_record)
    return dc_replace(state, cellules={c.id: c}), c


def _where(key: str, c, detail: str = "d.sql_unknown_field"):
    from app.core.i18n import words

    return {"where": words(detail, kind=words("label.kind.cellule"), id=c.id, key=key)}


@pytest.mark.parametrize("extra", [{"note": "a\x00b"}, {"deep": [{"x": "\x00"}]}, {"k\x00": 1}])
def test_nul_in_an_unknown_field_is_refused_at_export_with_the_record_named(extra):
    state, c = _state_with(**extra)
    with pytest.raises(CellulesError) as err:
        sql.to_sql(state, now_ms=T0 + 1)
    assert (err.value.code, err.value.params) == ("sql.nul", _where(next(iter(extra)), c))
    assert "PostgreSQL" in str(err.value)


def test_nul_in_a_text_field_of_an_old_state_is_refused_at_export():
    state, c = _state_with()
    state = dc_replace(state, cellules={c.id: c.evolve(description="a\x00b")})
    with pytest.raises(CellulesError) as err:
        sql.to_sql(state, now_ms=T0 + 1)
    assert (err.value.code, err.value.params) == ("sql.nul", _where("description", c, "d.sql_field"))


def test_counts_beyond_postgresql_integer_are_refused_at_export():
    from app.core.model import Source

    state, _ = _state_with()
    big = Source(id="Cbbbbbbb", name="B", imported_at="2026-01-01T00:00:00Z", cellule_count=2**31)
    with pytest.raises(CellulesError) as err:
        sql.to_sql(dc_replace(state, sources={big.id: big}), now_ms=T0 + 1)
    from app.core.i18n import words

    assert (err.value.code, err.value.params) == ("sql.number", {"value": 2**31, "where": words("d.source",
                                                                                               id="Cbbbbbbb"),
                                                                 "limit": 2**31 - 1})


_extras = st.dictionaries(st.sampled_from(["a", "b", "colour"]),
                          st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=3), max_size=3)


@given(_extras, _extras, st.booleans())
def test_unknown_fields_merge_the_same_whatever_the_import_order(left, right, same_stamp):
    """The rule: the later last stamp wins key by key; equal last stamps: each key keeps the larger
    value by its compact JSON text, so that the import order never matters."""
    _, c = _state_with()
    a = c.evolve(extra=left)
    b = c.evolve(extra=right) if same_stamp else \
        c.evolve(extra=right, clock={k: v.replace("-0000-", "-0001-") for k, v in c.clock.items()})
    ab, _ = merge_record(a, b, "Cmeeeeee")
    ba, _ = merge_record(b, a, "Cmeeeeee")
    assert dict(ab.extra) == dict(ba.extra)
    assert set(ab.extra) == set(left) | set(right)
    assert dict(merge_record(ab, ab, "Cmeeeeee")[0].extra) == dict(ab.extra)


def test_equal_stamps_different_extras_keep_the_larger_value_not_the_local_one():
    _, c = _state_with()
    a, b = c.evolve(extra={"colour": "green"}), c.evolve(extra={"colour": "blue"})
    assert merge_record(a, b, "Cmeeeeee")[0].extra["colour"] == "green"
    assert merge_record(b, a, "Cmeeeeee")[0].extra["colour"] == "green"
