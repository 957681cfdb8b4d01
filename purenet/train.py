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
Whoever wants to time the steps or draw a progress bar wraps the functions it
hands in (the command line does); the loop itself is only the book's.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from purenet.checks import (
    check_chunks,
    check_hyperparameters,
    check_run,
    check_sampling,
    diverged_message,
)
from purenet.functions import DELTA

SAMPLINGS = ("replacement", "shuffle")
Data = tuple[tuple[Any, Any], tuple[Any, Any]]  # ((x_train, t_train), (x_test, t_test))
Take = Callable[[Any, Sequence[int]], Any]  # (x, indices) -> the rows of x at indices
Gradient = Callable[[Any, Any], tuple[float, dict[str, Any]]]  # (x, t) -> (loss, grads)

# The loss is the mean of -log(y + DELTA), so it can never pass -log(DELTA) = 16.1,
# however badly the weights have blown up. A batch loss within 10% of that
# ceiling means nearly every image gets a probability below about 1e-6 for its
# label: the run has diverged.
LOSS_CEILING = -math.log(DELTA)
DIVERGED_LOSS = 0.9 * LOSS_CEILING


@dataclass
class Hyperparameters:
    """What a run is told: the book's defaults (10000 iterations of 100 images, lr 0.1).

    The book's names: ``iters`` is its ``iters_num``, ``lr`` its ``learning_rate``.
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

    def check(self, data: Data, rng: object = None) -> None:
        """Raise naming the first setting, the data or the rng that cannot work for a run."""
        check_run(data, rng)
        check_hyperparameters(self.iters, self.batch_size, self.lr, self.sampling,
                              len(data[0][0]), SAMPLINGS)


def batch_indices(rng: random.Random, train_size: int, batch_size: int, sampling: str,
                  ) -> Iterator[list[int]]:
    """Yield one list of batch_size indices into range(train_size) per iteration, forever.

    "replacement" draws each index independently (the book's
    ``np.random.choice(train_size, batch_size)``); "shuffle" cuts each new random
    permutation of range(train_size) into train_size // batch_size batches and
    drops the remainder, so each index appears at most once per epoch.
    """
    check_sampling(sampling, SAMPLINGS)
    if sampling == "replacement":
        population = range(train_size)
        while True:
            yield rng.choices(population, k=batch_size)
    else:  # "shuffle"
        order = list(range(train_size))
        while True:
            rng.shuffle(order)
            for start in range(0, train_size - batch_size + 1, batch_size):
                yield order[start:start + batch_size]


@dataclass
class History:
    """What a run records: the book's three lists, as plain numbers ready for JSON.

    ``train_loss`` is the book's train_loss_list: one loss per finished iteration
    (the batch's loss before its update). ``epochs`` holds the book's
    train_acc_list and test_acc_list, one {"iteration", "loss", "train_acc",
    "test_acc"} per epoch. ``final`` is {"iteration", "train_acc", "test_acc"} of
    the weights the run ends with. ``stopped`` is None for a full run, else
    "diverged" or "interrupted", with ``message`` saying why.
    """

    train_loss: list[float] = field(default_factory=list)
    epochs: list[dict[str, float]] = field(default_factory=list)
    final: dict[str, Any] | None = None
    iter_per_epoch: int = 0
    stopped: str | None = None
    message: str = ""

    def last_measured(self) -> dict[str, Any]:
        """Return {"iteration", "train_acc", "test_acc"} of the last finished iteration.

        The accuracies are its epoch's when it had one, else None (not measured);
        "iteration" is None when no iteration finished.
        """
        done = len(self.train_loss)
        if self.epochs and self.epochs[-1]["iteration"] == done - 1:
            last = self.epochs[-1]
            return {"iteration": done - 1, "train_acc": last["train_acc"],
                    "test_acc": last["test_acc"]}
        return {"iteration": done - 1 if done else None, "train_acc": None, "test_acc": None}

    def to_dict(self) -> dict[str, Any]:
        """Return the history as a dict of lists and numbers (for json.dump)."""
        return asdict(self)


def take_rows(x: Any, indices: Sequence[int]) -> list:
    """Return the rows of x at indices as a list: (N, D) -> (B, D); labels (N,) -> (B,).

    The plain Python form of NumPy's ``x[indices]``.
    """
    return [x[i] for i in indices]


def accuracy_in_chunks(network: Any, x: Any, t: Any, take: Take = take_rows,
                       chunk: int = 1000) -> float:
    """Return network.accuracy over all rows of x, measured ``chunk`` rows at a time.

    The book measures ``network.accuracy(x_train, t_train)`` in one call; in
    plain Python 60,000 images as lists of floats would need gigabytes, so the
    rows are gathered a chunk at a time. Each chunk's fraction is turned back
    into its count by rounding, not truncating: 0.29 * 100 is 28.999999999999996.
    """
    check_chunks(x, t, chunk)  # chunk >= 1, at least one row, as many labels as rows
    correct = 0
    for start in range(0, len(x), chunk):
        rows = range(start, min(start + chunk, len(x)))
        correct += round(network.accuracy(take(x, rows), take(t, rows)) * len(rows))
    return correct / len(x)


def train(network: Any, optimizer: Any, data: Data, hp: Hyperparameters, rng: random.Random,
          *, take: Take = take_rows, gradient: Gradient | None = None,
          accuracy: Callable[[Any, Any], float] | None = None, history: History | None = None,
          after_iteration: Callable[[int, History], None] = lambda i, history: None) -> History:
    """Train network with mini-batch SGD on data = ((x_train, t_train), (x_test, t_test)).

    Runs hp.iters iterations and returns the History (``history``, if given, is
    filled in place: a caller that stops the run with Ctrl-C still holds it).
    One epoch is ``train_size // batch_size`` iterations (at least 1); the
    accuracies are measured after the update of every iteration i with
    i % iter_per_epoch == 0, iteration 0 included, as in the book (10000
    iterations of 600 give 17), and once more for the weights returned unless
    just measured (the book's run ends at 9999, measured last at 9600).

    ``gradient(x, t) -> (loss, grads)`` defaults to ``network.loss_and_gradient``
    (the book's ``network.gradient``, plus the loss of the same forward pass);
    ``accuracy(x, t)`` to ``accuracy_in_chunks``; ``after_iteration(i, history)``
    is called at the end of each iteration (a progress bar, say). A
    loss that is NaN, infinite or near its ceiling stops the run before its
    update, with ``stopped`` set.
    """
    (x_train, t_train), (x_test, t_test) = data
    hp.check(data, rng)
    gradient = gradient or network.loss_and_gradient
    accuracy = accuracy or (lambda x, t: accuracy_in_chunks(network, x, t, take))
    history = history or History()
    history.iter_per_epoch = max(len(x_train) // hp.batch_size, 1)  # an int, not 600.0
    batches = batch_indices(rng, len(x_train), hp.batch_size, hp.sampling)

    for i in range(hp.iters):  # the book's iters_num
        batch_mask = next(batches)  # 1) a mini-batch
        x_batch, t_batch = take(x_train, batch_mask), take(t_train, batch_mask)
        loss, grads = gradient(x_batch, t_batch)  # 2) the gradient, and the loss of that pass
        if not -math.inf < loss < DIVERGED_LOSS:  # blown up (NaN too): stop before the update
            history.stopped, history.message = "diverged", diverged_message(loss, i, hp.lr, DELTA)
            break
        optimizer.update(network.params, grads)  # 3) SGD: W <- W - lr * dL/dW
        history.train_loss.append(float(loss))  # 4) the book's train_loss_list
        if i % history.iter_per_epoch == 0:  # once per epoch: train_acc_list, test_acc_list
            history.epochs.append({"iteration": i, "loss": float(loss),
                                   "train_acc": accuracy(x_train, t_train),
                                   "test_acc": accuracy(x_test, t_test)})
        after_iteration(i, history)

    history.final = history.last_measured()  # the weights returned: measured already, or now
    if history.final["test_acc"] is None:
        history.final.update(train_acc=accuracy(x_train, t_train),
                             test_acc=accuracy(x_test, t_test))
    return history
