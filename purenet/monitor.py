"""What watches a training run, so the loop in train.py can stay the book's four steps.

The loop reports to a Monitor: ``with run.phase("gradient"):`` around each step
times it and remembers where a Ctrl-C would land; ``run.check(step)`` stops a
run whose loss has blown up (and so does a NaN the loss refuses in the gradient
phase); the hooks a caller passes (a progress bar, the
``--explain`` printer) are called from here. A learner can skip this file: none
of it changes what the network learns.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from purenet.checks import NotProbabilities
from purenet.functions import DELTA

# What the phases are timed with; a test may put a fake clock here.
clock = time.perf_counter

# The loss is the mean of -log(y + DELTA), so it can never pass -log(DELTA) = 16.1,
# however badly the weights have blown up (from finite weights, the stable
# sigmoid and softmax never give NaN). A batch loss within 10% of that ceiling
# means nearly every image gets a probability below about 1e-6 for its label:
# the run has diverged.
LOSS_CEILING = -math.log(DELTA)
DIVERGED_LOSS = 0.9 * LOSS_CEILING

# phase -> (the timings entry it adds to, what a Ctrl-C in it interrupts)
PHASES = {"sampling": ("sampling", "step"), "gradient": ("gradient", "step"),
          "update": ("update", "step"), "evaluation": ("evaluation", "evaluation"),
          "final": ("evaluation", "final")}


@dataclass
class History:
    """What a run records; everything here is plain numbers, ready for JSON.

    ``train_loss`` holds one loss per finished iteration (the batch's loss before
    its update); ``epochs`` one {"iteration", "loss", "train_acc", "test_acc"}
    per evaluation; ``final`` the {"iteration", "train_acc", "test_acc"} of the
    weights the run ends with (the last finished iteration; None where nothing
    was measured); ``timings`` the seconds spent in each step. ``stopped`` is None
    for a full run, else "diverged" or "interrupted", with ``message`` saying why.
    """

    train_loss: list[float] = field(default_factory=list)
    epochs: list[dict[str, float]] = field(default_factory=list)
    final: dict[str, Any] | None = None
    iter_per_epoch: int = 0
    timings: dict[str, float] = field(
        default_factory=lambda: dict.fromkeys(("sampling", "gradient", "update", "evaluation"),
                                              0.0))
    stopped: str | None = None
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the history as a dict of lists and numbers (for json.dump)."""
        return asdict(self)


@dataclass
class Step:
    """One iteration as the hooks see it: the batch drawn, its loss and gradients."""

    iteration: int
    indices: list[int]
    x_batch: Any
    t_batch: Any
    loss: float
    grads: dict[str, Any]


class Diverged(Exception):
    """Raised by Monitor.check to stop the loop before an update from a blown-up loss."""


class StopSignal(KeyboardInterrupt):
    """A signal other than Ctrl-C's (SIGTERM, say) that a program turned into a stop like it.

    A KeyboardInterrupt, so it stops a run as Ctrl-C does; ``name`` says which
    signal ("SIGTERM"), ``signum`` its number.
    """

    def __init__(self, signum: int, name: str) -> None:
        super().__init__(name)
        self.signum, self.name = signum, name


class Monitor:
    """Times the phases of a run, calls its hooks, and turns a stop into History fields.

    Hooks, all optional: ``on_iteration(i, loss)`` after each iteration,
    ``on_epoch(record)`` after each evaluation, ``on_step(phase, step)`` with
    phase "gradient" (before the update) and "update" (after it). A hook's own
    time is counted in no phase.

    An accuracy may come as a Future (measured on another thread or in another
    process while the training goes on): its record then waits in ``pending``
    and is appended, and on_epoch called, at the top of the first iteration that
    finds it done, always in the order measured, and all of them before the
    final weights are. A stop keeps the ones done and drops the rest, as a stop
    inline drops the evaluation it interrupts.
    """

    def __init__(self, history: History, lr: float,
                 on_iteration: Callable[[int, float], None] | None = None,
                 on_epoch: Callable[[dict[str, float]], None] | None = None,
                 on_step: Callable[[str, Step], None] | None = None) -> None:
        self.history, self.lr = history, lr
        self.on_iteration = on_iteration or (lambda i, loss: None)
        self.on_epoch = on_epoch or (lambda record: None)
        self.on_step = on_step or (lambda phase, step: None)
        self.i = 0
        self.where = "step"  # what a Ctrl-C interrupts: a step, an evaluation, the final one
        self.pending: list[dict[str, Any]] = []  # records whose accuracies are still measured

    def iterations(self, iters: int) -> Iterator[int]:
        """Yield 0 .. iters - 1, calling on_iteration after each finished iteration."""
        for self.i in range(iters):
            self.where = "step"
            self.record_finished()
            yield self.i
            self.on_iteration(self.i, self.history.train_loss[-1])

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Time the block into history.timings and note what a Ctrl-C in it would stop."""
        timer, self.where = PHASES[name]
        start = clock()
        try:
            yield
        except NotProbabilities as err:  # the loss refused a NaN: the weights have blown up
            if name != "gradient" or not math.isnan(err.value):
                raise
            raise Diverged(diverged_message(math.nan, self.i, self.lr)) from None
        if name == "final":  # the final weights' accuracies, once they are in
            self.history.final = resolved(self.history.final or {})
        self.history.timings[timer] += clock() - start
        if name == "evaluation":
            self.where = "after"

    def check(self, step: Step) -> Step:
        """Stop the run (Diverged) if the batch's loss blew up; else call the hooks, return step.

        Checked before the update, so a blown-up step is never applied.
        """
        if not (math.isfinite(step.loss) and step.loss < DIVERGED_LOSS):
            raise Diverged(diverged_message(step.loss, step.iteration, self.lr))
        self.on_step("gradient", step)
        return step

    def updated(self, step: Step) -> None:
        """Note that step's update is applied and its loss recorded; call the hooks."""
        self.where = "after"
        self.on_step("update", step)

    def epoch(self, record: dict[str, Any]) -> None:
        """Record one evaluation and call on_epoch, once its accuracies are in, in order."""
        self.pending.append(record)
        self.record_finished()

    def record_finished(self, wait: bool = False) -> None:
        """Record the pending evaluations that are done (all of them if wait), oldest first."""
        while self.pending and (wait or all(value.done() for value in self.pending[0].values()
                                            if isinstance(value, Future))):
            record = resolved(self.pending[0])  # waits here if need be: still pending till then
            self.pending.pop(0)
            self.history.epochs.append(record)
            self.on_epoch(record)

    def drop_pending(self) -> None:
        """At a stop: record the pending evaluations already done, in order; drop the rest.

        A stop must not wait for a measurement (in plain Python one takes as long
        as an epoch of training); inline, the stop would have interrupted it too.
        """
        self.record_finished()
        for record in self.pending:
            for value in record.values():
                if isinstance(value, Future):
                    value.cancel()
        self.pending.clear()

    @contextmanager
    def until_stopped(self) -> Iterator[None]:
        """End the block at a diverged loss or a Ctrl-C, saying why in the History.

        Either way the History so far is kept, so the caller can still save it.
        After a Ctrl-C nothing more is measured: ``final`` holds None for the
        accuracies not yet measured. (A Ctrl-C that lands inside optimizer.update
        leaves that one step half applied.)
        """
        try:
            yield
        except Diverged as stop:
            self.history.stopped, self.history.message = "diverged", str(stop)
        except KeyboardInterrupt as stop:
            self.drop_pending()  # the ones measured already are kept
            done = len(self.history.train_loss)
            by = stop.name if isinstance(stop, StopSignal) else "Ctrl-C"
            self.history.stopped = "interrupted"
            self.history.message = interrupted_message(self.where, self.i, done, by)
            self.history.final = last_measured(self.history)

    def final_to_measure(self) -> dict[str, Any] | None:
        """Set history.final to the last measured iteration; return it if still unmeasured.

        The book's run ends at iteration 9999 but measures last at 9600, so the
        weights it returns are measured once more, unless Ctrl-C stopped the run.
        """
        if self.history.stopped == "interrupted":
            return None
        self.record_finished(wait=True)  # a Ctrl-C here stops the run, as anywhere else
        final = self.history.final = last_measured(self.history)
        return final if final["test_acc"] is None else None


def resolved(record: dict[str, Any]) -> dict[str, Any]:
    """Return record with each accuracy a float, waiting for any still being measured."""
    return {key: float(value.result()) if isinstance(value, Future)
            else float(value) if key.endswith("_acc") and value is not None else value
            for key, value in record.items()}


def last_measured(history: History) -> dict[str, Any]:
    """Return {"iteration", "train_acc", "test_acc"} of the last finished iteration's weights.

    The accuracies are that iteration's evaluation when it had one, else None
    (still to be measured); "iteration" is None when no iteration finished.
    """
    done = len(history.train_loss)
    last = history.epochs[-1] if history.epochs else None
    if last is not None and last["iteration"] == done - 1:
        return {"iteration": done - 1, "train_acc": last["train_acc"],
                "test_acc": last["test_acc"]}
    return {"iteration": done - 1 if done else None, "train_acc": None, "test_acc": None}


def diverged_message(loss: float, i: int, lr: float) -> str:
    """Say why the loss of iteration i stopped the run, and what to try instead.

    It names the library's parameters (learning rate, weight_init_std); the
    command line phrases them as its options.
    """
    if math.isfinite(loss):
        why = (f"the loss reached {loss:.4g} at iteration {i}, within 10% of its ceiling "
               f"-log({DELTA:g}) = {LOSS_CEILING:.2f} (the {DELTA:g} inside the log caps it): "
               f"nearly every image gets a probability below about 1e-6 for its label, so "
               f"the weights have blown up")
    else:
        why = f"the loss became {loss} at iteration {i}"
    if i == 0:  # measured before the first update: no step has been taken yet
        return (f"{why}, before any update: the start weights are too large. Try a "
                f"smaller weight_init_std")
    return (f"{why}: the steps overshoot. Try a smaller learning rate, e.g. {lr / 10:g} "
            f"(now {lr:g})")


def interrupted_message(where: str, i: int, done: int, by: str = "Ctrl-C") -> str:
    """Say where a Ctrl-C (or the signal by) stopped the run: in iteration i's step, or after."""
    finished = plural(done, "finished iteration")
    if where == "step":
        return f"interrupted ({by}) in iteration {i}, after {finished}"
    if where == "evaluation":
        return (f"interrupted ({by}) while measuring the accuracy after iteration {i} "
                f"({finished}; that measurement is not recorded)")
    if where == "final":
        return (f"interrupted ({by}) while measuring the final weights' accuracy "
                f"({finished})")
    return f"interrupted ({by}) after iteration {i} ({finished})"


def plural(n: int, word: str) -> str:
    """Say a count with its noun: 1 iteration, 2 iterations, 0 iterations."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
