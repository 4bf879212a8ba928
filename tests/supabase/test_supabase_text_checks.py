"""supabase/migrations: the text columns refuse what the app's model refuses (C0, DEL, C1 — NEL among
them — U+2028, U+2029 in one-line texts; the same but tab, line feed and carriage return in
descriptions), and the migration that says so applies over rows loaded before it, keeping them."""

from __future__ import annotations

import pytest
from pg import MIGRATIONS

CLOCK = "'2026-01-28T10:00:00.000Z-0000-C1234abc'"
ORIGIN = "'Caaaaaaa'"
SETUP = f"insert into public.instances (id, name) values ({ORIGIN}, 'Alice'), ('Cbbbbbbb', 'Bob');"
CELLULE = {"id": "'cx'", "node_id": "'871fa4c5bffffff'", "name": "'n'", "created_at": "'2026-01-28T10:00:00Z'",
           "origin": ORIGIN, "node_id_clock": CLOCK, "name_clock": CLOCK, "description_clock": CLOCK,
           "contact_clock": CLOCK, "deleted_clock": CLOCK}
ATELIER = {"id": "'ax'", "cellule_id": "'cx'", "title": "'t'", "starts_at": "'2026-03-01T18:00:00Z'",
           "created_at": "'2026-01-28T10:00:00Z'", "origin": ORIGIN, "cellule_id_clock": CLOCK, "title_clock": CLOCK,
           "starts_at_clock": CLOCK, "ends_at_clock": CLOCK, "place_clock": CLOCK, "description_clock": CLOCK,
           "deleted_clock": CLOCK}
REFUSED_EVERYWHERE = ("\\u0080", "\\u0085", "\\u009f", "\\u2028", "\\u2029", "\\x01", "\\x7f")
REFUSED_ONE_LINE = ("\\t", "\\n", "\\r")


def insert(table: str, row: dict[str, str]) -> str:
    return f"insert into public.{table} ({', '.join(row)}) values ({', '.join(row.values())})"


def text(escaped: str) -> str:
    return f"E'Caf\\u00e2{escaped}s'"  # around the character: « â », which every column takes


def outcome(db, *statements: str) -> bool:
    done = db.try_sql("begin; " + "; ".join(statements) + "; rollback;")
    assert done.returncode == 0 or "violates check constraint" in done.stderr, done.stderr
    return done.returncode == 0


@pytest.mark.parametrize("table,column", [("cellules", "name"), ("cellules", "contact"), ("ateliers", "title"),
                                          ("ateliers", "place"), ("cellules", "description"),
                                          ("ateliers", "description"), ("instances", "name"),
                                          ("federated_sources", "name")])
def test_a_text_column_refuses_what_the_model_refuses(db, table, column):
    def with_value(value: str) -> list[str]:
        if table == "instances":
            return [insert("instances", {"id": "'Ccccccc1'", "name": value})]
        if table == "federated_sources":
            return [SETUP, insert("federated_sources", {"instance_id": ORIGIN, "source_id": "'Cbbbbbbb'", "name": value,
                                                        "imported_at": "'2026-01-28T10:00:00Z'", "cellule_count": "0",
                                                        "atelier_count": "0"})]
        cellule = CELLULE | ({column: value} if table == "cellules" else {})
        statements = [SETUP, insert("cellules", cellule)]
        if table == "ateliers":
            statements.append(insert("ateliers", ATELIER | {column: value}))
        return statements

    multiline = column == "description"
    assert outcome(db, *with_value(text("")))
    for char in REFUSED_EVERYWHERE:
        assert not outcome(db, *with_value(text(char))), char
    for char in REFUSED_ONE_LINE:
        assert outcome(db, *with_value(text(char))) is multiline, char
    assert outcome(db, *with_value(text("\\ufffd \\u00a0")))  # U+FFFD (what the app repairs to), a no-break space


def test_the_migration_applies_over_rows_loaded_before_it_and_keeps_them(cluster):
    name = "fwb_text_checks_before"
    cluster.psql("postgres", "-c", f"create database {name}")
    first, *later = MIGRATIONS
    assert later, "a migration after the first one holds the checks"
    cluster.psql(name, "-f", str(first))
    cluster.psql(name, "-c", SETUP + insert("cellules", CELLULE | {"name": text("\\u0080\\u0099")}))
    for migration in later:
        cluster.psql(name, "-f", str(migration))
    assert cluster.psql(name, "-c", "select name from public.cellules").stdout.strip() == "Caf\u00e2\x80\x99s"
    refused = cluster.psql(name, "-c", "update public.cellules set contact = E'a\\u0085b'", check=False)
    assert refused.returncode != 0 and "cellules_contact_check" in refused.stderr
    repaired = text("\\ufffd\\ufffd")
    assert cluster.psql(name, "-c", "update public.cellules set name = " + repaired).returncode == 0
