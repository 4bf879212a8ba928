"""The real Supabase CLI (npm `supabase`, pinned in package.json) applies supabase/migrations/ to a
throw-away PostgreSQL with `supabase db push --db-url …` — the command docs/supabase.md gives for a
real project — and records it in supabase_migrations.schema_migrations.

The CLI connects over TCP only (it resolves the URL's host; a Unix socket path is refused), so this
module starts its own cluster listening on 127.0.0.1 with a password (pg.Cluster(tcp=True))."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pg import MIGRATIONS, Cluster

from app.core import sql

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "node_modules" / ".bin" / "supabase"
PINNED = json.loads((ROOT / "package.json").read_text())["devDependencies"]["supabase"]


@pytest.fixture(scope="module")
def tcp_cluster():
    c = Cluster(tcp=True)
    yield c
    c.stop()


def supabase(*args: str, workdir: Path, check: bool = True) -> subprocess.CompletedProcess:
    if not CLI.exists():
        pytest.fail("the Supabase CLI is missing: `make test` installs it (npm ci, package.json devDependencies)")
    # A private HOME and working folder: the CLI writes supabase/.temp and ~/.supabase there, not in the repo.
    env = {**os.environ, "HOME": str(workdir), "SUPABASE_TELEMETRY_DISABLED": "1", "DO_NOT_TRACK": "1"}
    done = subprocess.run([str(CLI), *args, "--workdir", str(workdir)], capture_output=True, text=True, env=env,
                          timeout=180, stdin=subprocess.DEVNULL, cwd=workdir)
    if check and done.returncode:
        raise AssertionError(f"supabase {' '.join(args[:2])} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


@pytest.fixture
def project(tmp_path) -> Path:
    """A project folder as `supabase init` leaves it, with our migrations."""
    shutil.copytree(ROOT / "supabase" / "migrations", tmp_path / "supabase" / "migrations")
    return tmp_path


def columns(cluster: Cluster, db: str) -> str:
    return cluster.psql(db, "-c", "select string_agg(table_name || '.' || column_name || ':' || data_type, ',' "
                                  "order by table_name, column_name) from information_schema.columns "
                                  "where table_schema = 'public'").stdout


def test_the_pinned_cli_runs_offline(tmp_path):
    assert PINNED == "2.117.0"
    # In a private folder: the CLI writes supabase/.temp under its working directory, even for --version.
    run = {"capture_output": True, "text": True, "timeout": 60, "cwd": tmp_path,
           "env": {**os.environ, "HOME": str(tmp_path)}}
    done = subprocess.run([str(CLI), "--version"], **run)
    assert done.returncode == 0 and done.stdout.strip() == PINNED, done.stderr
    # without any network (a namespace of its own, util-linux's unshare): nothing is downloaded
    assert shutil.which("unshare"), "util-linux's unshare runs the CLI without a network"
    offline = subprocess.run(["unshare", "-n", str(CLI), "--version"], **run)
    assert (offline.returncode, offline.stdout.strip()) == (0, PINNED), offline.stderr


def test_db_push_applies_our_migrations_and_records_them(tcp_cluster, project, tmp_path):
    tcp_cluster.psql("postgres", "-c", "create database cli_push")
    url = tcp_cluster.url("cli_push")
    dry = supabase("db", "push", "--db-url", url, "--dry-run", "--yes", workdir=project)
    assert all(m.name in dry.stdout + dry.stderr for m in MIGRATIONS)
    assert tcp_cluster.psql("cli_push", "-c", "select to_regclass('public.cellules')").stdout.strip() == ""

    done = supabase("db", "push", "--db-url", url, "--yes", workdir=project)
    assert "Applying migration" in done.stdout + done.stderr
    recorded = tcp_cluster.psql("cli_push", "-c", "select version || '_' || name || '.sql' from "
                                "supabase_migrations.schema_migrations order by version").stdout.split()
    assert recorded == [m.name for m in MIGRATIONS]
    # The same schema as `psql -f` of the migrations (the session cluster's template, built that way).
    assert columns(tcp_cluster, "cli_push") == columns(tcp_cluster, "fwb_template")

    again = supabase("db", "push", "--db-url", url, "--yes", workdir=project)
    assert "up to date" in (again.stdout + again.stderr).lower()
    assert tcp_cluster.psql("cli_push", "-c", "select count(*) from supabase_migrations.schema_migrations"
                            ).stdout.strip() == str(len(MIGRATIONS))


def test_a_pushed_database_loads_an_export(tcp_cluster, project, tmp_path):
    from strategies import T0, rand

    from app.core import actions

    tcp_cluster.psql("postgres", "-c", "create database cli_load")
    supabase("db", "push", "--db-url", tcp_cluster.url("cli_load"), "--yes", workdir=project)
    state = actions.new_state(name="Asso « CLI »", random_bytes=rand("cli"))
    state, _ = actions.create_cellule(state, {"nodeId": "87194d200ffffff", "name": "O'Brien ; \\ 🚲"}, now_ms=T0,
                                      random_bytes=rand(1))
    path = tmp_path / "load.sql"
    path.write_text(sql.to_sql(state, now_ms=T0 + 1000), "utf-8")
    tcp_cluster.psql("cli_load", "-f", str(path))
    assert tcp_cluster.psql("cli_load", "-c", "select name from public.live_cellules").stdout.strip() == \
        "O'Brien ; \\ 🚲"


def test_a_wrong_password_is_refused(tcp_cluster, project):
    tcp_cluster.psql("postgres", "-c", "create database cli_refused")
    url = tcp_cluster.url("cli_refused").replace(tcp_cluster.password, "wrong")
    done = supabase("db", "push", "--db-url", url, "--yes", workdir=project, check=False)
    assert done.returncode != 0
    assert tcp_cluster.psql("cli_refused", "-c", "select to_regclass('supabase_migrations.schema_migrations')"
                            ).stdout.strip() == ""
