"""The SQL generator for Supabase, pure parts (loading into a real PostgreSQL: tests/supabase)."""

from __future__ import annotations

import pytest
from strategies import NODES, T0, rand

from app.core import actions, sql
from app.core.merge import tie_key


def test_literals_cannot_be_escaped_from():
    assert sql.literal("'); DROP TABLE x; --") == "'''); DROP TABLE x; --'"
    assert sql.literal("a\\'b") == "'a\\''b'"  # standard_conforming_strings: a backslash is a backslash
    assert sql.literal({"k": "it's"}) == "'{\"k\":\"it''s\"}'::jsonb"
    assert (sql.literal(None), sql.literal(True), sql.literal(False), sql.literal(7)) == ("NULL", "true", "false", "7")
    with pytest.raises(ValueError):
        sql.literal("nul\x00")
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
    assert "'Asso ''Nord'''" in text
    row = next(line for line in text.splitlines() if line.startswith(f"('{c.id}', 'C{sql.BATCH_ROWS + 2}'"))
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
