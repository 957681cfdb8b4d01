"""The training loop of chapter 4.5: mini-batch stochastic gradient descent.

The book's four steps, repeated ``iters`` times:

1. draw a mini-batch (미니배치) of ``batch_size`` training images at random,
2. compute the gradient of the loss on that batch (기울기 산출),
3. update every parameter a small step against its gradient (매개변수 갱신, SGD),
4. repeat, recording the loss at every iteration and the train and test accuracy
   once per epoch.

The loop is written once and drives both packages: it only calls what a network,
an optimizer and the data have in common (``network.loss_and_gradient``,
``optimizer.update``, ``len(x)``). The one thing that differs is how a batch of
rows is gathered (a list of lists here, ``x[idx]`` in NumPy), so that is passed
in as a small function, ``take``. The indices come from one seeded
``random.Random``, so the same seed draws the same batches in both packages.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from purenet.functions import DELTA

SAMPLINGS = ("replacement", "shuffle")

# The loss is the mean of -log(y + DELTA), so it can never pass -log(DELTA) = 16.1,
# however badly the weights have blown up (from finite weights, the stable
# sigmoid and softmax never give NaN). A batch loss within 10% of that ceiling
# means nearly every image gets a probability below about 1e-6 for its label:
# the run has diverged.
LOSS_CEILING = -math.log(DELTA)
DIVERGED_LOSS = 0.9 * LOSS_CEILING

Take = Callable[[Any, Sequence[int]], Any]


@dataclass
class Hyperparameters:
    """What a run is told: the book's defaults (10000 iterations of 100 images, lr 0.1).

    ``sampling`` is how batches are drawn: "replacement" (the default, the book's
    ``np.random.choice``: each batch is 100 independent draws, so an image can
    appear twice in a batch and some images are not seen in an epoch) or
    "shuffle" (each epoch walks through one random permutation, so every image is
    visited exactly once per epoch when batch_size divides the training size).
    """

    iters: int = 10000
    batch_size: int = 100
    lr: float = 0.1
    sampling: str = "replacement"

    def check(self, train_size: int) -> None:
        """Raise ValueError naming the first setting that cannot work with train_size images."""
        if self.iters < 1:
            raise ValueError(f"iters must be at least 1, got {self.iters}")
        if not 1 <= self.batch_size <= train_size:
            raise ValueError(f"batch_size must be between 1 and the training size "
                             f"{train_size}, got {self.batch_size}")
        if not (self.lr > 0 and math.isfinite(self.lr)):
            raise ValueError(f"lr must be a positive number, got {self.lr}")
        if self.sampling not in SAMPLINGS:
            raise ValueError(f"sampling must be one of {', '.join(SAMPLINGS)}, "
                             f"got {self.sampling!r}")


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


def take_rows(x: Any, indices: Sequence[int]) -> list:
    """Return the rows of x at indices as a list: (N, D) -> (B, D); labels (N,) -> (B,).

    The pure Python way to gather a batch: works on lists and on the lazy image
    rows of purenet.mnist, which decode only the rows asked for.
    """
    return [x[i] for i in indices]


def take_array(x: Any, indices: Sequence[int]) -> Any:
    """Return x[indices] for a NumPy array: (N, D) -> (B, D); labels (N,) -> (B,).

    The NumPy way (fancy indexing copies the B rows). A range of consecutive
    rows, as accuracy_in_chunks asks for, becomes a slice: a view, no copy.
    """
    if isinstance(indices, range):
        return x[indices.start:indices.stop]
    return x[indices]


def batch_indices(rng: random.Random, train_size: int, batch_size: int, sampling: str,
                  ) -> Iterator[list[int]]:
    """Yield one list of batch_size indices into range(train_size) per iteration, forever.

    "replacement" draws each index independently (the book's
    ``np.random.choice(train_size, batch_size)``); "shuffle" cuts each new random
    permutation of range(train_size) into train_size // batch_size batches and
    drops the remainder, so each index appears at most once per epoch.
    """
    if sampling == "replacement":
        population = range(train_size)
        while True:
            yield rng.choices(population, k=batch_size)
    elif sampling == "shuffle":
        order = list(range(train_size))
        while True:
            rng.shuffle(order)
            for start in range(0, train_size - batch_size + 1, batch_size):
                yield order[start:start + batch_size]
    else:
        raise ValueError(f"sampling must be one of {', '.join(SAMPLINGS)}, got {sampling!r}")


def accuracy_in_chunks(network: Any, x: Any, t: Any, take: Take = take_rows,
                       chunk: int = 1000) -> float:
    """Return the fraction of rows of x whose predicted class is t's, chunk rows at a time.

    Calls ``network.accuracy`` on slices of ``chunk`` rows, so a whole data set is
    never materialized at once (60,000 images as Python floats would need gigabytes).
    """
    n = len(x)
    correct = 0
    for start in range(0, n, chunk):
        rows = range(start, min(start + chunk, n))
        correct += round(network.accuracy(take(x, rows), take(t, rows)) * len(rows))
    return correct / n


def train(
    network: Any,
    optimizer: Any,
    data: tuple[tuple[Any, Any], tuple[Any, Any]],
    hp: Hyperparameters,
    rng: random.Random,
    *,
    take: Take = take_rows,
    gradient: Callable[[Any, Any], tuple[float, dict[str, Any]]] | None = None,
    accuracy: Callable[[Any, Any], float] | None = None,
    on_iteration: Callable[[int, float], None] | None = None,
    on_epoch: Callable[[dict[str, float]], None] | None = None,
    on_step: Callable[[str, Step], None] | None = None,
) -> History:
    """Train network with mini-batch SGD on data = ((x_train, t_train), (x_test, t_test)).

    Runs hp.iters iterations and returns the History. One epoch is
    ``train_size // batch_size`` iterations (at least 1); the accuracies are
    measured after the update of every iteration i with i % iter_per_epoch == 0,
    iteration 0 included, as in the book (10000 iterations of 600 give 17). The
    weights the run ends with are measured once more after the loop unless their
    iteration was just measured (the book's run ends at 9999, measured last at
    9600), so ``history.final`` is always the accuracy of the weights returned.

    ``gradient(x, t) -> (loss, grads)`` defaults to ``network.loss_and_gradient``,
    which returns the loss of the same forward pass (no second pass to log it);
    ``accuracy(x, t)`` defaults to ``accuracy_in_chunks``. Hooks, all optional:
    ``on_iteration(i, loss)`` after each update, ``on_epoch(record)`` after each
    evaluation (not the final one), ``on_step(phase, step)`` with phase "gradient"
    (before the update) and "update" (after it).

    A loss that is NaN, infinite or near its ceiling (DIVERGED_LOSS) stops the
    run before its update, and Ctrl-C
    stops it wherever it lands: either way the History so far is returned, with
    ``stopped`` and ``message`` set, so the caller can still save it. (A Ctrl-C
    that lands inside optimizer.update leaves that one step half applied; after a
    Ctrl-C nothing more is measured, so ``final`` holds None for accuracies not
    yet measured.)
    """
    (x_train, t_train), (x_test, t_test) = data
    train_size = len(x_train)
    hp.check(train_size)
    if gradient is None:
        gradient = network.loss_and_gradient
    if accuracy is None:
        def accuracy(x: Any, t: Any) -> float:
            return accuracy_in_chunks(network, x, t, take)

    history = History(iter_per_epoch=max(train_size // hp.batch_size, 1))  # an int, not 600.0
    timings = history.timings
    batches = batch_indices(rng, train_size, hp.batch_size, hp.sampling)
    clock = time.perf_counter
    i = 0
    where = "step"  # what a Ctrl-C interrupts: a step, an evaluation, or the hooks after
    try:
        for i in range(hp.iters):
            where = "step"
            # 1) draw a mini-batch at random
            t0 = clock()
            indices = next(batches)
            x_batch, t_batch = take(x_train, indices), take(t_train, indices)
            # 2) compute the gradient (and the loss of the same forward pass)
            t1 = clock()
            loss, grads = gradient(x_batch, t_batch)
            loss = float(loss)
            t2 = clock()
            timings["sampling"] += t1 - t0
            timings["gradient"] += t2 - t1
            if not (math.isfinite(loss) and loss < DIVERGED_LOSS):
                history.stopped = "diverged"
                history.message = diverged_message(loss, i, hp.lr)
                break
            if on_step is not None:
                on_step("gradient", Step(i, indices, x_batch, t_batch, loss, grads))
                t2 = clock()  # the hook's time is no step's
            # 3) update the parameters with SGD: W <- W - lr * dL/dW
            optimizer.update(network.params, grads)
            t3 = clock()
            timings["update"] += t3 - t2
            history.train_loss.append(loss)
            where = "after"
            if on_step is not None:
                on_step("update", Step(i, indices, x_batch, t_batch, loss, grads))
                t3 = clock()
            if i % history.iter_per_epoch == 0:
                where = "evaluation"
                record = {"iteration": i, "loss": loss,
                          "train_acc": float(accuracy(x_train, t_train)),
                          "test_acc": float(accuracy(x_test, t_test))}
                history.epochs.append(record)
                timings["evaluation"] += clock() - t3
                where = "after"
                if on_epoch is not None:
                    on_epoch(record)
            if on_iteration is not None:
                on_iteration(i, loss)
            # 4) repeat
        history.final = last_measured(history)
        if history.final["test_acc"] is None:  # the final weights, not measured yet
            where = "final"
            t0 = clock()
            history.final["train_acc"] = float(accuracy(x_train, t_train))
            history.final["test_acc"] = float(accuracy(x_test, t_test))
            timings["evaluation"] += clock() - t0
    except KeyboardInterrupt:
        history.stopped = "interrupted"
        history.message = interrupted_message(where, i, len(history.train_loss))
        history.final = last_measured(history)
    return history


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
    """Say why the loss of iteration i stopped the run, and what to try instead."""
    if math.isfinite(loss):
        why = (f"the loss reached {loss:.4g} at iteration {i}, within 10% of its ceiling "
               f"-log({DELTA:g}) = {LOSS_CEILING:.2f} (the {DELTA:g} inside the log caps it): "
               f"nearly every image gets a probability below about 1e-6 for its label, so "
               f"the weights have blown up")
    else:
        why = f"the loss became {loss} at iteration {i}"
    if i == 0:  # measured before the first update: no step has been taken yet
        return (f"{why}, before any update: the start weights are too large. Try a "
                f"smaller --weight-init-std")
    return (f"{why}: the steps overshoot. Try a smaller learning rate, e.g. --lr {lr / 10:g} "
            f"(now {lr:g})")


def interrupted_message(where: str, i: int, done: int) -> str:
    """Say where a Ctrl-C stopped the run: in iteration i's step, or after it (done finished)."""
    finished = plural(done, "finished iteration")
    if where == "step":
        return f"interrupted (Ctrl-C) in iteration {i}, after {finished}"
    if where == "evaluation":
        return (f"interrupted (Ctrl-C) while measuring the accuracy after iteration {i} "
                f"({finished}; that measurement is not recorded)")
    if where == "final":
        return (f"interrupted (Ctrl-C) while measuring the final weights' accuracy "
                f"({finished})")
    return f"interrupted (Ctrl-C) after iteration {i} ({finished})"


def plural(n: int, word: str) -> str:
    """Say a count with its noun: 1 iteration, 2 iterations, 0 iterations."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
