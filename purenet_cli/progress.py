"""A one-line progress bar on stderr while the train command runs, only on a terminal.

Its ETA keeps two clocks apart: the steps, and the accuracy measurements made
once per epoch (after iteration 0 and every ``every`` iterations, as
purenet/train.py does, plus one for the final weights). A measurement can cost
hundreds of steps, so counting it as step time would make the first ETA, taken
right after the measurement at iteration 0, many times too long.
"""

from __future__ import annotations

import os
import shutil
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


def clock_time(seconds: float) -> str:
    """Say a duration as m:ss, or h:mm:ss from an hour on: 75 -> "1:15", 3725 -> "1:02:05"."""
    s = round(seconds)
    if s < 3600:
        return f"{s // 60}:{s % 60:02d}"
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


def rate_text(iterations: int, seconds: float) -> str:
    """Say a speed as iterations per second, or seconds per iteration when slower than 1/s."""
    if seconds <= 0:
        return "? it/s"
    rate = iterations / seconds
    if rate >= 10:
        return f"{rate:.0f} it/s"
    if rate >= 1:
        return f"{rate:.1f} it/s"
    return f"{1 / rate:.1f} s/it"


def terminal_width(stream: TextIO) -> int:
    """The columns of the terminal (COLUMNS first, as shutil.get_terminal_size reads it).

    When stdout is not the terminal (``purenet train > log``), stream's own terminal is
    asked; 80 if neither answers.
    """
    columns = shutil.get_terminal_size((0, 0)).columns
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(stream.fileno()).columns or 80
    except (AttributeError, OSError, ValueError):
        return 80


def bar_line(done: int, total: int, loss: float, elapsed: float, eta: float | None,
             rate: str, width: int) -> str:
    """The bar's text, at most width - 1 columns (a full last column makes terminals wrap).

    The bar takes what is left (30 columns at most, none below 10); when there is too little
    room the rate goes first, then the elapsed time, the loss and the ETA; the count stays.
    """
    room = max(width - 1, 1)
    count = f"{done:>{len(str(total))}}/{total}"  # a fixed width, so the bar does not jump
    shown = {"loss": f"loss {loss:.4f}", "elapsed": f"elapsed {clock_time(elapsed)}",
             "eta": f"eta {'-:--' if eta is None else clock_time(eta)}", "rate": rate}
    dropped = ["rate", "elapsed", "loss", "eta"]  # the first to go when the line is too long
    while True:
        text = "  ".join([count, *shown.values()])
        bar = min(30, room - len(text) - 3)  # "[" bar "] "
        if bar >= 10:
            return f"[{'#' * int(bar * done / total):<{bar}}] {text}"
        if len(text) <= room or not dropped:
            return text.lstrip()[:room]
        del shown[dropped.pop(0)]


class Progress:
    """A one-line progress bar on stderr, only on a terminal: the iterations done, the ETA,
    the batch loss, the time elapsed and the speed, cut to the terminal's width.

    ``update(i, loss)`` is called after each iteration i (train's on_iteration);
    the time since the previous call is one step, or, for an iteration that was
    measured (i % every == 0), one step and one measurement.
    """

    def __init__(self, total: int, every: int, enabled: bool,
                 clock: Callable[[], float] = time.perf_counter,
                 stream: TextIO | None = None,
                 columns: Callable[[], int] | None = None) -> None:
        self.total, self.every, self.enabled = total, every, enabled
        self.clock, self.stream = clock, stream if stream is not None else sys.stderr
        self.columns = columns or (lambda: terminal_width(self.stream))
        self.previous = self.last_drawn = self.started = clock()
        self.drawn = 0  # the length of the line on screen, for clear()
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
        elapsed = now - self.started
        line = bar_line(i + 1, self.total, loss, elapsed, self.eta(i),
                        rate_text(i + 1, elapsed), self.columns())
        self.stream.write("\r" + line.ljust(self.drawn))
        self.drawn = len(line)
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
        if self.enabled and self.drawn:
            self.stream.write("\r" + " " * self.drawn + "\r")
            self.drawn = 0
            self.stream.flush()
