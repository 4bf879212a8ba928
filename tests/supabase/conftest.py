"""One throw-away PostgreSQL cluster for the whole session; a fresh database per test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "core"))  # strategies.py: states built by real user actions

from pg import Cluster  # noqa: E402


@pytest.fixture(scope="session")
def cluster():
    c = Cluster()  # fails (not skips) when PostgreSQL is missing: `make test` installs it
    yield c
    c.stop()


@pytest.fixture
def db(cluster):
    return cluster.new_database()
