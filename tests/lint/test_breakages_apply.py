"""tools/breakages.py stays usable: each of its one-line breakages finds, once, the line it breaks (a
module split or a rewrite moves lines; the tool would then break nothing and prove nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.breakages import BREAKAGES

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("breakage", BREAKAGES, ids=[b.name for b in BREAKAGES])
def test_each_breakage_finds_the_one_line_it_breaks(breakage):
    assert (ROOT / breakage.file).read_text(encoding="utf-8").count(breakage.old) == 1
    assert all((ROOT / test.split("::")[0]).exists() for test in breakage.tests)
