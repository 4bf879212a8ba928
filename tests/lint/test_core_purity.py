"""app/core stays pure: ruff (run by `make test`) bans the modules that would make it impure.

These tests prove the rule is in force for files under app/core and only there, by asking ruff
to check a snippet as if it were a file at a given path."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUFF = Path(sys.executable).with_name("ruff")


def lint(path: str, source: str) -> str:
    done = subprocess.run(
        [str(RUFF), "check", "--no-cache", "--output-format", "concise", "--stdin-filename", path, "-"],
        input=source, capture_output=True, text=True, cwd=ROOT, check=False,
    )
    return done.stdout + done.stderr


def rules(out: str) -> list[str]:
    """The codes of the rules ruff reports, in order (concise format: `path:line:col: CODE message`)."""
    return re.findall(r"^\S+:\d+:\d+: ([A-Z]+\d+) ", out, re.MULTILINE)


@pytest.mark.parametrize("line", [
    "import js", "import pyodide.ffi", "from pyscript import document", "import time",
    "import random", "from random import Random", "import secrets", "import uuid", "import os",
    "from pathlib import Path", "import subprocess", "import socket", "import urllib.request",
    "from app.web import dom", "from app import cli",
])
def test_an_impure_import_in_app_core_is_refused(line):
    out = lint("app/core/probe.py", f"{line}\n\n__all__ = [{line.split()[-1].split('.')[0]!r}]\n")
    assert rules(out) == ["TID251"], out


def test_the_same_imports_are_allowed_in_the_adapters():
    out = lint("app/cli.py", "import os\nimport time\n\n__all__ = ['os', 'time']\n")
    assert (rules(out), out.strip()) == ([], "All checks passed!"), out


def test_pure_standard_modules_stay_allowed_in_app_core():
    out = lint("app/core/probe.py", "import json\nimport zlib\nfrom datetime import datetime\n\n"
               "__all__ = ['json', 'zlib', 'datetime']\n")
    assert (rules(out), out.strip()) == ([], "All checks passed!"), out
