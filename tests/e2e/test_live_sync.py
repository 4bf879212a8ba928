"""« Synchroniser en direct » in browsers on a local network of their own: the browser test module
tests/e2e/live_inner.py runs inside a network namespace this test makes (`unshare -n`, as root),
holding a veth pair whose two addresses exist only there, the loopback, and a default route — what
Chromium needs before it offers a host candidate. The page server runs inside too, on this
session's port (same origin: the warm profile's service worker and snapshot serve the pages).
LIVE_INNER_K=<expression> runs only the inner tests it selects (pytest -k), while writing one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

pytestmark = pytest.mark.browser

NETWORK = ("ip link set lo up && ip link add fwbw0 type veth peer name fwbw1"
           " && ip addr add 10.77.0.1/24 dev fwbw0 && ip addr add 10.77.0.2/24 dev fwbw1"
           " && ip link set fwbw0 up && ip link set fwbw1 up && ip route add default via 10.77.0.2")


def test_live_sync_between_browsers_on_their_own_network(server, warm_profile):
    assert os.geteuid() == 0, "unshare -n needs root (CI runs as root)"
    assert shutil.which("ip") and shutil.which("unshare"), "iproute2 and util-linux are needed (make setup)"
    env = {**os.environ, "LIVE_SYNC_PORT": str(server.port), "LIVE_SYNC_PROFILE": str(warm_profile)}
    inner = [sys.executable, "-m", "pytest", "tests/e2e/live_inner.py", "-q", "-p", "no:cacheprovider",
             *(["-k", os.environ["LIVE_INNER_K"]] if os.environ.get("LIVE_INNER_K") else [])]
    run = subprocess.run(["unshare", "-n", "--", "sh", "-c", NETWORK + ' && exec "$@"', "sh", *inner],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"inside the namespace:\n{run.stdout[-6000:]}\n{run.stderr[-3000:]}"
