"""Activation and loss functions (book sections 3.2, 3.5 and 4.2).

``sigmoid`` squashes a hidden layer's sums into (0, 1); ``softmax`` turns the
output layer's scores into probabilities; the two losses measure how far those
probabilities are from the answer: the smaller, the better (손실 함수).

Each function takes one sample (a vector) or a batch (a matrix, one sample per
row), like the book's NumPy versions do. NaN in gives NaN out, as in NumPy (the
loss excepted: it refuses NaN among its probabilities);
infinities give sigmoid's limits 0 and 1.
"""

import math
import operator

from purenet.checks import cross_entropy_inputs, squared_error_inputs
from purenet.matrix import Array, ArrayT, Matrix, Vector, map_entries, map_rows

# Added inside log() so that a probability of exactly 0 gives a large finite
# loss (about 16.1) instead of log(0) = -inf; the book uses the same value.
DELTA = 1e-7


def _sigmoid(x: float) -> float:
    # exp() of a large positive number overflows (math.exp(1000) raises), so
    # only ever take exp of -|x| <= 0 and pick the algebraically equal form.
    e = math.exp(-abs(x))
    return 1.0 / (1.0 + e) if x >= 0 else e / (1.0 + e)


def sigmoid(x: ArrayT) -> ArrayT:
    """Return 1 / (1 + exp(-x)) elementwise, in the shape of x: (N,) or (N, M).

    Every value lies in [0, 1]; no finite x makes it overflow or raise.

    >>> [round(v, 4) for v in sigmoid([-1.0, 1.0, 2.0])]  # the book's example in 3.2.4
    [0.2689, 0.7311, 0.8808]
    >>> sigmoid([-1000.0, 1000.0])  # math.exp(1000) would raise; here no exp() overflows
    [0.0, 1.0]
    """
    return map_entries(_sigmoid, x)


def sigmoid_grad(x: ArrayT) -> ArrayT:
    """Return the derivative sigmoid(x) * (1 - sigmoid(x)) elementwise, in the shape of x.

    >>> sigmoid_grad([0.0])  # steepest at 0: 0.5 * (1 - 0.5)
    [0.25]
    """
    s = sigmoid(x)
    return map_entries(lambda v: (1.0 - v) * v, s)


def _softmax_row(a: Vector) -> Vector:
    # Subtracting the max changes nothing mathematically (it cancels in the
    # ratio) but keeps every exp() argument <= 0, so exp(1000) never happens.
    m = max(a)
    e = [math.exp(v - m) for v in a]
    s = sum(e)
    return [v / s for v in e]


def softmax(x: ArrayT) -> ArrayT:
    """Return y_k = exp(x_k) / sum_i exp(x_i) for a vector (C,), or for each row of (N, C).

    The result has x's shape; each row is a probability distribution: entries in
    [0, 1] summing to 1. No finite x overflows; a row holding NaN or +inf gives NaN.

    >>> y = softmax([0.3, 2.9, 4.0])  # the book's example in 3.5.1
    >>> [round(v, 4) for v in y], round(sum(y), 10)  # probabilities: they sum to 1
    ([0.0182, 0.2452, 0.7366], 1.0)
    >>> [round(v, 5) for v in softmax([1010.0, 1000.0, 990.0])]  # exp(1010) is never taken
    [0.99995, 5e-05, 0.0]
    """
    return map_rows(_softmax_row, x)


def one_hot(t: list[int] | Matrix, num_classes: int) -> Matrix:
    """Return t as one-hot rows (N, C): label k becomes num_classes 0.0s with a 1.0 at k.

    The book's t is one-hot already (``load_mnist(one_hot_label=True)``); rows
    that are one-hot come back as they are, so a network can take either.

    >>> one_hot([2, 0], 3)  # two labels, three classes
    [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """
    return [label if isinstance(label, list)  # a one-hot row already
            else [1.0 if k == label else 0.0 for k in range(num_classes)] for label in t]


def sum_squared_error(y: Array, t: Array) -> float:
    """Return E = 0.5 * sum_k (y_k - t_k)^2 (오차제곱합), a number, summed over every entry.

    y and t must have the same shape, (C,) or (N, C), and t must be one-hot, as
    in the book (labels raise). A batch gives the sum over its rows, not the
    mean (the book's formula).

    >>> t = [0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]  # the answer is 2
    >>> y = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]  # 0.6 on class 2
    >>> round(sum_squared_error(y, t), 4)  # the book's example in 4.2.1
    0.0975
    """
    y, t = squared_error_inputs(y, t)
    # d * d rather than d ** 2: float ** 2 raises OverflowError past 1e154, d * d gives inf.
    return 0.5 * sum(d * d for ry, rt in zip(y, t) for d in map(operator.sub, ry, rt))


def cross_entropy_error(y: Array, t: Array | list[int] | int) -> float:
    """Return E = -(1/N) * sum_n sum_k t_nk * log(y_nk + 1e-7) (교차 엔트로피 오차), a number.

    y is one sample (C,) or a batch (N, C) of probabilities, 0 <= y <= 1 (e.g.
    softmax's output: raw scores would give a meaningless, even negative, loss).
    t is either one-hot, in the shape of y, or label indices: an int for one
    sample, N ints for a batch, read as the one-hot rows they stand for, so
    only the label's log-probability counts. The result is the mean over the
    batch (N = 1 for one sample), so batches of any size give comparable
    numbers. NaN anywhere in y raises ValueError, as any other non-probability.

    >>> y = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]  # 0.6 on class 2
    >>> round(cross_entropy_error(y, 2), 4)  # the answer 2: -log 0.6 (the book's 4.2.2)
    0.5108
    >>> round(cross_entropy_error([y, y], [2, 7]), 4)  # a batch: mean of -log 0.6, -log 0.1
    1.4067
    """
    y, t = cross_entropy_inputs(y, t)  # (N, C) both
    total = sum(tk * math.log(yk + DELTA) for ry, rt in zip(y, t) for yk, tk in zip(ry, rt))
    return -total / len(y)
