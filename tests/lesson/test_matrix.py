"""purenet.matrix: exact small cases, refused input, and NumPy as the oracle on random shapes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from purenet import matrix as M

FAST = settings(max_examples=60, deadline=None)

# Values up to +-1000, with the extremes and signed zeros drawn on purpose.
values = st.one_of(
    st.floats(-1000, 1000, allow_nan=False),
    st.sampled_from([-1000.0, 1000.0, 0.0, -0.0, 1e-300]),
)
dims = st.integers(1, 6)


@st.composite
def matrices(draw, rows=None, cols=None):
    n = draw(dims) if rows is None else rows
    m = draw(dims) if cols is None else cols
    return [[draw(values) for _ in range(m)] for _ in range(n)]


def assert_close(got, want, rel=1e-12, abs_=1e-12):
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    assert got.shape == want.shape
    bad = ~np.isclose(got, want, rtol=rel, atol=abs_)
    where = np.argwhere(bad)[:1].tolist()
    assert not bad.any(), f"first difference at {where}: {got[bad][0]!r} vs {want[bad][0]!r}"


# --- exact small cases -------------------------------------------------------------------------

A = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]  # (2, 3)
B = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]  # (3, 2)


def test_shape_and_checks():
    assert M.shape(A) == (2, 3)
    assert M.shape([1.0, 2]) == (2,)
    assert M.check_matrix(A) == (2, 3)
    assert M.check_vector([1.0, 2.0, 3.0]) == 3


def test_matmul_transpose_add_row():
    assert M.matmul(A, B) == [[4.0, 5.0], [10.0, 11.0]]  # (2, 3) @ (3, 2) -> (2, 2)
    assert M.transpose(A) == [[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]]
    assert all(type(row) is list for row in M.transpose(A))
    assert M.add_row(A, [10.0, 20.0, 30.0]) == [[11.0, 22.0, 33.0], [14.0, 25.0, 36.0]]


def test_reductions():
    assert M.sum_rows(A) == [5.0, 7.0, 9.0]
    assert M.argmax_rows([[1.0, 3.0, 3.0], [9.0, 0.0, 1.0]]) == [1, 0]  # first index on ties


def test_the_dot_idiom_is_the_one_this_python_has():
    assert M.DOT_IDIOM in ("math.sumprod(u, v)", "sum(map(operator.mul, u, v))")
    assert (M.DOT_IDIOM == "math.sumprod(u, v)") == hasattr(math, "sumprod")


def test_inputs_are_not_changed():
    a = [row[:] for row in A]
    v = [1.0, 2.0, 3.0]
    M.matmul(a, B), M.transpose(a), M.add_row(a, v)
    assert a == A and v == [1.0, 2.0, 3.0]


def test_nan_and_inf_flow_through():
    out = M.matmul([[math.inf, 1.0]], [[1.0], [math.nan]])
    assert math.isnan(out[0][0])
    assert M.add_row([[1.0, 2.0]], [math.inf, -math.inf]) == [[math.inf, -math.inf]]


# --- refused input: the message names what was expected and what came ------------------------

BAD = [
    (M.shape, ([[1.0, 2.0], [3.0]],), ValueError, "x is ragged: row 0 has 2 elements, row 1 has 1"),
    (M.shape, ([],), ValueError, "x is empty"),
    (M.shape, ([[]],), ValueError, "x is empty"),
    (M.shape, ((1.0, 2.0),), TypeError, "a list of lists (matrix), got tuple"),
    (M.shape, ([[1.0], 2.0],), TypeError, "x mixes rows and numbers: row 1 is float"),
    (M.shape, ([True, 1.0],), TypeError, "x must hold numbers (float or int), got bool"),
    (M.shape, ([[1.0, "2"]],), TypeError, "x must hold numbers (float or int), got str"),
    (M.shape, ([None],), TypeError, "got NoneType"),
    (M.check_matrix, ([1.0, 2.0],), ValueError, "a must be a matrix (list of rows), got a vector"),
    (M.check_vector, ([[1.0]],), ValueError, "v must be a vector (list of numbers), got a 1x1"),
    (M.matmul, (A, A), ValueError, "a's columns to equal b's rows: got a 2x3 and b 2x3"),
    (M.matmul, (A, [1.0, 2.0, 3.0]), ValueError, "b must be a matrix"),
    (M.add_row, (A, [1.0, 2.0]), ValueError, "a vector of the row length 3, got length 2"),
    (M.add_row, (A, [[1.0, 2.0, 3.0]]), ValueError, "v must be a vector"),
    (M.transpose, ([[1.0, 2.0], [3.0]],), ValueError, "a is ragged"),
    (M.sum_rows, ([[1.0, 2.0], [3.0]],), ValueError, "a is ragged"),
    (M.argmax_rows, ([1.0, 2.0],), ValueError, "a must be a matrix"),
]


@pytest.mark.parametrize("func, args, exc, phrase", BAD, ids=[b[0].__name__ for b in BAD])
def test_bad_input_is_refused_with_a_clear_message(func, args, exc, phrase):
    with pytest.raises(exc) as info:
        func(*args)
    assert phrase in str(info.value)


# --- NumPy as the oracle ----------------------------------------------------------------------


@FAST
@given(st.data(), dims, dims, dims)
def test_matmul_matches_numpy(data, n, k, m):
    a = data.draw(matrices(n, k))
    b = data.draw(matrices(k, m))
    got = np.array(M.matmul(a, b))
    want = np.array(a) @ np.array(b)
    # Relative to the size of the terms, not of the sum: a sum that cancels to
    # nearly 0 can differ in every digit between two summation orders.
    scale = np.abs(np.array(a)) @ np.abs(np.array(b))
    assert got.shape == (n, m)
    assert np.all(np.abs(got - want) <= 1e-12 * scale + 1e-300), (got, want)


@FAST
@given(matrices())
def test_transpose_sum_rows_argmax_rows_match_numpy(a):
    arr = np.array(a)
    assert M.transpose(a) == arr.T.tolist()
    assert M.argmax_rows(a) == arr.argmax(axis=1).tolist()
    assert_close(M.sum_rows(a), arr.sum(axis=0), rel=1e-12, abs_=1e-9)  # sums reach 6000


@FAST
@given(st.data(), dims, dims)
def test_add_row_matches_numpy(data, n, m):
    a = data.draw(matrices(n, m))
    v = data.draw(st.lists(values, min_size=m, max_size=m))
    arr = np.array(a)
    assert M.add_row(a, v) == (arr + np.array(v)).tolist()  # one rounding each: exactly equal


# --- batches of rows: the shape helpers the lesson modules use ----------------------------------


def test_as_batch_gives_rows_and_whether_x_was_one_sample():
    v, m = [1.0, 2.0], [[1.0, 2.0], [3.0, 4.0]]
    rows, single = M.as_batch(v)
    assert rows == [v] and rows[0] is v and single is True  # the same list: changes reach v
    rows, single = M.as_batch(m)
    assert rows is m and single is False
    with pytest.raises(ValueError, match="init_x is ragged"):
        M.as_batch([[1.0], [2.0, 3.0]], "init_x")
    assert M.as_rows(v)[0] is v and M.as_rows(m) is m


def test_unbatch_undoes_as_batch_on_fresh_lists():
    for x in ([1.0, 2.0], [[1.0, 2.0], [3.0, 4.0]]):
        back = M.unbatch(*M.as_batch(x))
        assert back == x and back is not x
        assert all(a is not b for a, b in zip(back, x) if isinstance(b, list))


def test_map_entries_and_map_rows_keep_the_shape_and_check_x():
    assert M.map_entries(abs, [-1.0, 2.0]) == [1.0, 2.0]
    assert M.map_entries(abs, [[-1.0], [2.0]]) == [[1.0], [2.0]]
    assert M.map_rows(lambda r: r[::-1], [1.0, 2.0]) == [2.0, 1.0]
    assert M.map_rows(lambda r: r[::-1], [[1.0, 2.0], [3.0, 4.0]]) == [[2.0, 1.0], [4.0, 3.0]]
    with pytest.raises(TypeError, match="x must hold numbers"):
        M.map_entries(abs, [True])
