"""Tests of what makes the hot paths cheaper without changing a result or a message.

purenet: the network checks its batch x once and hands it on as ``Rows``, which
shape() trusts; every other matrix is still checked entry by entry.
reference: the evaluation counts each chunk in two halves, one on a worker
thread, and must count exactly what one pass over the whole chunk counts.
"""

from __future__ import annotations

import random

import pytest

import purenet.matrix as M
from purenet.checks import check_x
from purenet.two_layer_net import TwoLayerNet


def test_check_x_returns_rows_that_the_products_and_transpose_keep() -> None:
    net = TwoLayerNet(3, 2, 2, seed=0)
    x = [[0.0, 1.0, 2.0], [3.0, 0.0, 5.0]]
    rows = check_x(x, net.params)
    assert type(rows) is M.Rows and rows == x and rows[0] is x[0]  # the same row lists
    assert M.shape(rows) == (2, 3)
    xT = M.transpose(rows)
    assert type(xT) is M.Rows and xT == [[0.0, 3.0], [1.0, 0.0], [2.0, 5.0]]
    assert all(type(row) is list for row in xT)
    assert type(M.transpose(x)) is list  # a plain matrix stays plain: checked every time


def test_a_bad_batch_is_still_refused_with_its_message() -> None:
    net = TwoLayerNet(3, 2, 2, seed=0)
    with pytest.raises(TypeError, match="x must hold numbers"):
        net.loss_and_gradient([[0.0, True, 2.0]], [1])
    with pytest.raises(ValueError, match="x is ragged"):
        net.predict([[0.0, 1.0, 2.0], [1.0]])
    with pytest.raises(ValueError, match=r"x must be a batch of shape \(N, 3\)"):
        net.predict([[0.0, 1.0]])


def test_gradient_is_the_same_with_or_without_the_check_skipped() -> None:
    rng = random.Random(3)
    net = TwoLayerNet(20, 6, 4, weight_init_std=0.5, seed=1)
    x = [[rng.random() if rng.random() < 0.3 else 0.0 for _ in range(20)] for _ in range(7)]
    t = [rng.randrange(4) for _ in range(7)]
    W1 = net.params["W1"]
    assert M.matmul(check_x(x, net.params), W1) == M.matmul(x, W1)  # bit for bit
    assert M.transpose(check_x(x, net.params)) == M.transpose(x)
    loss, grads = net.loss_and_gradient(x, t)
    assert loss == net.loss(x, t)
    assert grads == net.gradient(x, t)
