"""The command line as a process (`python -m app`, which only runs natively, not inside Pyodide) refuses a
line separator in a one-line field like the core does (tests/core/test_line_separators.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MESSAGE = "Le champ « {} » contient un caractère de contrôle interdit."


def test_python_dash_m_app_refuses_nel_in_a_name(tmp_path):
    state = tmp_path / "state.json"
    done = subprocess.run([sys.executable, "-m", "app", "init", str(state), "--name", "Asso\x85Nord"],
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.replace("\u00a0", " ") == "erreur : " + MESSAGE.format("nom du groupe") + "\n"
    assert not state.exists()
