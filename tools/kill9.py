"""kill -9 of a process and its children at once, as a machine crash leaves them (shared by the black-box
tests, tests/blackbox/hgtest.py, and the crash benchmark, bench/crash.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path


def kill9_tree(pid: int, timeout: float = 10.0) -> None:
    """SIGKILL to pid and its children; returns when all are gone (or timeout seconds passed). A killed child
    of the caller stays a zombie until reaped, so its /proc entry may outlive it until the timeout."""
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    procs = [pid, *map(int, children)]
    for p in procs:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + timeout
    while any(Path(f"/proc/{p}").exists() for p in procs) and time.monotonic() < deadline:
        time.sleep(0.05)
