"""A throw-away PostgreSQL cluster for the tests: Debian's server binaries, a private socket.

The cluster lives in a temporary folder, listens on no TCP port (Unix socket only), runs as the
`postgres` user when the tests run as root (the server refuses root), and is stopped and removed
at the end. `Cluster(tcp=True)` also listens on 127.0.0.1 (a free port, password required over
TCP): the Supabase CLI only connects over TCP (tests/supabase/test_supabase_cli.py). Everything
goes through `psql`, the command users are told to run (docs/supabase.md).
"""

from __future__ import annotations

import glob
import json
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = sorted((ROOT / "supabase" / "migrations").glob("*.sql"))
# The roles a Supabase project has before any migration runs.
SUPABASE_ROLES = """
create role anon nologin;
create role authenticated nologin;
create role service_role nologin bypassrls;
grant usage on schema public to anon, authenticated, service_role;
"""


def server_bin() -> Path | None:
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True):
        if os.access(f"{folder}/initdb", os.X_OK) and os.access(f"{folder}/pg_ctl", os.X_OK):
            return Path(folder)
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


class PgError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, *, tcp: bool = False) -> None:
        bindir = server_bin()
        if bindir is None:
            raise PgError("PostgreSQL server binaries not found (`make test` installs Debian's postgresql)")
        self.bin = bindir
        self.base = Path(tempfile.mkdtemp(prefix="fwb-pg-"))
        self.data, self.sock = self.base / "data", self.base / "sock"
        self.sock.mkdir()
        self.as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_pg:
            shutil.chown(self.base, "postgres")
            shutil.chown(self.sock, "postgres")
        auth = ["--auth-local=trust", "--auth-host=scram-sha-256"] if tcp else ["--auth=trust"]
        self._run([self.bin / "initdb", "-D", self.data, "-U", "postgres", *auth, "-E", "UTF8",
                   "--locale=C.UTF-8"])
        self.port = free_port() if tcp else 5432
        listen = "127.0.0.1" if tcp else ""
        self._run([self.bin / "pg_ctl", "-D", self.data, "-l", self.base / "server.log", "-w", "-t", "60",
                   "-o", f"-c listen_addresses='{listen}' -p {self.port} -k {self.sock} -c fsync=off "
                   "-c full_page_writes=off", "start"])
        self.counter = 0
        self.password = secrets.token_hex(12) if tcp else None
        if self.password:
            self.psql("postgres", "-c", f"alter role postgres password '{self.password}'")
        self.psql("postgres", "-c", SUPABASE_ROLES)
        self.psql("postgres", "-c", "create database fwb_template")
        for migration in MIGRATIONS:
            self.psql("fwb_template", "-f", str(migration))

    def _run(self, cmd: list[Any]) -> str:
        done = subprocess.run([*self.as_pg, *map(str, cmd)], capture_output=True, text=True, cwd=self.base)
        if done.returncode:
            raise PgError(f"{cmd[0]} failed: {done.stderr or done.stdout}")
        return done.stdout

    def psql(self, db: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        env = {**os.environ, "PGTZ": "UTC", "PGCLIENTENCODING": "UTF8"}
        done = subprocess.run(
            [str(self.bin / "psql"), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", str(self.sock),
             "-p", str(self.port), "-U", "postgres", "-d", db, *args], capture_output=True, text=True, env=env)
        if check and done.returncode:
            raise PgError(done.stderr)
        return done

    def url(self, db: str) -> str:
        """A TCP connection string (tcp=True), as a hosted project's database URL."""
        return f"postgresql://postgres:{self.password}@127.0.0.1:{self.port}/{db}?sslmode=disable"

    def new_database(self) -> Database:
        self.counter += 1
        name = f"fwb_test_{self.counter}"
        self.psql("postgres", "-c", f"create database {name} template fwb_template")
        return Database(self, name)

    def stop(self) -> None:
        try:
            self._run([self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop"])
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


class Database:
    def __init__(self, cluster: Cluster, name: str) -> None:
        self.cluster, self.name = cluster, name

    def load(self, path: Path | str) -> None:
        """What docs/supabase.md tells users: psql -v ON_ERROR_STOP=1 -f FILE."""
        self.cluster.psql(self.name, "-f", str(path))

    def try_sql(self, sql: str) -> subprocess.CompletedProcess:
        return self.cluster.psql(self.name, "-c", sql, check=False)

    def value(self, sql: str) -> str:
        return self.cluster.psql(self.name, "-c", sql).stdout.rstrip("\n")

    def json(self, sql: str) -> Any:
        return json.loads(self.value(sql))

    def dump(self) -> dict[str, str]:
        """Every table, every column, in key order: equal dumps mean identical tables."""
        tables = {"instances": "id", "cellules": "id", "ateliers": "id",
                  "federated_sources": "instance_id, source_id", "cellule_holders": "cellule_id, instance_id",
                  "atelier_holders": "atelier_id, instance_id"}
        return {t: self.value(f"select coalesce(json_agg(t order by {key}), '[]') from public.{t} t")
                for t, key in tables.items()}
