"""The gradient of a weight matrix (book section 4.4.2), and why we follow a loss, in NumPy.

The twin of ``purenet/simple_net.py``: the same class and functions in the same
order; the scores become one product x @ W, and W is a float64 array that
``numerical_gradient`` nudges in place.

>>> net = SimpleNet(BOOK_W)
>>> round(net.loss(BOOK_X, BOOK_T), 4)
0.9281
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from reference.functions import cross_entropy_error, softmax
from reference.gradient import numerical_gradient

# The book's worked example: the random W it happened to draw, one input x and
# its one-hot answer t (class 2).
BOOK_W = np.array([[0.47355232, 0.9977393, 0.84668094],
                   [0.85557411, 0.03563661, 0.69422093]])
BOOK_X = np.array([0.6, 0.9])
BOOK_T = np.array([0.0, 0.0, 1.0])


class SimpleNet:
    """The book's simpleNet: one weight matrix W (2, 3), scores x @ W, softmax and cross-entropy.

    W is copied from ``W`` when given; otherwise its six entries are N(0, 1)
    draws from numpy.random.default_rng(seed), never from np.random's global state.
    """

    def __init__(self, W: np.ndarray | None = None, seed: int | None = None) -> None:
        if W is None:
            W = np.random.default_rng(seed).standard_normal((2, 3))
        self.W: np.ndarray = np.array(W, dtype=np.float64)  # (2, 3), a copy

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Return the scores x @ W of one sample: (2,) @ (2, 3) -> (3,)."""
        return np.asarray(x) @ self.W

    def loss(self, x: np.ndarray, t: np.ndarray | int) -> float:
        """Return L = cross_entropy_error(softmax(x @ W), t), a number (t one-hot or a label)."""
        z = self.predict(x)
        y = softmax(z)
        return cross_entropy_error(y, t)

    def numerical_gradient(self, x: np.ndarray, t: np.ndarray | int) -> np.ndarray:
        """Return dL/dW (2, 3) by central differences: entry (i, j) is dL/dw_ij."""
        # W is never read: numerical_gradient nudges self.W's own entries in
        # place, and loss() reads self.W. The book writes the same lambda.
        f = lambda W: self.loss(x, t)  # noqa: E731
        dW = numerical_gradient(f, self.W)
        return dW


class Nudge(NamedTuple):
    """What raising one weight by h did: the slope dL/dw, the change predicted and the one seen."""

    slope: float  # dL/dw_ij by numerical_gradient
    h: float
    predicted: float  # slope * h
    actual: float  # L(w + h e_ij) - L(w)


def nudge(net: SimpleNet, x: np.ndarray, t: np.ndarray | int, i: int, j: int,
          h: float = 0.01) -> Nudge:
    """Raise w_ij by h and compare the loss's change with dL/dw_ij * h; W is left as it was.

    For a small h the two agree to within a term in h^2: the derivative is the
    loss's change per unit of weight.
    """
    slope = float(net.numerical_gradient(x, t)[i, j])
    before = net.loss(x, t)
    w = net.W[i, j]
    try:
        net.W[i, j] = w + h
        after = net.loss(x, t)
    finally:
        net.W[i, j] = w
    return Nudge(slope, h, slope * h, after - before)


def loss_and_accuracy_along(
    network: Any, x: np.ndarray, t: np.ndarray, key: str, i: int, j: int,
    deltas: Sequence[float],
) -> list[tuple[float, float, float]]:
    """Return (delta, loss, accuracy) with network.params[key][i, j] raised by each delta.

    network is a TwoLayerNet (or anything with params, loss and accuracy); x a
    batch (N, D) and t its N labels. The weight is put back afterwards. Across
    small deltas the loss changes smoothly and the accuracy stays put: it can
    only jump, by 1/N, when some sample's highest score changes hands.
    """
    W = network.params[key]
    w = W[i, j]
    rows = []
    try:
        for delta in deltas:
            W[i, j] = w + delta
            rows.append((delta, network.loss(x, t), network.accuracy(x, t)))
    finally:
        W[i, j] = w
    return rows
