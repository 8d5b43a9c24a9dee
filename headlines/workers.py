"""Worker processes: how many cores there are, and how workers are started.

Covers: the cores this process may use, the start method of worker processes, and what a
worker does first. Does not cover: the work itself (parallel.py scores batches, features.py
counts the features of training rows).

``available_cores() -> 2``; ``START_METHOD -> "fork"`` on Linux with Python 3.11
"""

from __future__ import annotations

import os
import signal
import sys

# Forked workers start at once and share the parent's pages. Python 3.12 warns when a process
# with threads forks (numpy's BLAS has some), so there, as off Linux, workers are started
# afresh and get what they need pickled.
START_METHOD = "fork" if sys.platform == "linux" and sys.version_info < (3, 12) else "spawn"


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def leave_interrupts_to_the_parent() -> None:
    """Run first in a worker: Ctrl-C reaches the whole process group, and the parent, which
    stops the workers, reports it (a worker killed mid-task would only print a traceback).
    A forked worker has the command line's SIGTERM and SIGHUP handlers, which clean up the
    parent's files; a worker has nothing to clean up, and ends at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
