"""matmul skips the zeros of its left operand and still gives the dense product, bit for bit.

The oracle is the dense product written out with dot: every entry is compared by
its type and its float.hex(), so even 0.0 against -0.0 would fail.
"""

from __future__ import annotations

import math
import os
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import purenet.matrix as M


def dense(a: list, b: list) -> list:
    """a @ b the plain way: every row of a against every column of b, zeros included."""
    return [[M._dots(row, [col])[0] for col in zip(*b)] for row in a]


def bits(a: list) -> list:
    """Each entry as (type, exact bits): equal only if the floats are the same to the last bit."""
    return [[(type(v), v.hex() if isinstance(v, float) else v) for v in row] for row in a]


# Zeros of both signs, ordinary values, and the awkward ones: tiny (subnormal
# products), huge (products that overflow), negative (products that are -0.0).
awkward = st.sampled_from([0.0, -0.0, 1e-310, -1e-310, 1e300, -1e300, 1.0, -1.0])
entries = st.one_of(st.floats(-2.0, 2.0), awkward, st.just(0.0))


@st.composite
def operands(draw: st.DrawFn, left: st.SearchStrategy = entries) -> tuple[list, list]:
    n, k, m = draw(st.integers(1, 6)), draw(st.integers(1, 12)), draw(st.integers(1, 5))
    zero_share = draw(st.sampled_from([0.0, 0.3, 0.8, 1.0]))  # dense rows to all-zero rows
    a = [[0.0 if draw(st.floats(0, 1)) < zero_share else draw(left) for _ in range(k)]
         for _ in range(n)]
    b = [[draw(entries) for _ in range(m)] for _ in range(k)]
    return a, b


@settings(max_examples=300, deadline=None)
@given(operands())
def test_same_bits_as_the_dense_product(ab: tuple[list, list]) -> None:
    a, b = ab
    assert bits(M.matmul(a, b)) == bits(dense(a, b))


@settings(max_examples=100, deadline=None)
@given(operands(left=st.one_of(st.integers(-300, 300), st.just(0), entries)))
def test_int_entries_in_a_give_the_dense_floats(ab: tuple[list, list]) -> None:
    # pixels read with normalize=False are ints 0..255
    a, b = ab
    assert bits(M.matmul(a, b)) == bits(dense(a, b))


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan, 3])
def test_a_b_that_is_not_finite_floats_keeps_the_dense_result(bad: float) -> None:
    # 0 * inf is nan and 0 * 3 is the int 0: here skipping a zero would change the answer
    a = [[0.0, 2.0], [0.0, 0.0]]
    b = [[bad, 1.0], [0.5, 0.25]]
    got, want = M.matmul(a, b), dense(a, b)
    assert bits(got) == bits(want)
    if isinstance(bad, float):
        assert math.isnan(got[0][0]) and math.isnan(got[1][0])  # the zeros met the inf or nan


def test_zero_terms_are_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    lengths = []
    real = M._dots

    def counting(u: list, cols: list) -> list:
        cols = list(cols)
        lengths.extend(len(u) for _ in cols)
        return real(u, cols)

    monkeypatch.setattr(M, "_dots", counting)
    a = [[0.0] * 98 + [0.5, 0.25], [1.0] * 100]  # a sparse row, then a dense one
    b = [[0.5, -1.0] for _ in range(100)]
    out = M.matmul(a, b)
    assert lengths == [2, 2, 100, 100]  # 2 terms for the sparse row, all 100 for the dense
    assert out == [[0.375, -0.75], [50.0, -100.0]]


@pytest.fixture(scope="module")
def mnist_rows() -> list:
    if not os.environ.get("PURENET_DATA"):
        pytest.skip("set PURENET_DATA to a folder with the MNIST files to compare on real rows")
    from purenet_support.mnist import load_mnist

    (x_train, _), _ = load_mnist(normalize=True)
    return x_train[:200]  # (200, 784), about 81% zeros


def test_real_mnist_rows_give_the_dense_bits(mnist_rows: list) -> None:
    rng = random.Random(4)
    W1 = [[rng.gauss(0.0, 0.01) for _ in range(50)] for _ in range(784)]
    da1 = [[rng.gauss(0.0, 1e-4) for _ in range(50)] for _ in range(len(mnist_rows))]
    xT = M.transpose(mnist_rows)  # (784, 200): the border pixels are all-zero rows
    assert bits(M.matmul(mnist_rows, W1)) == bits(dense(mnist_rows, W1))  # x @ W1
    assert bits(M.matmul(xT, da1)) == bits(dense(xT, da1))  # x.T @ da1
