"""A one-line progress bar on stderr while the train command runs, only on a terminal."""

from __future__ import annotations

import sys
import time


class Progress:
    """A one-line progress bar with the current loss on stderr, only on a terminal."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled = total, enabled
        self.start = self.last = time.perf_counter()

    def update(self, i: int, loss: float) -> None:
        """Redraw at most ten times a second (redrawing costs more than a NumPy step)."""
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.last < 0.1 and i + 1 < self.total:
            return
        self.last = now
        done = (i + 1) / self.total
        bar = "#" * int(30 * done)
        eta = (now - self.start) / done * (1 - done)
        sys.stderr.write(f"\r[{bar:<30}] {i + 1}/{self.total}  loss {loss:.4f}  "
                         f"eta {eta:4.0f} s ")
        sys.stderr.flush()

    def clear(self) -> None:
        """Blank the bar so a line of stdout is not mixed into it."""
        if self.enabled:
            sys.stderr.write("\r" + " " * 72 + "\r")
            sys.stderr.flush()
