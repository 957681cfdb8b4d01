"""Tests of simple_net.py in both packages: the book's simpleNet (4.4.2) and loss vs accuracy.

The oracles: the book's printed numbers for its W, backpropagation's closed form
dL/dW = outer(x, softmax(x @ W) - t), purenet against reference, and the
first-order rule L(w + h e_ij) - L(w) = dL/dw_ij * h + O(h^2).
"""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

import purenet.simple_net as pure
import purenet.two_layer_net
import reference.simple_net as ref
import reference.two_layer_net

TWINS = [pure, ref]


def rows(m) -> list[list[float]]:
    return [[float(v) for v in row] for row in m]


def test_the_book_example_gives_the_book_numbers():
    # book 4.4.2: predict [1.05414809 0.63071653 1.1328074], loss 0.92806853663411326,
    # dW [[0.21924763 0.14356247 -0.36281009] [0.32887144 0.2153437 -0.54421514]]
    book_dW = [[0.21924763, 0.14356247, -0.36281009], [0.32887144, 0.2153437, -0.54421514]]
    for m in TWINS:
        net = m.SimpleNet(m.BOOK_W)
        assert [float(v) for v in net.predict(m.BOOK_X)] == pytest.approx(
            [1.05414809, 0.63071653, 1.1328074], abs=1e-8)
        # 1e-6, not 1e-7: the book's W is printed to 8 digits only
        assert net.loss(m.BOOK_X, m.BOOK_T) == pytest.approx(0.928068536634, abs=1e-6)
        assert rows(net.numerical_gradient(m.BOOK_X, m.BOOK_T)) == [
            pytest.approx(r, abs=1e-6) for r in book_dW]


@pytest.mark.parametrize("seed", range(5))
def test_the_numerical_gradient_is_the_closed_form_outer_x_y_minus_t(seed):
    # softmax + cross-entropy: dL/dz = y - t (see the guard below), and z = x @ W,
    # so dL/dw_ij = x_i (y_j - t_j)
    rng = np.random.default_rng(seed)
    W, x = rng.standard_normal((2, 3)), rng.standard_normal(2)
    t = np.eye(3)[seed % 3]
    z = x @ W
    y = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    label = seed % 3
    # the loss is -log(y_t + 1e-7): the guard scales the textbook y - t by y_t / (y_t + 1e-7)
    exact = np.outer(x, y - t) * y[label] / (y[label] + 1e-7)
    for m, args in ((ref, (x, t)), (pure, (x.tolist(), t.tolist()))):
        got = np.array(m.SimpleNet(W.tolist()).numerical_gradient(*args))
        # central difference: error O(h^2) = 1e-8 times the third derivative
        assert np.abs(got - exact).max() < 1e-6


def test_purenet_and_reference_agree():
    for seed in range(3):
        W = pure.SimpleNet(seed=seed).W
        x, t = [0.3 * seed - 0.5, 1.2], seed
        p, r = pure.SimpleNet(W), ref.SimpleNet(np.array(W))
        assert p.loss(x, t) == pytest.approx(r.loss(np.array(x), t), abs=1e-12)
        assert np.abs(np.array(p.numerical_gradient(x, t))
                      - r.numerical_gradient(np.array(x), t)).max() < 1e-10


def test_seeded_and_copied():
    for m in TWINS:
        assert rows(m.SimpleNet(seed=1).W) == rows(m.SimpleNet(seed=1).W)
        assert rows(m.SimpleNet(seed=1).W) != rows(m.SimpleNet(seed=2).W)
        net = m.SimpleNet(m.BOOK_W)
        net.W[0][0] = 5.0
        assert float(m.BOOK_W[0][0]) == 0.47355232  # the constant was copied, not shared
    state = random.getstate()
    pure.SimpleNet()
    assert random.getstate() == state  # the module-level random state is untouched
    np_state = np.random.get_state()[1].copy()
    ref.SimpleNet()
    assert (np.random.get_state()[1] == np_state).all()


@pytest.mark.parametrize("m", TWINS, ids=["purenet", "reference"])
def test_raising_w12_by_h_raises_the_loss_by_about_0_14_h(m):
    net = m.SimpleNet(m.BOOK_W)
    before = rows(net.W)
    for h in (0.1, 0.01, 0.001, -0.01):
        n = m.nudge(net, m.BOOK_X, m.BOOK_T, 0, 1, h)
        assert n.slope == pytest.approx(0.1436, abs=1e-4)
        assert n.predicted == pytest.approx(n.slope * h)
        # first order: the gap shrinks like h^2 (the second derivative here is below 1)
        assert abs(n.actual - n.predicted) < h * h
        assert math.copysign(1, n.actual) == math.copysign(1, h)
    assert rows(net.W) == before  # put back exactly


def test_nudge_restores_w_when_the_loss_raises():
    net = pure.SimpleNet(pure.BOOK_W)
    with pytest.raises(ValueError):
        pure.nudge(net, pure.BOOK_X, 7, 0, 0)  # label 7 of 3 classes
    assert net.W == pure.SimpleNet(pure.BOOK_W).W


def small_batch(seed: int) -> tuple[list[list[float]], list[int]]:
    rng = random.Random(seed)
    x = [[rng.random() for _ in range(6)] for _ in range(20)]
    t = [rng.randrange(3) for _ in range(20)]
    return x, t


def test_a_small_nudge_moves_the_loss_but_not_the_accuracy():
    x, t = small_batch(0)
    p_net = purenet.two_layer_net.TwoLayerNet(6, 4, 3, weight_init_std=1.0, seed=3)
    r_net = reference.two_layer_net.TwoLayerNet.from_params(p_net.get_params())
    deltas = [-0.01, -0.001, 0.0, 0.001, 0.01]
    p_rows = pure.loss_and_accuracy_along(p_net, x, t, "W2", 0, 0, deltas)
    r_rows = ref.loss_and_accuracy_along(r_net, np.array(x), np.array(t), "W2", 0, 0, deltas)
    for got in (p_rows, r_rows):
        losses = [loss for _, loss, _ in got]
        accuracies = {acc for _, _, acc in got}
        assert len(set(losses)) == len(deltas)  # every nudge moves the loss
        assert len(accuracies) == 1  # and none moves the accuracy
    assert np.allclose(np.array(p_rows), np.array(r_rows), atol=1e-12)
    assert p_net.params["W2"][0][0] == r_net.params["W2"][0, 0]  # put back


def test_a_large_sweep_moves_the_accuracy_in_jumps_of_one_sample():
    x, t = small_batch(1)
    net = reference.two_layer_net.TwoLayerNet(6, 4, 3, weight_init_std=1.0, seed=5)
    deltas = [k / 2 for k in range(-40, 41)]
    got = ref.loss_and_accuracy_along(net, np.array(x), np.array(t), "W2", 1, 2, deltas)
    accuracies = [acc for _, _, acc in got]
    jumps = {round(abs(b - a) * len(x)) for a, b in zip(accuracies, accuracies[1:])}
    assert len(set(accuracies)) > 1  # a large sweep does change some answers
    assert jumps - {0} and all(j >= 1 for j in jumps - {0})  # in whole samples, never less
    flat = sum(a == b for a, b in zip(accuracies, accuracies[1:]))
    assert flat > len(deltas) // 2  # yet most steps leave it where it was
