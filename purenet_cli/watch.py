"""What watches a training run from outside, so purenet/train.py can stay the book's loop.

The train command hands train() wrapped functions: ``Watch.take``,
``Watch.gradient``, ``Watch.optimizer`` and ``Watch.accuracy`` time each step
into ``timings`` and note where a Ctrl-C would land; ``Watch.after_iteration``,
train's one callback, moves the progress bar and prints the epoch line. None of
it changes what the network learns: the wrapped functions return what the
originals return.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from purenet.checks import NotProbabilities, diverged_message
from purenet.functions import DELTA
from purenet.train import History

# What the steps are timed with; a test may put a fake clock here.
clock = time.perf_counter

TIMERS = ("sampling", "gradient", "update", "evaluation")


class StopSignal(KeyboardInterrupt):
    """A signal other than Ctrl-C's (SIGTERM, say) that a program turned into a stop like it.

    A KeyboardInterrupt, so it stops a run as Ctrl-C does; ``name`` says which
    signal ("SIGTERM"), ``signum`` its number.
    """

    def __init__(self, signum: int, name: str) -> None:
        super().__init__(name)
        self.signum, self.name = signum, name


class Watch:
    """Wraps what train() is handed: times each step, notes where a stop lands, calls the hooks.

    Hooks, all optional: ``on_iteration(i, loss)`` after each iteration (the
    progress bar), ``on_epoch(record)`` after each evaluation (the epoch line),
    ``on_step(phase, step)`` with phase "gradient" (before the first update) and
    "update" (after it), for --explain. A hook's own time is counted in no step.
    """

    def __init__(self, history: History, iters: int,
                 on_iteration: Callable[[int, float], None] | None = None,
                 on_epoch: Callable[[dict[str, float]], None] | None = None,
                 on_step: Callable[[str, Step], None] | None = None) -> None:
        self.history, self.iters = history, iters
        self.on_iteration = on_iteration or (lambda i, loss: None)
        self.on_epoch = on_epoch or (lambda record: None)
        self.on_step = on_step
        self.timings = dict.fromkeys(TIMERS, 0.0)
        self.where = "step"  # what a Ctrl-C interrupts: a step, an evaluation, or neither
        self.reported = -1  # the last iteration after_iteration was called for
        self.step: Step | None = None  # iteration 0's batch, loss and grads, for on_step
        self.loss = math.nan  # the last loss the gradient gave

    def _timed(self, timer: str, where: str, fn: Callable[..., Any], *args: Any) -> Any:
        self.where = where
        start = clock()
        result = fn(*args)
        self.timings[timer] += clock() - start
        return result

    def take(self, take: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
        """Return take, timed as sampling; the indices of iteration 0 are kept for on_step."""
        def timed_take(x: Any, indices: Any) -> Any:
            if self.on_step is not None and not self.history.train_loss:
                self.indices = list(indices)
            return self._timed("sampling", "step", take, x, indices)

        return timed_take

    def gradient(self, gradient: Callable[[Any, Any], tuple[float, dict[str, Any]]],
                 ) -> Callable[[Any, Any], tuple[float, dict[str, Any]]]:
        """Return gradient, timed; a NaN the loss refuses comes back as a NaN loss.

        From blown-up weights the forward pass gives NaN, which cross_entropy_error
        refuses; as a NaN loss, train() stops the run as diverged before the update.
        """
        def timed_gradient(x: Any, t: Any) -> tuple[float, dict[str, Any]]:
            try:
                loss, grads = self._timed("gradient", "step", gradient, x, t)
            except NotProbabilities as err:
                if not math.isnan(err.value):
                    raise
                loss, grads = math.nan, {}
            self.loss = float(loss)
            if self.on_step is not None and not self.history.train_loss:
                self.step = Step(0, self.indices, x, t, float(loss), grads)
            return loss, grads

        return timed_gradient

    def optimizer(self, optimizer: Any) -> Any:
        """Return an optimizer whose update is timed (and explained at iteration 0)."""
        watch = self

        class Timed:
            def update(self, params: dict[str, Any], grads: dict[str, Any]) -> None:
                step = watch.step if not watch.history.train_loss else None
                if step is not None and watch.on_step is not None:
                    watch.on_step("gradient", step)
                watch._timed("update", "step", optimizer.update, params, grads)
                watch.where = "after"
                if step is not None and watch.on_step is not None:
                    watch.on_step("update", step)

        return Timed()

    def accuracy(self, accuracy: Callable[[Any, Any], float | None],
                 ) -> Callable[[Any, Any], Any]:
        """Return accuracy, timed as evaluation; a stop in it is named for what it measured.

        An accuracy of None (weights that are not finite) goes into the History as
        None, JSON's null: not measured.
        """
        def timed_accuracy(x: Any, t: Any) -> float | None:
            done = len(self.history.train_loss)
            where = "final" if self.reported == done - 1 else "evaluation"
            result = self._timed("evaluation", where, accuracy, x, t)
            self.where = "after"
            return result

        return timed_accuracy

    def after_iteration(self, i: int, history: History) -> None:
        """train's callback after iteration i: the epoch line if it was measured, the bar."""
        self.reported = i
        if history.epochs and history.epochs[-1]["iteration"] == i:
            self.on_epoch(history.epochs[-1])
        self.on_iteration(i, history.train_loss[-1])

    def diverged_message(self, lr: float) -> str:
        """The History's "diverged" message, naming the command's options instead of parameters."""
        return diverged_message(self.loss, len(self.history.train_loss), lr, DELTA,
                                std_name="--weight-init-std", lr_name="--lr ")

    def interrupted(self, stop: KeyboardInterrupt) -> None:
        """Record in the History that a Ctrl-C (or a signal) stopped the run, and where."""
        done = len(self.history.train_loss)
        by = stop.name if isinstance(stop, StopSignal) else "Ctrl-C"
        i = done if self.where == "step" else done - 1
        self.history.stopped = "interrupted"
        self.history.message = interrupted_message(self.where, i, done, by)
        self.history.final = self.history.last_measured()


class Step:
    """Iteration 0 as --explain sees it: the batch drawn, its loss and gradients."""

    def __init__(self, iteration: int, indices: list[int], x_batch: Any, t_batch: Any,
                 loss: float, grads: dict[str, Any]) -> None:
        self.iteration, self.indices = iteration, indices
        self.x_batch, self.t_batch, self.loss, self.grads = x_batch, t_batch, loss, grads


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
