"""The CLI's clock for the tests that ask for it (`pytestmark = pytest.mark.usefixtures("cli_clock")`)."""

from __future__ import annotations

import pytest


@pytest.fixture
def clock_start() -> int:
    """Where the CLI's clock starts: 2026-01-28 10:00 UTC (a module gives another by defining this fixture)."""
    return 1_769_594_400_000


@pytest.fixture
def cli_clock(monkeypatch, clock_start):
    """The CLI's clock: from clock_start, one second later at each reading (the same verdict on any day,
    and each command strictly after the one before, as on a person's machine)."""
    now = iter(range(clock_start, clock_start + 10**9, 1000))
    monkeypatch.setattr("app.cli.now_ms", lambda: next(now))
