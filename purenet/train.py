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
What watches the run (timers, hooks, Ctrl-C, a blown-up loss) is a Monitor in
``purenet/monitor.py`` that the loop reports to; the accuracy over a whole data
set is ``purenet/evaluation.py``'s.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from purenet.checks import check_hyperparameters, check_sampling
from purenet.evaluation import Take, accuracy_in_chunks, take_rows
from purenet.monitor import History, Monitor, Step

SAMPLINGS = ("replacement", "shuffle")


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

    def check(self, train_size: int) -> None:
        """Raise ValueError naming the first setting that cannot work with train_size images."""
        check_hyperparameters(self.iters, self.batch_size, self.lr, self.sampling, train_size,
                              SAMPLINGS)


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


def train(network: Any, optimizer: Any, data: tuple[tuple[Any, Any], tuple[Any, Any]],
          hp: Hyperparameters, rng: random.Random, *, take: Take = take_rows,
          gradient: Callable[[Any, Any], tuple[float, dict[str, Any]]] | None = None,
          accuracy: Callable[[Any, Any], float | Future[float]] | None = None,
          on_iteration: Callable[[int, float], None] | None = None,
          on_epoch: Callable[[dict[str, float]], None] | None = None,
          on_step: Callable[[str, Step], None] | None = None) -> History:
    """Train network with mini-batch SGD on data = ((x_train, t_train), (x_test, t_test)).

    Runs hp.iters iterations and returns the History. One epoch is
    ``train_size // batch_size`` iterations (at least 1); the accuracies are
    measured after the update of every iteration i with i % iter_per_epoch == 0,
    iteration 0 included, as in the book (10000 iterations of 600 give 17), and
    once more for the weights returned unless just measured (the book's run ends
    at 9999, measured last at 9600), so ``history.final`` is their accuracy.

    ``gradient(x, t) -> (loss, grads)`` defaults to ``network.loss_and_gradient``
    (the book's ``network.gradient``, plus the loss of the same forward pass);
    ``accuracy(x, t)`` to ``accuracy_in_chunks``; it may return a Future (a
    measurement running beside the training), which the Monitor waits for. The
    hooks are the Monitor's (purenet/monitor.py). A loss that is NaN, infinite or
    near its ceiling stops the run before its update, and Ctrl-C stops it
    wherever it lands: either way the History so far is returned, with
    ``stopped`` and ``message`` set.
    """
    (x_train, t_train), (x_test, t_test) = data
    hp.check(len(x_train))
    gradient = gradient or network.loss_and_gradient
    accuracy = accuracy or (lambda x, t: accuracy_in_chunks(network, x, t, take))
    history = History(iter_per_epoch=max(len(x_train) // hp.batch_size, 1))  # an int, not 600.0
    batches = batch_indices(rng, len(x_train), hp.batch_size, hp.sampling)
    run = Monitor(history, hp.lr, on_iteration, on_epoch, on_step)

    with run.until_stopped():  # a diverged loss or Ctrl-C ends the loop; the History is kept
        for i in run.iterations(hp.iters):  # the book's iters_num
            with run.phase("sampling"):  # 1) draw a mini-batch (the book's batch_mask)
                batch_mask = next(batches)
                x_batch, t_batch = take(x_train, batch_mask), take(t_train, batch_mask)
            with run.phase("gradient"):  # 2) the gradient, and the loss of the same pass
                loss, grads = gradient(x_batch, t_batch)
            step = run.check(Step(i, batch_mask, x_batch, t_batch, float(loss), grads))  # blown up?
            with run.phase("update"):  # 3) SGD: W <- W - lr * dL/dW (lr: learning_rate)
                optimizer.update(network.params, grads)
            # 4) record (the book's train_loss_list): the batch's loss BEFORE this update,
            # which step 2's forward pass gave for free; the book records the loss after
            # the update, at the cost of a second forward pass per iteration.
            history.train_loss.append(step.loss)
            run.updated(step)
            if i % history.iter_per_epoch == 0:  # once per epoch: train_acc_list, test_acc_list
                with run.phase("evaluation"):
                    record = {"iteration": i, "loss": step.loss,
                              "train_acc": accuracy(x_train, t_train),
                              "test_acc": accuracy(x_test, t_test)}
                run.epoch(record)
    with run.until_stopped():  # the weights returned, unless just measured or interrupted
        final = run.final_to_measure()
        if final is not None:
            with run.phase("final"):
                final["train_acc"] = accuracy(x_train, t_train)
                final["test_acc"] = accuracy(x_test, t_test)
    return history
