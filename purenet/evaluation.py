"""Measuring a trained network: the accuracy on a whole data set, a chunk of rows at a time.

The book measures ``network.accuracy(x_train, t_train)`` in one call once per
epoch. In plain Python 60,000 images as lists of floats would need gigabytes,
so the rows are gathered ``chunk`` at a time by a small function ``take``, the
one thing that differs between the packages (a list of lists here, ``x[idx]``
in NumPy). ``reference/evaluation.py`` is the NumPy twin, a faster way to the
same count.

An evaluation only reads the weights, so it can run beside the training:
``accuracy_beside`` counts a copy of them in a second process (plain Python
runs one thread at a time, so a thread would only take turns with the loop)
while the loop goes on with the originals, when a core is free for it.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any

from purenet.checks import check_chunks
from purenet.mnist import ImageRows

Take = Callable[[Any, Sequence[int]], Any]


def take_rows(x: Any, indices: Sequence[int]) -> list:
    """Return the rows of x at indices as a list: (N, D) -> (B, D); labels (N,) -> (B,).

    The pure Python way to gather a batch: works on lists and on the lazy image
    rows of purenet.mnist, which decode only the rows asked for.
    """
    if isinstance(x, ImageRows):
        return x.take(indices)  # decoded, and known to be a batch already (see ImageRows.take)
    return [x[i] for i in indices]


def take_array(x: Any, indices: Sequence[int]) -> Any:
    """Return x[indices] for a NumPy array: (N, D) -> (B, D); labels (N,) -> (B,).

    The NumPy way (fancy indexing copies the B rows). A range of consecutive
    rows, as accuracy_in_chunks asks for, becomes a slice: a view, no copy.
    """
    if isinstance(indices, range):
        return x[indices.start:indices.stop]
    return x[indices]


def accuracy_in_chunks(network: Any, x: Any, t: Any, take: Take = take_rows,
                       chunk: int = 1000) -> float:
    """Return the fraction of rows of x whose predicted class is t's, chunk rows at a time.

    Calls ``network.accuracy`` on slices of ``chunk`` rows, so a whole data set is
    never materialized at once (60,000 images as Python floats would need gigabytes).
    Each chunk's fraction is turned back into its count by rounding, not
    truncating: 0.29 * 100 is 28.999999999999996 in floats.
    """
    check_chunks(x, t, chunk)  # chunk >= 1, at least one row, as many labels as rows
    n = len(x)
    correct = 0
    for start in range(0, n, chunk):
        rows = range(start, min(start + chunk, n))
        correct += round(network.accuracy(take(x, rows), take(t, rows)) * len(rows))
    return correct / n


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


def measuring_process() -> ProcessPoolExecutor:
    """Return a pool of one process for accuracy_beside, started afresh ("spawn").

    A fresh interpreter inherits nothing half-done from this one (no locks held
    by threads, as fork could).
    """
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_leave_stops_to_the_training)


def close_measuring(worker: ProcessPoolExecutor) -> None:
    """Shut a measuring_process() down, ending a count nobody waits for any more.

    The Monitor waits for every measurement it records, so at the end of a run
    the process is idle and leaves at once; after a second Ctrl-C it may still
    be counting for nothing, and is ended.
    """
    # Its processes, to end one still counting: a pool names them publicly only from 3.14.
    processes = list((getattr(worker, "_processes", None) or {}).values())
    worker.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(timeout=2.0)
        if process.is_alive():
            process.kill()
            process.join()


def _leave_stops_to_the_training() -> None:
    # A terminal sends Ctrl-C (and a hangup) to every process of the job: the
    # training decides what a stop means, and it ends this process itself, as
    # does the closing of its pipe if the training dies.
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):  # Windows has no SIGHUP
            signal.signal(getattr(signal, name), signal.SIG_IGN)


def accuracy_beside(worker: Executor, network: Any, x: Any, t: Any, take: Take = take_rows,
                    chunk: int = 1000) -> Future[float]:
    """Start accuracy_in_chunks on worker for a copy of network's weights; return its Future.

    worker is a measuring_process(). The weights are copied now, so the training
    may update the originals meanwhile: the result is the accuracy of the weights
    as they are at this call, the same float accuracy_in_chunks would return here.
    """
    params = {key: [list(row) for row in value] if isinstance(value[0], list) else list(value)
              for key, value in network.params.items()}  # floats are never changed in place
    return worker.submit(_accuracy_of, type(network), params, x, t, take, chunk)


def _accuracy_of(cls: type, params: dict[str, list], x: Any, t: Any, take: Take,
                 chunk: int) -> float:
    """accuracy_in_chunks of a network of class cls holding params (in the measuring process)."""
    network: Any = object.__new__(cls)  # no __init__: params come from the training
    network.params = params
    return accuracy_in_chunks(network, x, t, take, chunk)
