"""The gradient of a weight matrix (book section 4.4.2), and why we follow a loss.

The book's simpleNet is the smallest network with a weight matrix: two inputs,
three classes, one 2x3 matrix W and no bias. Its loss L is softmax and then
cross-entropy, and ``numerical_gradient`` of L with respect to W gives a 2x3
matrix dL/dW (가중치 매개변수에 대한 손실 함수의 기울기) read entry by entry:
if dL/dw_ij is 0.14, raising w_ij by a small h raises L by about 0.14h.

The last function shows why learning follows the loss and not the accuracy
(정확도가 아닌 손실 함수를 쓰는 이유): nudge one weight of a network a little and
the loss moves, while the accuracy, a count of right answers, almost never does,
so its derivative is 0 nearly everywhere and says nothing about which way to go.

>>> net = SimpleNet(BOOK_W)
>>> round(net.loss(BOOK_X, BOOK_T), 4)
0.9281
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any, NamedTuple

from purenet.functions import cross_entropy_error, softmax
from purenet.gradient import numerical_gradient
from purenet.matrix import Matrix, Vector

# The book's worked example: the random W it happened to draw, one input x and
# its one-hot answer t (class 2).
BOOK_W: Matrix = [[0.47355232, 0.9977393, 0.84668094],
                  [0.85557411, 0.03563661, 0.69422093]]
BOOK_X: Vector = [0.6, 0.9]
BOOK_T: Vector = [0.0, 0.0, 1.0]


class SimpleNet:
    """The book's simpleNet: one weight matrix W (2, 3), scores x @ W, softmax and cross-entropy.

    W is copied from ``W`` when given; otherwise its six entries are N(0, 1)
    draws from random.Random(seed), never from the module-level random state.
    """

    def __init__(self, W: Matrix | None = None, seed: int | None = None) -> None:
        if W is None:
            rng = random.Random(seed)
            W = [[rng.gauss(0.0, 1.0) for _ in range(3)] for _ in range(2)]
        self.W: Matrix = [[float(w) for w in row] for row in W]  # (2, 3)

    def predict(self, x: Vector) -> Vector:
        """Return the scores x @ W of one sample: (2,) @ (2, 3) -> (3,)."""
        return [sum(xi * wi for xi, wi in zip(x, column)) for column in zip(*self.W)]

    def loss(self, x: Vector, t: Vector | int) -> float:
        """Return L = cross_entropy_error(softmax(x @ W), t), a number (t one-hot or a label)."""
        z = self.predict(x)
        y = softmax(z)
        return cross_entropy_error(y, t)

    def numerical_gradient(self, x: Vector, t: Vector | int) -> Matrix:
        """Return dL/dW (2, 3) by central differences: entry (i, j) is dL/dw_ij."""
        # W is never read: numerical_gradient nudges self.W's own entries in
        # place, and loss() reads self.W. The book writes the same lambda.
        f = lambda W: self.loss(x, t)  # noqa: E731
        dW = numerical_gradient(f, self.W)
        return dW  # type: ignore[return-value]


class Nudge(NamedTuple):
    """What raising one weight by h did: the slope dL/dw, the change predicted and the one seen."""

    slope: float  # dL/dw_ij by numerical_gradient
    h: float
    predicted: float  # slope * h
    actual: float  # L(w + h e_ij) - L(w)


def nudge(net: SimpleNet, x: Vector, t: Vector | int, i: int, j: int, h: float = 0.01) -> Nudge:
    """Raise w_ij by h and compare the loss's change with dL/dw_ij * h; W is left as it was.

    For a small h the two agree to within a term in h^2: the derivative is the
    loss's change per unit of weight.
    """
    slope = net.numerical_gradient(x, t)[i][j]
    before = net.loss(x, t)
    w = net.W[i][j]
    try:
        net.W[i][j] = w + h
        after = net.loss(x, t)
    finally:
        net.W[i][j] = w
    return Nudge(slope, h, slope * h, after - before)


def loss_and_accuracy_along(
    network: Any, x: Matrix, t: Sequence[int], key: str, i: int, j: int,
    deltas: Sequence[float],
) -> list[tuple[float, float, float]]:
    """Return (delta, loss, accuracy) with network.params[key][i][j] raised by each delta.

    network is a TwoLayerNet (or anything with params, loss and accuracy); x a
    batch (N, D) and t its N labels. The weight is put back afterwards. Across
    small deltas the loss changes smoothly and the accuracy stays put: it can
    only jump, by 1/N, when some sample's highest score changes hands.
    """
    W = network.params[key]
    w = W[i][j]
    rows = []
    try:
        for delta in deltas:
            W[i][j] = w + delta
            rows.append((delta, network.loss(x, t), network.accuracy(x, t)))
    finally:
        W[i][j] = w
    return rows
