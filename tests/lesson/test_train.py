"""Tests of purenet/train.py, the one training loop both packages run, as the command runs it.

Tiny synthetic data sets keep every test well under a second; a stand-in
network (FakeNet) lets the loop's bookkeeping be tested without any math.
"""

from __future__ import annotations

import math
import random
from typing import Any

import numpy as np
import pytest

import purenet.functions
import purenet.optimizer
import purenet.two_layer_net
import reference.optimizer
import reference.two_layer_net
from purenet.checks import diverged_message as library_diverged_message
from purenet.functions import DELTA
from purenet.train import (
    DIVERGED_LOSS,
    History,
    Hyperparameters,
    accuracy_in_chunks,
    batch_indices,
    take_rows,
)
from purenet.train import train as lesson_train
from purenet_cli.impls import take_array
from purenet_cli.watch import Step, Watch


def diverged_message(loss: float, i: int, lr: float) -> str:
    return library_diverged_message(loss, i, lr, DELTA)


def train(network: Any, optimizer: Any, data: Any, hp: Hyperparameters, rng: random.Random,
          *, take: Any = take_rows, gradient: Any = None, accuracy: Any = None,
          **hooks: Any) -> History:
    """The lesson's train(), watched as the train command watches it: the hooks called and a
    Ctrl-C recorded in the History (the watch's timings are kept as history.timings)."""
    watch = Watch(History(), hp.iters, **hooks)
    gradient = gradient or getattr(network, "loss_and_gradient", None)
    try:
        lesson_train(network, watch.optimizer(optimizer), data, hp, rng, take=watch.take(take),
                     gradient=watch.gradient(gradient),
                     accuracy=watch.accuracy(accuracy or (lambda x, t: accuracy_in_chunks(
                         network, x, t, take))),
                     history=watch.history, after_iteration=watch.after_iteration)
    except KeyboardInterrupt as stop:
        watch.interrupted(stop)
    watch.history.timings = watch.timings  # type: ignore[attr-defined]
    return watch.history


def blobs(n: int, seed: int = 0) -> tuple[list[list[float]], list[int]]:
    """n points in 6 dimensions, 3 classes, each class around its own corner: learnable."""
    rng = random.Random(seed)
    x, t = [], []
    for _ in range(n):
        k = rng.randrange(3)
        x.append([(1.0 if j % 3 == k else 0.0) + 0.3 * rng.random() for j in range(6)])
        t.append(k)
    return x, t


def run(impl: str, seed: int, hp: Hyperparameters, n_train: int = 40,
        **hooks: Any) -> tuple[History, list[list[int]]]:
    """Train a 6-5-3 net in impl on blobs, from purenet's seeded start weights."""
    (x, t), (xt, tt) = blobs(n_train, seed=1), blobs(12, seed=2)
    rng = random.Random(seed)
    net: Any = purenet.two_layer_net.TwoLayerNet(6, 5, 3, weight_init_std=0.5, rng=rng)
    take = take_rows
    opt: Any = purenet.optimizer.SGD(hp.lr)
    if impl == "numpy":
        net = reference.two_layer_net.TwoLayerNet.from_params(net.get_params())
        x, t, xt, tt = np.array(x), np.array(t), np.array(xt), np.array(tt)
        take = take_array
        opt = reference.optimizer.SGD(hp.lr)
    drawn: list[list[int]] = []

    def on_step(phase: str, step: Step) -> None:
        if phase == "gradient":
            drawn.append(list(step.indices))

    history = train(net, opt, ((x, t), (xt, tt)), hp, rng, take=take, on_step=on_step, **hooks)
    return history, drawn


@pytest.mark.parametrize("sampling", ["replacement", "shuffle"])
def test_same_seed_same_batches_and_losses_in_both_packages(sampling: str) -> None:
    hp = Hyperparameters(iters=30, batch_size=8, lr=0.5, sampling=sampling)
    pure, pure_batches = run("pure", 7, hp)
    numpy, numpy_batches = run("numpy", 7, hp)
    assert pure_batches == numpy_batches
    assert len(pure.train_loss) == len(numpy.train_loss) == 30
    for i, (a, b) in enumerate(zip(pure.train_loss, numpy.train_loss)):
        assert abs(a - b) <= 1e-12, f"iteration {i}: pure {a!r}, numpy {b!r}"
    assert [(e["iteration"], e["train_acc"], e["test_acc"]) for e in pure.epochs] == \
        [(e["iteration"], e["train_acc"], e["test_acc"]) for e in numpy.epochs]
    assert pure.final == numpy.final and pure.final is not None
    assert pure.final["iteration"] == 29
    # it learns: the loss of the last iterations is well below log(3) = 1.0986
    assert sum(pure.train_loss[-5:]) / 5 < 0.9


def test_another_seed_draws_other_batches() -> None:
    hp = Hyperparameters(iters=5, batch_size=8, lr=0.1)
    assert run("pure", 1, hp)[1] != run("pure", 2, hp)[1]


class FakeNet:
    """Stands in for a network: a scripted loss per call, no parameters to speak of."""

    def __init__(self, losses: Any = None, interrupt_at: int | None = None) -> None:
        self.params: dict[str, list[float]] = {"w": [0.0]}
        self.losses, self.interrupt_at, self.calls = losses, interrupt_at, 0
        self.updates = 0

    def loss_and_gradient(self, x: Any, t: Any) -> tuple[float, dict[str, list[float]]]:
        i, self.calls = self.calls, self.calls + 1
        if i == self.interrupt_at:
            raise KeyboardInterrupt
        loss = self.losses(i) if self.losses else 1.0 / (i + 1)
        return loss, {"w": [1.0]}

    def accuracy(self, x: Any, t: Any) -> float:
        return 0.5


class CountingSGD:
    def __init__(self) -> None:
        self.updates = 0

    def update(self, params: dict, grads: dict) -> None:
        self.updates += 1


def fake_data(n_train: int, n_test: int = 10) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
    return (list(range(n_train)), [0] * n_train), (list(range(n_test)), [0] * n_test)


class StepNet(FakeNet):
    """A FakeNet whose accuracy tells which weights it saw: updates so far / 1000."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.evaluations = 0

    def accuracy(self, x: Any, t: Any) -> float:
        self.evaluations += 1
        return self.params["w"][0] / 1000


class StepSGD:
    """Counts its updates in params["w"][0], so StepNet.accuracy knows the weights' age."""

    def update(self, params: dict, grads: dict) -> None:
        params["w"][0] += 1


def test_the_books_run_evaluates_17_times_on_integer_epochs() -> None:
    hp = Hyperparameters(iters=10000, batch_size=100, lr=0.1)
    history = train(FakeNet(), CountingSGD(), fake_data(60000), hp, random.Random(0))
    assert history.iter_per_epoch == 600 and isinstance(history.iter_per_epoch, int)
    assert [e["iteration"] for e in history.epochs] == list(range(0, 10000, 600))
    assert len(history.epochs) == 17
    assert len(history.train_loss) == 10000
    assert history.stopped is None
    assert history.final is not None and history.final["iteration"] == 9999


def step_run(net: StepNet, iters: int) -> History:
    """Train net with StepSGD on 100 fake images in batches of 10 (an epoch is 10 iterations)."""
    return train(net, StepSGD(), fake_data(100), Hyperparameters(iters=iters, batch_size=10),
                 random.Random(0), accuracy=net.accuracy)


def test_the_final_weights_are_measured_after_the_loop_off_the_epoch_grid() -> None:
    # 25 iterations: evaluations at 0, 10, 20; the weights end at iteration 24
    net = StepNet()
    history = step_run(net, 25)
    assert [(e["iteration"], e["test_acc"]) for e in history.epochs] == \
        [(0, 0.001), (10, 0.011), (20, 0.021)]  # unchanged: after the update of i
    assert history.final == {"iteration": 24, "train_acc": 0.025, "test_acc": 0.025}
    assert net.evaluations == 3 * 2 + 2
    assert history.to_dict()["final"] == history.final


def test_a_last_iteration_on_the_grid_is_not_measured_twice() -> None:
    net = StepNet()
    history = step_run(net, 21)
    last = history.epochs[-1]
    assert last["iteration"] == 20
    assert history.final == {k: last[k] for k in ("iteration", "train_acc", "test_acc")}
    assert net.evaluations == 3 * 2


def test_an_interrupted_run_measures_nothing_more() -> None:
    net = StepNet(interrupt_at=13)
    history = step_run(net, 50)
    assert history.stopped == "interrupted"
    assert history.final == {"iteration": 12, "train_acc": None, "test_acc": None}
    assert net.evaluations == 2 * 2


def test_an_epoch_is_floor_of_train_size_over_batch_size() -> None:
    hp = Hyperparameters(iters=20, batch_size=7, lr=0.1)
    history = train(FakeNet(), CountingSGD(), fake_data(50), hp, random.Random(0))
    assert history.iter_per_epoch == 7  # 50 // 7, not 7.14...
    assert [e["iteration"] for e in history.epochs] == [0, 7, 14]


def test_a_batch_as_large_as_the_data_is_one_iteration_per_epoch() -> None:
    hp = Hyperparameters(iters=3, batch_size=10, lr=0.1)
    history = train(FakeNet(), CountingSGD(), fake_data(10), hp, random.Random(0))
    assert history.iter_per_epoch == 1
    assert len(history.epochs) == 3


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_a_non_finite_loss_stops_before_its_update_naming_the_iteration(bad: float) -> None:
    net, opt = FakeNet(losses=lambda i: bad if i == 5 else 1.0), CountingSGD()
    history = train(net, opt, fake_data(100), Hyperparameters(iters=50, batch_size=10, lr=3.0),
                    random.Random(0))
    assert history.stopped == "diverged"
    assert "iteration 5" in history.message
    assert "learning rate" in history.message and "--lr" not in history.message
    assert "learning rate, e.g. 0.3" in history.message
    assert history.train_loss == [1.0] * 5  # the bad loss is not recorded...
    assert opt.updates == 5  # ...nor applied
    assert history.final == {"iteration": 4, "train_acc": 0.5, "test_acc": 0.5}


def test_a_loss_near_its_ceiling_stops_the_run_as_diverged() -> None:
    # -log(y + 1e-7) <= 16.118: the stable functions never give NaN, the loss plateaus
    ceiling = -math.log(purenet.functions.DELTA)
    assert DIVERGED_LOSS == pytest.approx(0.9 * ceiling) == pytest.approx(14.506, abs=1e-3)
    net, opt = FakeNet(losses=lambda i: 14.6 if i == 7 else 14.4), CountingSGD()
    history = train(net, opt, fake_data(100), Hyperparameters(iters=50, batch_size=10, lr=1e5),
                    random.Random(0))
    assert history.stopped == "diverged" and opt.updates == 7
    assert history.train_loss == [14.4] * 7  # 14.4 is still below 0.9 * 16.12
    assert history.message.startswith("the loss reached 14.6 at iteration 7, within 10% of "
                                      "its ceiling -log(1e-07) = 16.12")
    assert "e.g. 10000 (now 100000)" in history.message


def test_blowing_up_for_real_is_caught_by_the_ceiling() -> None:
    # 10 classes, lr 1e5: the first update saturates every unit; no NaN ever comes
    rng = random.Random(0)
    x = [[rng.random() for _ in range(20)] for _ in range(100)]
    t = [i % 10 for i in range(100)]
    net = purenet.two_layer_net.TwoLayerNet(20, 10, 10, weight_init_std=0.01, rng=rng)
    history = train(net, purenet.optimizer.SGD(1e5), ((x, t), (x[:10], t[:10])),
                    Hyperparameters(iters=50, batch_size=50, lr=1e5), rng)
    assert history.stopped == "diverged", history.train_loss
    assert all(math.isfinite(v) for v in history.train_loss)
    assert "within 10% of its ceiling" in history.message


def test_ctrl_c_returns_what_was_gathered_so_far() -> None:
    net, opt = FakeNet(interrupt_at=3), CountingSGD()
    history = train(net, opt, fake_data(100), Hyperparameters(iters=50, batch_size=10, lr=0.1),
                    random.Random(0))
    assert history.stopped == "interrupted"
    assert len(history.train_loss) == 3
    assert "in iteration 3, after 3 finished iterations" in history.message
    assert history.to_dict()["stopped"] == "interrupted"


class InterruptedEvaluation(StepNet):
    """A StepNet whose accuracy is interrupted once it has seen `updates` updates."""

    def __init__(self, updates: int) -> None:
        super().__init__()
        self.stop_at = updates

    def accuracy(self, x: Any, t: Any) -> float:
        if self.params["w"][0] == self.stop_at:
            raise KeyboardInterrupt
        return super().accuracy(x, t)


@pytest.mark.parametrize("iters, stop_at, message, final", [
    # the evaluation after iteration 20 (21 updates): not "in iteration 20, after 21"
    (50, 21, "interrupted (Ctrl-C) while measuring the accuracy after iteration 20 (21 "
             "finished iterations; that measurement is not recorded)", 20),
    (25, 25, "interrupted (Ctrl-C) while measuring the final weights' accuracy (25 finished "
             "iterations)", 24),
])
def test_ctrl_c_in_an_evaluation_says_so(iters: int, stop_at: int, message: str,
                                         final: int) -> None:
    net = InterruptedEvaluation(stop_at)
    history = step_run(net, iters)
    assert history.stopped == "interrupted" and history.message == message
    assert [e["iteration"] for e in history.epochs] == [0, 10, 20][:len(history.epochs)]
    assert len(history.epochs) == (2 if iters == 50 else 3)  # the interrupted one: not kept
    assert history.final == {"iteration": final, "train_acc": None, "test_acc": None}


def test_ctrl_c_in_the_first_step_says_1_finished_iteration_in_the_singular() -> None:
    history = step_run(StepNet(interrupt_at=1), 5)
    assert history.message == "interrupted (Ctrl-C) in iteration 1, after 1 finished iteration"


def test_ctrl_c_in_a_hook_after_the_update() -> None:
    def on_iteration(i: int, loss: float) -> None:
        if i == 3:
            raise KeyboardInterrupt

    history = train(StepNet(), StepSGD(), fake_data(100), Hyperparameters(iters=9, batch_size=10),
                    random.Random(0), on_iteration=on_iteration)
    assert history.message == "interrupted (Ctrl-C) after iteration 3 (4 finished iterations)"


def test_the_loop_records_the_loss_it_was_given_without_another_forward_pass() -> None:
    net = FakeNet()
    history = train(net, CountingSGD(), fake_data(100),
                    Hyperparameters(iters=4, batch_size=10, lr=0.1), random.Random(0))
    assert net.calls == 4
    assert history.train_loss == [1.0, 0.5, 1 / 3, 0.25]


def test_hooks_see_each_iteration_and_each_evaluation() -> None:
    seen, epochs, phases = [], [], []
    train(FakeNet(), CountingSGD(), fake_data(20), Hyperparameters(iters=5, batch_size=10),
          random.Random(0), on_iteration=lambda i, loss: seen.append(i),
          on_epoch=epochs.append, on_step=lambda phase, step: phases.append(phase))
    assert seen == [0, 1, 2, 3, 4]
    assert [e["iteration"] for e in epochs] == [0, 2, 4]
    assert set(epochs[0]) == {"iteration", "loss", "train_acc", "test_acc"}
    assert phases == ["gradient", "update"]  # iteration 0, what --explain prints


def test_timings_are_filled() -> None:
    history = train(FakeNet(), CountingSGD(), fake_data(20),
                    Hyperparameters(iters=5, batch_size=10), random.Random(0))
    assert set(history.timings) == {"sampling", "gradient", "update", "evaluation"}
    assert all(v >= 0 for v in history.timings.values())


def test_shuffle_visits_each_index_once_per_epoch() -> None:
    batches = batch_indices(random.Random(3), 30, 5, "shuffle")
    for _ in range(4):  # four epochs of 6 batches
        epoch = [i for _ in range(6) for i in next(batches)]
        assert sorted(epoch) == list(range(30))


def test_shuffle_drops_the_remainder_and_never_repeats_within_an_epoch() -> None:
    batches = batch_indices(random.Random(3), 32, 5, "shuffle")
    for _ in range(3):
        epoch = [i for _ in range(32 // 5) for i in next(batches)]
        assert len(epoch) == len(set(epoch)) == 30


def test_replacement_is_the_books_independent_draws() -> None:
    batches = batch_indices(random.Random(5), 10, 8, "replacement")
    drawn = [next(batches) for _ in range(50)]
    assert all(len(b) == 8 and all(0 <= i < 10 for i in b) for b in drawn)
    assert any(len(set(b)) < len(b) for b in drawn)  # repeats happen within a batch
    rng = random.Random(5)
    assert drawn[:2] == [rng.choices(range(10), k=8), rng.choices(range(10), k=8)]


@pytest.mark.parametrize("kwargs, message", [
    ({"iters": 0}, "iters"),
    ({"batch_size": 0}, "batch_size"),
    ({"batch_size": 11}, "batch_size"),
    ({"lr": 0.0}, "lr"),
    ({"lr": -1.0}, "lr"),
    ({"lr": math.nan}, "lr"),
    ({"sampling": "random"}, "sampling"),
])
def test_impossible_settings_are_refused_before_training(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        train(FakeNet(), CountingSGD(), fake_data(10),
              Hyperparameters(**{"batch_size": 5, **kwargs}), random.Random(0))


def test_take_rows_and_take_array_gather_the_same_rows() -> None:
    x = [[float(i), float(i) * 2] for i in range(10)]
    a = np.array(x)
    assert take_rows(x, [3, 3, 0]) == take_array(a, [3, 3, 0]).tolist()
    view = take_array(a, range(2, 5))
    assert np.shares_memory(view, a) and view.tolist() == x[2:5]


@pytest.mark.parametrize("chunk", [1, 3, 7, 100])
def test_accuracy_in_chunks_equals_one_call_on_everything(chunk: int) -> None:
    x, t = blobs(23)
    net = purenet.two_layer_net.TwoLayerNet(6, 5, 3, weight_init_std=1.0, seed=3)
    assert accuracy_in_chunks(net, x, t, take_rows, chunk) == net.accuracy(x, t)
    np_net = reference.two_layer_net.TwoLayerNet.from_params(net.get_params())
    assert accuracy_in_chunks(np_net, np.array(x), np.array(t), take_array, chunk) == \
        net.accuracy(x, t)


def test_a_loss_at_its_ceiling_before_any_update_blames_the_start_weights_not_lr() -> None:
    at_start = library_diverged_message(15.0, 0, 0.1, DELTA, std_name="--weight-init-std")
    assert "before any update" in at_start and "--weight-init-std" in at_start
    assert "--lr" not in at_start
    later = library_diverged_message(15.0, 3, 0.1, DELTA, std_name="--weight-init-std",
                                     lr_name="--lr ")
    assert "--lr 0.01" in later and "--weight-init-std" not in later


def test_the_library_names_its_parameters_and_the_command_its_flags() -> None:
    for i in (0, 3):
        message = diverged_message(15.0, i, 0.1)
        assert "--" not in message
        assert ("weight_init_std" if i == 0 else "learning rate, e.g. 0.01") in message
        flags = library_diverged_message(15.0, i, 0.1, DELTA, std_name="--weight-init-std",
                                         lr_name="--lr ")
        assert ("--weight-init-std" if i == 0 else "e.g. --lr 0.01 (now 0.1)") in flags
