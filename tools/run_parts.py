"""Run test parts side by side and report each one's output and time, in the order given.

    python -m tools.run_parts "native: CMD ..." "pyodide: CMD ..."

Each part is a shell command, run at once with the others (the machine's cores are shared: the native
suite and the Pyodide suite are each one process, so two of them fill two cores). A part's output is kept
in a file and printed whole when it ends, so parts never interleave their lines; its wall time follows.
The exit status is the first failing part's (0 when all pass).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
import time


def main(argv: list[str]) -> int:
    parts = []
    for spec in argv:
        name, _, command = spec.partition(": ")
        if not command:
            raise SystemExit(f"a part is « name: command », not {spec!r}")
        out = tempfile.TemporaryFile()
        parts.append((name, out, time.monotonic(),
                      subprocess.Popen(command, shell=True, stdout=out, stderr=subprocess.STDOUT), {}))
    # one waiting thread per part records when it ended (a part that ends first is not timed by the others)
    waiters = [threading.Thread(target=lambda p=process, e=ended: e.update(code=p.wait(), at=time.monotonic()))
               for _, _, _, process, ended in parts]
    for waiter in waiters:
        waiter.start()
    status = 0
    for (name, out, started, _, ended), waiter in zip(parts, waiters, strict=True):
        waiter.join()
        code, took = ended["code"], ended["at"] - started
        out.seek(0)
        sys.stdout.write(f"\n===== {name} =====\n")
        sys.stdout.flush()
        sys.stdout.buffer.write(out.read())
        sys.stdout.write(f"===== {name}: {'passed' if code == 0 else f'FAILED (exit {code})'} in "
                         f"{int(took // 60)} min {took % 60:.1f} s =====\n")
        sys.stdout.flush()
        status = status or code
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
