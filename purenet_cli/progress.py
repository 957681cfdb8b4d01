"""A one-line progress bar on stderr while the train command runs, only on a terminal.

Its ETA keeps two clocks apart: the steps, and the accuracy measurements made
once per epoch (after iteration 0 and every ``every`` iterations, as
purenet/train.py does, plus one for the final weights). A measurement can cost
hundreds of steps, so counting it as step time would make the first ETA, taken
right after the measurement at iteration 0, many times too long.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


def measurements_left(i: int, total: int, every: int) -> int:
    """Return how many accuracy measurements come after iteration i of total.

    One after each later iteration j with j % every == 0, and one for the final
    weights unless the last iteration was measured anyway.
    """
    later = (total - 1) // every - i // every  # multiples of every in (i, total - 1]
    final = 1 if (total - 1) % every != 0 and i < total - 1 else 0
    return later + final


class Progress:
    """A one-line progress bar with the current loss and an ETA on stderr, only on a terminal.

    ``update(i, loss)`` is called after each iteration i (train's on_iteration);
    the time since the previous call is one step, or, for an iteration that was
    measured (i % every == 0), one step and one measurement.
    """

    def __init__(self, total: int, every: int, enabled: bool,
                 clock: Callable[[], float] = time.perf_counter,
                 stream: TextIO | None = None) -> None:
        self.total, self.every, self.enabled = total, every, enabled
        self.clock, self.stream = clock, stream if stream is not None else sys.stderr
        self.previous = self.last_drawn = clock()
        self.step_time = self.measured_time = 0.0  # seconds in plain and measured iterations
        self.steps = self.measured = 0  # how many of each

    def update(self, i: int, loss: float) -> None:
        """Count iteration i's time; redraw at most ten times a second (a redraw costs more
        than a NumPy step)."""
        if not self.enabled:
            return
        now = self.clock()
        if i % self.every == 0:
            self.measured_time += now - self.previous
            self.measured += 1
        else:
            self.step_time += now - self.previous
            self.steps += 1
        self.previous = now
        if now - self.last_drawn < 0.1 and i + 1 < self.total:
            return
        self.last_drawn = now
        bar = "#" * int(30 * (i + 1) / self.total)
        eta = self.eta(i)
        shown = "   ?" if eta is None else f"{eta:4.0f}"
        self.stream.write(f"\r[{bar:<30}] {i + 1}/{self.total}  loss {loss:.4f}  "
                          f"eta {shown} s ")
        self.stream.flush()

    def eta(self, i: int) -> float | None:
        """Return the seconds left after iteration i, or None before a plain step was timed.

        The steps left cost the mean plain step; the measurements left cost the
        mean measured iteration less one step.
        """
        if self.steps == 0:
            return None if i + 1 < self.total else 0.0
        step = self.step_time / self.steps
        measurement = max(self.measured_time / self.measured - step, 0.0) if self.measured else 0.0
        return ((self.total - 1 - i) * step
                + measurements_left(i, self.total, self.every) * measurement)

    def clear(self) -> None:
        """Blank the bar so a line of stdout is not mixed into it."""
        if self.enabled:
            self.stream.write("\r" + " " * 72 + "\r")
            self.stream.flush()
