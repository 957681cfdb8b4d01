"""Activation and loss functions (book sections 3.2, 3.5 and 4.2), in NumPy.

The twin of ``purenet/functions.py``: the same functions in the same order,
each loop over rows replaced by one array expression.

Each function takes one sample (a 1-D array) or a batch (a 2-D array, one
sample per row), like the book's versions do. NaN in gives NaN out, as in
purenet (the loss excepted: it refuses NaN among its probabilities);
infinities give sigmoid's limits 0 and 1.
"""

import numpy as np

from reference.checks import as_floats, cross_entropy_inputs, squared_error_inputs

# Added inside log() so that a probability of exactly 0 gives a large finite
# loss (about 16.1) instead of log(0) = -inf; the book uses the same value.
DELTA = 1e-7


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Return 1 / (1 + exp(-x)) elementwise, in the shape of x: (N,) or (N, M).

    Every value lies in [0, 1]; no finite x makes it overflow, raise or warn.

    >>> sigmoid(np.array([-1.0, 1.0, 2.0])).round(4)  # the book's example in 3.2.4
    array([0.2689, 0.7311, 0.8808])
    """
    x = as_floats(x, "x")  # ints become float64, as purenet computes them
    # The book's line. For x below about -709, exp(-x) overflows to inf and
    # 1 / (1 + inf) is 0.0; above 709, exp(-x) underflows to 0.0 and the result
    # is 1.0. Both are the right limits, so NumPy's warnings are silenced.
    with np.errstate(over="ignore", under="ignore"):
        return 1 / (1 + np.exp(-x))


def sigmoid_grad(x: np.ndarray) -> np.ndarray:
    """Return the derivative sigmoid(x) * (1 - sigmoid(x)) elementwise, in the shape of x.

    >>> sigmoid_grad(np.array([0.0]))  # steepest at 0: 0.5 * (1 - 0.5)
    array([0.25])
    """
    s = sigmoid(x)
    return (1.0 - s) * s


def softmax(x: np.ndarray) -> np.ndarray:
    """Return y_k = exp(x_k) / sum_i exp(x_i) for a vector (C,), or for each row of (N, C).

    The result has x's shape; each row is a probability distribution: entries in
    [0, 1] summing to 1. No finite x overflows; a row holding NaN or +inf gives NaN.

    >>> softmax(np.array([0.3, 2.9, 4.0])).round(4)  # the book's example in 3.5.1
    array([0.0182, 0.2452, 0.7366])
    >>> softmax(np.array([[0.3, 2.9, 4.0], [1010.0, 1000.0, 990.0]])).round(4).tolist()
    [[0.0182, 0.2452, 0.7366], [1.0, 0.0, 0.0]]
    """
    x = as_floats(x, "x")  # ints become float64, as purenet computes them
    # Subtracting the row max keeps every exp() argument <= 0 (no overflow).
    # Underflow to 0.0 is the right answer; x - max can only overflow towards
    # -inf (whose exp is 0.0 again); inf - inf gives NaN as in purenet.
    with np.errstate(under="ignore", over="ignore", invalid="ignore"):
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)


def one_hot(t: np.ndarray, num_classes: int, dtype: np.dtype | type = np.float64) -> np.ndarray:
    """Return t as one-hot rows (N, C): label k becomes num_classes 0.0s with a 1.0 at k.

    The book's t is one-hot already (``load_mnist(one_hot_label=True)``); rows
    that are one-hot come back as they are, so a network can take either. The
    rows are in ``dtype`` (a float32 network's y - t stays float32).

    >>> one_hot(np.array([2, 0]), 3)  # two labels, three classes
    array([[0., 0., 1.],
           [1., 0., 0.]])
    """
    if t.ndim == 2:  # one-hot rows already
        return t.astype(dtype, copy=False)
    return np.eye(num_classes, dtype=dtype)[t]  # row k of the identity is label k's


def sum_squared_error(y: np.ndarray, t: np.ndarray) -> float:
    """Return E = 0.5 * sum_k (y_k - t_k)^2 (오차제곱합), a number, summed over every entry.

    y and t must have the same shape, (C,) or (N, C), and t must be one-hot, as
    in the book (labels raise). A batch gives the sum over its rows, not the
    mean (the book's formula).

    >>> t = np.array([0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])  # the answer is 2
    >>> y = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])  # 0.6 on class 2
    >>> round(sum_squared_error(y, t), 4)  # the book's example in 4.2.1
    0.0975
    """
    y, t = squared_error_inputs(y, t)
    return float(0.5 * np.sum((y - t) ** 2))


def cross_entropy_error(y: np.ndarray, t: np.ndarray | int) -> float:
    """Return E = -(1/N) * sum_n sum_k t_nk * log(y_nk + 1e-7) (교차 엔트로피 오차), a number.

    y is one sample (C,) or a batch (N, C) of probabilities, 0 <= y <= 1 (e.g.
    softmax's output: raw scores would give a meaningless, even negative, loss).
    t is either one-hot, in the shape of y, or label indices: an int for one
    sample, N ints for a batch, read as the one-hot rows they stand for, so
    only the label's log-probability counts. The result is the mean over the
    batch (N = 1 for one sample), so batches of any size give comparable
    numbers. NaN anywhere in y raises ValueError, as any other non-probability.

    >>> y = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])  # 0.6 on class 2
    >>> round(cross_entropy_error(y, 2), 4)  # the answer 2: -log 0.6 (the book's 4.2.2)
    0.5108
    >>> batch = np.array([y, y])
    >>> round(cross_entropy_error(batch, np.array([2, 7])), 4)  # mean of -log 0.6, -log 0.1
    1.4067
    """
    y, t = cross_entropy_inputs(y, t)  # (N, C) both
    total = np.sum(t * np.log(y + DELTA))
    return float(-total / len(y))
