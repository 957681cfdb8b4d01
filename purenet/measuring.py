"""A second process that measures accuracies while the training goes on.

Nothing here is chapter 4: it is how ``train --impl pure`` uses a second core.
An evaluation only reads the weights, so it can count a copy of them while
the loop trains on with the originals. In NumPy a thread does it (the products
let go of the interpreter); in plain Python only one thread runs at a time,
so the count needs a process of its own: ``MeasuringProcess``.

Such a process must never outlive, outshout or outwait the training:

- it is started with Ctrl-C and the other stop signals held back, and then
  ignores them (a terminal sends Ctrl-C to every process of the job: what a
  stop means is the training's business);
- it is started without importing the program's ``__main__`` (the "spawn"
  start would run a learner's unguarded script a second time);
- it ends itself when the training's process is gone, however that ended;
- a count it cannot deliver (the process was killed) is counted again by the
  training itself, with the same result (``Measurement``).

``second_core_free`` and ``OwnLoad`` say whether a core is free for it.
"""

from __future__ import annotations

import math
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator
from concurrent.futures import BrokenExecutor, Future, InvalidStateError, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

STOPS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
              if hasattr(signal, name))  # Windows has no SIGHUP


def second_core_free(own: float = 0.0) -> bool:
    """True when the last minute's load leaves a core idle beside this process.

    Two workers on one busy core only take turns, and cost a little more than
    one. ``own`` is the part of the load this program's own measurements made
    (OwnLoad.now()): that core is ours to use again. Where the load is unknown,
    the answer is no.
    """
    try:
        load = os.getloadavg()[0] - own  # runnable processes, this one included
    except (AttributeError, OSError):  # no load average on this system
        return False
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return load < (cores or 1) - 0.5


class OwnLoad:
    """How much of the load average a run's own measurements beside it made.

    The load average counts the running processes (and threads), each moment
    weighted exp(-age / 60 s); a measurement that ran from start to stop adds
    exp(-(now - stop) / 60) - exp(-(now - start) / 60) to it. A worker busy one
    epoch in two raises the load by about 0.4: without this it would soon look
    like another program, and the measurements would come back inline.
    """

    def __init__(self) -> None:
        self.spans: list[list[float]] = []  # [queued, done] of each measurement, in order

    def track(self, future: Future[float]) -> Future[float]:
        """Note when future's measurement is queued and when it is done; return future."""
        span = [time.monotonic(), math.inf]
        self.spans.append(span)
        future.add_done_callback(lambda _: span.__setitem__(1, time.monotonic()))
        return future

    def now(self) -> float:
        """Return the part of the last minute's load average the measurements made."""
        now, free, load = time.monotonic(), 0.0, 0.0
        for queued, done in self.spans:
            start, stop = max(queued, free), min(done, now)  # one worker: each waits its turn
            if start < stop:
                load += math.exp((stop - now) / 60) - math.exp((start - now) / 60)
            free = done
        return load


class Measurement(Future[float]):
    """The Future of a count made in the measuring process, or made here if it cannot be.

    ``result()`` gives the worker's count; if the worker died (killed, out of
    memory) it runs ``inline`` (the same count on the same copy of the
    weights) in the caller instead: the run goes on with the same numbers.
    """

    def __init__(self, inline: Callable[[], float]) -> None:
        super().__init__()
        self.inline = inline

    def follow(self, future: Future[float]) -> Measurement:
        """Take future's outcome once it has one; return self."""
        def settle(done: Future[float]) -> None:
            try:
                if done.cancelled():
                    self.set_exception(BrokenExecutor("the worker was shut down"))
                elif done.exception() is not None:
                    self.set_exception(done.exception())
                else:
                    self.set_result(done.result())
            except InvalidStateError:  # cancelled already: the run stopped, nobody waits
                pass

        future.add_done_callback(settle)
        return self

    def result(self, timeout: float | None = None) -> float:
        try:
            return super().result(timeout)
        except BrokenExecutor:  # the worker is gone: count here, with the same result
            return self.inline()


class MeasuringProcess:
    """One worker process, started on first use, that runs the counts submitted to it."""

    def __init__(self) -> None:
        self.pool: ProcessPoolExecutor | None = None

    def submit(self, fn: Callable[..., float], *args: Any) -> Measurement:
        """Run fn(*args) in the worker; return its Measurement (fn(*args) here if it fails)."""
        measurement = Measurement(lambda: fn(*args))
        try:
            if self.pool is None:
                self.pool = _start_pool()
            return measurement.follow(self.pool.submit(fn, *args))
        except (BrokenExecutor, RuntimeError, OSError):  # the worker is gone, or cannot start
            measurement.set_result(fn(*args))
            return measurement

    def close(self) -> None:
        """Shut the worker down; one still counting (for a run that stopped) is ended now."""
        if self.pool is None:
            return
        # Its processes, to end one still counting: a pool lists them publicly only from 3.14.
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        self.pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if not _ends(process, within=0.5):  # an idle worker leaves at once
                process.kill()
                _ends(process, within=5.0)
        self.pool = None


def _ends(process: multiprocessing.process.BaseProcess, within: float) -> bool:
    """True once process has ended, waiting up to within seconds for it.

    It watches the process's sentinel (a pipe closed when it ends) and never
    collects its exit status: the pool's own thread does that. Were two threads
    to collect it, the one that came second would find the process gone and
    still take it for alive.
    """
    try:
        return bool(multiprocessing.connection.wait([process.sentinel], timeout=within))
    except ValueError:  # closed: the pool has collected it already
        return True


def _start_pool() -> ProcessPoolExecutor:
    """Return a pool of one process, "spawn"ed (a fresh interpreter) and started now."""
    # A fresh interpreter inherits nothing half-done from this one (no lock held
    # by another thread, as fork could); and no start method exists everywhere but it.
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_serve, initargs=(os.getpid(),))
    # Made before the hold: its queues start multiprocessing's resource tracker,
    # and starting that unblocks SIGINT and SIGTERM again.
    with _stops_held(), _no_main():
        pool.submit(int)  # starts the worker now, inside these two blocks
    return pool


@contextmanager
def _stops_held() -> Iterator[None]:
    """Hold the stop signals back in this block: a process started in it starts with them held.

    A Ctrl-C that reached the worker before _serve ignores them would kill it
    half-started; held, it waits, and is ignored.
    """
    if not hasattr(signal, "pthread_sigmask"):  # Windows: nothing to hold
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


@contextmanager
def _no_main() -> Iterator[None]:
    """Start processes in this block without this program's __main__.

    "spawn" runs the parent's main script again in the child, under another name,
    so that its functions can be found there. The worker needs none of them
    (it runs purenet's), and a script without ``if __name__ == "__main__":``
    would start training again in it.
    """
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _serve(parent: int) -> None:
    """Set up the worker: ignore the stop signals, and end when the training's process does."""
    for signum in STOPS:
        signal.signal(signum, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)  # those held at the start: ignored
    threading.Thread(target=_end_with, args=(parent,), daemon=True).start()


def _end_with(parent: int) -> None:
    # The pool's pipes do not tell a worker that its parent died (the worker
    # holds both ends): a new parent process id does.
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)
