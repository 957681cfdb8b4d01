"""Tests of purenet_cli/watch.py: what the command line learns by wrapping what train() gets.

Tiny synthetic data (three blobs in 6 dimensions) keeps each run well under a second.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

import numpy as np
import pytest

import purenet.functions
import purenet.optimizer
import purenet.two_layer_net
import purenet_cli.watch
import reference.optimizer
import reference.two_layer_net
from purenet.checks import NotProbabilities
from purenet.train import History, Hyperparameters, take_rows, train
from purenet_cli.impls import take_array
from purenet_cli.watch import StopSignal, Watch


def blobs(n: int, seed: int) -> tuple[list[list[float]], list[int]]:
    """n points in 6 dimensions, 3 classes, each around its own corner."""
    rng = random.Random(seed)
    t = [rng.randrange(3) for _ in range(n)]
    return [[(j % 3 == k) + 0.3 * rng.random() for j in range(6)] for k in t], t


def run(impl: str, hp: Hyperparameters, gradient: Any = None, **hooks: Any) -> Watch:
    """Train a 6-5-3 net in impl on 40 blobs, measured on 12 others, watched as the CLI does."""
    (x, t), (xt, tt) = blobs(40, 1), blobs(12, 2)
    rng = random.Random(0)
    net: Any = purenet.two_layer_net.TwoLayerNet(6, 5, 3, weight_init_std=0.5, rng=rng)
    take, opt = take_rows, purenet.optimizer.SGD(hp.lr)
    if impl == "numpy":
        net = reference.two_layer_net.TwoLayerNet.from_params(net.get_params())
        x, t, xt, tt = np.array(x), np.array(t), np.array(xt), np.array(tt)
        take, opt = take_array, reference.optimizer.SGD(hp.lr)
    watch = Watch(History(), hp.iters, **hooks)
    try:
        train(net, watch.optimizer(opt), ((x, t), (xt, tt)), hp, rng, take=watch.take(take),
              gradient=watch.gradient(gradient or net.loss_and_gradient),
              accuracy=watch.accuracy(lambda x, t: net.accuracy(x, t)), history=watch.history,
              after_iteration=watch.after_iteration)
    except KeyboardInterrupt as stop:
        watch.interrupted(stop)
    return watch


def test_an_epochs_loss_is_that_iterations_batch_loss() -> None:
    history = run("pure", Hyperparameters(iters=30, batch_size=8, lr=0.5)).history
    assert [e["iteration"] for e in history.epochs] == [0, 5, 10, 15, 20, 25]
    # exactly the recorded loss, not a mean over the epoch (which would differ after 0)
    assert [e["loss"] for e in history.epochs] == \
        [history.train_loss[int(e["iteration"])] for e in history.epochs]


def test_each_phase_is_timed_into_its_own_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    ticks = itertools.count()  # a clock that moves one second per reading
    monkeypatch.setattr(purenet_cli.watch, "clock", lambda: float(next(ticks)))
    watch = run("pure", Hyperparameters(iters=12, batch_size=8, lr=0.5))
    # one second per call timed: 12 steps of two takes, evaluations (of two sets) at 0, 5, 10
    # and of the final weights
    assert watch.timings == {"sampling": 24.0, "gradient": 12.0, "update": 12.0,
                             "evaluation": 8.0}


@pytest.mark.parametrize("impl", ["pure", "numpy"])
def test_a_nan_the_loss_refuses_stops_the_run_as_diverged(impl: str) -> None:
    with np.errstate(over="ignore", invalid="ignore"):
        history = run(impl, Hyperparameters(iters=10, batch_size=8, lr=1e308)).history
    assert history.stopped == "diverged"
    n = len(history.train_loss)
    assert 1 <= n < 10 and history.message.startswith(f"the loss became nan at iteration {n}: "
                                                      f"the steps overshoot")


def test_a_value_above_1_in_the_loss_is_a_mistake_not_a_divergence() -> None:
    def scores_as_probabilities(x: Any, t: Any) -> Any:
        return purenet.functions.cross_entropy_error([[3.0, 0.5]], [0]), {}

    with pytest.raises(NotProbabilities, match="got 3.0"):
        run("pure", Hyperparameters(iters=3, batch_size=8), gradient=scores_as_probabilities)


def test_a_stop_signal_is_named_where_ctrl_c_would_be() -> None:
    watch = Watch(History(), 10)
    watch.interrupted(StopSignal(15, "SIGTERM"))
    assert watch.history.stopped == "interrupted"
    assert watch.history.message == ("interrupted (SIGTERM) in iteration 0, after 0 finished "
                                     "iterations")
    assert watch.history.final == {"iteration": None, "train_acc": None, "test_acc": None}


@pytest.mark.parametrize("at, where", [(("take", 0), "in iteration 3, after 3 finished"),
                                       (("accuracy", 0), "while measuring the accuracy after "
                                        "iteration 5 (6 finished iterations; that measurement"),
                                       (("accuracy", 2), "while measuring the final weights'"),
                                       (("epoch", 0), "after iteration 5 (6 finished")])
def test_a_ctrl_c_is_named_for_where_it_landed(at: tuple[str, int], where: str) -> None:
    calls = {"take": 0, "accuracy": 0, "epoch": 0}
    target, skip = at

    def stop_at(name: str, n: int) -> None:
        calls[name] += 1
        if name == target and calls[name] > skip and (name != "take" or n >= 3):
            raise KeyboardInterrupt

    hp = Hyperparameters(iters=7, batch_size=8, lr=0.5)  # epochs of 5: measured at 0, 5, final
    taken: list[int] = []

    def on_iteration(i: int, loss: float) -> None:
        taken.append(i)

    def on_epoch(record: dict) -> None:
        if record["iteration"] == 5:
            stop_at("epoch", 0)

    watch = Watch(History(), hp.iters, on_iteration=on_iteration, on_epoch=on_epoch)
    (x, t), (xt, tt) = blobs(40, 1), blobs(12, 2)
    rng = random.Random(0)
    net = purenet.two_layer_net.TwoLayerNet(6, 5, 3, weight_init_std=0.5, rng=rng)

    def take(x: Any, indices: Any) -> Any:
        if len(taken) == 3:
            stop_at("take", 3)
        return take_rows(x, indices)

    def accuracy(x: Any, t: Any) -> float:
        if len(watch.history.train_loss) in (6, 7):
            stop_at("accuracy", 0)
        return net.accuracy(x, t)

    try:
        train(net, watch.optimizer(purenet.optimizer.SGD(0.5)), ((x, t), (xt, tt)), hp, rng,
              take=watch.take(take), gradient=watch.gradient(net.loss_and_gradient),
              accuracy=watch.accuracy(accuracy), history=watch.history,
              after_iteration=watch.after_iteration)
    except KeyboardInterrupt as stop:
        watch.interrupted(stop)
    assert watch.history.stopped == "interrupted"
    assert where in watch.history.message
