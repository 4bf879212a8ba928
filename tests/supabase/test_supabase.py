"""Supabase migration proven on a real PostgreSQL: the migration applies, exports of several
instances load in any order any number of times to the same tables — the same as merging their
files in the app — hostile text stays text, and the database comes back as a v1.0 export."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pg import Database
from strategies import T0, rand, states

from app.core import actions, document, merge, sql
from app.core.clock import format_ms
from app.core.model import Cellule

ROOT = Path(__file__).resolve().parents[2]
NOW = T0 + 10**8
# Real nodes of data/fwb_grid.json (the CLI refuses others); the property test uses strategies.NODES.
GRID_NODES = ["87194d200ffffff", "87194d201ffffff", "871fa070cffffff", "871fa2acbffffff"]
HOSTILE = ["O'Brien", "back\\slash \\' \\\\", "emoji 🚲🌍👩🏽‍🔧", "'); DROP TABLE cellules; --",
           "$$ dollar $$", "E'\\x41' \\n", "\"double\" ; -- comment /* c */"]


def export_text(state, now=NOW):
    return document.dumps(document.to_document(state, kind="full", now_ms=now))


def imp(state, other, now=NOW):
    return merge.import_text(state, export_text(other, now), now_ms=now)[0]


def write_sql(tmp_path, state, name, now=NOW) -> Path:
    path = tmp_path / f"{name}.sql"
    path.write_text(sql.to_sql(state, now_ms=now), "utf-8")
    return path


def federation():
    """Alice, Bob and Chloé: relays (A→B→C), conflicting edits, a deletion then a later edit."""
    alice = actions.new_state(name="Alice", random_bytes=rand("alice"))
    bob = actions.new_state(name="Bob", random_bytes=rand("bob"))
    chloe = actions.new_state(name="Chloé", random_bytes=rand("chloe"))
    t = T0
    alice, jardin = actions.create_cellule(alice, {"nodeId": GRID_NODES[0], "name": "Cellule Jardin",
                                                   "description": "Potager\npartagé"}, now_ms=t,
                                           random_bytes=rand(1))
    alice, velo = actions.create_cellule(alice, {"nodeId": GRID_NODES[1], "name": "Cellule Vélo"}, now_ms=t + 1,
                                         random_bytes=rand(2))
    alice, _ = actions.create_atelier(alice, {"celluleId": jardin.id, "title": "Semis",
                                              "startsAt": "2026-03-01T10:00:00Z", "endsAt": "2026-03-01T12:00:00Z"},
                                      now_ms=t + 2, random_bytes=rand(3))
    bob, _ = actions.create_cellule(bob, {"nodeId": GRID_NODES[2], "name": HOSTILE[0], "contact": HOSTILE[1]},
                                    now_ms=t + 3, random_bytes=rand(4))
    for i, name in enumerate(HOSTILE[2:]):
        bob, c = actions.create_cellule(bob, {"nodeId": GRID_NODES[3], "name": name, "description": name + "\n" + name},
                                        now_ms=t + 4 + i, random_bytes=rand(10 + i))
    bob, _ = actions.create_atelier(bob, {"celluleId": c.id, "title": HOSTILE[3], "place": HOSTILE[1],
                                          "startsAt": "2026-04-01T18:00:00Z"}, now_ms=t + 20, random_bytes=rand(5))
    bob = imp(bob, alice, now=t + 100)  # Bob gets Alice's cellules
    bob, _ = actions.edit(bob, "cellule", jardin.id, {"name": "Jardin (Bob)"}, now_ms=t + 200)
    chloe = imp(chloe, bob, now=t + 300)  # Chloé gets Alice's cellules via Bob
    chloe = actions.delete(chloe, "cellule", velo.id, now_ms=t + 400)
    alice, _ = actions.edit(alice, "cellule", jardin.id, {"name": "Jardin (Alice)"}, now_ms=t + 150)  # loses
    alice, _ = actions.edit(alice, "cellule", velo.id, {"description": "Relancée"}, now_ms=t + 500)  # after it
    chloe, _ = actions.create_cellule(chloe, {"nodeId": GRID_NODES[0], "name": "Cellule Repair"}, now_ms=t + 600,
                                      random_bytes=rand(6))
    return alice, bob, chloe


def load_all(db, tmp_path, instances) -> None:
    for state, name in zip(instances, "abc", strict=True):
        db.load(write_sql(tmp_path, state, name))


def app_merge(*instances):
    """What the app shows after importing every file: a fresh instance merging them all."""
    state = actions.new_state(name="Témoin", random_bytes=rand("witness"))
    for other in instances:
        state = imp(state, other)
    return state


def _time(value):
    return format_ms(int(datetime.fromisoformat(value).timestamp() * 1000)) if value else value


def db_records(db) -> dict[str, dict[str, dict]]:
    out = {}
    for spec in sql.RECORD_TABLES:
        rows = db.json(f"select coalesce(json_agg(t), '[]') from {spec.table} t")
        for row in rows:
            for col in ("created_at", "starts_at", "ends_at"):
                if col in row:
                    row[col] = _time(row[col])
        out[spec.table] = {row["id"]: row for row in rows}
    return out


def app_records(state) -> dict[str, dict[str, dict]]:
    out = {}
    for spec in sql.RECORD_TABLES:
        table = state.cellules if spec.cls is Cellule else state.ateliers
        cols = sql.record_columns(spec)
        out[spec.table] = {r.id: dict(zip(cols, sql.record_row(r, spec), strict=True)) for r in table.values()}
    return out


# --- the migration --------------------------------------------------------------------------------

def test_migration_applies_with_row_level_security_on_every_table_and_the_indexes_the_app_needs(db):
    tables = ["instances", "cellules", "ateliers", "federated_sources", "cellule_holders", "atelier_holders"]
    rls = dict(tuple(line.split("|")) for line in db.value(
        "select relname, relrowsecurity from pg_class where relnamespace = 'public'::regnamespace "
        "and relkind = 'r'").splitlines())
    assert rls == {t: "t" for t in tables}
    indexed = db.value("select string_agg(indexdef, E'\\n') from pg_indexes where schemaname = 'public'")
    for column in ("cellules USING btree (node_id)", "cellules USING btree (origin)",
                   "ateliers USING btree (cellule_id, starts_at)", "ateliers USING btree (origin)",
                   "cellule_holders USING btree (instance_id)"):
        assert column in indexed
    policies = db.value("select count(*) from pg_policies where schemaname = 'public'")
    assert int(policies) >= len(tables)


def test_checks_mirror_the_json_schema_limits(db, tmp_path):
    alice = actions.new_state(name="Alice", random_bytes=rand("a"))
    alice, c = actions.create_cellule(alice, {"nodeId": GRID_NODES[0], "name": "x" * 120, "contact": "c" * 200,
                                              "description": "d" * 2000}, now_ms=T0, random_bytes=rand(1))
    db.load(write_sql(tmp_path, alice, "max"))  # the longest values the app allows load
    clock = "'2026-01-28T10:00:00.000Z-0000-C1234abc'"
    good = {"id": "'cx'", "node_id": "'871fa4c5bffffff'", "name": "'n'", "created_at": "'2026-01-28T10:00:00Z'",
            "origin": f"'{alice.instance_id}'", "node_id_clock": clock, "name_clock": clock,
            "description_clock": clock, "contact_clock": clock, "deleted_clock": clock}

    def insert(**changes):
        row = good | changes
        return db.try_sql(f"insert into public.cellules ({', '.join(row)}) values ({', '.join(row.values())})")

    for bad in ({"name": "'" + "x" * 121 + "'"}, {"name": "''"}, {"name": "'   '"}, {"node_id": "'nope'"},
                {"contact": "'" + "c" * 201 + "'"}, {"description": "'" + "d" * 2001 + "'"},
                {"id": "'has space'"}, {"name_clock": "'yesterday'"}, {"origin": "'Cunknown'"},
                {"name": "E'tab\\there'"}):
        done = insert(**bad)
        assert done.returncode != 0 and "violates" in done.stderr, bad
    assert insert().returncode == 0


def test_row_level_security_members_read_and_edit_anonymous_sees_nothing_nobody_deletes(db, tmp_path):
    db.load(write_sql(tmp_path, federation()[1], "bob"))
    total = db.value("select count(*) from public.cellules")
    db.value("grant select, delete on public.cellules to anon; grant delete on public.cellules to authenticated")
    assert db.value("set role authenticated; select count(*) from public.cellules") == total
    assert db.value("set role authenticated; select count(*) from public.live_cellules") == total
    assert db.value("set role anon; select count(*) from public.cellules") == "0"  # Supabase's grants, yet nothing
    db.value("set role authenticated; delete from public.cellules")
    db.value("set role anon; delete from public.cellules")
    assert db.value("select count(*) from public.cellules") == total
    edited = db.try_sql("set role authenticated; update public.cellules set deleted = true")
    assert edited.returncode == 0


# --- loading exports --------------------------------------------------------------------------------

def test_three_instances_in_two_orders_give_identical_tables_and_a_second_load_changes_nothing(cluster, tmp_path):
    files = [write_sql(tmp_path, s, n) for s, n in zip(federation(), "abc", strict=True)]
    first, second = cluster.new_database(), cluster.new_database()
    for path in files:
        first.load(path)
    for path in reversed(files):
        second.load(path)
    assert first.dump() == second.dump()
    before = first.dump()
    for path in [files[1], files[0], files[2], files[1]]:
        first.load(path)
    assert first.dump() == before


def test_tables_equal_the_apps_merge_of_the_same_files(db, tmp_path):
    instances = federation()
    load_all(db, tmp_path, instances)
    merged = app_merge(*instances)
    assert db_records(db) == app_records(merged)
    cellules = {c["name"] for c in db.json("select json_agg(t) from public.live_cellules t")}
    assert cellules == {c.name for c in merged.live_cellules()}
    assert {"Jardin (Bob)", "Jardin (Alice)"} & cellules == {"Jardin (Bob)"}  # Bob's later rename beat Alice's
    velo = db.json("select json_agg(t) from public.cellules t where description = 'Relancée'")
    assert velo[0]["deleted"] is True and velo[0]["description_clock"] > velo[0]["deleted_clock"]
    assert [c["name"] for c in db.json("select json_agg(t) from public.live_cellules t")
            if c["description"] == "Relancée"] == ["Cellule Vélo"]  # and it is live again


def test_row_counts_equal_the_live_records(db, tmp_path):
    instances = federation()
    load_all(db, tmp_path, instances)
    merged = app_merge(*instances)
    assert int(db.value("select count(*) from public.live_cellules")) == len(merged.live_cellules())
    assert int(db.value("select count(*) from public.live_ateliers")) == len(merged.live_ateliers())
    assert int(db.value("select count(*) from public.cellules")) == len(merged.cellules)  # tombstones too
    assert int(db.value("select count(*) from public.ateliers")) == len(merged.ateliers)


def test_hostile_names_load_as_text(db, tmp_path):
    _, bob, _ = federation()
    db.load(write_sql(tmp_path, bob, "bob"))
    names = set(db.json("select json_agg(name) from public.cellules"))
    assert set(HOSTILE) - {HOSTILE[1]} <= names
    assert db.json("select json_agg(contact) from public.cellules where contact <> ''") == [HOSTILE[1]]
    assert db.json("select json_agg(place) from public.ateliers where title = 'Semis'") == [""]
    assert db.json("select json_agg(place) from public.ateliers where title <> 'Semis'") == [HOSTILE[1]]
    assert HOSTILE[3] in db.json("select json_agg(title) from public.ateliers")
    assert db.json("select json_agg(description) from public.cellules where name = 'emoji 🚲🌍👩🏽‍🔧'") == \
        ["emoji 🚲🌍👩🏽‍🔧\nemoji 🚲🌍👩🏽‍🔧"]
    assert db.value("select count(*) from pg_tables where schemaname = 'public'") == "6"  # nothing dropped


def test_round_trip_database_to_v1_export_to_merge_equals_the_original_state(db, tmp_path):
    instances = federation()
    load_all(db, tmp_path, instances)
    original = app_merge(*instances)
    text = db.value("select public.fwb_export_v1()")
    incoming = document.read_document(document.parse_text(text))  # schema-valid v1.0
    assert incoming.kind == "full" and incoming.instance_id == "Csupabas"
    fresh = actions.new_state(name="Retour", random_bytes=rand("back"))
    back, report = merge.import_text(fresh, text, now_ms=NOW + 1)
    assert app_records(back) == app_records(original)
    assert merge.visible(back) == merge.visible(original)
    again, report = merge.import_text(original, text, now_ms=NOW + 2)  # nothing new for the original
    assert not report.added and not report.updated and not report.deleted
    assert merge.visible(again) == merge.visible(original)


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.tuples(states(name="Alice", max_ops=8), states(name="Bob", max_ops=8), states(name="Carla", max_ops=8)),
       st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), max_size=5), st.randoms(use_true_random=False))
def test_any_federation_loads_to_the_apps_merge_in_any_order(cluster, tmp_path_factory, abc, exchanges, rnd):
    instances = list(abc)
    for step, (i, j) in enumerate(exchanges):
        if i != j:
            instances[j] = imp(instances[j], instances[i], now=NOW + step)
            live = [c.id for c in instances[j].live_cellules()]
            if live:  # an edit after the exchange: conflicts with what the others hold
                instances[j], _ = actions.edit(instances[j], "cellule", rnd.choice(live),
                                               {"name": f"édité {step}"}, now_ms=NOW + 50 + step)
    tmp = tmp_path_factory.mktemp("fed")
    files = [write_sql(tmp, s, f"i{k}", now=NOW + 100) for k, s in enumerate(instances)]
    dumps = []
    for order in rnd.sample(list(itertools.permutations(files)), 2):
        db = cluster.new_database()
        for path in order:
            db.load(path)
        dumps.append(db.dump())
    assert dumps[0] == dumps[1]
    assert db_records(db) == app_records(app_merge(*instances))


# --- the CLI and the documented commands -------------------------------------------------------------

def cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "app", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, **kw)


def test_cli_to_sql_then_the_documented_export_command_brings_the_data_back(cluster, db, tmp_path):
    alice, bob, chloe = federation()
    states = []
    for state, name in ((alice, "a"), (bob, "b"), (chloe, "c")):
        path = tmp_path / f"{name}.json"
        path.write_text(export_text(state), "utf-8")
        done = cli("to-sql", path, "-o", tmp_path / f"{name}.sql")
        assert done.returncode == 0, done.stderr
        assert "SQL pour Supabase" in done.stdout
        db.load(tmp_path / f"{name}.sql")
        states.append(state)
    # docs/supabase.md: psql "$DATABASE_URL" -Atc 'select public.fwb_export_v1()' > cellules-supabase.json
    out = tmp_path / "cellules-supabase.json"
    out.write_text(db.value("select public.fwb_export_v1()") + "\n", "utf-8")
    assert cli("init", tmp_path / "new.json", "--name", "Nouvelle").returncode == 0
    done = cli("import", tmp_path / "new.json", out)
    assert done.returncode == 0, done.stderr
    back = document.loads_state((tmp_path / "new.json").read_text("utf-8"))
    assert merge.visible(back) == merge.visible(app_merge(*states))


def test_cli_to_sql_refuses_a_bad_state_in_french_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": "1.0", "cellules": [', "utf-8")
    done = cli("to-sql", bad, "-o", tmp_path / "out.sql")
    assert done.returncode == 1
    assert done.stderr.startswith("erreur : ") and "export lisible" in done.stderr
    assert not (tmp_path / "out.sql").exists()


def test_a_state_the_app_tolerates_still_loads_orphan_ateliers_and_odd_peer_names_left_out(db, tmp_path):
    from dataclasses import replace

    alice, bob, _ = federation()
    gone = next(c for c in alice.cellules.values() if any(a.cellule_id == c.id for a in alice.ateliers.values()))
    odd = replace(alice, cellules={k: v for k, v in alice.cellules.items() if k != gone.id},
                  extra={"peerNames": {"Cabcdefg": "x" * 500, "not-an-id": "Bob", "Cbob0000": "Bob\nnewline"}})
    path = write_sql(tmp_path, odd, "odd")
    assert "\n-- Laissés de côté\u00a0: 1 atelier dont ce groupe n’a pas la cellule" in path.read_text("utf-8")
    db.load(path)  # one orphan atelier would otherwise make the foreign key refuse the whole file
    assert db.value("select count(*) from public.ateliers") == "0"
    assert db.value("select count(*) from public.instances where name is null and id = 'Cabcdefg'") == "1"
    assert db.value("select count(*) from public.instances where id = 'not-an-id'") == "0"


def test_migration_and_loads_need_no_superuser_as_in_supabase(cluster, tmp_path):
    """Supabase's SQL editor runs as `postgres`, which there is not a superuser: the migration, a
    load and the export must work for a plain role that may create objects in `public`."""
    name = f"fwb_owner_{cluster.counter + 1}"
    cluster.psql("postgres", "-c", f"create role {name} login nosuperuser nocreatedb nocreaterole")
    cluster.psql("postgres", "-c", f"create database {name} owner {name}")
    cluster.psql(name, "-c", f"grant usage, create on schema public to {name}")
    for migration in sorted((ROOT / "supabase" / "migrations").glob("*.sql")):
        done = cluster.psql(name, "-U", name, "-f", str(migration), check=False)
        assert done.returncode == 0, done.stderr
    _, bob, _ = federation()
    done = cluster.psql(name, "-U", name, "-f", str(write_sql(tmp_path, bob, "bob")), check=False)
    assert done.returncode == 0, done.stderr
    exported = cluster.psql(name, "-U", name, "-c", "select public.fwb_export_v1()").stdout
    assert len(json.loads(exported)["cellules"]) == len(bob.cellules)


# --- the same load whatever standard_conforming_strings is; extras order-independent -----------------

EXTRA_HOSTILE = {"note": "back\\slash \\' \\\\ '' $$ E'\\x41' \\n",
                 "nested": {"k\\\\": ["\\u0041", "é", 9007199254740991]}, "quote'key": "x"}


def hostile_state():
    _, bob, _ = federation()
    cellules = dict(bob.cellules)
    first = min(cellules)
    cellules[first] = cellules[first].evolve(extra=EXTRA_HOSTILE)
    return replace(bob, cellules=cellules)


@pytest.mark.parametrize("conforming", ["on", "off"])
def test_hostile_strings_load_the_same_whatever_standard_conforming_strings_is(cluster, tmp_path, conforming):
    db = cluster.new_database()
    db.value(f"alter database {db.name} set standard_conforming_strings = {conforming}")
    assert db.value("show standard_conforming_strings") == conforming
    state = hostile_state()
    db.load(write_sql(tmp_path, state, "bob"))
    assert db_records(db) == app_records(state)  # every value, backslashes and quotes included
    first = min(state.cellules)
    assert db.json(f"select extra from public.cellules where id = '{first}'") == EXTRA_HOSTILE
    assert set(HOSTILE) - {HOSTILE[1]} <= set(db.json("select json_agg(name) from public.cellules"))


def test_the_migration_means_the_same_with_standard_conforming_strings_off(cluster, tmp_path):
    name = "fwb_migration_off"
    cluster.psql("postgres", "-c", f"create database {name} template template0")
    env = {**os.environ, "PGTZ": "UTC", "PGCLIENTENCODING": "UTF8", "PGOPTIONS": "-c standard_conforming_strings=off"}
    for migration in sorted((ROOT / "supabase" / "migrations").glob("*.sql")):
        subprocess.run([str(cluster.bin / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", str(cluster.sock),
                        "-U", "postgres", "-d", name, "-f", str(migration)],
                       check=True, capture_output=True, env=env)
    db = Database(cluster, name)
    db.value(f"alter database {name} set standard_conforming_strings = off")
    state = hostile_state()
    db.load(write_sql(tmp_path, state, "bob"))  # the stamps pass the hlc domain's regular expression
    assert db_records(db) == app_records(state)
    tab = db.try_sql("update public.cellules set name = E'tab\\there'")  # control characters still refused
    assert tab.returncode != 0 and "violates" in tab.stderr


def test_unknown_fields_with_equal_stamps_load_to_the_apps_merge_in_either_order(cluster, tmp_path):
    alice = actions.new_state(name="Alice", random_bytes=rand("alice"))
    alice, c = actions.create_cellule(alice, {"nodeId": GRID_NODES[0], "name": "C"}, now_ms=T0, random_bytes=rand(1))
    copies = [replace(alice, cellules={c.id: c.evolve(extra=extra)})
              for extra in ({"colour": "green", "n": 2, "only_a": True}, {"colour": "blue", "n": 10, "only_b": None})]
    dumps = []
    for order in (copies, copies[::-1]):
        db = cluster.new_database()
        for i, state in enumerate(order):
            db.load(write_sql(tmp_path, state, f"x{i}"))
        dumps.append(db.json(f"select extra from public.cellules where id = '{c.id}'"))
        merged, _ = merge.merge_record(order[0].cellules[c.id], order[1].cellules[c.id], "Cwitness")
        assert dumps[-1] == dict(merged.extra)
    assert dumps[0] == dumps[1] == {"colour": "green", "n": 2, "only_a": True, "only_b": None}
