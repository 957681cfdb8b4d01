"""Activation and loss functions (book sections 3.2, 3.5 and 4.2).

``sigmoid`` squashes a hidden layer's sums into (0, 1); ``softmax`` turns the
output layer's scores into probabilities; the two losses measure how far those
probabilities are from the answer: the smaller, the better (손실 함수).

Each function takes one sample (a vector) or a batch (a matrix, one sample per
row), like the book's NumPy versions do. NaN in gives NaN out, as in NumPy;
infinities give sigmoid's limits 0 and 1.
"""

from __future__ import annotations

import math
import operator
from typing import cast, overload

from purenet.matrix import Matrix, Vector, _fmt, shape

# Added inside log() so that a probability of exactly 0 gives a large finite
# loss (about 16.1) instead of log(0) = -inf; the book uses the same value.
DELTA = 1e-7
# How far above 1 a probability may round (softmax's sum can end a few ulps
# past 1); a score of 3.0 passed without softmax is far beyond it.
ONE_TOL = 1e-9


def _sigmoid(x: float) -> float:
    # exp() of a large positive number overflows (math.exp(1000) raises), so
    # only ever take exp of -|x| <= 0 and pick the algebraically equal form.
    e = math.exp(-abs(x))
    return 1.0 / (1.0 + e) if x >= 0 else e / (1.0 + e)


@overload
def sigmoid(x: Vector) -> Vector: ...
@overload
def sigmoid(x: Matrix) -> Matrix: ...
def sigmoid(x: Vector | Matrix) -> Vector | Matrix:
    """Return 1 / (1 + exp(-x)) elementwise, in the shape of x: (N,) or (N, M).

    Every value lies in [0, 1]; no finite x makes it overflow or raise.
    """
    if len(shape(x, "x")) == 1:
        return [_sigmoid(v) for v in x]  # type: ignore[arg-type]
    return [[_sigmoid(v) for v in row] for row in x]  # type: ignore[union-attr]


def sigmoid_grad(x: Vector | Matrix) -> Vector | Matrix:
    """Return the derivative sigmoid(x) * (1 - sigmoid(x)) elementwise, in the shape of x."""
    s = sigmoid(x)
    if not isinstance(s[0], list):
        return [(1.0 - v) * v for v in s]
    return [[(1.0 - v) * v for v in row] for row in s]


def _softmax_row(a: Vector) -> Vector:
    # Subtracting the max changes nothing mathematically (it cancels in the
    # ratio) but keeps every exp() argument <= 0, so exp(1000) never happens.
    m = max(a)
    e = [math.exp(v - m) for v in a]
    s = sum(e)
    return [v / s for v in e]


@overload
def softmax(x: Vector) -> Vector: ...
@overload
def softmax(x: Matrix) -> Matrix: ...
def softmax(x: Vector | Matrix) -> Vector | Matrix:
    """Return y_k = exp(x_k) / sum_i exp(x_i) for a vector (C,), or for each row of (N, C).

    The result has x's shape; each row is a probability distribution: entries in
    [0, 1] summing to 1. No finite x overflows; a row holding NaN or +inf gives NaN.
    """
    if len(shape(x, "x")) == 1:
        return _softmax_row(x)  # type: ignore[arg-type]
    return [_softmax_row(row) for row in x]  # type: ignore[arg-type]


def sum_squared_error(y: Vector | Matrix, t: Vector | Matrix) -> float:
    """Return E = 0.5 * sum_k (y_k - t_k)^2 (오차제곱합), a number, summed over every entry.

    y and t must have the same shape, (C,) or (N, C): t is one-hot here, as in the
    book. A batch gives the sum over its rows, not the mean (the book's formula).
    """
    sy, st = shape(y, "y"), shape(t, "t")
    if sy != st:
        raise ValueError(f"sum_squared_error needs y and t of one shape (t one-hot), "
                         f"got y {_fmt(sy)} and t {_fmt(st)}")
    rows_y = cast(Matrix, [y] if len(sy) == 1 else y)  # one sample: a batch of one row
    rows_t = cast(Matrix, [t] if len(st) == 1 else t)
    # d * d rather than d ** 2: float ** 2 raises OverflowError past 1e154, d * d gives inf.
    return 0.5 * sum(d * d for ry, rt in zip(rows_y, rows_t) for d in map(operator.sub, ry, rt))


def cross_entropy_error(y: Vector | Matrix, t: Vector | Matrix | list[int] | int) -> float:
    """Return E = -(1/N) * sum_n sum_k t_nk * log(y_nk + 1e-7) (교차 엔트로피 오차), a number.

    y is one sample (C,) or a batch (N, C) of probabilities, 0 <= y <= 1 (e.g.
    softmax's output: raw scores would give a meaningless, even negative, loss).
    t is either one-hot, in the shape of y, or label indices: an int for one
    sample, N ints for a batch, where the label's log-probability alone counts.
    The result is the mean over the batch (N = 1 for one sample), so batches of
    any size give comparable numbers.
    """
    sy = shape(y, "y")
    rows = cast(Matrix, [y] if len(sy) == 1 else y)  # one sample: a batch of one row
    for row in rows:  # log of a negative number has no value, log of 3 no meaning
        for v in row:
            if v < 0 or v > 1 + ONE_TOL:
                raise ValueError(f"cross_entropy_error needs probabilities 0 <= y <= 1 "
                                 f"(e.g. softmax's output), got {v}")
    labels = to_labels(t, sy)
    if labels is None:  # one-hot (or any distribution): the full sum
        t_rows = cast(Matrix, [t] if len(sy) == 1 else t)
        total = sum(tk * math.log(yk + DELTA)
                    for ry, rt in zip(rows, t_rows) for yk, tk in zip(ry, rt))
    else:  # labels: pick each row's entry at its label
        total = sum(math.log(row[k] + DELTA) for row, k in zip(rows, labels))
    return -total / len(rows)


def to_labels(t: object, y_shape: tuple[int, ...]) -> list[int] | None:
    """Check t against predictions of shape y_shape: return label indices, or None if one-hot.

    Labels are an int for one sample (C,) or N ints for a batch (N, C), each in
    range(C). One-hot targets must have y's shape exactly. Anything else raises:
    the book's ``(y - t) / N`` would broadcast (N, C) against (N,) and silently
    compute a wrong gradient.
    """
    classes = y_shape[-1]
    if isinstance(t, bool) or not isinstance(t, (int, list)):
        raise TypeError(f"t must be label indices (int or list of int) or one-hot lists, "
                        f"got {type(t).__name__}")
    if isinstance(t, int):
        if len(y_shape) != 1:
            raise ValueError(f"t is a single label but y is a batch {_fmt(y_shape)}: "
                             f"pass one label per row")
        labels = [t]
    else:
        st = shape(t, "t")
        if st == y_shape:
            return None
        if len(st) != 1 or len(y_shape) != 2 or st[0] != y_shape[0]:
            raise ValueError(f"t must be one-hot {_fmt(y_shape)} or "
                             f"{y_shape[0] if len(y_shape) == 2 else 1} label(s) for y "
                             f"{_fmt(y_shape)}, got t {_fmt(st)}")
        if not all(type(k) is int for k in t):
            raise TypeError("label indices must be ints, got "
                            + next(type(k).__name__ for k in t if type(k) is not int))
        labels = t
    for k in labels:
        if not 0 <= k < classes:
            raise ValueError(f"label {k} is out of range for {classes} classes (0..{classes - 1})")
    return labels

