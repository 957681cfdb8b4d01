"""functions in both packages: the book's worked examples, extreme inputs, refused input, and
purenet against reference (NumPy) on random batches."""

from __future__ import annotations

import math
import warnings
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import purenet.functions as pure
import reference.functions as ref
from purenet.checks import NotProbabilities

FAST = settings(max_examples=60, deadline=None)
PACKAGES = pytest.mark.parametrize("F", [pure, ref], ids=["purenet", "reference"])


@contextmanager
def strict_numerics():
    """Turn every NumPy floating-point flag and every warning into an exception."""
    with np.errstate(all="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def assert_close(got, want, rel=1e-12, abs_=1e-12):
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    assert got.shape == want.shape, (got.shape, want.shape)
    bad = ~np.isclose(got, want, rtol=rel, atol=abs_, equal_nan=True)
    where = np.argwhere(bad)[:1].tolist()
    assert not bad.any(), f"first difference at {where}: {got[bad][0]!r} vs {want[bad][0]!r}"


# --- the book's worked examples (section 4.2) -------------------------------------------------

Y2 = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]  # '2' is most likely: right
Y7 = [0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0]  # '7' is most likely: wrong
T = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]  # the answer is 2
CEE_2 = -math.log(0.6 + 1e-7)  # 0.510825457099338
CEE_7 = -math.log(0.1 + 1e-7)  # 2.302584092994546


@PACKAGES
def test_book_sum_squared_error(F):
    assert F.sum_squared_error(Y2, T) == pytest.approx(0.0975, abs=1e-12)
    assert F.sum_squared_error(Y7, T) == pytest.approx(0.5975, abs=1e-12)
    # a batch is the sum over its rows (the book's formula has no 1/N)
    assert F.sum_squared_error([Y2, Y7], [T, T]) == pytest.approx(0.695, abs=1e-12)


@PACKAGES
def test_book_cross_entropy_error(F):
    assert CEE_2 == pytest.approx(0.510825457099338, abs=1e-15)
    assert CEE_7 == pytest.approx(2.302584092994546, abs=1e-15)
    assert F.cross_entropy_error(Y2, T) == pytest.approx(CEE_2, abs=1e-12)
    assert F.cross_entropy_error(Y7, T) == pytest.approx(CEE_7, abs=1e-12)
    assert F.cross_entropy_error(Y2, 2) == pytest.approx(CEE_2, abs=1e-12)  # a label
    # a batch is the mean over its rows, with one-hot or label targets alike
    mean = (CEE_2 + CEE_7) / 2
    assert F.cross_entropy_error([Y2, Y7], [T, T]) == pytest.approx(mean, abs=1e-12)
    assert F.cross_entropy_error([Y2, Y7], [2, 2]) == pytest.approx(mean, abs=1e-12)
    assert isinstance(F.cross_entropy_error(Y2, T), float)


@PACKAGES
def test_cross_entropy_of_a_zero_probability_is_finite(F):
    # log(0 + 1e-7): the reason for DELTA
    assert F.cross_entropy_error([1.0, 0.0], 1) == pytest.approx(-math.log(1e-7), abs=1e-12)
    assert F.DELTA == 1e-7


@PACKAGES
def test_book_sigmoid_and_softmax(F):
    assert_close(F.sigmoid([-1.0, 1.0, 2.0]), [0.2689414213699951, 0.7310585786300049,
                                               0.8807970779778823], abs_=1e-15)
    assert_close(F.softmax([0.3, 2.9, 4.0]), [0.01821127329554753, 0.24519181293507392,
                                              0.7365969137693786], abs_=1e-15)
    # softmax(a + c) == softmax(a): the row max is subtracted, so 1010 does not overflow
    assert_close(F.softmax([1010.0, 1000.0, 990.0]), F.softmax([20.0, 10.0, 0.0]), abs_=1e-15)
    assert_close(F.sigmoid([[0.0, 0.0]]), [[0.5, 0.5]], abs_=0)


@PACKAGES
def test_sigmoid_grad_is_the_derivative(F):
    xs = [-5.0, -0.5, 0.0, 0.3, 4.0]
    grad = F.sigmoid_grad(xs)
    for x, g in zip(xs, grad):
        slope = (F.sigmoid([x + 1e-5])[0] - F.sigmoid([x - 1e-5])[0]) / 2e-5
        assert g == pytest.approx(slope, abs=1e-9)
    assert np.shape(F.sigmoid_grad([xs, xs])) == (2, 5)


# --- extreme inputs: no overflow, no warning, no flag -----------------------------------------

HUGE = [-1000.0, 1000.0, -1e308, 1e308, -1.7976931348623157e308, 1.7976931348623157e308,
        -745.2, 745.2, -5e-324, 5e-324, -0.0, 0.0]


@PACKAGES
def test_sigmoid_never_overflows_or_warns(F):
    with strict_numerics():
        for xs in (HUGE, [HUGE, HUGE[::-1]]):
            s = np.asarray(F.sigmoid(xs), dtype=float)
            g = np.asarray(F.sigmoid_grad(xs), dtype=float)
            assert np.all((0.0 <= s) & (s <= 1.0)) and np.all((0.0 <= g) & (g <= 0.25))
        assert F.sigmoid([-1000.0, 1000.0]) == pytest.approx([0.0, 1.0], abs=0)


@PACKAGES
def test_softmax_never_overflows_or_warns(F):
    with strict_numerics():
        for xs in ([-1000.0, 1000.0], [1000.0, 1000.0], [-1.7e308, 1.7e308], [-1000.0] * 3):
            y = np.asarray(F.softmax([xs, xs]), dtype=float)
            assert np.all((0.0 <= y) & (y <= 1.0))
            assert_close(y.sum(axis=1), [1.0, 1.0], abs_=1e-15)
        assert_close(F.softmax([-1000.0, 1000.0]), [0.0, 1.0], abs_=0)
        assert_close(F.softmax([1000.0, 1000.0]), [0.5, 0.5], abs_=0)


@PACKAGES
def test_losses_at_extremes_do_not_warn(F):
    with strict_numerics():
        y = F.softmax([[-1000.0, 1000.0, 0.0]])
        assert F.cross_entropy_error(y, [0]) == pytest.approx(-math.log(1e-7))
        assert F.sum_squared_error([[1000.0, -1000.0]], [[0.0, 1.0]]) == pytest.approx(1001000.5)


# --- NaN and infinity: IEEE rules, identical in both packages, never a crash or a warning ------


@PACKAGES
def test_nan_and_inf(F):
    with strict_numerics():
        s = F.sigmoid([-math.inf, math.inf, math.nan])
        assert s[0] == 0.0 and s[1] == 1.0 and math.isnan(s[2])
        y = np.asarray(F.softmax([[1.0, math.nan], [0.0, -math.inf], [math.inf, 0.0]]))
        assert np.isnan(y[0]).all()  # NaN in a row spoils that row only
        assert_close(y[1], [1.0, 0.0], abs_=0)  # -inf means probability 0
        assert np.isnan(y[2]).all()  # inf / inf has no value
        with pytest.raises(NotProbabilities, match="got nan"):
            F.cross_entropy_error([math.nan, 0.5], 0)
        assert math.isnan(F.sum_squared_error([math.nan], [1.0]))


@PACKAGES
@pytest.mark.parametrize("y, t", [([math.nan] + [0.1] * 9, 2),
                                  ([[0.5, 0.5], [0.5, math.nan]], [0, 0]),
                                  ([[0.5, 0.5], [0.5, math.nan]], [[1, 0], [1, 0]])])
def test_nan_anywhere_among_probabilities_is_refused(F, y, t):
    # not the label's loss alone (2.3026 for the first): NaN says the input was not a
    # distribution; training turns this error into its "diverged" stop (tests/lesson/test_train.py)
    with strict_numerics(), pytest.raises(NotProbabilities) as refused:
        F.cross_entropy_error(y, t)
    assert str(refused.value) == ("cross_entropy_error needs probabilities 0 <= y <= 1 (e.g. "
                                  "softmax's output), got nan (NaN: the network's weights have "
                                  "blown up, or its input holds NaN)")
    assert math.isnan(refused.value.value) and isinstance(refused.value, ValueError)


# --- refused input: same exception and same words in both packages ---------------------------

BAD = [
    ("sigmoid", ([[1.0, 2.0], [3.0]],), ValueError, "x is ragged: row 0 has 2 elements, row 1"),
    ("sigmoid", ([],), ValueError, "x is empty: expected at least one element"),
    ("sigmoid", ([[], []],), ValueError, "x is empty"),
    ("sigmoid", ([True, 0.5],), TypeError, "x must hold numbers (float or int), got bool"),
    ("sigmoid", ([[1.0, "a"]],), TypeError, "x must hold numbers (float or int), got str"),
    ("sigmoid", ([[1.0], 2.0],), TypeError, "x mixes rows and numbers: row 1 is float"),
    ("sigmoid", (3.0,), TypeError, "x must be a list (vector) or a list of lists (matrix)"),
    ("sigmoid", ("abc",), TypeError, "got str"),
    ("softmax", ([[1.0, 2.0], [3.0, None]],), TypeError, "x must hold numbers (float or int)"),
    ("softmax", ([[[1.0]]],), TypeError, "x must hold numbers (float or int), got list"),
    ("sigmoid_grad", ([],), ValueError, "x is empty"),
    ("sum_squared_error", (Y2, T[:9]), ValueError,
     "sum_squared_error needs y and t of one shape (t one-hot), got y (10,) and t (9,)"),
    ("sum_squared_error", ([[0.5, 0.5]], [0.0, 1.0]), ValueError,  # NumPy would broadcast
     "got y (1, 2) and t (2,)"),
    ("sum_squared_error", ([[0.5, 0.5]], [[False, True]]), TypeError, "t must hold numbers"),
    ("cross_entropy_error", ([[0.5, 0.5], [0.2, 0.8]], [0]), ValueError,
     "t must be one-hot (2, 2) or 2 label(s) for y (2, 2), got t (1,)"),
    ("cross_entropy_error", ([[0.5, 0.5, 0.0]], [[0, 1], [1, 0], [0, 0]]), ValueError,
     "t must be one-hot (1, 3) or 1 label(s) for y (1, 3), got t (3, 2)"),
    ("cross_entropy_error", (Y2, [2]), ValueError, "t must be one-hot (10,) or 1 label(s)"),
    ("cross_entropy_error", ([[0.5, 0.5]], 1), ValueError,
     "t is a single label but y is a batch (1, 2): pass one label per row"),
    ("cross_entropy_error", (Y2, 10), ValueError, "label 10 is out of range for 10 classes (0..9)"),
    ("cross_entropy_error", (Y2, -1), ValueError, "label -1 is out of range for 10 classes"),
    ("cross_entropy_error", ([[0.5, 0.5]], [1.0]), TypeError, "label indices must be ints, got"),
    ("cross_entropy_error", (Y2, True), TypeError, "t must be label indices (int or list of int)"),
    ("cross_entropy_error", (Y2, "2"), TypeError, "or one-hot lists, got str"),
    ("cross_entropy_error", (Y2, 2.0), TypeError, "or one-hot lists, got float"),
    ("cross_entropy_error", ([0.5, -0.5], 0), NotProbabilities,
     "cross_entropy_error needs probabilities 0 <= y <= 1 (e.g. softmax's output), got -0.5"),
    # raw scores passed without softmax: the loss would come out negative
    ("cross_entropy_error", ([[0.1, 3.0, -0.2]], [1]), NotProbabilities,
     "cross_entropy_error needs probabilities 0 <= y <= 1 (e.g. softmax's output), got 3.0"),
    ("cross_entropy_error", ([[0.0, 1.0 + 2e-9]], [[0.0, 1.0]]), NotProbabilities,
     "0 <= y <= 1 (e.g. softmax's output), got 1.000000002"),
    ("cross_entropy_error", ([[0.5, 0.5], [0.5]], [0, 1]), ValueError, "y is ragged"),
    # a NaN does not hide a bad entry after it
    ("cross_entropy_error", ([math.nan, -0.5], 0), NotProbabilities, "softmax's output), got -0.5"),
    # one-hot targets: 0s and a single 1 in each row, nothing else
    ("cross_entropy_error", ([0.5, 0.5], [-1.0, 1.0]), ValueError,
     "t must be one-hot, 0s and a single 1 in each row: t holds -1"),
    ("cross_entropy_error", ([[0.5, 0.5], [0.2, 0.8]], [[0, 1], [0, 0]]), ValueError,
     "t must be one-hot, 0s and a single 1 in each row: row 1 of t has no 1"),
    ("cross_entropy_error", ([[0.5, 0.5]], [[0.5, 0.5]]), ValueError,
     "t must be one-hot, 0s and a single 1 in each row: row 0 of t holds 0.5"),
    ("cross_entropy_error", ([[0.5, 0.5]], [[1, 1]]), ValueError, "row 0 of t has 2 1s"),
    ("cross_entropy_error", ([[0.5, 0.5]], [[math.nan, 1.0]]), ValueError, "row 0 of t holds nan"),
    # labels where one-hot belongs: the book's (y - t) broadcasts when N equals the classes
    ("sum_squared_error", (Y2, [2] * 10), ValueError,
     "t must be one-hot, 0s and a single 1 in each row: t holds 2"),
    ("sum_squared_error", ([[0.5, 0.5]], [[0.5, 0.5]]), ValueError, "row 0 of t holds 0.5"),
    ("sum_squared_error", ([[0.5, 0.5], [0.5, 0.5]], [[0, 1], [0, 0]]), ValueError,
     "row 1 of t has no 1"),
]


@pytest.mark.parametrize("name, args, exc, phrase", BAD, ids=[b[0] for b in BAD])
@PACKAGES
def test_bad_input_is_refused_alike(F, name, args, exc, phrase):
    with pytest.raises(exc) as info:
        getattr(F, name)(*args)
    assert type(info.value) is exc
    assert phrase in str(info.value)


@pytest.mark.parametrize("x, exc, phrase", [
    (np.array([True, False]), TypeError, "x must hold numbers (float or int), got bool"),
    (np.array(["a"]), TypeError, "x must hold numbers (float or int), got str"),
    (np.zeros((2, 0)), ValueError, "x is empty: expected at least one element"),
    (np.zeros((1, 1, 1)), ValueError, "x must be a vector or a matrix, got 3 dimensions"),
    (np.float64(1.0), TypeError, "a list of lists (matrix) or an array, got float64"),
])
def test_reference_refuses_bad_arrays(x, exc, phrase):
    with pytest.raises(exc) as info:
        ref.sigmoid(x)
    assert phrase in str(info.value)


def test_reference_refuses_float_label_array():
    with pytest.raises(TypeError, match="label indices must be ints, got float64"):
        ref.cross_entropy_error(np.array([[0.5, 0.5]]), np.array([1.0]))


def test_reference_checks_one_hot_arrays_of_any_dtype():
    y = np.array([Y2, Y7])
    for dtype in (np.float32, np.float64, np.uint8, np.int64):
        t = np.array([T, T], dtype=dtype)
        assert ref.cross_entropy_error(y, t) == pytest.approx((CEE_2 + CEE_7) / 2)
        t[1, 3] = 1
        with pytest.raises(ValueError, match="row 1 of t has 2 1s"):
            ref.cross_entropy_error(y, t)


def test_reference_accepts_arrays_and_mnist_style_uint8_labels():
    assert ref.sum_squared_error(np.array(Y2), np.array(T, dtype=float)) == pytest.approx(0.0975)
    y = np.array([Y2, Y7])
    assert ref.cross_entropy_error(y, np.array([2, 2], dtype=np.uint8)) == pytest.approx(
        (CEE_2 + CEE_7) / 2)


# --- purenet against reference on random input ------------------------------------------------

values = st.one_of(
    st.floats(-1000, 1000, allow_nan=False),
    st.sampled_from([-1000.0, 1000.0, 0.0, -0.0, 745.2, -745.2]),
)


@st.composite
def batches(draw, vector_ok=True):
    """A vector (C,) or a matrix (N, C) of values, as nested lists."""
    c = draw(st.integers(1, 12))
    if vector_ok and draw(st.booleans()):
        return [draw(values) for _ in range(c)]
    n = draw(st.integers(1, 5))
    return [[draw(values) for _ in range(c)] for _ in range(n)]


@FAST
@given(batches())
def test_activations_agree(x):
    with strict_numerics():  # only the functions themselves: isclose() may underflow
        pairs = [(f(x), getattr(ref, f.__name__)(np.array(x)))
                 for f in (pure.sigmoid, pure.sigmoid_grad, pure.softmax)]
    for got, want in pairs:  # values in [0, 1]: an absolute 1e-12 is a fair bound
        assert_close(got, want, rel=0, abs_=1e-12)
    sums = np.sum(pairs[2][0], axis=-1)
    assert_close(sums, np.ones_like(sums), rel=0, abs_=1e-12)


@FAST
@given(batches(), st.data())
def test_losses_agree(x, data):
    y = pure.softmax(x)  # probabilities, some exactly 0 or 1 at the extremes
    shape = np.shape(y)
    c = shape[-1]
    if len(shape) == 1:
        labels = data.draw(st.integers(0, c - 1))
        onehot = [float(k == labels) for k in range(c)]
    else:
        labels = data.draw(st.lists(st.integers(0, c - 1), min_size=shape[0], max_size=shape[0]))
        onehot = [[float(k == j) for k in range(c)] for j in labels]
    y_ref, onehot_ref = np.array(y), np.array(onehot)
    e_pure = pure.cross_entropy_error(y, onehot)
    assert e_pure == pytest.approx(ref.cross_entropy_error(y_ref, onehot_ref), rel=1e-12, abs=1e-12)
    assert pure.cross_entropy_error(y, labels) == pytest.approx(e_pure, rel=1e-12, abs=1e-12)
    labels_ref = labels if isinstance(labels, int) else np.array(labels)
    e_ref = ref.cross_entropy_error(y_ref, labels_ref)
    assert e_ref == pytest.approx(e_pure, rel=1e-12, abs=1e-12)
    assert pure.sum_squared_error(y, onehot) == pytest.approx(
        ref.sum_squared_error(y_ref, onehot_ref), rel=1e-12, abs=1e-12)
    # and on the raw scores, where the squares reach 4e6
    raw = x if len(shape) == 2 else [x]
    target = onehot if len(shape) == 2 else [onehot]
    assert pure.sum_squared_error(raw, target) == pytest.approx(
        ref.sum_squared_error(np.array(raw), np.array(target)), rel=1e-12, abs=1e-12)
