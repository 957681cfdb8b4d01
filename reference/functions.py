"""Activation and loss functions (book sections 3.2, 3.5 and 4.2), in NumPy.

The twin of ``purenet/functions.py``: the same functions in the same order,
each loop over rows replaced by one array expression.

Each function takes one sample (a 1-D array) or a batch (a 2-D array, one
sample per row), like the book's versions do. NaN in gives NaN out, as in
purenet; infinities give sigmoid's limits 0 and 1.
"""

from __future__ import annotations

import numpy as np

from purenet.matrix import shape

# Added inside log() so that a probability of exactly 0 gives a large finite
# loss (about 16.1) instead of log(0) = -inf; the book uses the same value.
DELTA = 1e-7
# How far above 1 a probability may round (softmax's sum can end a few ulps
# past 1); a score of 3.0 passed without softmax is far beyond it.
ONE_TOL = 1e-9


def as_array(x: object, name: str = "x") -> np.ndarray:
    """Return x as a 1-D or 2-D array of numbers, raising the same errors as purenet.matrix.shape.

    Nested lists are accepted too, and checked by purenet's own shape(), so both
    packages refuse the same bad lists with the same words. Ints stay ints.
    """
    if isinstance(x, list):
        shape(x, name)  # ragged, empty, bool, str...: raises exactly as purenet does
        return np.array(x)
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{name} must be a list (vector) or a list of lists (matrix) "
                        f"or an array, got {type(x).__name__}")
    if x.ndim not in (1, 2):
        raise ValueError(f"{name} must be a vector or a matrix, got {x.ndim} dimensions")
    if x.size == 0:
        raise ValueError(f"{name} is empty: expected at least one element")
    if x.dtype.kind not in "iuf":  # bool is kind "b": refused, as in purenet
        raise TypeError(f"{name} must hold numbers (float or int), got {x.dtype.name}")
    return x


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Return 1 / (1 + exp(-x)) elementwise, in the shape of x: (N,) or (N, M).

    Every value lies in [0, 1]; no finite x makes it overflow, raise or warn.
    """
    x = as_array(x, "x")
    # exp(-|x|) <= 1 for every x, so it cannot overflow; each side of the
    # where() is the algebraically equal form for its sign of x. exp(-1000)
    # underflows to 0.0, which is the right answer, so that is not flagged.
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(x: np.ndarray) -> np.ndarray:
    """Return the derivative sigmoid(x) * (1 - sigmoid(x)) elementwise, in the shape of x."""
    s = sigmoid(x)
    return (1.0 - s) * s


def softmax(x: np.ndarray) -> np.ndarray:
    """Return y_k = exp(x_k) / sum_i exp(x_i) for a vector (C,), or for each row of (N, C).

    The result has x's shape; each row is a probability distribution: entries in
    [0, 1] summing to 1. No finite x overflows; a row holding NaN or +inf gives NaN.
    """
    x = as_array(x, "x")
    # Subtracting the row max keeps every exp() argument <= 0 (no overflow).
    # Underflow to 0.0 is the right answer; x - max can only overflow towards
    # -inf (whose exp is 0.0 again); inf - inf gives NaN as in purenet.
    with np.errstate(under="ignore", over="ignore", invalid="ignore"):
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)


def sum_squared_error(y: np.ndarray, t: np.ndarray) -> float:
    """Return E = 0.5 * sum_k (y_k - t_k)^2 (오차제곱합), a number, summed over every entry.

    y and t must have the same shape, (C,) or (N, C): t is one-hot here, as in the
    book. A batch gives the sum over its rows, not the mean (the book's formula).
    """
    y, t = as_array(y, "y"), as_array(t, "t")
    if y.shape != t.shape:
        raise ValueError(f"sum_squared_error needs y and t of one shape (t one-hot), "
                         f"got y {y.shape} and t {t.shape}")
    return float(0.5 * np.sum((y - t) ** 2))


def cross_entropy_error(y: np.ndarray, t: np.ndarray | int) -> float:
    """Return E = -(1/N) * sum_n sum_k t_nk * log(y_nk + 1e-7) (교차 엔트로피 오차), a number.

    y is one sample (C,) or a batch (N, C) of probabilities, 0 <= y <= 1 (e.g.
    softmax's output: raw scores would give a meaningless, even negative, loss).
    t is either one-hot, in the shape of y, or label indices: an int for one
    sample, N ints for a batch, where the label's log-probability alone counts.
    The result is the mean over the batch (N = 1 for one sample), so batches of
    any size give comparable numbers.
    """
    y = as_array(y, "y")
    # log of a negative number has no value, log of 3 no meaning
    bad = y[(y < 0) | (y > 1 + ONE_TOL)]
    if bad.size:
        raise ValueError(f"cross_entropy_error needs probabilities 0 <= y <= 1 "
                         f"(e.g. softmax's output), got {float(bad[0])}")
    labels = to_labels(t, y.shape)
    rows = y.reshape(1, -1) if y.ndim == 1 else y
    if labels is None:  # one-hot (or any distribution): the full sum
        total = np.sum(np.asarray(t).reshape(rows.shape) * np.log(rows + DELTA))
    else:  # labels: pick each row's entry at its label
        total = np.sum(np.log(rows[np.arange(len(rows)), labels] + DELTA))
    return float(-total / len(rows))


def to_labels(t: object, y_shape: tuple[int, ...]) -> np.ndarray | None:
    """Check t against predictions of shape y_shape: return label indices, or None if one-hot.

    Labels are an int for one sample (C,) or N ints for a batch (N, C), each in
    range(C). One-hot targets must have y's shape exactly. Anything else raises:
    the book's ``(y - t) / N`` would broadcast (N, C) against (N,) and silently
    compute a wrong gradient.
    """
    classes = y_shape[-1]
    if isinstance(t, (bool, np.bool_)) or not isinstance(t, (int, np.integer, list, np.ndarray)):
        raise TypeError(f"t must be label indices (int or list of int) or one-hot lists, "
                        f"got {type(t).__name__}")
    if isinstance(t, (int, np.integer)):
        if len(y_shape) != 1:
            raise ValueError(f"t is a single label but y is a batch {y_shape}: "
                             f"pass one label per row")
        labels = np.array([t])
    else:
        t = as_array(t, "t")
        if t.shape == y_shape:
            return None
        if t.ndim != 1 or len(y_shape) != 2 or t.shape[0] != y_shape[0]:
            raise ValueError(f"t must be one-hot {y_shape} or "
                             f"{y_shape[0] if len(y_shape) == 2 else 1} label(s) for y "
                             f"{y_shape}, got t {t.shape}")
        if t.dtype.kind not in "iu":
            raise TypeError(f"label indices must be ints, got {t.dtype}")
        labels = t
    bad = labels[(labels < 0) | (labels >= classes)]
    if bad.size:
        raise ValueError(f"label {bad[0]} is out of range for {classes} classes "
                         f"(0..{classes - 1})")
    return labels
