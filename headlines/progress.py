"""How far a long run has come: rows done, rate and time left, reported through a callback.

Covers: :class:`Progress`, what the library reports while it predicts or trains, and
:class:`ProgressReporter`, which times each task of a run and calls the callback. Does not
cover: showing it (cli.py draws the line on a terminal; the library prints nothing).

``Progress("labelling", rows=200_000, elapsed=2.0, fraction=0.25)``
-> ``rate == 100_000.0`` rows a second, ``remaining == 6.0`` seconds
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Progress:
    """A moment in a task: its name, the rows it has done, the seconds since it started, and
    the share of it done when that is knowable (bytes read of files with a size)."""

    task: str
    rows: int
    elapsed: float
    fraction: float | None = None

    @property
    def rate(self) -> float:
        """Rows a second so far."""
        return self.rows / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def remaining(self) -> float | None:
        """Seconds left at the pace so far, when the share done is known."""
        if not self.fraction:
            return None
        return self.elapsed * (1.0 - self.fraction) / self.fraction


ProgressCallback = Callable[[Progress], None]


class ProgressReporter:
    """Times the tasks of a run and passes :class:`Progress` to a callback (if there is one).

    With ``total_bytes`` (the inputs' size, when known), :meth:`read` counts the bytes read
    and a report without a fraction of its own gets bytes read / total bytes.
    """

    def __init__(self, callback: ProgressCallback | None, total_bytes: int | None = None) -> None:
        self.callback = callback
        self.total_bytes = total_bytes
        self.bytes_read = 0
        self._task = ""
        self._started = time.perf_counter()

    def read(self, n: int) -> None:
        """Count ``n`` more bytes read (an ``on_read`` callback of ``read_chunks``)."""
        self.bytes_read += n

    def start(self, task: str) -> None:
        """Start the clock of ``task``; reporting a task not started starts it too."""
        self._task, self._started = task, time.perf_counter()

    def report(self, task: str, rows: int, fraction: float | None = None) -> None:
        """Tell the callback how far ``task`` is."""
        if self.callback is None:
            return
        if task != self._task:
            self.start(task)
        if fraction is None and self.total_bytes:
            fraction = min(self.bytes_read / self.total_bytes, 1.0)
        self.callback(Progress(task, rows, time.perf_counter() - self._started, fraction))
