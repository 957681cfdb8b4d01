"""Tests of purenet/monitor.py: what a run records about itself, and how it stops.

Tiny synthetic data (three blobs in 6 dimensions) keeps each run well under a second.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

import numpy as np
import pytest

import purenet.functions
import purenet.monitor
import purenet.optimizer
import purenet.two_layer_net
import reference.optimizer
import reference.two_layer_net
from purenet.checks import NotProbabilities
from purenet.evaluation import take_array, take_rows
from purenet.monitor import History, Monitor, StopSignal
from purenet.train import Hyperparameters, train


def blobs(n: int, seed: int) -> tuple[list[list[float]], list[int]]:
    """n points in 6 dimensions, 3 classes, each around its own corner."""
    rng = random.Random(seed)
    t = [rng.randrange(3) for _ in range(n)]
    return [[(j % 3 == k) + 0.3 * rng.random() for j in range(6)] for k in t], t


def run(impl: str, hp: Hyperparameters, **kwargs: Any) -> History:
    """Train a 6-5-3 net in impl on 40 blobs, measured on 12 others."""
    (x, t), (xt, tt) = blobs(40, 1), blobs(12, 2)
    rng = random.Random(0)
    net: Any = purenet.two_layer_net.TwoLayerNet(6, 5, 3, weight_init_std=0.5, rng=rng)
    take, opt = take_rows, purenet.optimizer.SGD(hp.lr)
    if impl == "numpy":
        net = reference.two_layer_net.TwoLayerNet.from_params(net.get_params())
        x, t, xt, tt = np.array(x), np.array(t), np.array(xt), np.array(tt)
        take, opt = take_array, reference.optimizer.SGD(hp.lr)
    return train(net, opt, ((x, t), (xt, tt)), hp, rng, take=take, **kwargs)


def test_an_epochs_loss_is_that_iterations_batch_loss() -> None:
    history = run("pure", Hyperparameters(iters=30, batch_size=8, lr=0.5))
    assert [e["iteration"] for e in history.epochs] == [0, 5, 10, 15, 20, 25]
    # exactly the recorded loss, not a mean over the epoch (which would differ after 0)
    assert [e["loss"] for e in history.epochs] == \
        [history.train_loss[int(e["iteration"])] for e in history.epochs]


def test_each_phase_is_timed_into_its_own_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    ticks = itertools.count()  # a clock that moves one second per reading
    monkeypatch.setattr(purenet.monitor, "clock", lambda: float(next(ticks)))
    history = run("pure", Hyperparameters(iters=12, batch_size=8, lr=0.5))
    # one second per phase entered: 12 steps, evaluations at 0, 5, 10 and the final weights
    assert history.timings == {"sampling": 12.0, "gradient": 12.0, "update": 12.0,
                               "evaluation": 4.0}


@pytest.mark.parametrize("impl", ["pure", "numpy"])
def test_a_nan_the_loss_refuses_stops_the_run_as_diverged(impl: str) -> None:
    with np.errstate(over="ignore", invalid="ignore"):
        history = run(impl, Hyperparameters(iters=10, batch_size=8, lr=1e308))
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
    history = History()
    monitor = Monitor(history, 0.1)
    with monitor.until_stopped():
        raise StopSignal(15, "SIGTERM")
    assert history.stopped == "interrupted"
    assert history.message == "interrupted (SIGTERM) in iteration 0, after 0 finished iterations"
