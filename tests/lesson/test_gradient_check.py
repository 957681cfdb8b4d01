"""gradient_check: the formula on known numbers, and a broken backprop caught."""

from __future__ import annotations

import random

import numpy as np
import pytest

import purenet.functions as pure_functions
import reference.functions as ref_functions
from purenet.gradient_check import gradient_check as pure_check
from purenet.two_layer_net import TwoLayerNet as PureNet
from reference.gradient_check import gradient_check as ref_check
from reference.two_layer_net import TwoLayerNet as RefNet

TWINS = [(pure_check, PureNet, list), (ref_check, RefNet, np.array)]


class FixedGradients:
    """A stand-in network whose two gradients are given: gradient_check is duck-typed."""

    def __init__(self, numerical: dict, backprop: dict) -> None:
        self._numerical, self._backprop = numerical, backprop

    def numerical_gradient(self, x, t):
        return self._numerical

    def gradient(self, x, t):
        return self._backprop


@pytest.mark.parametrize("check, net_cls, arr", TWINS)
def test_formula_on_known_numbers(check, net_cls, arr):
    numerical = {"W": arr([[1.0, -2.0], [0.5, 0.0]]), "b": arr([0.0, 0.0]), "c": arr([3.0])}
    backprop = {"W": arr([[1.0, -2.0], [0.5, 0.25]]), "b": arr([0.0, 0.0]), "c": arr([3.0])}
    errors = check(FixedGradients(numerical, backprop), None, None)
    # max|a - b| = 0.25, max|a| + max|b| = 2 + 2 = 4
    assert errors["W"] == pytest.approx(0.25 / 4, rel=1e-15)
    assert errors["b"] == 0.0  # both exactly zero: no 0 / 0
    assert errors["c"] == 0.0
    opposite = check(FixedGradients({"w": arr([1.0, 2.0])}, {"w": arr([-1.0, -2.0])}), None, None)
    assert opposite["w"] == pytest.approx(1.0, rel=1e-15)


@pytest.mark.parametrize("check, net_cls, arr", TWINS)
def test_correct_backprop_passes_and_broken_backprop_fails(check, net_cls, arr):
    rng = random.Random(5)
    x = arr([[rng.gauss(0.0, 1.0) for _ in range(4)] for _ in range(6)])
    t = arr([rng.randrange(3) for _ in range(6)])
    net = net_cls(4, 5, 3, weight_init_std=1.0, seed=6)
    good = check(net, x, t)
    print(f"\n{net_cls.__module__}: " + ", ".join(f"{k} {v:.1e}" for k, v in good.items()))
    assert list(good) == ["W1", "b1", "W2", "b2"]
    assert max(good.values()) < 1e-6

    # a classic slip: forgetting the 1/N of the mean loss in one gradient
    correct = net.gradient

    def forgot_one_over_n(x, t):
        grads = correct(x, t)
        grads["W2"] = arr((np.asarray(grads["W2"]) * len(x)).tolist())
        return grads

    net.gradient = forgot_one_over_n
    bad = check(net, x, t)
    assert bad["W2"] > 0.1 and bad["W1"] < 1e-6


def test_the_twins_say_the_same_about_what_errors_to_expect():
    assert pure_check.__doc__ == ref_check.__doc__
    assert "a wrong derivative gives 1e-2 or more" in " ".join(pure_check.__doc__.split())


@pytest.mark.parametrize("check, net_cls, arr", TWINS)
def test_sigmoid_prime_of_the_wrong_value_shows_as_1e_2_or_more(check, net_cls, arr):
    # sigmoid'(a1) is z1 * (1 - z1); computing sigmoid(z1) * (1 - sigmoid(z1)),
    # i.e. applying sigmoid twice, is a classic slip. The docstring promises 1e-2.
    rng = random.Random(11)
    x = arr([[rng.random() for _ in range(10)] for _ in range(4)])
    t = arr([rng.randrange(3) for _ in range(4)])
    net = net_cls(10, 5, 3, weight_init_std=0.5, seed=12)
    good = check(net, x, t)
    W1, b1, W2, b2 = (np.asarray(net.params[k]) for k in ("W1", "b1", "W2", "b2"))
    xa = np.asarray(x)
    z1 = ref_functions.sigmoid(xa @ W1 + b1)  # (N, H)
    dy = (ref_functions.softmax(z1 @ W2 + b2) - np.eye(3)[np.asarray(t)]) / len(xa)  # (N, C)
    s = ref_functions.sigmoid(z1)  # the slip: sigmoid of z1, not z1 itself
    wrong_W1 = xa.T @ (dy @ W2.T * (1.0 - s) * s)  # (D, H)

    correct = net.gradient

    def slipped(x, t):
        grads = correct(x, t)
        grads["W1"] = arr(wrong_W1.tolist())
        return grads

    net.gradient = slipped
    bad = check(net, x, t)
    assert max(good.values()) < 1e-5 and bad["W1"] > 1e-2, (good, bad)


@pytest.mark.parametrize("check, net_cls, arr", TWINS)
def test_gradients_of_different_sizes_raise(check, net_cls, arr):
    stand_in = FixedGradients({"w": arr([1.0, 2.0])}, {"w": arr([1.0, 2.0, 3.0])})
    with pytest.raises(ValueError, match="the gradients differ in size: 2 and 3 entries"):
        check(stand_in, None, None)


@pytest.mark.parametrize("check, net_cls, arr", TWINS)
def test_the_error_floor_is_the_delta_inside_the_log(check, net_cls, arr, monkeypatch):
    # Large weights and a sample whose answer gets probability ~7e-4: backprop
    # differentiates -log y, the loss is -log(y + 1e-7), and they part by ~1e-5.
    functions = pure_functions if net_cls is PureNet else ref_functions
    rng = random.Random(8)
    x = arr([[rng.gauss(0.0, 1.0) for _ in range(4)] for _ in range(10)])
    t = arr([rng.randrange(3) for _ in range(10)])
    net = net_cls.from_params(RefNet(4, 5, 3, weight_init_std=1.0, seed=8).get_params())
    assert 1e-6 < max(check(net, x, t).values()) < 1e-4
    monkeypatch.setattr(functions, "DELTA", 0.0)  # now both see the same loss
    assert max(check(net, x, t).values()) < 1e-8
