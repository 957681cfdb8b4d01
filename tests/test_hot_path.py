"""Tests of what makes the hot paths cheaper without changing a result or a message.

purenet: the network checks its batch x once and hands it on as ``Rows``, which
shape() trusts; every other matrix is still checked entry by entry.
reference: the evaluation counts each chunk in two halves, one on a worker
thread, and must count exactly what one pass over the whole chunk counts.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest

import purenet.matrix as M
import reference.two_layer_net
from purenet.checks import check_x
from purenet.two_layer_net import TwoLayerNet
from reference import evaluation


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


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("n, chunk", [(2500, 1000), (10000, 10000), (130, 10000), (100, 40)])
@pytest.mark.parametrize("free", [True, False])
def test_the_two_halves_count_what_one_pass_counts(dtype: str, n: int, chunk: int, free: bool,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evaluation, "second_core_free", lambda: free)  # a thread, or none
    net = reference.two_layer_net.TwoLayerNet(784, 50, 10, weight_init_std=0.3, seed=5)
    for key in net.params:
        net.params[key] = net.params[key].astype(dtype)
    gen = np.random.default_rng(6)
    x = (gen.random((n, 784)) * (gen.random((n, 784)) < 0.2)).astype(dtype)  # mostly zeros
    t = gen.integers(0, 10, size=n)
    assert evaluation.accuracy_in_chunks(net, x, t, chunk=chunk) == net.accuracy(x, t)
    # the halves give every score bit for bit as the whole chunk does
    whole = [range(s, min(s + chunk, n)) for s in range(0, n, chunk)]
    halves = [h for piece in whole for h in evaluation._halves(piece.start, piece.stop)]
    assert [i for h in halves for i in h] == list(range(n))  # every row once, in order
    labels = np.argmax(net.predict(x), axis=1)
    assert evaluation._hits(net.params, x, labels, halves) == \
        evaluation._hits(net.params, x, labels, whole)


def test_halves_are_cut_at_a_multiple_of_align() -> None:
    assert evaluation._halves(0, 10000) == [range(0, 4992), range(4992, 10000)]
    assert evaluation._halves(20000, 30000) == [range(20000, 24992), range(24992, 30000)]
    assert evaluation._halves(0, 2 * evaluation.ALIGN - 1) == [range(0, 127)]


def test_the_worker_thread_is_used_when_a_core_is_free(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    seen = set()
    real_hits = evaluation._hits

    def hits(*args: Any) -> int:
        seen.add(threading.get_ident())
        return real_hits(*args)

    monkeypatch.setattr(evaluation, "second_core_free", lambda: True)
    monkeypatch.setattr(evaluation, "_hits", hits)
    net = reference.two_layer_net.TwoLayerNet(784, 50, 10, seed=5)
    x = np.random.default_rng(1).random((1000, 784))
    evaluation.accuracy_in_chunks(net, x, np.zeros(1000, dtype=int))
    assert len(seen) == 2  # this thread and the worker
